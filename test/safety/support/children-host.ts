// Starts redis-server and kinesis-local as the dev stack does, prints their pids, then waits to be killed.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startKinesis } from '../../../src/emulators/kinesis/index.js';
import { startRedis } from '../../../src/emulators/redis/index.js';

const dataDir = process.argv[2];
const [kinesis, redis] = await Promise.all([startKinesis({ dataDir }), startRedis({ dataDir, port: 0 })]);
const redisPid = redis ? Number.parseInt(await readFile(join(dataDir, 'redis', 'redis-server.pid'), 'utf8'), 10) : 0;
console.log(`PIDS kinesis=${kinesis.pid} redis=${redisPid}`);
setInterval(() => {}, 60_000);
