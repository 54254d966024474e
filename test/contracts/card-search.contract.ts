// The CardSearchIndex port's contract, run against every adapter (OpenSearch over the OpenSearch emulator, ...).
import { describe, expect, it } from 'vitest';
import { type CardFields, cardFields } from '../../src/domain/card-fields.js';
import type { CardDocument, CardSearchIndex } from '../../src/ports/index.js';
import { useFixture } from './fixture.js';

export interface CardSearchFixture {
  /** An index whose writes are searchable when upsert returns. */
  index: CardSearchIndex;
  close?(): Promise<void>;
}

function doc(owner: string, imageId: string, fields: Partial<CardFields>, at: string): CardDocument {
  return {
    ...cardFields(fields),
    doc_id: `${owner}-${imageId}`,
    content_id: `content-${fields.name ?? imageId}`,
    owner,
    image_id: imageId,
    s3_bucket: 'octember-bizcard',
    s3_key: `bizcard-raw-img/${owner}_${imageId}.jpg`,
    is_alive: true,
    created_at: at,
    updated_at: at,
  };
}

const jordan = doc(
  'edy',
  'c1',
  { name: 'Jordan Smith', company: 'Acme Robotics', job_title: 'Engineer' },
  '2026-01-01T00:00:00Z',
);
const alex = doc(
  'edy',
  'c2',
  { name: 'Alex Jones', company: 'Smith & Partners', job_title: 'Lawyer' },
  '2026-01-02T00:00:00Z',
);
const sam = doc('kim', 'c3', { name: 'Sam Smith', company: 'Bakery', addr: 'Smith Road' }, '2026-01-03T00:00:00Z');

export function cardSearchContract(name: string, setup: () => Promise<CardSearchFixture>): void {
  describe(`CardSearchIndex contract: ${name}`, () => {
    const fixture = useFixture(async () => {
      const f = await setup();
      expect(await f.index.upsert([jordan, alex, sam])).toEqual({ failed: [] });
      return f;
    });

    it('matches free text on name (boosted), company, job title and address, within one owner', async () => {
      const mine = await fixture().index.search({ query: 'smith', owner: 'edy', limit: 10 });
      expect(mine.map((h) => h.name)).toEqual(['Jordan Smith', 'Alex Jones']);
      expect(mine[0].score).toBeGreaterThan(mine[1].score);
      expect(mine[0]).toMatchObject({ doc_id: 'edy-c1', owner: 'edy', company: 'Acme Robotics' });
      const everyone = await fixture().index.search({ query: 'smith', limit: 10 });
      expect(everyone.map((h) => h.owner).sort()).toEqual(['edy', 'edy', 'kim']);
      expect(await fixture().index.search({ query: 'smith', limit: 1 })).toHaveLength(1);
      expect((await fixture().index.search({ owner: 'kim', limit: 10 })).map((h) => h.name)).toEqual(['Sam Smith']);
      expect(await fixture().index.search({ query: 'nothing-like-this', limit: 10 })).toEqual([]);
    });

    it('an upsert of an existing doc_id updates it and keeps its created_at', async () => {
      const moved = {
        ...alex,
        company: 'Jones Legal',
        created_at: '2027-01-01T00:00:00Z',
        updated_at: '2027-01-01T00:00:00Z',
      };
      expect(await fixture().index.upsert([moved])).toEqual({ failed: [] });
      const [hit] = await fixture().index.search({ query: 'jones legal', owner: 'edy', limit: 1 });
      expect(hit).toMatchObject({ doc_id: 'edy-c2', company: 'Jones Legal', created_at: alex.created_at });
      expect(hit.updated_at).toBe('2027-01-01T00:00:00Z');
    });

    it("findByContent maps content ids to the owner's existing documents only", async () => {
      const found = await fixture().index.findByContent('edy', [
        'content-Jordan Smith',
        'content-Sam Smith',
        'content-none',
      ]);
      expect([...found]).toEqual([['content-Jordan Smith', 'edy-c1']]);
      expect((await fixture().index.findByContent('edy', [])).size).toBe(0);
    });

    it('reports the documents it refused and stores the others', async () => {
      const bad = { ...doc('edy', 'c9', { name: 'Broken Date' }, 'not a date') };
      const good = doc('edy', 'c10', { name: 'Fine Person' }, '2026-02-01T00:00:00Z');
      const { failed } = await fixture().index.upsert([bad, good]);
      expect(failed.map((f) => f.doc_id)).toEqual(['edy-c9']);
      expect(failed[0].reason).not.toBe('');
      expect((await fixture().index.search({ query: 'fine', owner: 'edy', limit: 5 })).map((h) => h.doc_id)).toEqual([
        'edy-c10',
      ]);
    });
  });
}
