import { S3Client } from '@aws-sdk/client-s3';
import { it } from 'vitest';
import { TOPOLOGY } from '../../src/topology/index.js';
import { pipelineSuite, type SuiteStack } from './pipelines.js';

// The smoke subset of the suite against a deployed aws target: `npm run smoke -- --target aws` sets these variables
// from the stack's outputs (with AWS credentials; it says so in one line without them).
const url = process.env.OCTEMBER_SMOKE_API_URL;
const apiKey = process.env.OCTEMBER_SMOKE_API_KEY ?? '';
const bucket = process.env.OCTEMBER_SMOKE_BUCKET;

/** The deployed stack through its API and its bucket; it delivers in its own time (no idle, no flush). */
function deployedStack(api: string): SuiteStack {
  const s3 = new S3Client({});
  return {
    endpoints: { api, aws: '', opensearch: '', gremlin: '', dashboard: '' },
    request: (path, init = {}) =>
      fetch(`${api}${path}`, {
        ...init,
        headers: { 'x-api-key': apiKey, ...(init.headers as Record<string, string>) },
      }),
    clients: { s3 } as SuiteStack['clients'],
    resources: { ...TOPOLOGY.resources, bucket: { ...TOPOLOGY.resources.bucket, name: bucket ?? '' } },
    idle: async () => {},
    flushDeliveryStreams: async () => {},
    stop: async () => s3.destroy(),
  };
}

if (!url || !bucket) {
  it.skip('aws smoke (skipped: no deployed stack given; run npm run smoke -- --target aws with AWS credentials)', () => {});
} else {
  pipelineSuite('aws (smoke)', async () => deployedStack(url), { smoke: true, eventuallyMs: 300_000 });
}
