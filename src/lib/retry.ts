import { setTimeout as sleep } from 'node:timers/promises';

export interface RetryOptions {
  /** Whether an error is worth another attempt (throttling, a conflicting concurrent write). */
  retryable(error: unknown): boolean;
  /** Attempts in all (default 6). */
  attempts?: number;
  /** First backoff; doubled per attempt, with full jitter (default 50 ms). */
  baseDelayMs?: number;
  /** Longest backoff (default 2 000 ms). */
  maxDelayMs?: number;
}

/** Exponential backoff with full jitter (what AWS recommends for throttling and Neptune for concurrent writes). */
export async function withRetry<T>(task: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const attempts = options.attempts ?? 6;
  const base = options.baseDelayMs ?? 50;
  const max = options.maxDelayMs ?? 2000;
  for (let attempt = 1; ; attempt++) {
    try {
      return await task(attempt);
    } catch (error) {
      if (attempt >= attempts || !options.retryable(error)) throw error;
      await sleep(Math.random() * Math.min(max, base * 2 ** (attempt - 1)));
    }
  }
}
