// The Cache port's contract, run against every adapter (memory, Redis, ...).
import { describe, expect, it } from 'vitest';
import type { Cache } from '../../src/ports/index.js';
import { useFixture } from './fixture.js';

export interface CacheFixture {
  cache: Cache;
  close?(): Promise<void>;
}

export function cacheContract(name: string, setup: () => Promise<CacheFixture>): void {
  describe(`Cache contract: ${name}`, () => {
    const fixture = useFixture(setup);

    it('returns what was set until it expires, undefined for unknown keys', async () => {
      const { cache } = fixture();
      await cache.set('contract:short', 'soon gone', 1);
      await cache.set('contract:long', 'ünïcode ✓', 600);
      expect(await cache.get('contract:short')).toBe('soon gone');
      expect(await cache.get('contract:long')).toBe('ünïcode ✓');
      expect(await cache.get('contract:unknown')).toBeUndefined();
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      expect(await cache.get('contract:short')).toBeUndefined();
      expect(await cache.get('contract:long')).toBe('ünïcode ✓');
      await cache.set('contract:long', 'replaced', 600);
      expect(await cache.get('contract:long')).toBe('replaced');
    });

    it('deletePrefix removes exactly the keys under the prefix, glob characters taken literally', async () => {
      const { cache } = fixture();
      await cache.set('pymk:u*1:a', 'x', 600);
      await cache.set('pymk:u*1:b', 'y', 600);
      await cache.set('pymk:u11:a', 'z', 600);
      await cache.set('pymk:u?1:a', 'w', 600);
      expect(await cache.deletePrefix('pymk:u*1:')).toBe(2);
      expect(await cache.get('pymk:u*1:a')).toBeUndefined();
      expect(await cache.get('pymk:u*1:b')).toBeUndefined();
      expect(await cache.get('pymk:u11:a')).toBe('z');
      expect(await cache.get('pymk:u?1:a')).toBe('w');
      expect(await cache.deletePrefix('pymk:nobody:')).toBe(0);
    });
  });
}
