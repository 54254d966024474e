/**
 * `npm run smoke -- --target aws`: the integration suite's smoke subset (test/integration/aws.test.ts) against a deployed
 * stack. The API URL and key come from cdk-outputs.json (written by `npm run deploy`) and API Gateway, or from
 * OCTEMBER_SMOKE_API_URL / OCTEMBER_SMOKE_API_KEY / OCTEMBER_SMOKE_BUCKET. Without AWS credentials it says so in one
 * line and exits 0.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { APIGatewayClient, GetApiKeyCommand } from '@aws-sdk/client-api-gateway';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { Command, Option } from 'commander';
import { PROJECT_ROOT } from '../src/infra/bundling.js';

async function hasCredentials(): Promise<boolean> {
  try {
    await defaultProvider({ timeout: 1000, maxRetries: 0 })();
    return true;
  } catch {
    return false;
  }
}

async function main(argv: string[]): Promise<void> {
  const program = new Command('smoke')
    .addOption(new Option('--target <target>', 'where to run the smoke subset').choices(['aws']).makeOptionMandatory())
    .parse(argv);
  program.opts<{ target: 'aws' }>();
  const env = { ...process.env };
  if (!env.OCTEMBER_SMOKE_API_URL || !env.OCTEMBER_SMOKE_API_KEY) {
    if (!(await hasCredentials())) {
      console.log(
        'smoke --target aws skipped: no AWS credentials found (configure a profile or AWS_ACCESS_KEY_ID, then npm run deploy)',
      );
      return;
    }
    const outputsFile = join(PROJECT_ROOT, 'cdk-outputs.json');
    if (!existsSync(outputsFile)) throw new Error('no cdk-outputs.json: deploy first (npm run deploy)');
    const outputs = JSON.parse(readFileSync(outputsFile, 'utf8')).Octember as Record<string, string>;
    const client = new APIGatewayClient({});
    try {
      const key = await client.send(new GetApiKeyCommand({ apiKey: outputs.ApiKeyId, includeValue: true }));
      env.OCTEMBER_SMOKE_API_URL = outputs.ApiUrl.replace(/\/$/, '');
      env.OCTEMBER_SMOKE_API_KEY = key.value;
      env.OCTEMBER_SMOKE_BUCKET = outputs.BucketName;
    } finally {
      client.destroy();
    }
  }
  const result = spawnSync(
    join(PROJECT_ROOT, 'node_modules', '.bin', 'vitest'),
    ['run', 'test/integration/aws.test.ts'],
    {
      cwd: PROJECT_ROOT,
      stdio: 'inherit',
      env,
    },
  );
  process.exitCode = result.status ?? 1;
}

main(process.argv).catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
