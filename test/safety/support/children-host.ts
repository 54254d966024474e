// Starts redis-server as the dev stack does, prints its pid, then waits to be killed.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startRedis } from '../../../src/emulators/redis/index.js';

const dataDir = process.argv[2];
const redis = await startRedis({ dataDir, port: 0 });
const redisPid = redis ? Number.parseInt(await readFile(join(dataDir, 'redis', 'redis-server.pid'), 'utf8'), 10) : 0;
console.log(`PIDS redis=${redisPid}`);
setInterval(() => {}, 60_000);
