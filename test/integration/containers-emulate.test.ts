import { execFileSync } from 'node:child_process';
import { it } from 'vitest';
import { startStack } from '../../src/testing/index.js';
import { pipelineSuite } from './pipelines.js';

// The containers target against `octember emulate --gremlin-dialect tinkerpop` (Gremlin Server's behaviour) with a
// real redis-server: what CI runs without a Docker engine (.ci/run installs redis-server).

function redisServerInstalled(): boolean {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore', timeout: 5000 });
    return true;
  } catch {
    return false;
  }
}

if (!redisServerInstalled()) {
  it.skip('containers target over octember emulate (skipped: redis-server is not installed)', () => {});
} else {
  pipelineSuite('containers over octember emulate', () => startStack({ target: 'containers', over: 'emulate' }));
}
