import { startStack } from '../../src/testing/index.js';
import { pipelineSuite } from './pipelines.js';

// The in-process emulators with the handler modules (the `octember dev` default).
pipelineSuite('embedded', () => startStack({ target: 'embedded' }));
