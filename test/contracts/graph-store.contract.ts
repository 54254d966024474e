// The GraphStore port's contract, run against every adapter and backend (Gremlin over the emulator in both
// dialects, Gremlin Server, Neptune, ...). Observed through the port only: upsertContact's answers and pymk.
import { describe, expect, it } from 'vitest';
import type { GraphStore, PersonProfile } from '../../src/ports/index.js';
import { useFixture } from './fixture.js';

export interface GraphStoreFixture {
  /** A store over an empty graph. */
  store: GraphStore;
  /** Another writer on the same graph (a second Lambda instance). */
  another(): GraphStore;
  close?(): Promise<void>;
}

export const person = (name: string): PersonProfile => ({
  name,
  email: `${name.toLowerCase()}@example.com`,
  phone_number: `+1 555 ${name.length}`,
  company: `${name} Corp`,
  job_title: 'Engineer',
});

// owner id (its own card is `<owner>@example.com`) → the names on the cards it holds
export const CONTACTS: Record<string, string[]> = {
  edy: ['Ann', 'Ben'],
  ann: ['Cat', 'Dan', 'Eve'],
  ben: ['Cat', 'Dan', 'Fay'],
  cat: ['Gus'],
};

/** Friends of friends over CONTACTS (undirected), by common contacts then name. */
export function expectedPymk(user: string, limit: number): { name: string; score: number }[] {
  const adj = new Map<string, Set<string>>();
  const link = (a: string, b: string) => {
    for (const [x, y] of [
      [a, b],
      [b, a],
    ]) {
      if (!adj.has(x)) adj.set(x, new Set());
      adj.get(x)?.add(y);
    }
  };
  for (const [owner, names] of Object.entries(CONTACTS)) for (const n of names) link(owner, n.toLowerCase());
  const friends = adj.get(user) ?? new Set<string>();
  const scores = new Map<string, number>();
  for (const f of friends) {
    for (const c of adj.get(f) ?? []) if (c !== user && !friends.has(c)) scores.set(c, (scores.get(c) ?? 0) + 1);
  }
  return [...scores]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, limit)
    .map(([name, score]) => ({ name: name.charAt(0).toUpperCase() + name.slice(1), score }));
}

const ranked = (suggestions: { name: string | null; score: number }[]) =>
  suggestions.map(({ name, score }) => ({ name, score }));

export function graphStoreContract(name: string, setup: () => Promise<GraphStoreFixture>): void {
  describe(`GraphStore contract: ${name}`, () => {
    const fixture = useFixture(setup);

    it("an owner's contacts hang off a placeholder until the owner's own card makes it a person", async () => {
      const { store } = fixture();
      // the contacts arrive before the owners' own cards (edy's own card last of all)
      for (const [owner, names] of Object.entries(CONTACTS)) {
        for (const n of names) {
          const r = await store.upsertContact(owner, person(n));
          expect(r).toMatchObject({ personId: expect.any(String), ownCard: false });
        }
      }
      for (const owner of Object.keys(CONTACTS)) {
        const own = await store.upsertContact(owner, person(owner.charAt(0).toUpperCase() + owner.slice(1)));
        expect(own.ownCard).toBe(true);
        expect(own.ownerVertexId).toBe(own.personId);
      }
      const again = await store.upsertContact('EDY', { ...person('Ann'), email: ' ANN@Example.com ' });
      const first = await store.upsertContact('edy', person('Ann'));
      expect(again.personId).toBe(first.personId);
      expect(again.ownerVertexId).toBe((await store.upsertContact('edy', person('Edy'))).personId);
    });

    it('ranks friends of friends by common contacts then name, without the user or their contacts', async () => {
      const { store } = fixture();
      expect(ranked(await store.pymk('edy', 10))).toEqual(expectedPymk('edy', 10));
      expect(ranked(await store.pymk('edy', 1))).toEqual(expectedPymk('edy', 1));
      expect(await store.pymk('edy', 1)).toEqual([{ ...person('Cat'), score: 2 }]);
      expect(ranked(await store.pymk('cat', 10))).toEqual(expectedPymk('cat', 10));
    });

    it('finds the user by email, owner id or name in any case; an unknown user or limit 0 gets nothing', async () => {
      const { store } = fixture();
      expect(ranked(await store.pymk('Edy@Example.com', 10))).toEqual(expectedPymk('edy', 10));
      expect(ranked(await store.pymk('ANN', 2))).toEqual(expectedPymk('ann', 2));
      expect(ranked(await store.pymk(' Ben ', 10))).toEqual(expectedPymk('ben', 10));
      expect(await store.pymk('nobody', 10)).toEqual([]);
      expect(await store.pymk('edy', 0)).toEqual([]);
    });

    it('is idempotent: delivering every card again changes no answer', async () => {
      const { store } = fixture();
      const before = await store.pymk('edy', 10);
      for (const [owner, names] of Object.entries(CONTACTS)) {
        for (const n of names) await store.upsertContact(owner, person(n), 2);
      }
      expect(await store.pymk('edy', 10)).toEqual(before);
    });

    it('one person read with a slip on one card (mailbox misread or lost) stays one vertex; a namesake does not', async () => {
      const { store } = fixture();
      const marisol = person('Marisol');
      await store.upsertContact('liz', person('Liz'));
      await store.upsertContact('liz', marisol);
      const misread = await store.upsertContact('ned', { ...marisol, email: 'marlsol@example.com' });
      const lost = await store.upsertContact('ned', { ...marisol, email: null });
      const namesake = await store.upsertContact('quin', { ...marisol, email: 'marisol@elsewhere.org' });
      const first = await store.upsertContact('liz', marisol);
      expect([misread.personId, lost.personId]).toEqual([first.personId, first.personId]);
      expect(namesake.personId).not.toBe(first.personId);
      await store.upsertContact('otto', person('Liz'));
      expect(ranked(await store.pymk('liz', 10))).toEqual([{ name: 'ned', score: 1 }]);
      // the mailbox that fits the name is the one kept
      expect(await store.pymk('otto', 10)).toEqual([{ ...marisol, score: 1 }]);
    });

    it('a writer that remembers a placeholder merged by another writer still links to the owner', async () => {
      const { store } = fixture();
      const other = fixture().another();
      try {
        await store.upsertContact('hal', person('Ivy'));
        await other.upsertContact('hal', person('Hal'));
        await store.upsertContact('hal', person('Jon'));
        await store.upsertContact('ivy', person('Kay'));
        await store.upsertContact('jon', person('Kay'));
        await store.upsertContact('ivy', person('Ivy'));
        await other.upsertContact('jon', person('Jon'));
        expect(ranked(await store.pymk('hal@example.com', 10))).toEqual([{ name: 'Kay', score: 2 }]);
      } finally {
        await other.close();
      }
    });
  });
}
