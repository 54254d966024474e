import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { OctemberStack } from '../../src/infra/octember-stack.js';

describe('cdk-nag AwsSolutions', () => {
  // `npm run synth` (test/artifacts/cdk-assets.test.ts) passes only with every finding acknowledged; this shows the
  // pack really runs: the same stack without the acknowledgements fails to synthesize, naming the rules.
  it('fails the synth on findings that carry no acknowledgement', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'octember-nag-'));
    try {
      const app = new App({ outdir, context: { 'aws:cdk:bundling-stacks': [] } });
      new OctemberStack(app, 'Octember');
      Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
      expect(() => app.synth()).toThrow(/AwsSolutions-SQS3/);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  }, 180_000);
});
