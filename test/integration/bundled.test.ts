import { startStack } from '../../src/testing/index.js';
import { pipelineSuite } from './pipelines.js';

// The deployable bundles, each function in a process of its own beside only the AWS SDK (`octember dev --bundled`).
pipelineSuite('bundled', () => startStack({ target: 'bundled' }));
