import { SearchEngine } from '/work/main/src/emulators/search-engine/index.js';
import { generateCards } from '/work/main/bench/search.bench.js';
const cards = generateCards(10000);
for (let round = 0; round < 5; round++) {
  const e = new SearchEngine();
  e.createIndex('x', { mappings: { properties: { name: { type: 'text' }, company: { type: 'text' }, job_title: { type: 'text' }, addr: { type: 'text' }, email: { type: 'keyword' }, phone_number: { type: 'keyword' }, owner: { type: 'keyword' }, is_alive: { type: 'boolean' }, created_at: { type: 'date' } } } });
  const t0 = performance.now();
  for (let i = 0; i < 10000; i += 1000) e.bulk(cards.slice(i, i + 1000).map((source, j) => ({ action: 'index' as const, index: 'x', id: `c${i + j}`, source })));
  const t1 = performance.now();
  e.refresh('x');
  const t2 = performance.now();
  console.log(`bulk ${(t1 - t0).toFixed(0)}ms refresh ${(t2 - t1).toFixed(0)}ms → ${(10000 / ((t2 - t0) / 1000)).toFixed(0)} docs/s`);
}
