import { describe, expect, it } from 'vitest';
import { createSlots } from '../../src/lib/slots.js';

describe('createSlots', () => {
  it('runs at most its size at once, the rest in arrival order, and frees a slot when work fails', async () => {
    const slots = createSlots(2);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const releases: (() => void)[] = [];
    const works = Array.from({ length: 5 }, (_, i) =>
      slots.run(async () => {
        started.push(i);
        running++;
        most = Math.max(most, running);
        await new Promise<void>((resolve) => releases.push(resolve));
        running--;
        if (i === 1) throw new Error('work 1 failed');
        return i;
      }),
    );
    const settled = Promise.allSettled(works);
    while (started.length < 5) {
      await new Promise((resolve) => setTimeout(resolve, 1));
      releases.shift()?.();
    }
    for (const release of releases) release();
    const results = await settled;
    expect(most).toBe(2);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : 'failed'))).toEqual([0, 'failed', 2, 3, 4]);
  });
});
