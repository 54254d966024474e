/**
 * `npm run deploy [-- cdk deploy options]`: the aws target.
 * 1. the CloudSearch domain (CloudFormation has none): created or updated from the schema, then DescribeDomains
 *    gives its document and search endpoints (scripts/provision-cloudsearch.ts);
 * 2. `cdk deploy` with both endpoints as context, the stack outputs written to cdk-outputs.json (read by
 *    `npm run smoke -- --target aws`).
 * Needs AWS credentials and a bootstrapped environment (`npx cdk bootstrap` once per account and region).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { CloudSearchClient } from '@aws-sdk/client-cloudsearch';
import { loadDomainSchema } from '../src/domain/cloudsearch-schema.js';
import { PROJECT_ROOT } from '../src/infra/bundling.js';
import { provisionDomain } from './provision-cloudsearch.js';

async function main(args: string[]): Promise<void> {
  const client = new CloudSearchClient({});
  let endpoints: { documentEndpoint?: string; searchEndpoint?: string };
  try {
    endpoints = await provisionDomain(client, loadDomainSchema(), { wait: true, log: (line) => console.error(line) });
  } finally {
    client.destroy();
  }
  if (!endpoints.documentEndpoint || !endpoints.searchEndpoint) {
    throw new Error('the CloudSearch domain has no endpoints yet; run npm run deploy again once it is active');
  }
  const result = spawnSync(
    join(PROJECT_ROOT, 'node_modules', '.bin', 'cdk'),
    [
      'deploy',
      'Octember',
      '--outputs-file',
      'cdk-outputs.json',
      '-c',
      `cloudSearchDocumentEndpoint=${endpoints.documentEndpoint}`,
      '-c',
      `cloudSearchSearchEndpoint=${endpoints.searchEndpoint}`,
      ...args,
    ],
    { cwd: PROJECT_ROOT, stdio: 'inherit', env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true' } },
  );
  process.exitCode = result.status ?? 1;
}

main(process.argv.slice(2)).catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
