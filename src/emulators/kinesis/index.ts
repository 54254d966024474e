export { KinesisProcess, type KinesisProcessOptions, kinesisLocalMain } from './kinesis-process.js';
export { type KinesisService, type KinesisServiceOptions, startKinesis } from './kinesis-service.js';
