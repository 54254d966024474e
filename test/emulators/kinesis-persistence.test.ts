// The Kinesis engine's snapshot + journal: what a crash leaves behind (torn or damaged journal lines, a compaction cut
// short) is read back without losing or duplicating an acknowledged record. The kill -9 itself is in
// test/safety/kinesis-durability.test.ts; here the "crash" is an engine abandoned without close().
import { appendFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KinesisEngine } from '../../src/emulators/kinesis/index.js';
import type { Stream } from '../../src/emulators/kinesis/model.js';
import { takeStartupNotes } from '../../src/lib/startup-notes.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'octember-kinesis-persist-'));
  dirs.push(dir);
  return dir;
}
const open = (dataDir: string, compactAtBytes?: number) =>
  KinesisEngine.open({ dataDir, account: '000000000000', compactAtBytes });

/** sequence number → data of every readable record of the stream */
function contents(stream: Stream | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const shard of stream?.shards ?? []) {
    for (const r of shard.records.slice(0, shard.visible)) out.set(String(r.seq), r.data.toString());
  }
  return out;
}

async function putMany(engine: KinesisEngine, stream: Stream, prefix: string, count: number) {
  const acked = new Map<string, string>();
  for (let i = 0; i < count; i++) {
    const data = `${prefix}-${i}`;
    const [r] = await engine.put(stream, [{ partitionKey: data, data: Buffer.from(data) }]);
    acked.set(String(r.seq), data);
  }
  return acked;
}

const journals = async (dataDir: string) =>
  (await readdir(join(dataDir, 'kinesis'))).filter((f) => f.startsWith('journal-')).sort();

describe('Kinesis engine persistence', () => {
  it('a torn last journal line is cut off; the records before it and after the restart are kept', async () => {
    const dataDir = await tempDir();
    const first = await open(dataDir);
    const stream = await first.createStream({ region: 'us-east-1', name: 'torn', shardCount: 2, mode: 'PROVISIONED' });
    const acked = await putMany(first, stream, 'a', 20);
    const [journal] = await journals(dataDir);
    await appendFile(join(dataDir, 'kinesis', journal), '{"t":"put","k":"us-east-1/torn","c":1,"r":[["shardId-0');

    const second = await open(dataDir);
    const restored = second.find('us-east-1', 'torn');
    expect(contents(restored)).toEqual(acked);
    const more = await putMany(second, restored as Stream, 'b', 5);
    const third = await open(dataDir);
    expect(contents(third.find('us-east-1', 'torn'))).toEqual(new Map([...acked, ...more]));
    expect(takeStartupNotes(dataDir)).toEqual([]); // a torn tail is expected after a crash: nothing to report
    await third.close();
  });

  it('a damaged journal line in the middle is skipped, the file copied aside and reported', async () => {
    const dataDir = await tempDir();
    const first = await open(dataDir);
    const stream = await first.createStream({ region: 'us-east-1', name: 'dmg', shardCount: 1, mode: 'PROVISIONED' });
    const before = await putMany(first, stream, 'a', 3);
    const [journal] = await journals(dataDir);
    await appendFile(join(dataDir, 'kinesis', journal), '{not json}\n');
    const after = await putMany(first, stream, 'b', 3);

    const second = await open(dataDir);
    expect(contents(second.find('us-east-1', 'dmg'))).toEqual(new Map([...before, ...after]));
    const notes = takeStartupNotes(dataDir);
    expect(notes.map((n) => n.message)).toEqual([expect.stringMatching(/1 damaged line\(s\) skipped, \d+ replayed/)]);
    expect((await readdir(join(dataDir, 'kinesis'))).some((f) => f.includes('.quarantined-'))).toBe(true);
    await second.close();
  });

  it('compacts on size while puts go on; snapshot + journals replay to the same records, none twice', async () => {
    const dataDir = await tempDir();
    const engine = await open(dataDir, 4096);
    const stream = await engine.createStream({ region: 'us-east-1', name: 'cmp', shardCount: 3, mode: 'PROVISIONED' });
    const writers = await Promise.all(
      Array.from({ length: 4 }, async (_, w) => {
        const acked = new Map<string, string>();
        for (let i = 0; i < 60; i++) {
          const data = `w${w}-${i}`;
          const results = await engine.put(stream, [
            { partitionKey: data, data: Buffer.from(data) },
            { partitionKey: `${data}x`, data: Buffer.from(`${data}x`) },
          ]);
          acked.set(String(results[0].seq), data);
          acked.set(String(results[1].seq), `${data}x`);
          if (i % 20 === 10) void engine.compact(); // a compaction in the middle of the puts
        }
        return acked;
      }),
    );
    const acked = new Map(writers.flatMap((m) => [...m]));
    await engine.compact();
    expect((await readdir(join(dataDir, 'kinesis'))).includes('snapshot.jsonl')).toBe(true);
    // no close(): as after a crash, the snapshot and whatever journal is left are all there is
    const restored = await open(dataDir);
    expect(contents(restored.find('us-east-1', 'cmp'))).toEqual(acked);
    // the restored shards continue above the sequence numbers they gave
    const [next] = await restored.put(restored.find('us-east-1', 'cmp') as Stream, [
      { partitionKey: 'w0-0', data: Buffer.from('next') },
    ]);
    const sameShard = [...acked.keys()].map(BigInt).filter((s) => s / 10n ** 44n === next.seq / 10n ** 44n);
    expect(next.seq > sameShard.reduce((a, b) => (a > b ? a : b))).toBe(true);
    await restored.close();
    // a clean stop leaves a snapshot and an empty journal to start from (plus the previous snapshot and the one
    // journal since it, the fallback should the snapshot be damaged)
    const files = await readdir(join(dataDir, 'kinesis'));
    expect(files.filter((f) => f.startsWith('snapshot')).sort()).toEqual(['snapshot.jsonl', 'snapshot.previous.jsonl']);
    const kept = await journals(dataDir);
    expect(kept).toHaveLength(2);
    expect(await readFile(join(dataDir, 'kinesis', kept[1]), 'utf8')).toBe('');
  });

  it('keeps deletions and re-creations of a name apart across a restart', async () => {
    const dataDir = await tempDir();
    const first = await open(dataDir);
    const old = await first.createStream({ region: 'us-east-1', name: 'again', shardCount: 1, mode: 'PROVISIONED' });
    await putMany(first, old, 'old', 3);
    await first.compact();
    await first.deleteStream(old);
    await new Promise((r) => setTimeout(r, 2)); // a new incarnation has a later creation time
    const fresh = await first.createStream({ region: 'us-east-1', name: 'again', shardCount: 1, mode: 'PROVISIONED' });
    const acked = await putMany(first, fresh, 'new', 2);
    const second = await open(dataDir);
    expect(contents(second.find('us-east-1', 'again'))).toEqual(acked);
    await second.close();
  });

  it('drops records past the retention period', async () => {
    const dataDir = await tempDir();
    const engine = await open(dataDir);
    const stream = await engine.createStream({ region: 'us-east-1', name: 'ret', shardCount: 1, mode: 'PROVISIONED' });
    await putMany(engine, stream, 'a', 3);
    engine.trim(Date.now() + 23 * 3_600_000);
    expect(contents(stream).size).toBe(3);
    engine.trim(Date.now() + 25 * 3_600_000);
    expect(contents(stream).size).toBe(0);
    await engine.close();
  });

  it('an unreadable snapshot is set aside and reported; the previous one and the journals since are replayed', async () => {
    const dataDir = await tempDir();
    const engine = await open(dataDir);
    const stream = await engine.createStream({ region: 'us-east-1', name: 'snap', shardCount: 2, mode: 'PROVISIONED' });
    const a = await putMany(engine, stream, 'a', 5);
    await engine.compact();
    const b = await putMany(engine, stream, 'b', 5);
    await engine.compact(); // the first snapshot is the previous one now
    const c = await putMany(engine, stream, 'c', 5);
    await writeFile(join(dataDir, 'kinesis', 'snapshot.jsonl'), '{"v":1,"journal":3,"streams":[{"na');
    const restored = await open(dataDir);
    expect(contents(restored.find('us-east-1', 'snap'))).toEqual(new Map([...a, ...b, ...c]));
    expect(takeStartupNotes(dataDir).map((n) => n.message)).toEqual([
      expect.stringContaining('the Kinesis snapshot snapshot.jsonl is unreadable'),
    ]);
    expect((await readdir(join(dataDir, 'kinesis'))).some((f) => f.startsWith('snapshot.jsonl.quarantined-'))).toBe(
      true,
    );
    await restored.close();
  });

  it("sets the former kinesis-local child's state files aside, and says so", async () => {
    const dataDir = await tempDir();
    await mkdir(join(dataDir, 'kinesis'), { recursive: true });
    await writeFile(join(dataDir, 'kinesis', 'kinesis-data.json'), '{"streams":{}}');
    await writeFile(join(dataDir, 'kinesis', 'records.journal'), '');
    const engine = await open(dataDir);
    await engine.close();
    expect(takeStartupNotes(dataDir).map((n) => n.message)).toEqual([
      expect.stringContaining('state of the former kinesis-local emulator'),
    ]);
    expect((await readdir(join(dataDir, 'kinesis', 'kinesis-local-state'))).sort()).toEqual([
      'kinesis-data.json',
      'records.journal',
    ]);
  });
});
