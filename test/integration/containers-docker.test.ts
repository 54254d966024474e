import { execFileSync } from 'node:child_process';
import { it } from 'vitest';
import { type ContainersBackend, startStack } from '../../src/testing/index.js';
import { pipelineSuite } from './pipelines.js';

// The containers target against real containers: LocalStack, the kit's emulators image, Gremlin Server, Redis and
// OpenSearch, started with testcontainers (default) or docker compose (OCTEMBER_CONTAINERS=compose). It pulls and
// builds images, so it runs from `npm run test:containers` on a machine whose Docker engine answers.

function dockerAnswers(): boolean {
  try {
    execFileSync('docker', ['info'], { stdio: 'ignore', timeout: 5000 });
    return true;
  } catch {
    return false;
  }
}

const asked = process.env.npm_lifecycle_event === 'test:containers';
const over = (process.env.OCTEMBER_CONTAINERS || 'testcontainers') as ContainersBackend;
const skip = !asked
  ? 'run `npm run test:containers` to start the containers'
  : !dockerAnswers()
    ? 'no Docker engine answers on this machine'
    : undefined;

if (skip) it.skip(`containers target over Docker (skipped: ${skip})`, () => {});
else pipelineSuite(`containers over ${over}`, () => startStack({ target: 'containers', over }));
