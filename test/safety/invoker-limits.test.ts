import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createInvoker, FunctionTimeoutError } from '../../src/runtime/invoker.js';

describe('the invoker', () => {
  it('never runs a retry beside the timed-out attempt it replaces, and discards its result', async () => {
    const invoker = createInvoker({ retryDelayScale: 0, asyncRetries: 2 });
    let running = 0;
    let most = 0;
    let finished = 0;
    invoker.register(
      'slow',
      async () => {
        running++;
        most = Math.max(most, running);
        await sleep(150);
        running--;
        finished++;
        return 'late';
      },
      { timeoutMs: 50 },
    );
    const outcome = await invoker.invokeAsync('slow', {}).completion;
    expect(outcome).toMatchObject({ status: 'failed', attempts: 3 });
    expect((outcome as { error: unknown }).error).toBeInstanceOf(FunctionTimeoutError);
    expect(most).toBe(1);
    // the first two attempts were waited for before their retries
    expect(finished).toBeGreaterThanOrEqual(2);
  });

  it('exposes when a timed-out attempt really ended', async () => {
    const invoker = createInvoker();
    let ended = false;
    invoker.register(
      'slow',
      async () => {
        await sleep(100);
        ended = true;
      },
      { timeoutMs: 20 },
    );
    const error = (await invoker.invoke('slow', {}).catch((e) => e)) as FunctionTimeoutError;
    expect(error).toBeInstanceOf(FunctionTimeoutError);
    expect(ended).toBe(false);
    await error.settled;
    expect(ended).toBe(true);
  });

  it('caps asynchronous invocations per function and queues the rest, in order, rejecting none', async () => {
    const invoker = createInvoker({ asyncConcurrency: 5 });
    let running = 0;
    let most = 0;
    const order: number[] = [];
    invoker.register('work', async (event: { n: number }) => {
      running++;
      most = Math.max(most, running);
      order.push(event.n);
      await sleep(10);
      running--;
    });
    invoker.register('other', async () => 'independent');
    const all = Array.from({ length: 60 }, (_, n) => invoker.invokeAsync('work', { n }));
    // another function is not held up by the queue of the first
    expect(await invoker.invokeAsync('other', {}).completion).toMatchObject({ status: 'success' });
    const outcomes = await Promise.all(all.map((i) => i.completion));
    expect(outcomes.every((o) => o.status === 'success')).toBe(true);
    expect(most).toBe(5);
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });
});
