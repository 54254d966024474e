/**
 * A generated ~100 MB items CSV, stored in the S3 emulator and streamed through the SDK into the csv-to-cloudsearch handler:
 * rows/s and peak RSS growth (target ≤ 150 MB: the handler streams, holding at most one 5 MB batch).
 * The catalogue validates every batch exactly as the CloudSearch emulator does and then drops it, so the figure
 * measures the handler, not the size of an in-memory index. A second, smaller run goes through the emulator via
 * the AWS SDK to show end-to-end throughput.
 *
 *   npx tsx bench/catalogue.bench.ts            (CATALOGUE_BENCH_MB=20 for a quicker run)
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { S3Client } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import { createCloudSearchCatalogue } from '../src/adapters/cloudsearch/catalogue-index.js';
import { createS3ObjectStore } from '../src/adapters/s3/object-store.js';
import { loadDomainSchema } from '../src/domain/cloudsearch-schema.js';
import { validateBatch } from '../src/emulators/cloudsearch/batch.js';
import { createCloudSearchService } from '../src/emulators/cloudsearch/index.js';
import { startEdge } from '../src/emulators/edge/index.js';
import { createS3Service } from '../src/emulators/s3/index.js';
import { SearchEngine } from '../src/emulators/search-engine/index.js';
import { createCsvToCloudSearch } from '../src/handlers/csv-to-cloudsearch.js';
import type { BenchResult } from '../src/lib/bench-result.js';
import type { CatalogueIndex } from '../src/ports/catalogue.js';

const WORDS =
  'lamp brass linen oak steel glass cotton desk garden kettle shade frame bamboo copper wool leather ceramic marble velvet walnut'.split(
    ' ',
  );
const CATEGORIES = ['Home', 'Kitchen', 'Garden', 'Office', 'Apparel', 'Health'];
const BRANDS = ['Lumo', 'Vista', 'Weave', 'Forge', 'Nook'];

/** Deterministic pseudo-random generator so every run indexes the same file. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

async function writeCsv(path: string, targetBytes: number): Promise<{ rows: number; bytes: number }> {
  const out = createWriteStream(path);
  const rand = rng(42);
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
  const words = (n: number) => Array.from({ length: n }, () => pick(WORDS)).join(' ');
  let bytes = 0;
  let rows = 0;
  const write = (line: string) =>
    new Promise<void>((resolve) => {
      bytes += Buffer.byteLength(line);
      if (out.write(line)) resolve();
      else out.once('drain', resolve);
    });
  await write('item_id,title,description,category,brand,tags,price,stock,created_at\r\n');
  while (bytes < targetBytes) {
    rows++;
    const day = String(1 + Math.floor(rand() * 28)).padStart(2, '0');
    await write(
      `it${rows},"${words(3)}","${words(12)}, ""quoted"" note",${pick(CATEGORIES)},${pick(BRANDS)},${pick(WORDS)}|${pick(WORDS)},` +
        `${(rand() * 200).toFixed(2)},${Math.floor(rand() * 500)},2024-03-${day}T12:00:00Z\r\n`,
    );
  }
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  return { rows, bytes };
}

/** The S3 emulator behind the edge, read through the AWS SDK: the handler streams the CSV as it would from S3. */
async function s3ObjectStore(dataDir: string) {
  const service = await createS3Service({ dataDir });
  const edge = await startEdge({ port: 0, services: [service] });
  const client = new S3Client({
    endpoint: edge.url,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
  });
  await service.store.ensureBucket('bench');
  return {
    objects: createS3ObjectStore(client),
    putFile: (key: string, path: string) => service.store.putObject('bench', key, createReadStream(path), 'text/csv'),
    async close() {
      client.destroy();
      await edge.close();
    },
  };
}

function validatingSink(): CatalogueIndex & { docs: number } {
  const schema = loadDomainSchema();
  const sink = {
    docs: 0,
    async uploadDocuments(batch: string) {
      const ops = validateBatch(schema, batch);
      sink.docs += ops.length;
      return {
        adds: ops.filter((o) => o.type === 'add').length,
        deletes: ops.filter((o) => o.type === 'delete').length,
        warnings: [],
      };
    },
    async search(): Promise<never> {
      throw new Error('not used');
    },
  };
  return sink;
}

async function measure(run: () => Promise<void>): Promise<{ ms: number; cpuMs: number; peakGrowthMb: number }> {
  (globalThis as { gc?: () => void }).gc?.();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  await run();
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000, peakGrowthMb: (peak - baseline) / 2 ** 20 };
}

const event = (key: string) =>
  ({
    Records: [{ eventName: 'ObjectCreated:Put', s3: { bucket: { name: 'bench' }, object: { key } } }],
  }) as unknown as S3Event;

export async function run(): Promise<BenchResult[]> {
  const targetMb = Number(process.env.CATALOGUE_BENCH_MB ?? 100);
  const dir = await mkdtemp(join(tmpdir(), 'octember-catalogue-bench-'));
  const results: BenchResult[] = [];
  const closers: (() => Promise<void>)[] = [];
  try {
    const bigPath = join(dir, 'items.csv');
    const big = await writeCsv(bigPath, targetMb * 2 ** 20);
    const sink = validatingSink();
    const s3 = await s3ObjectStore(join(dir, 'data'));
    closers.push(() => s3.close());
    await s3.putFile('items/big.csv', bigPath);
    const handler = createCsvToCloudSearch({ objects: s3.objects, catalogue: sink });
    const m = await measure(async () => {
      const out = await handler(event('items/big.csv'));
      if (out.reports[0]?.badRows)
        throw new Error(`unexpected bad rows: ${JSON.stringify(out.reports[0].errors.slice(0, 3))}`);
    });
    if (sink.docs !== big.rows) throw new Error(`indexed ${sink.docs} of ${big.rows} rows`);
    const mb = (await stat(bigPath)).size / 2 ** 20;
    results.push(
      {
        name: `catalogue: ${mb.toFixed(0)} MB CSV from S3 → validated batches, rows/s`,
        value: Math.round(big.rows / (m.ms / 1000)),
        unit: 'rows/s',
        note: `${big.rows} rows in ${(m.ms / 1000).toFixed(1)} s`,
      },
      {
        name: `catalogue: ${mb.toFixed(0)} MB CSV → validated batches, rows per CPU-second`,
        value: Math.round(big.rows / (m.cpuMs / 1000)),
        unit: 'rows/s',
        note: 'independent of other load on the machine',
      },
      {
        name: `catalogue: ${mb.toFixed(0)} MB CSV, peak RSS growth`,
        value: Math.round(m.peakGrowthMb),
        unit: 'MB',
        target: '≤ 150',
      },
    );

    if (process.env.CATALOGUE_BENCH_SKIP_E2E) return results;
    // End to end through the CloudSearch emulator (SDK over HTTP into the shared engine), on a smaller file.
    const smallPath = join(dir, 'small.csv');
    const small = await writeCsv(smallPath, Math.min(10, targetMb) * 2 ** 20);
    const engine = new SearchEngine();
    const service = createCloudSearchService({ engine });
    const server = createServer((req, res) => void service.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const catalogue = createCloudSearchCatalogue({
      searchEndpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      clientConfig: { region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } },
    });
    try {
      await s3.putFile('items/small.csv', smallPath);
      const e2eHandler = createCsvToCloudSearch({ objects: s3.objects, catalogue });
      const e = await measure(async () => {
        await e2eHandler(event('items/small.csv'));
      });
      const found = await catalogue.search({ q: 'matchall', parser: 'structured', size: 0 });
      if (found.found !== small.rows) throw new Error(`emulator holds ${found.found} of ${small.rows} rows`);
      results.push({
        name: `catalogue: ${Math.min(10, targetMb)} MB CSV → CloudSearch emulator (SDK + engine), rows/s`,
        value: Math.round(small.rows / (e.ms / 1000)),
        unit: 'rows/s',
        note: `${small.rows} rows in ${(e.ms / 1000).toFixed(1)} s`,
      });
    } finally {
      catalogue.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  } finally {
    for (const close of closers) await close();
    await rm(dir, { recursive: true, force: true });
  }
  return results;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  run().then((r) => console.log(JSON.stringify(r, null, 2)));
}
