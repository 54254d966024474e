import { pipelineSuite } from './pipelines.js';

// The in-process emulators with the handler modules (the `octember dev` default).
pipelineSuite('embedded');
