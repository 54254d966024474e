// A process that runs the Kinesis engine behind an edge and prints the edge URL: the kill -9 tests kill it.
import { startEdge } from '../../../src/emulators/edge/index.js';
import { startKinesis } from '../../../src/emulators/kinesis/index.js';

const dataDir = process.argv[2];
const kinesis = await startKinesis({ dataDir });
const edge = await startEdge({ port: 0, services: [kinesis] });
console.log(`EDGE ${edge.url}`);
setInterval(() => {}, 60_000);
