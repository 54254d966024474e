import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInvoker } from '../../src/runtime/invoker.js';
import { type LambdaInvokeApi, startLambdaInvokeApi } from '../../src/runtime/lambda-invoke-api.js';
import { freePort } from '../../src/targets/containers-backends.js';
import { checkContainersServices, resolveContainersEndpoints } from '../../src/targets/containers-endpoints.js';
import { portlessFunctionZip, processorFunctions } from '../../src/targets/containers-localstack.js';
import { aggregateWithLibrary } from '../support/kinesis-agg.js';

const LOCAL = { region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };

describe('containers target endpoints', () => {
  it('takes AWS_ENDPOINT_URL and the per-service variables, defaulting to the compose ports', async () => {
    const port = await freePort(); // nothing listens: neither LocalStack nor the kit's edge
    const endpoints = await resolveContainersEndpoints({
      AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`,
      AWS_ENDPOINT_URL_SQS: 'http://127.0.0.1:1',
      AWS_ENDPOINT_URL_TEXTRACT: 'http://127.0.0.1:2',
      REDIS_URL: 'redis://127.0.0.1:3',
    });
    expect(endpoints.awsKind).toBe('unknown');
    expect(endpoints.aws).toMatchObject({
      s3: `http://127.0.0.1:${port}`,
      sqs: 'http://127.0.0.1:1',
      kinesis: `http://127.0.0.1:${port}`,
      textract: 'http://127.0.0.1:2',
      cloudsearch: 'http://127.0.0.1:4577',
    });
    expect(endpoints.opensearch).toBe('http://127.0.0.1:9200');
    expect(endpoints.gremlin).toBe('ws://127.0.0.1:8182/gremlin');
    expect(endpoints.redis).toBe('redis://127.0.0.1:3');
    expect(endpoints.sources).toMatchObject({
      sqs: 'AWS_ENDPOINT_URL_SQS',
      redis: 'REDIS_URL',
      opensearch: 'default (compose)',
    });
  });

  it('fails with one message naming every service that does not answer', async () => {
    const [a, b] = [await freePort(), await freePort()];
    const endpoints = await resolveContainersEndpoints({
      AWS_ENDPOINT_URL: `http://127.0.0.1:${a}`,
      AWS_ENDPOINT_URL_TEXTRACT: `http://127.0.0.1:${a}`,
      AWS_ENDPOINT_URL_CLOUDSEARCH: `http://127.0.0.1:${a}`,
      OPENSEARCH_URL: `http://127.0.0.1:${b}`,
      GREMLIN_URL: `ws://127.0.0.1:${b}/gremlin`,
      REDIS_URL: `redis://127.0.0.1:${b}`,
    });
    const error = await checkContainersServices(endpoints).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).toMatch(
      /^containers target: S3, SQS, Kinesis, Firehose, Textract, CloudSearch, OpenSearch, Gremlin Server, Redis not reachable/,
    );
    expect(error?.message).toContain(
      `OpenSearch at http://127.0.0.1:${b} does not answer (ECONNREFUSED); start it: docker compose up -d --wait, or OPENSEARCH_URL`,
    );
    expect(error?.message).toContain(`Redis at redis://127.0.0.1:${b} does not answer`);
  });
});

describe('Lambda Invoke API of the local runtime (what Firehose processors are called through)', () => {
  let api: LambdaInvokeApi;
  let lambda: LambdaClient;

  beforeAll(async () => {
    const invoker = createInvoker();
    invoker.register('echo', async (event: unknown) => ({ got: event }));
    invoker.register('broken', async () => {
      throw new TypeError('no such field');
    });
    api = await startLambdaInvokeApi({ invoker, port: 0 });
    lambda = new LambdaClient({ ...LOCAL, endpoint: api.url });
  });

  afterAll(async () => {
    lambda.destroy();
    await api.close();
  });

  it('answers RequestResponse, function errors and unknown functions as Lambda does', async () => {
    const ok = await lambda.send(new InvokeCommand({ FunctionName: 'echo', Payload: Buffer.from('{"a":1}') }));
    expect(ok.StatusCode).toBe(200);
    expect(JSON.parse(Buffer.from(ok.Payload ?? []).toString())).toEqual({ got: { a: 1 } });
    const byArn = await lambda.send(
      new InvokeCommand({
        FunctionName: 'arn:aws:lambda:us-east-1:000000000000:function:echo',
        Payload: Buffer.from('2'),
      }),
    );
    expect(JSON.parse(Buffer.from(byArn.Payload ?? []).toString())).toEqual({ got: 2 });
    const failed = await lambda.send(new InvokeCommand({ FunctionName: 'broken' }));
    expect(failed.FunctionError).toBe('Unhandled');
    expect(JSON.parse(Buffer.from(failed.Payload ?? []).toString())).toMatchObject({
      errorType: 'TypeError',
      errorMessage: 'no such field',
    });
    const missing = await lambda.send(new InvokeCommand({ FunctionName: 'nope' })).catch((e: Error) => e);
    expect((missing as Error).name).toBe('ResourceNotFoundException');
    const async = await lambda.send(
      new InvokeCommand({ FunctionName: 'echo', InvocationType: 'Event', Payload: Buffer.from('{}') }),
    );
    expect(async.StatusCode).toBe(202);
  });

  it('refuses browser requests and foreign Host names', async () => {
    const url = `${api.url}/2015-03-31/functions/echo/invocations`;
    expect((await fetch(url, { method: 'POST', body: '{}', headers: { origin: 'https://evil.example' } })).status).toBe(
      403,
    );
    const rebound = await new Promise<number>((resolve, reject) => {
      import('node:http').then(({ request }) => {
        const req = request(url, { method: 'POST', headers: { host: 'attacker.example:3001' } }, (res) =>
          resolve(res.statusCode ?? 0),
        );
        req.on('error', reject);
        req.end('{}');
      });
    });
    expect(rebound).toBe(403);
  });
});

describe('the Firehose processor packaged for LocalStack', () => {
  it('is the kpl-deaggregate transform, its deployable bundle: one file that runs with nothing beside it', async () => {
    expect(processorFunctions()).toEqual(['kpl-deaggregate']);
    const files = unzipSync(await portlessFunctionZip('kpl-deaggregate'));
    expect(Object.keys(files)).toEqual(['index.mjs']);
    const dir = await mkdtemp(join(tmpdir(), 'octember-kpl-zip-'));
    try {
      await writeFile(join(dir, 'index.mjs'), files['index.mjs']);
      const [{ data: aggregated }] = await aggregateWithLibrary([
        { partitionKey: 'u1', data: Buffer.from('{"user_id":"u1"}') },
        { partitionKey: 'u2', data: Buffer.from('{"user_id":"u2"}') },
      ]);
      const event = {
        records: [{ recordId: 'r1', data: aggregated.toString('base64'), approximateArrivalTimestamp: 0 }],
      };
      await writeFile(join(dir, 'event.json'), JSON.stringify(event));
      const script = `const { handler } = await import('./index.mjs'); const { readFileSync } = await import('node:fs');
        process.stdout.write(JSON.stringify(await handler(JSON.parse(readFileSync('./event.json', 'utf8')))));`;
      const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
        cwd: dir,
        env: { PATH: process.env.PATH },
      });
      const result = JSON.parse(stdout) as { records: { recordId: string; result: string; data: string }[] };
      expect(result.records[0]).toMatchObject({ recordId: 'r1', result: 'Ok' });
      expect(Buffer.from(result.records[0].data, 'base64').toString()).toBe('{"user_id":"u1"}\n{"user_id":"u2"}\n');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
