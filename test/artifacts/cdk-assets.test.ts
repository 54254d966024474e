import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { FirehoseTransformationResult } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOPOLOGY } from '../../src/topology/index.js';
import { aggregateWithLibrary } from '../support/kinesis-agg.js';
import { functionProcess, sdkOnlySandbox } from './sdk-only.js';

/**
 * The artifacts `cdk deploy` would upload: `npm run synth` (cdk synth offline, real esbuild bundling, cdk-nag),
 * then every function asset of cdk.out loaded in a process of its own with nothing but the AWS SDK beside it.
 */
let outdir: string;
let sandbox: ReturnType<typeof sdkOnlySandbox>;
const assets = new Map<string, string>();

beforeAll(async () => {
  outdir = mkdtempSync(join(tmpdir(), 'octember-cdk-out-'));
  // `npm run synth` itself (cdk synth, offline), into a directory of the test's own.
  await promisify(execFile)(
    process.execPath,
    [join('node_modules', 'tsx', 'dist', 'cli.mjs'), 'scripts/synth.ts', '--output', outdir],
    {
      env: { ...process.env, CDK_DEFAULT_ACCOUNT: '', CDK_DEFAULT_REGION: '' },
    },
  );
  // biome-ignore lint/suspicious/noExplicitAny: CloudFormation JSON
  const template = JSON.parse(readFileSync(join(outdir, 'Octember.template.json'), 'utf8')) as any;
  for (const resource of Object.values(template.Resources) as {
    Type: string;
    Properties: { FunctionName?: unknown };
    Metadata?: Record<string, string>;
  }[]) {
    if (resource.Type !== 'AWS::Lambda::Function' || typeof resource.Properties.FunctionName !== 'string') continue;
    assets.set(
      resource.Properties.FunctionName.replace(/^octember-/, ''),
      join(outdir, resource.Metadata?.['aws:asset:path'] ?? ''),
    );
  }
  sandbox = sdkOnlySandbox();
}, 300_000);

afterAll(() => {
  sandbox?.remove();
  if (outdir) rmSync(outdir, { recursive: true, force: true });
});

describe('cdk.out function assets, each beside only the AWS SDK', () => {
  it('has one asset per function, and each loads and exports its own handler', async () => {
    expect([...assets.keys()].sort()).toEqual(TOPOLOGY.functions.map((f) => f.name).sort());
    for (const [name, asset] of assets) {
      const lambda = functionProcess(name, sandbox.add(name, asset));
      try {
        const loaded = await lambda.load();
        expect(loaded.functionName, name).toBe(name);
      } finally {
        await lambda.close();
      }
    }
  }, 300_000);

  it('runs the deployed KPL transform on a real KPL record and on a plain one', async () => {
    const lambda = functionProcess('kpl-deaggregate', sandbox.add('kpl', assets.get('kpl-deaggregate') as string));
    try {
      const users = ['{"user_id":"u1","item_id":"i1"}', '{"user_id":"u2","item_id":"i2"}'];
      const [aggregated] = await aggregateWithLibrary(
        users.map((data, i) => ({ partitionKey: `u${i}`, data: Buffer.from(data) })),
      );
      const plain = Buffer.from('{"user_id":"u3","item_id":"i3"}\n');
      const result = (await lambda.invoke(
        {
          invocationId: 'i',
          deliveryStreamArn: 'arn:aws:firehose:us-east-1:123456789012:deliverystream/octember-interactions-to-s3',
          region: 'us-east-1',
          records: [
            { recordId: 'kpl', approximateArrivalTimestamp: 0, data: aggregated.data.toString('base64') },
            { recordId: 'plain', approximateArrivalTimestamp: 0, data: plain.toString('base64') },
          ],
        },
        {} as never,
      )) as FirehoseTransformationResult;
      expect(result.records.map((r) => [r.recordId, r.result])).toEqual([
        ['kpl', 'Ok'],
        ['plain', 'Ok'],
      ]);
      expect(Buffer.from(result.records[0].data ?? '', 'base64').toString()).toBe(`${users.join('\n')}\n`);
      expect(result.records[1].data).toBe(plain.toString('base64'));
    } finally {
      await lambda.close();
    }
  });

  it('bundles the canvas binary for Lambda (Linux x64) only into get-text-from-image', () => {
    for (const [name, asset] of assets) {
      const files = readdirRecursive(asset);
      const hasCanvas = files.some((f) => f.includes('canvas-linux-x64-gnu') && f.endsWith('.node'));
      expect(hasCanvas, name).toBe(name === 'get-text-from-image');
    }
  });
});

function readdirRecursive(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' });
}
