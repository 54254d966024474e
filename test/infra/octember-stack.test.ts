import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/infra/app.js';
import { FUNCTIONS } from '../../src/infra/functions.js';

describe('CDK app (aws target)', () => {
  // Bundling is skipped: the template's shape is what is checked here, not esbuild.
  const { stack } = buildApp(new App({ context: { 'aws:cdk:bundling-stacks': [] } }));
  const template = Template.fromStack(stack);

  it('declares one Lambda per handler, on Node 20', () => {
    const functions = template.findResources('AWS::Lambda::Function', {
      Properties: { Runtime: 'nodejs20.x' },
    });
    const names = Object.values(functions).map((f) => f.Properties.FunctionName);
    for (const spec of Object.values(FUNCTIONS)) expect(names).toContain(`octember-${spec.name}`);
  });

  it('wires the streams with partial batch responses, bisect and an on-failure queue', () => {
    template.resourceCountIs('AWS::Kinesis::Stream', 3);
    template.allResourcesProperties('AWS::Lambda::EventSourceMapping', {
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
    });
  });

  it('has the data services and two delivery streams, one with the KPL transform', () => {
    template.resourceCountIs('AWS::OpenSearchService::Domain', 1);
    template.resourceCountIs('AWS::Neptune::DBCluster', 1);
    template.resourceCountIs('AWS::ElastiCache::CacheCluster', 1);
    template.resourceCountIs('AWS::KinesisFirehose::DeliveryStream', 2);
    template.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
      ExtendedS3DestinationConfiguration: Match.objectLike({
        ProcessingConfiguration: Match.objectLike({ Enabled: true }),
      }),
    });
  });

  it('requires an API key on every API method', () => {
    const methods = template.findResources('AWS::ApiGateway::Method');
    const real = Object.values(methods).filter((m) => m.Properties.HttpMethod !== 'OPTIONS');
    expect(real.length).toBe(7);
    for (const m of real) expect(m.Properties.ApiKeyRequired).toBe(true);
  });
});
