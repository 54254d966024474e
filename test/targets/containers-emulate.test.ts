import { startContainersStack } from '../../src/targets/containers-stack.js';
import { pipelineSuite } from './pipeline-suite.js';

// The containers target against `octember emulate --gremlin-dialect tinkerpop` (Gremlin Server's behaviour) with a
// real redis-server: what CI can run without a Docker engine.
pipelineSuite('containers (over octember emulate)', () => startContainersStack({ over: 'emulate' }));
