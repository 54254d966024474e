export { KinesisProcess, type KinesisProcessOptions, kinesisLocalMain } from './kinesis-process.js';
export { type KinesisService, startKinesis } from './kinesis-service.js';
