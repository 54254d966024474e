import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App } from 'aws-cdk-lib';
import { OctemberStack } from './octember-stack.js';

/** `npx cdk deploy --app "npx tsx src/infra/app.ts"` deploys the aws target. */
export function buildApp(app = new App()): { app: App; stack: OctemberStack } {
  const handlersDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'handlers');
  const stack = new OctemberStack(app, 'Octember', {
    handlersDir,
    cloudSearchEndpoint: app.node.tryGetContext('cloudSearchEndpoint') ?? process.env.CLOUDSEARCH_ENDPOINT,
    personalizeCampaignArn: app.node.tryGetContext('personalizeCampaignArn') ?? process.env.PERSONALIZE_CAMPAIGN_ARN,
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  });
  return { app, stack };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  buildApp().app.synth();
}
