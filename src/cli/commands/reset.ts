import { readdir, rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { findRunningDev } from '../../cockpit/dev-client.js';

// What `octember dev` keeps in its data dir; a directory with none of these is not one and is left alone.
const DATA_DIR_ENTRIES = [
  's3',
  'kinesis',
  'checkpoints',
  'failures',
  'logs',
  'firehose',
  'opensearch',
  'gremlin',
  'redis',
  'dev.json',
  'cloudsearch-domains.json',
];

/** `octember reset`: empties the running stack (resources kept), or deletes the data dir when nothing runs. */
export async function runReset(opts: { dataDir: string }): Promise<number> {
  const dataDir = resolve(opts.dataDir);
  const dev = await findRunningDev(dataDir);
  if (dev) {
    await dev.post('/reset', {});
    console.log(
      `reset the running octember dev (pid ${dev.pid}): objects, documents, graph, cache and failures are gone`,
    );
    return 0;
  }
  const entries = await readdir(dataDir).catch(() => undefined);
  if (!entries) {
    console.log(`nothing to reset: ${dataDir} does not exist`);
    return 0;
  }
  if (entries.length > 0 && !entries.some((e) => DATA_DIR_ENTRIES.includes(e))) {
    console.error(`octember reset: ${dataDir} does not look like an octember data dir; left alone`);
    return 2;
  }
  await rm(dataDir, { recursive: true, force: true });
  console.log(`removed ${dataDir} (octember dev starts from scratch next time)`);
  return 0;
}
