import { existsSync } from 'node:fs';
import { appendFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { afterAll, describe, expect, it } from 'vitest';
import { createFirehoseService } from '../../src/emulators/firehose/index.js';
import { startKinesisSource } from '../../src/emulators/firehose/kinesis-source.js';
import { RecordLog } from '../../src/emulators/firehose/record-log.js';
import { GraphPersistence } from '../../src/emulators/gremlin/server/persistence.js';
import { KinesisEngine } from '../../src/emulators/kinesis/index.js';
import { SearchEngine } from '../../src/emulators/search-engine/index.js';
import { AppendLog } from '../../src/lib/durable-file.js';
import { logger } from '../../src/lib/logger.js';
import { takeStartupNotes } from '../../src/lib/startup-notes.js';
import { openAsyncJournal } from '../../src/runtime/async-journal.js';
import { openCheckpointStore } from '../../src/runtime/checkpoint-store.js';
import { createInvoker } from '../../src/runtime/invoker.js';

/** Every "unreadable at start-up" path: the file is kept aside, a start-up note says what happened, nothing is lost silently. */
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'octember-recovery-'));
  dirs.push(dir);
  return dir;
}
const quarantined = async (dir: string) => (await readdir(dir)).filter((f) => f.includes('.quarantined-'));

describe('unreadable files at start-up are quarantined and reported', () => {
  it('a Kinesis event source checkpoint', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'cards--fn.json'), '{"shards": {"shardId-0');
    const store = await openCheckpointStore(dir, 'cards--fn');
    expect(store.get('shardId-000000000000')).toBeUndefined();
    expect(await quarantined(dir)).toHaveLength(1);
    expect(takeStartupNotes(dir).map((n) => n.message)).toEqual([
      expect.stringContaining('checkpoint of cards--fn is unreadable'),
    ]);
    await store.set('shardId-000000000000', { sequenceNumber: '1' });
    expect(JSON.parse(await readFile(join(dir, 'cards--fn.json'), 'utf8')).shards['shardId-000000000000']).toEqual({
      sequenceNumber: '1',
    });
  });

  it('a Firehose write-ahead segment: only a torn tail is dropped; damage inside is kept aside and reported', async () => {
    const dir = await tempDir();
    const line = (id: string) => `${JSON.stringify({ i: id, t: 1, d: Buffer.from(id).toString('base64') })}\n`;
    await writeFile(join(dir, 'seg-00000001.log'), `${line('a')}{not json}\n${line('b')}{"i":"c","t":1,"d":"Y`);
    await writeFile(join(dir, 'seg-00000002.log'), `${line('d')}{"i":"e"`);
    const { log, recovered } = await RecordLog.open(dir);
    await log.close();
    expect(recovered.map((s) => s.records.map((r) => r.id))).toEqual([['a', 'b'], ['d']]);
    const notes = takeStartupNotes(dir);
    expect(notes).toHaveLength(1);
    expect(notes[0].message).toMatch(/1 damaged record line\(s\) cannot be delivered \(2 readable ones will be\)/);
    expect(await quarantined(dir)).toEqual([expect.stringMatching(/^seg-00000001\.log\.quarantined-/)]);
  });

  it('a Firehose Kinesis-source checkpoint', async () => {
    const dir = await tempDir();
    const file = join(dir, 'kinesis-checkpoints.json');
    await writeFile(file, '{"shardId-000');
    const kinesis = { send: async () => ({ Shards: [] }) } as unknown as KinesisClient;
    const source = startKinesisSource({
      kinesis,
      streamName: 'events',
      startAt: 0,
      checkpointFile: file,
      pollIntervalMs: 10,
      accept: async () => undefined,
      logger,
    });
    await source.idle();
    await source.stop();
    expect(await quarantined(dir)).toHaveLength(1);
    expect(takeStartupNotes(dir)[0].message).toContain('reads the stream again from its first record');
  });

  it('a Firehose delivery stream definition', async () => {
    const dataDir = await tempDir();
    const streamDir = join(dataDir, 'firehose', 'streams', 'broken');
    await mkdir(join(streamDir, 'wal'), { recursive: true });
    await writeFile(join(streamDir, 'definition.json'), '{"name":"bro');
    const firehose = await createFirehoseService({ dataDir });
    await firehose.close();
    expect(await quarantined(streamDir)).toHaveLength(1);
    expect(takeStartupNotes(dataDir)[0].message).toMatch(
      /delivery stream broken is not loaded.*undelivered records stay/,
    );
  });

  it('the Kinesis snapshot: set aside and reported; the previous snapshot and the journals since are replayed', async () => {
    const dataDir = await tempDir();
    const first = await KinesisEngine.open({ dataDir, account: '000000000000' });
    const stream = await first.createStream({ region: 'us-east-1', name: 'kept', shardCount: 1, mode: 'PROVISIONED' });
    await first.close(); // the stream is in the snapshot now
    const again = await KinesisEngine.open({ dataDir, account: '000000000000' });
    await again.put(again.find('us-east-1', 'kept') ?? stream, [{ partitionKey: 'p', data: Buffer.from('journaled') }]);
    await writeFile(join(dataDir, 'kinesis', 'snapshot.jsonl'), '{"v":1,"journal":1,"streams":[{"name":"ke');
    const restored = await KinesisEngine.open({ dataDir, account: '000000000000' });
    const shard = restored.find('us-east-1', 'kept')?.shards[0];
    expect(shard?.records.map((r) => r.data.toString())).toEqual(['journaled']);
    expect(takeStartupNotes(dataDir).map((n) => n.message)).toEqual([
      expect.stringContaining(
        'the Kinesis snapshot snapshot.jsonl is unreadable; restored from the previous snapshot and the journals',
      ),
    ]);
    expect(await quarantined(join(dataDir, 'kinesis'))).toHaveLength(1);
    await restored.close();
  });

  it('the graph snapshot', async () => {
    const dataDir = await tempDir();
    await mkdir(join(dataDir, 'gremlin'));
    await writeFile(join(dataDir, 'gremlin', 'graph.json'), '{"vertices":[');
    expect(GraphPersistence.read(dataDir)).toBeUndefined();
    expect(existsSync(join(dataDir, 'gremlin', 'graph.json'))).toBe(false);
    expect(takeStartupNotes(dataDir)[0].message).toContain('the graph snapshot is unreadable');
  });

  it('the search write log: a torn tail is cut off, so later writes survive the next start', async () => {
    const dataDir = await tempDir();
    const first = new SearchEngine({ dataDir });
    first.createIndex('cards', {});
    for (let i = 0; i < 3; i++) first.index('cards', `a${i}`, { n: i });
    await appendFile(join(dataDir, 'opensearch', 'writes.log'), '{"op":"doc","index":"cards","do'); // a crash mid-write
    const second = new SearchEngine({ dataDir });
    for (let i = 0; i < 3; i++) second.index('cards', `b${i}`, { n: i });
    const third = new SearchEngine({ dataDir });
    expect(third.count('cards')).toBe(6);
    await writeFile(join(dataDir, 'opensearch', 'writes.log'), '{"op":"drop","index":"x"}\n{broken\n');
    new SearchEngine({ dataDir });
    expect(takeStartupNotes(dataDir).map((n) => n.message)).toEqual([
      expect.stringContaining('1 damaged line(s) skipped'),
    ]);
  });

  it('a journal (append-only log) with a damaged line keeps the rest', async () => {
    const dir = await tempDir();
    const file = join(dir, 'x.log');
    await writeFile(file, '{"n":1}\n{"n":\n{"n":3}\n{"n":4');
    const { log, entries } = await AppendLog.open<{ n: number }>(file, 'test');
    await log.append([{ n: 5 }]);
    await log.close();
    expect(entries).toEqual([{ n: 1 }, { n: 3 }]);
    expect(await readFile(file, 'utf8')).toBe('{"n":1}\n{"n":3}\n{"n":5}\n');
    expect(takeStartupNotes(dir)[0].message).toContain('1 damaged line(s) skipped, 2 entries kept');
  });
});

describe('the asynchronous invocation journal', () => {
  it('re-drives events accepted by a run that died before finishing them, once', async () => {
    const dir = await tempDir();
    const first = createInvoker({ retryDelayScale: 0 });
    first.register('slow', () => new Promise(() => undefined)); // never finishes: the run "crashes" meanwhile
    first.register('quick', async () => 'ok');
    const journal = await openAsyncJournal(dir);
    journal.invokeAsync(first, 'slow', { n: 1 });
    journal.invokeAsync(first, 'slow', { n: 2 });
    await journal.invokeAsync(first, 'quick', { n: 3 }).completion;
    await new Promise((r) => setTimeout(r, 20));
    // no close(): the process is gone

    const seen: unknown[] = [];
    const second = createInvoker({ retryDelayScale: 0 });
    second.register('slow', async (event) => {
      seen.push(event);
    });
    second.register('quick', async (event) => {
      seen.push(event);
    });
    const reopened = await openAsyncJournal(dir);
    expect(reopened.pending).toBe(2);
    await Promise.all(reopened.recover(second).map((i) => i.completion));
    expect(seen).toEqual([{ n: 1 }, { n: 2 }]);
    expect(takeStartupNotes(dir)[0].message).toMatch(/2 asynchronous invocation\(s\).*re-driven \(2 × slow\)/);
    await new Promise((r) => setTimeout(r, 20));
    await reopened.close();
    const third = await openAsyncJournal(dir);
    expect(third.pending).toBe(0);
    await third.close();
  });
});
