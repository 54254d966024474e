import { fileURLToPath } from 'node:url';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { applyNagSuppressions } from './nag.js';
import { OctemberStack, type OctemberStackProps } from './octember-stack.js';

/**
 * `npm run synth` / `npm run deploy` (cdk.json: `npx tsx src/infra/app.ts`). Context (or environment):
 * `cloudSearchDocumentEndpoint` / `cloudSearchSearchEndpoint` (printed by scripts/provision-cloudsearch.ts),
 * `personalizeCampaignArn`, `bucketName`. cdk-nag's AwsSolutions pack runs on every synth.
 */
export function buildApp(
  app = new App(),
  overrides: Partial<OctemberStackProps> = {},
): { app: App; stack: OctemberStack } {
  const setting = (key: string, variable: string): string | undefined =>
    app.node.tryGetContext(key) ?? process.env[variable] ?? undefined;
  const stack = new OctemberStack(app, 'Octember', {
    description: 'Octember pipelines: business cards (PYMK) and item catalogue with interaction events',
    cloudSearch: {
      documentEndpoint: setting('cloudSearchDocumentEndpoint', 'CLOUDSEARCH_DOCUMENT_ENDPOINT'),
      searchEndpoint: setting('cloudSearchSearchEndpoint', 'CLOUDSEARCH_SEARCH_ENDPOINT'),
    },
    personalizeCampaignArn: setting('personalizeCampaignArn', 'PERSONALIZE_CAMPAIGN_ARN'),
    bucketName: setting('bucketName', 'OCTEMBER_BUCKET_NAME'),
    // Environment-agnostic: the same template offline and for any account; `cdk deploy` targets the CLI's region.
    ...overrides,
  });
  applyNagSuppressions(stack);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { app, stack };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  buildApp().app.synth();
}
