import { randomBytes } from 'node:crypto';
import type { Block } from '@aws-sdk/client-textract';
import { TextractError } from './errors.js';

export type JobKind = 'text' | 'analysis';

export type TextractJob =
  | { status: 'IN_PROGRESS' }
  | { status: 'SUCCEEDED'; blocks: Block[]; pages: number }
  | { status: 'FAILED'; error: string };

// Results are kept in memory; the oldest go first once this many jobs exist.
const MAX_JOBS = 500;

/** Asynchronous Textract jobs (Start…/Get…): run in the background, results kept for paging. */
export class TextractJobs {
  private readonly jobs = new Map<string, { kind: JobKind; job: TextractJob; token?: string }>();
  /** client token → job id; an entry goes with its job, so both maps stay within MAX_JOBS */
  private readonly tokens = new Map<string, string>();

  start(
    kind: JobKind,
    clientToken: string | undefined,
    run: () => Promise<{ blocks: Block[]; pages: number }>,
  ): string {
    // Textract job ids are 64 hex characters.
    const jobId = randomBytes(32).toString('hex');
    const token = clientToken ? `${kind}:${clientToken}` : undefined;
    const entry: { kind: JobKind; job: TextractJob; token?: string } = { kind, job: { status: 'IN_PROGRESS' }, token };
    this.jobs.set(jobId, entry);
    if (token) this.tokens.set(token, jobId);
    this.evictOldest();
    run().then(
      ({ blocks, pages }) => {
        entry.job = { status: 'SUCCEEDED', blocks, pages };
      },
      (err: unknown) => {
        entry.job = { status: 'FAILED', error: err instanceof TextractError ? err.message : 'Internal server error' };
      },
    );
    return jobId;
  }

  byToken(kind: JobKind, clientToken: string): string | undefined {
    const jobId = this.tokens.get(`${kind}:${clientToken}`);
    return jobId && this.jobs.has(jobId) ? jobId : undefined;
  }

  get(kind: JobKind, jobId: string): TextractJob | undefined {
    const entry = this.jobs.get(jobId);
    return entry?.kind === kind ? entry.job : undefined;
  }

  /** Jobs and client tokens held (both capped at MAX_JOBS). */
  get size(): { jobs: number; tokens: number } {
    return { jobs: this.jobs.size, tokens: this.tokens.size };
  }

  clear(): void {
    this.jobs.clear();
    this.tokens.clear();
  }

  private evictOldest(): void {
    while (this.jobs.size > MAX_JOBS) {
      const oldest = this.jobs.keys().next().value as string;
      const token = this.jobs.get(oldest)?.token;
      this.jobs.delete(oldest);
      if (token && this.tokens.get(token) === oldest) this.tokens.delete(token);
    }
  }
}
