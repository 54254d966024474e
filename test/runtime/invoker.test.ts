import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Context, S3EventRecord } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createInvoker } from '../../src/runtime/invoker.js';
import { createS3NotificationDispatcher, functionNameFromArn } from '../../src/runtime/s3-notifications.js';

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'octember-invoker-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('invoker', () => {
  it('invokes synchronously with a Lambda context and returns the result', async () => {
    const invoker = createInvoker();
    let seen: Context | undefined;
    invoker.register(
      'echo',
      async (event: { n: number }, context: Context) => {
        seen = context;
        return { doubled: event.n * 2, remaining: context.getRemainingTimeInMillis() };
      },
      { timeoutMs: 5000 },
    );
    const result = await invoker.invoke<{ doubled: number; remaining: number }>('echo', { n: 21 });
    expect(result.doubled).toBe(42);
    expect(result.remaining).toBeGreaterThan(0);
    expect(result.remaining).toBeLessThanOrEqual(5000);
    expect(seen?.functionName).toBe('echo');
    expect(seen?.invokedFunctionArn).toBe('arn:aws:lambda:us-east-1:000000000000:function:echo');
    expect(seen?.awsRequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(seen?.logGroupName).toBe('/aws/lambda/echo');
  });

  it('propagates function errors and unknown functions on a synchronous invoke', async () => {
    const invoker = createInvoker();
    invoker.register('broken', () => {
      throw new TypeError('bad input');
    });
    await expect(invoker.invoke('broken', {})).rejects.toThrow(TypeError);
    await expect(invoker.invoke('missing', {})).rejects.toThrow(/Function not found/);
  });

  it('times a function out after its configured timeout', async () => {
    const invoker = createInvoker();
    invoker.register('slow', () => new Promise(() => undefined), { timeoutMs: 20 });
    await expect(invoker.invoke('slow', {})).rejects.toThrow(/Task timed out after 0.02 seconds/);
  });

  it('retries an asynchronous invocation twice and succeeds on the third attempt', async () => {
    const invoker = createInvoker({ dataDir, retryDelayScale: 0.001 });
    const attempts: string[] = [];
    invoker.register('flaky', (_event: unknown, context: Context) => {
      attempts.push(context.awsRequestId);
      if (attempts.length < 3) throw new Error('not yet');
      return 'ok';
    });
    const invocation = invoker.invokeAsync('flaky', { x: 1 });
    expect(await invocation.completion).toEqual({ status: 'success', attempts: 3 });
    // Retries of one event keep its request id, as on AWS.
    expect(new Set(attempts)).toEqual(new Set([invocation.requestId]));
    expect(await readdir(dataDir)).toEqual([]);
  });

  it('writes the event and error to the on-failure destination after the retries', async () => {
    const invoker = createInvoker({ dataDir, retryDelayScale: 0.001 });
    let calls = 0;
    invoker.register('doomed', () => {
      calls += 1;
      throw new RangeError('always fails');
    });
    const invocation = invoker.invokeAsync('doomed', { key: 'value' });
    await invoker.idle();
    const outcome = await invocation.completion;
    expect(calls).toBe(3);
    expect(outcome.status).toBe('failed');
    const files = await readdir(join(dataDir, 'failures', 'doomed'));
    expect(files).toHaveLength(1);
    const record = JSON.parse(await readFile(join(dataDir, 'failures', 'doomed', files[0]), 'utf8'));
    expect(record.requestPayload).toEqual({ key: 'value' });
    expect(record.responsePayload).toMatchObject({ errorType: 'RangeError', errorMessage: 'always fails' });
    expect(record.requestContext).toMatchObject({
      requestId: invocation.requestId,
      condition: 'RetriesExhausted',
      approximateInvokeCount: 3,
    });
  });
});

describe('S3 notification dispatcher', () => {
  const record = {
    eventName: 'ObjectCreated:Put',
    s3: { bucket: { name: 'b' }, object: { key: 'bizcard-raw-img/a_1.jpg' } },
  } as S3EventRecord;

  it('wraps the record into an S3Event and invokes the mapped function asynchronously', async () => {
    const invoker = createInvoker({ dataDir });
    const events: unknown[] = [];
    invoker.register('trigger-text-extract', (event: unknown) => {
      events.push(event);
    });
    const notify = createS3NotificationDispatcher(invoker, (arn) =>
      arn.endsWith(':function:trigger') ? 'trigger-text-extract' : undefined,
    );
    const invocation = notify({ destinationArn: 'arn:aws:lambda:us-east-1:000000000000:function:trigger', record });
    expect(invocation).toBeDefined();
    expect(await invocation?.completion).toEqual({ status: 'success', attempts: 1 });
    expect(events).toEqual([{ Records: [record] }]);
  });

  it('returns undefined for a destination without a function', () => {
    const invoker = createInvoker({ dataDir });
    const notify = createS3NotificationDispatcher(invoker);
    expect(notify({ destinationArn: 'arn:aws:lambda:us-east-1:000000000000:function:nobody', record })).toBeUndefined();
    expect(functionNameFromArn('arn:aws:lambda:us-east-1:000000000000:function:name:$LATEST')).toBe('name');
    expect(functionNameFromArn('plain-name')).toBe('plain-name');
  });
});
