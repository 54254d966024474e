// What every contract suite does around its tests: build the adapter under test once, release it at the end.
import { afterAll, beforeAll } from 'vitest';

/** Registers setup/teardown in the calling describe block; the returned function gives the fixture inside tests. */
export function useFixture<F extends { close?(): Promise<void> }>(
  setup: () => Promise<F>,
  timeoutMs = 60_000,
): () => F {
  let fixture: F | undefined;
  beforeAll(async () => {
    fixture = await setup();
  }, timeoutMs);
  afterAll(async () => {
    await fixture?.close?.();
  });
  return () => {
    if (!fixture) throw new Error('the contract fixture is not set up (its setup failed)');
    return fixture;
  };
}
