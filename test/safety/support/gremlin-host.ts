// A process serving the Gremlin emulator with persistence and printing its URL: the kill -9 test kills it.
import { startGremlinServer } from '../../../src/emulators/gremlin/index.js';

const server = await startGremlinServer({ port: 0, dataDir: process.argv[2] });
console.log(`GREMLIN ${server.url}`);
setInterval(() => {}, 60_000);
