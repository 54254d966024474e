import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';
import { DocumentBatchError, MAX_BATCH_BYTES } from '../../domain/cloudsearch-documents.js';
import { CloudSearchQueryError } from '../../domain/cloudsearch-query.js';
import {
  buildDomainSchema,
  type DomainSchema,
  engineMappings,
  loadDomainSchema,
} from '../../domain/cloudsearch-schema.js';
import { sendJson } from '../../lib/http.js';
import { logger } from '../../lib/logger.js';
import type { EdgeService } from '../edge/service.js';
import { handleConfigRequest } from './config-api.js';
import { applyBatch } from './documents.js';
import { type CloudSearchEngine, domainIndexName } from './engine.js';
import { runSearch } from './search.js';

export interface CloudSearchServiceOptions {
  engine: CloudSearchEngine;
  /** Domain schema file (defaults to src/infra/cloudsearch-schema.json). */
  schemaFile?: string;
  /** Where domains created through the configuration API are remembered (documents persist in the engine). */
  dataDir?: string;
}

/** The domains the emulator serves, keyed by name; the first is the default for requests that name none. */
export class DomainRegistry {
  readonly domains = new Map<string, { schema: DomainSchema; id: string; created: Date }>();
  constructor(
    private readonly engine: CloudSearchEngine,
    /** JSON file listing the domains' schemas, rewritten on every change. */
    private readonly stateFile?: string,
  ) {}

  /** The schema-file domain first (the default; the file always wins), then domains created in earlier runs. */
  async start(fileSchema: DomainSchema): Promise<void> {
    const saved =
      this.stateFile && existsSync(this.stateFile)
        ? ((JSON.parse(readFileSync(this.stateFile, 'utf8')) as { domains?: unknown[] }).domains ?? [])
        : [];
    await this.add(fileSchema, false);
    for (const raw of saved) {
      const schema = buildDomainSchema(raw);
      if (!this.domains.has(schema.domainName)) await this.add(schema, false);
    }
    this.save();
  }

  private save(): void {
    if (!this.stateFile) return;
    mkdirSync(dirname(this.stateFile), { recursive: true });
    const domains = [...this.domains.values()].map((d) => ({
      DomainName: d.schema.domainName,
      IndexFields: d.schema.definitions,
    }));
    writeFileSync(this.stateFile, JSON.stringify({ domains }, null, 2));
  }

  async add(schema: DomainSchema, persist = true): Promise<void> {
    const index = domainIndexName(schema.domainName);
    if (!(await this.engine.hasIndex(index)))
      await this.engine.createIndex(index, { mappings: engineMappings(schema) });
    else await this.engine.putMapping?.(index, engineMappings(schema));
    const existing = this.domains.get(schema.domainName);
    this.domains.set(schema.domainName, {
      schema,
      id: existing?.id ?? randomBytes(13).toString('hex').slice(0, 26),
      created: existing?.created ?? new Date(),
    });
    if (persist) this.save();
  }

  async remove(name: string): Promise<boolean> {
    if (!this.domains.delete(name)) return false;
    if (await this.engine.hasIndex(domainIndexName(name))) await this.engine.deleteIndex(domainIndexName(name));
    this.save();
    return true;
  }

  /** AWS endpoints look like `search-<domain>-<id>.<region>.cloudsearch.amazonaws.com`; otherwise the default domain. */
  forHost(host: string | undefined): DomainSchema | undefined {
    const m = /^(?:doc|search)-([a-z][a-z0-9-]*?)-[a-z0-9]+\./.exec(host ?? '');
    if (m && this.domains.has(m[1])) return this.domains.get(m[1])?.schema;
    return this.domains.values().next().value?.schema;
  }
}

const MAX_DRAIN_BYTES = 64 * 1024 * 1024;

/** Reads up to `limit` bytes; a larger body is drained (so the client sees our answer, not a reset) and rejected. */
async function readLimited(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size <= limit) chunks.push(chunk as Buffer);
    else if (size > MAX_DRAIN_BYTES) {
      req.destroy();
      return undefined;
    }
  }
  return size <= limit ? Buffer.concat(chunks) : undefined;
}

function sendDocumentError(res: ServerResponse, status: number, messages: string[]): void {
  sendJson(
    res,
    status,
    {
      __type: 'DocumentServiceException',
      status: 'error',
      message: messages[0],
      adds: 0,
      deletes: 0,
      errors: messages.map((message) => ({ message })),
    },
    { 'x-amzn-errortype': 'DocumentServiceException' },
  );
}

function sendSearchError(res: ServerResponse, status: number, message: string): void {
  sendJson(
    res,
    status,
    { __type: 'SearchException', message, error: { rid: randomBytes(9).toString('base64'), message } },
    { 'x-amzn-errortype': 'SearchException' },
  );
}

export function createCloudSearchService(opts: CloudSearchServiceOptions): EdgeService {
  const registry = new DomainRegistry(
    opts.engine,
    opts.dataDir ? join(opts.dataDir, 'cloudsearch-domains.json') : undefined,
  );
  const ready = registry.start(loadDomainSchema(opts.schemaFile));
  ready.catch((err) => logger.error({ err }, 'cloudsearch domain setup failed'));

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    await ready;
    const url = new URL(req.url ?? '/', 'http://localhost');
    let path = url.pathname.replace(/\/+$/, '');
    // Local endpoints name their domain in the path: /cloudsearch/<domain>/2013-01-01/... (see DescribeDomains).
    const scoped = /^\/cloudsearch\/([a-z][a-z0-9-]*)(\/.*)?$/.exec(path);
    let scopedDomain: DomainSchema | undefined;
    if (scoped) {
      scopedDomain = registry.domains.get(scoped[1])?.schema;
      path = scoped[2] ?? '';
      if (!scopedDomain) return sendJson(res, 404, { message: `No CloudSearch domain named ${scoped[1]}` });
    }
    const domainFor = () => scopedDomain ?? registry.forHost(req.headers.host);
    try {
      if (path === '/2013-01-01/documents/batch') {
        if (req.method !== 'POST') return sendDocumentError(res, 405, ['documents/batch only accepts POST']);
        const schema = domainFor();
        if (!schema) return sendDocumentError(res, 404, ['No CloudSearch domain is configured']);
        const contentType = String(req.headers['content-type'] ?? 'application/json');
        const body = await readLimited(req, MAX_BATCH_BYTES);
        if (body === undefined) {
          return sendDocumentError(res, 413, [
            `Request size exceeded the maximum batch size of ${MAX_BATCH_BYTES} bytes`,
          ]);
        }
        if (!contentType.includes('json') && !contentType.includes('xml')) {
          return sendDocumentError(res, 400, [
            `Invalid Content-Type '${contentType}': use application/json or application/xml`,
          ]);
        }
        return sendJson(res, 200, await applyBatch(opts.engine, schema, body, contentType));
      }
      if (path === '/2013-01-01/search') {
        if (req.method !== 'GET' && req.method !== 'POST')
          return sendSearchError(res, 405, 'search accepts GET and POST');
        const schema = domainFor();
        if (!schema) return sendSearchError(res, 404, 'No CloudSearch domain is configured');
        // POST search sends the parameters form-encoded in the body.
        const params =
          req.method === 'POST'
            ? new URLSearchParams((await readLimited(req, MAX_BATCH_BYTES))?.toString('utf8') ?? '')
            : url.searchParams;
        if (req.method === 'POST') for (const [k, v] of url.searchParams) if (!params.has(k)) params.set(k, v);
        return sendJson(res, 200, await runSearch(opts.engine, schema, params));
      }
      if (path === '/2013-01-01/suggest') {
        return sendSearchError(res, 400, 'No suggesters are configured for this domain');
      }
      if (req.method === 'POST' && (path === '' || path === '/')) {
        return await handleConfigRequest(req, res, registry);
      }
      sendJson(res, 404, { message: `Unknown CloudSearch resource ${url.pathname}` });
    } catch (err) {
      if (err instanceof DocumentBatchError) return sendDocumentError(res, 400, err.errors);
      if (err instanceof CloudSearchQueryError) return sendSearchError(res, 400, err.message);
      logger.error({ err, path }, 'cloudsearch request failed');
      if (path.includes('documents')) return sendDocumentError(res, 500, [`Internal error: ${(err as Error).message}`]);
      return sendSearchError(res, 500, `Internal error: ${(err as Error).message}`);
    }
  }

  return {
    name: 'cloudsearch',
    signingNames: ['cloudsearch'],
    pathPrefixes: ['/2013-01-01/', '/cloudsearch/'],
    handle,
  };
}
