/** An API Gateway usage plan's limits, as the topology states them. */
export interface UsagePlan {
  throttle: { rateLimit: number; burstLimit: number };
  quota: { limit: number; period: 'DAY' | 'WEEK' | 'MONTH' };
}

export type UsageVerdict =
  | { ok: true }
  | { ok: false; errorType: 'TooManyRequestsException'; message: 'Too Many Requests' }
  | { ok: false; errorType: 'LimitExceededException'; message: 'Limit Exceeded' };

/**
 * The usage plan enforced per API key as API Gateway does: a token bucket (steady `rateLimit` requests per second,
 * up to `burstLimit` at once) answered with 429 "Too Many Requests", and a request quota per calendar period (UTC)
 * answered with 429 "Limit Exceeded". A throttled request does not count against the quota.
 */
export function createUsagePlanLimiter(plan: UsagePlan, now: () => number = Date.now) {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const quotas = new Map<string, { period: number; used: number }>();
  return {
    admit(apiKey: string): UsageVerdict {
      const t = now();
      const bucket = buckets.get(apiKey) ?? { tokens: plan.throttle.burstLimit, at: t };
      bucket.tokens = Math.min(
        plan.throttle.burstLimit,
        bucket.tokens + ((t - bucket.at) / 1000) * plan.throttle.rateLimit,
      );
      bucket.at = t;
      buckets.set(apiKey, bucket);
      if (bucket.tokens < 1) return { ok: false, errorType: 'TooManyRequestsException', message: 'Too Many Requests' };
      const period = periodOf(t, plan.quota.period);
      const quota = quotas.get(apiKey);
      const used = quota?.period === period ? quota.used : 0;
      if (used >= plan.quota.limit)
        return { ok: false, errorType: 'LimitExceededException', message: 'Limit Exceeded' };
      bucket.tokens -= 1;
      quotas.set(apiKey, { period, used: used + 1 });
      return { ok: true };
    },
  };
}

/** The calendar period (UTC) a time falls in, as a number: days, Monday-based weeks, or months since the epoch. */
function periodOf(ms: number, period: UsagePlan['quota']['period']): number {
  const day = Math.floor(ms / 86_400_000);
  if (period === 'DAY') return day;
  if (period === 'WEEK') return Math.floor((day + 3) / 7); // 1970-01-01 was a Thursday
  const date = new Date(ms);
  return date.getUTCFullYear() * 12 + date.getUTCMonth();
}
