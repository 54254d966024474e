import { afterEach, describe, expect, it } from 'vitest';
import { type ApiGateway, startApiGateway } from '../../src/runtime/api-gateway.js';
import { createInvoker } from '../../src/runtime/invoker.js';
import { createUsagePlanLimiter } from '../../src/runtime/usage-plan.js';

describe('usage plan (throttle + quota per API key)', () => {
  it('lets a burst through, then throttles until tokens come back at the steady rate', () => {
    let now = 0;
    const limiter = createUsagePlanLimiter(
      { throttle: { rateLimit: 2, burstLimit: 3 }, quota: { limit: 1000, period: 'DAY' } },
      () => now,
    );
    expect([1, 2, 3].map(() => limiter.admit('k').ok)).toEqual([true, true, true]);
    expect(limiter.admit('k')).toMatchObject({ ok: false, message: 'Too Many Requests' });
    expect(limiter.admit('other').ok).toBe(true);
    now += 500; // one token at 2 per second
    expect(limiter.admit('k').ok).toBe(true);
    expect(limiter.admit('k').ok).toBe(false);
  });

  it('counts a quota per calendar period and answers Limit Exceeded past it', () => {
    let now = Date.UTC(2026, 0, 1, 23, 59);
    const limiter = createUsagePlanLimiter(
      { throttle: { rateLimit: 1000, burstLimit: 1000 }, quota: { limit: 2, period: 'DAY' } },
      () => now,
    );
    expect(limiter.admit('k').ok).toBe(true);
    expect(limiter.admit('k').ok).toBe(true);
    expect(limiter.admit('k')).toMatchObject({
      ok: false,
      errorType: 'LimitExceededException',
      message: 'Limit Exceeded',
    });
    now = Date.UTC(2026, 0, 2, 0, 1);
    expect(limiter.admit('k').ok).toBe(true);
  });
});

describe('API Gateway with a usage plan', () => {
  let api: ApiGateway | undefined;
  afterEach(async () => {
    await api?.close();
  });

  it('answers 429 with API Gateway bodies once the key is throttled or out of quota', async () => {
    const invoker = createInvoker();
    invoker.register('ok', async () => ({ statusCode: 200, body: '{}' }));
    api = await startApiGateway({
      port: 0,
      apiKey: 'k',
      invoker,
      routes: [{ method: 'GET', path: '/v1/x', functionName: 'ok' }],
      usagePlan: { throttle: { rateLimit: 0.001, burstLimit: 2 }, quota: { limit: 100, period: 'DAY' } },
    });
    const get = () => fetch(`${api?.url}/v1/x`, { headers: { 'x-api-key': 'k' } });
    expect((await get()).status).toBe(200);
    expect((await get()).status).toBe(200);
    const throttled = await get();
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('x-amzn-errortype')).toBe('TooManyRequestsException');
    expect(await throttled.json()).toEqual({ message: 'Too Many Requests' });
  });
});
