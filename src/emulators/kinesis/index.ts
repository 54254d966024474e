export { KinesisEngine, type KinesisEngineOptions } from './engine.js';
export { type KinesisService, type KinesisServiceOptions, startKinesis } from './kinesis-service.js';
