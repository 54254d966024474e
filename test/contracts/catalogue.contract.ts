// The CatalogueIndex port's contract, run against every adapter (CloudSearch over the CloudSearch emulator, ...).
import { describe, expect, it } from 'vitest';
import { type CatalogueIndex, CatalogueQueryError } from '../../src/ports/index.js';
import { useFixture } from './fixture.js';

export interface CatalogueFixture {
  /** A domain with the octember-items schema (src/infra/cloudsearch-schema.json), empty. */
  catalogue: CatalogueIndex;
  close?(): Promise<void>;
}

const ITEMS = [
  { id: 'k1', title: 'Cast iron kettle', category: 'Kitchen', price: 35, tags: ['iron', 'tea'] },
  { id: 'k2', title: 'Glass teapot', category: 'Kitchen', price: 22.5, tags: ['tea', 'glass'] },
  { id: 'g1', title: 'Garden hose', category: 'Garden', price: 18, tags: ['water'] },
  { id: 'g2', title: 'Watering can', category: 'Garden', price: 12, tags: ['water', 'tin'] },
  { id: 'o1', title: 'Tea towel', category: 'Kitchen', price: 5, tags: ['tea', 'cotton'] },
];
const add = (items: typeof ITEMS) =>
  JSON.stringify(items.map(({ id, ...fields }) => ({ type: 'add', id, fields: { item_id: id, ...fields } })));

export function catalogueContract(name: string, setup: () => Promise<CatalogueFixture>): void {
  describe(`CatalogueIndex contract: ${name}`, () => {
    const fixture = useFixture(async () => {
      const f = await setup();
      expect(await f.catalogue.uploadDocuments(add(ITEMS))).toMatchObject({ adds: 5, deletes: 0 });
      return f;
    });

    it('finds items by text and returns their fields', async () => {
      const res = await fixture().catalogue.search({ q: 'tea' });
      expect(res.found).toBe(1);
      expect(res.hits.map((h) => h.id)).toEqual(['o1']);
      // Category words are searchable too (the default schema copies the category fields into `categories`).
      const garden = await fixture().catalogue.search({ q: 'garden' });
      expect(garden.hits.map((h) => h.id).sort()).toEqual(['g1', 'g2']);
      expect(res.hits.find((h) => h.id === 'o1')?.fields).toMatchObject({
        title: ['Tea towel'],
        category: ['Kitchen'],
      });
    });

    it('filters with fq, sorts, pages and counts facets', async () => {
      const res = await fixture().catalogue.search({
        q: 'matchall',
        parser: 'structured',
        fq: "category:'Kitchen'",
        sort: 'price asc',
        size: 2,
        start: 1,
        facets: { category: { sort: 'count', size: 5 } },
      });
      expect(res).toMatchObject({ found: 3, start: 1 });
      expect(res.hits.map((h) => h.id)).toEqual(['k2', 'k1']);
      expect(res.facets.category).toEqual([{ value: 'Kitchen', count: 3 }]);
    });

    it('a query the service cannot parse rejects with CatalogueQueryError', async () => {
      await expect(fixture().catalogue.search({ q: '(and', parser: 'structured' })).rejects.toBeInstanceOf(
        CatalogueQueryError,
      );
    });

    it('deletes by id; a malformed batch is refused as a whole', async () => {
      const out = await fixture().catalogue.uploadDocuments(JSON.stringify([{ type: 'delete', id: 'g2' }]));
      expect(out).toMatchObject({ adds: 0, deletes: 1 });
      expect((await fixture().catalogue.search({ q: 'watering' })).found).toBe(0);
      await expect(fixture().catalogue.uploadDocuments('[{"type": "add"')).rejects.toThrow(/rejected the batch/);
      expect((await fixture().catalogue.search({ q: 'matchall', parser: 'structured' })).found).toBe(4);
    });
  });
}
