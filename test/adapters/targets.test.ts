import type { APIGatewayProxyEvent } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { awsClientConfig, createSdkAdapters, targetFromEnvironment } from '../../src/targets/index.js';
import { freePort } from '../runtime/support/kinesis.js';

const opened: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((adapters) => adapters.close()));
});

describe('targets', () => {
  it('picks the target from OCTEMBER_TARGET, embedded by default, and rejects unknown ones', () => {
    expect(targetFromEnvironment({})).toBe('embedded');
    expect(targetFromEnvironment({ OCTEMBER_TARGET: 'containers' })).toBe('containers');
    expect(targetFromEnvironment({ OCTEMBER_TARGET: 'AWS' })).toBe('aws');
    expect(() => targetFromEnvironment({ OCTEMBER_TARGET: 'mars' })).toThrow(/not one of embedded, containers, aws/);
  });

  it('uses dummy credentials and the given endpoint locally, the default chain on AWS', () => {
    expect(awsClientConfig({ endpoint: 'http://127.0.0.1:4566', region: 'eu-west-1' })).toEqual({
      region: 'eu-west-1',
      endpoint: 'http://127.0.0.1:4566',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    const aws = awsClientConfig({ region: 'ap-northeast-2', defaultCredentials: true });
    expect(aws).toEqual({ region: 'ap-northeast-2' });
  });

  it('builds SDK clients pointed at the endpoint with path-style S3, and in-memory status without Redis', async () => {
    const adapters = await createSdkAdapters({ endpoint: 'http://127.0.0.1:4566', region: 'us-east-1' });
    opened.push(adapters);
    expect(adapters.clients.s3.config.forcePathStyle).toBe(true);
    const endpoint = await adapters.clients.kinesis.config.endpoint?.();
    expect(`${endpoint?.protocol}//${endpoint?.hostname}:${endpoint?.port}`).toBe('http://127.0.0.1:4566');
    const record = {
      imageId: 'a_1.jpg',
      status: 'START' as const,
      s3_bucket: 'b',
      s3_key: 'k',
      owner: 'a',
      data: null,
      updated_at: 't',
    };
    await adapters.status.put(record);
    expect(await adapters.status.get('a_1.jpg')).toEqual(record);
    expect(adapters.redis).toBeUndefined();
  });

  it('fails with the URL in the message when REDIS_URL points at nothing', async () => {
    const port = await freePort();
    await expect(
      createSdkAdapters({ endpoint: 'http://127.0.0.1:4566', redisUrl: `redis://127.0.0.1:${port}` }),
    ).rejects.toThrow(`cannot reach Redis at redis://127.0.0.1:${port}`);
  });

  it('composes a handler module the way its Lambda entry does, from the settings of the target', async () => {
    const adapters = await createSdkAdapters({ endpoint: 'http://127.0.0.1:4566', region: 'us-east-1' });
    opened.push(adapters);
    const { handler } = await import('../../src/handlers/status-api.js');
    expect(handler.functionName).toBe('status-api');
    expect(handler.ports).toEqual(['status']);
    const statusApi = handler.create(adapters, adapters.settings);
    const result = await statusApi({ pathParameters: { imageId: 'nobody_1.jpg' } } as unknown as APIGatewayProxyEvent);
    expect(result.statusCode).toBe(404);
  });
});
