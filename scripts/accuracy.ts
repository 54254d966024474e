/**
 * Card-extraction accuracy, per field, on the real photos and the generated sets side by side, plus search by
 * full name and people-you-may-know against the truth of who holds whose card.
 *
 *   npm run accuracy [-- --sets real,dev,validation,holdout,generated] [--path pipeline|local] [--verbose] [--json]
 *   npx tsx scripts/accuracy.ts --dir PATH     (any folder of images with a truth.json of the same shape)
 *
 * Sets: real = ../shared/fixtures/bizcards/real (12 photos, read in place), dev (72 phone photos of 40 people, the
 * set the extractor is tuned on), validation (72 photos drawn from pools of their own: other people, companies,
 * titles and streets than dev's, read card by card to check that a rule generalizes) and holdout (72 photos of 40
 * other people again, never tuned on and never read card by card), rendered by scripts/generate-cards-photos.ts
 * into .cache/cards on first use (under a minute each), generated = fixtures/cards (30 flat renders of
 * scripts/generate-cards.ts). Default: real, dev, validation, holdout.
 *
 * Paths: `pipeline` (default) runs each set through the embedded stack in-process, as `octember dev` does: PUT
 * through API Gateway → S3 → trigger → Kinesis → get-text-from-image (Textract emulator, re-reads of doubtful
 * regions) → OpenSearch + Gremlin; fields are read back from /v1/status, then every person is searched by their
 * full name (/v1/search: the first hit must be a card of theirs) and every owner's /v1/pymk must equal the
 * ranking computed from the truth graph (owner knows each person whose card they hold). `local` is `octember
 * extract`'s path (the tesseract adapter, no services): fields only, faster.
 *
 * Per field: accuracy = exact matches / cards; precision = exact matches / values given (a wrong value is worse
 * than null). Exact-match rules: MATCH_RULES in src/domain/card-extraction/scoring.ts.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readCardLocally } from '../src/cli/commands/extract-ocr.js';
import {
  type CardTruth,
  expectedValue,
  type FieldTally,
  fieldMatches,
  MATCH_RULES,
  rates,
  SCORED_FIELDS,
  type ScoredField,
  tally,
} from '../src/domain/card-extraction/scoring.js';
import type { CardFields } from '../src/domain/card-fields.js';
import { BUCKET, RAW_IMAGE_PREFIX } from '../src/domain/names.js';
import { normalizeEmail, normalizeName } from '../src/domain/person-id.js';
import { rankFriendsOfFriends, topCandidates } from '../src/domain/pymk.js';
import { TesseractPool } from '../src/emulators/textract/tesseract-pool.js';
import { logger } from '../src/lib/logger.js';
import { startStack } from '../src/testing/index.js';
import { renderedSet } from './generate-cards-photos.js';

const ROOT = resolve(import.meta.dirname, '..');
export const REAL_CARDS = join(ROOT, '../shared/fixtures/bizcards/real');
const CARD_SETS = ['real', 'dev', 'validation', 'holdout', 'generated'] as const;
export type CardSet = (typeof CARD_SETS)[number];

/** The folder of a set's photos and truth.json; the generated photo sets are rendered into a cache on first use. */
export async function cardSetDir(set: CardSet): Promise<string> {
  switch (set) {
    case 'real':
      if (!existsSync(join(REAL_CARDS, 'truth.json')))
        throw new Error(`the real card photos are missing: ${REAL_CARDS}/truth.json (../shared/fixtures)`);
      return REAL_CARDS;
    case 'dev':
    case 'validation':
    case 'holdout':
      return renderedSet(set);
    case 'generated':
      return join(ROOT, 'fixtures/cards');
  }
}

/** A truth row: the card's fields, who holds it and (generated sets) whose card it is. */
export interface TruthRow extends CardTruth {
  owner?: string;
  person?: string;
  is_owner_own_card?: boolean;
}

export interface Miss {
  file: string;
  field: ScoredField;
  expected: string | null;
  actual: string | null;
}

export interface SetResult {
  set: string;
  cards: number;
  fields: Record<ScoredField, FieldTally>;
  misses: Miss[];
  /** Pipeline path only. */
  search?: { found: number; people: number; misses: string[] };
  /**
   * `right`: the whole ranking equals the truth graph's; `top5`: its first five (what `limit=5` shows);
   * `rightByName`: the whole ranking, a suggestion without a mailbox (every card of that person lost it) counted as
   * the person of its name at that place (same person, same score, same rank).
   */
  pymk?: { right: number; top5: number; rightByName: number; users: number; misses: string[] };
}

export async function readTruth(dir: string): Promise<TruthRow[]> {
  return JSON.parse(await readFile(join(dir, 'truth.json'), 'utf8')) as TruthRow[];
}

function score(set: string, rows: Array<{ truth: TruthRow; fields: CardFields }>): SetResult {
  const misses: Miss[] = [];
  for (const { truth, fields } of rows) {
    for (const field of SCORED_FIELDS) {
      const expected = expectedValue(truth, field);
      if (!fieldMatches(field, expected, fields[field]))
        misses.push({ file: truth.file, field, expected, actual: fields[field] });
    }
  }
  return { set, cards: rows.length, fields: tally(rows), misses };
}

/** `octember extract`'s path over a shared pool; `pick` chooses a sample of the set's cards. */
export async function measureSetLocally(
  pool: TesseractPool,
  set: string,
  dir: string,
  pick: (rows: TruthRow[]) => TruthRow[] = (rows) => rows,
): Promise<SetResult> {
  const truth = pick(await readTruth(dir));
  const rows = await Promise.all(
    truth.map(async (t) => ({ truth: t, fields: await readCardLocally(pool, await readFile(join(dir, t.file))) })),
  );
  return score(set, rows);
}

/** The person a card shows: the generated sets name them; the real set's truth has their mailbox. */
const personOf = (t: TruthRow) => t.person ?? (normalizeEmail(t.email) as string);

/** Every set through the embedded stack: fields from /v1/status, then search by name and PYMK per owner. */
export async function measureSetThroughPipeline(set: string, dir: string): Promise<SetResult> {
  const truth = await readTruth(dir);
  const dataDir = await mkdtemp(join(tmpdir(), 'octember-accuracy-'));
  const apiKey = 'accuracy';
  const stack = await startStack({ dataDir, apiKey });
  const api = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
    const response = await fetch(`${stack.apiUrl}${path}`, {
      ...init,
      headers: { 'x-api-key': apiKey, ...(init.headers as Record<string, string>) },
    });
    if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  try {
    let next = 0;
    const upload = async () => {
      while (next < truth.length) {
        const t = truth[next++];
        await api(`/v1/${BUCKET}/${RAW_IMAGE_PREFIX}${t.file}`, {
          method: 'PUT',
          headers: { 'content-type': 'image/jpeg' },
          body: await readFile(join(dir, t.file)),
        });
      }
    };
    await Promise.all(Array.from({ length: 4 }, upload));
    const rows: Array<{ truth: TruthRow; fields: CardFields }> = [];
    for (const t of truth) rows.push({ truth: t, fields: await settled(stack, api, t.file) });
    await stack.idle();
    const result = score(set, rows);
    result.search = await searchByName(api, truth);
    result.pymk = await pymkAgainstTruth(api, truth);
    return result;
  } finally {
    await stack.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function settled(
  stack: { idle(): Promise<void> },
  api: <T>(path: string) => Promise<T>,
  file: string,
): Promise<CardFields> {
  for (let attempt = 0; attempt < 60; attempt++) {
    const status = await api<{ status: string; data: CardFields | null; error?: string }>(`/v1/status/${file}`).catch(
      () => null,
    );
    if (status?.status === 'END' && status.data) return status.data;
    if (status?.status === 'FAILED') throw new Error(`${file} failed in the pipeline: ${status.error}`);
    await stack.idle();
  }
  throw new Error(`${file} did not reach END`);
}

/** A name's words whatever their case, order or punctuation: "JUNG Ye-rin" and "Jung, Ye-rin" are namesakes. */
export function nameWords(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^\p{L}\p{N}'-]+/gu, ' ')
    .trim()
    .split(' ')
    .sort()
    .join(' ');
}

/**
 * Each person, searched by their full name as printed: the first hit must be one of their cards. Hits of a
 * namesake (another person of the set with the same name words) are passed over: no search can tell the two apart.
 */
async function searchByName(
  api: <T>(path: string) => Promise<T>,
  truth: TruthRow[],
): Promise<NonNullable<SetResult['search']>> {
  const personOfFile = new Map(truth.map((t) => [t.file, personOf(t)]));
  const people = new Map<string, string>();
  for (const t of truth) if (t.name) people.set(personOf(t), t.name);
  const namesakes = (person: string, name: string) =>
    new Set([...people].filter(([p, n]) => p !== person && nameWords(n) === nameWords(name)).map(([p]) => p));
  const misses: string[] = [];
  for (const [person, name] of people) {
    const hits = await api<Array<{ image_id: string; name: string | null }>>(
      `/v1/search?query=${encodeURIComponent(name)}&limit=5`,
    );
    const others = namesakes(person, name);
    const first = hits.find((hit) => !others.has(personOfFile.get(hit.image_id) ?? ''));
    if (personOfFile.get(first?.image_id ?? '') !== person)
      misses.push(`${name}: first hit ${first ? `${first.image_id} (${first.name})` : 'none'}`);
  }
  return { found: people.size - misses.length, people: people.size, misses };
}

/**
 * PYMK of every owner against the truth graph: the owner's own card makes them a person; they know everyone whose
 * card they hold; friends of friends ranked by common contacts, then name (the pipeline's own ranking rule).
 */
async function pymkAgainstTruth(
  api: <T>(path: string) => Promise<T>,
  truth: TruthRow[],
): Promise<NonNullable<SetResult['pymk']>> {
  const key = (t: TruthRow) => normalizeEmail(t.email) ?? `name:${normalizeName(t.name)}`;
  const nameOf = new Map(truth.map((t) => [key(t), normalizeName(t.name)]));
  const owners = [...new Set(truth.map((t) => t.owner).filter((o): o is string => !!o))];
  const ownerVertex = new Map<string, string>();
  for (const t of truth) {
    if (t.owner && (t.is_owner_own_card ?? normalizeEmail(t.email)?.split('@')[0] === t.owner))
      ownerVertex.set(t.owner, key(t));
  }
  const adjacency = new Map<string, Set<string>>();
  const link = (a: string, b: string) => {
    if (a === b) return;
    if (!adjacency.has(a)) adjacency.set(a, new Set());
    if (!adjacency.has(b)) adjacency.set(b, new Set());
    adjacency.get(a)?.add(b);
    adjacency.get(b)?.add(a);
  };
  for (const t of truth) if (t.owner) link(ownerVertex.get(t.owner) ?? `owner:${t.owner}`, key(t));
  const misses: string[] = [];
  let top5 = 0;
  let rightByName = 0;
  for (const owner of owners) {
    const me = ownerVertex.get(owner) ?? `owner:${owner}`;
    const scores = rankFriendsOfFriends(new Set([me]), (id) => adjacency.get(id) ?? []);
    const ranked = topCandidates(scores, (id) => nameOf.get(id) ?? id, 100);
    const expected = ranked.map((c) => `${c.id}:${c.score}`);
    const answer = await api<Array<{ email: string | null; name: string | null; score: number }>>(
      `/v1/pymk?user=${encodeURIComponent(owner)}&limit=100`,
    );
    const actual = answer.map((s) => `${normalizeEmail(s.email) ?? `name:${normalizeName(s.name)}`}:${s.score}`);
    if (expected.slice(0, 5).join(' ') === actual.slice(0, 5).join(' ')) top5++;
    const sameByName =
      answer.length === ranked.length &&
      answer.every((s, i) => {
        const want = ranked[i];
        if (s.score !== want.score) return false;
        const email = normalizeEmail(s.email);
        return email ? email === want.id : normalizeName(s.name) === nameOf.get(want.id);
      });
    if (sameByName) rightByName++;
    if (expected.join(' ') !== actual.join(' '))
      misses.push(`${owner}: expected ${expected.join(', ') || '(none)'}; got ${actual.join(', ') || '(none)'}`);
  }
  return { right: owners.length - misses.length, top5, rightByName, users: owners.length, misses };
}

const pct = (v: number) => `${(100 * v).toFixed(1)} %`;

/** The sets side by side: per field accuracy and precision, then the pipeline checks. */
export function formatSideBySide(results: SetResult[]): string {
  const col = 22;
  const head = ['field'.padEnd(14), ...results.map((r) => `${r.set} (${r.cards})`.padEnd(col))].join(' ');
  const sub = [''.padEnd(14), ...results.map(() => 'accuracy  precision'.padEnd(col))].join(' ');
  const rows = SCORED_FIELDS.map((f) =>
    [
      f.padEnd(14),
      ...results.map((r) => {
        const { accuracy, precision } = rates(r.fields[f]);
        return `${pct(accuracy).padStart(7)}   ${pct(precision).padStart(7)}`.padEnd(col);
      }),
    ].join(' '),
  );
  const checks = [
    [
      'search by name',
      ...results.map((r) => (r.search ? `${r.search.found}/${r.search.people} people` : '-').padEnd(col)),
    ],
    ['PYMK = truth', ...results.map((r) => (r.pymk ? `${r.pymk.right}/${r.pymk.users} owners` : '-').padEnd(col))],
    ['PYMK top 5', ...results.map((r) => (r.pymk ? `${r.pymk.top5}/${r.pymk.users} owners` : '-').padEnd(col))],
    [
      'PYMK, by name',
      ...results.map((r) => (r.pymk ? `${r.pymk.rightByName}/${r.pymk.users} owners` : '-').padEnd(col)),
    ],
  ].map(([label, ...cells]) => [label.padEnd(14), ...cells].join(' '));
  return [head, sub, ...rows, '', ...checks].join('\n');
}

/** One set's table (the CI test prints it when a target is missed). */
export function formatTable(r: SetResult): string {
  return formatSideBySide([r]);
}

async function main(): Promise<void> {
  // The stack's per-invocation log lines would drown the tables.
  if (!process.env.OCTEMBER_LOG_LEVEL) logger.level = 'error';
  const args = process.argv.slice(2);
  const arg = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
  const path = arg('--path') ?? 'pipeline';
  if (path !== 'pipeline' && path !== 'local') throw new Error(`--path must be pipeline or local (got ${path})`);
  const dir = arg('--dir');
  const sets: Array<[string, string]> = dir
    ? [['dir', resolve(dir)]]
    : await Promise.all(
        (arg('--sets') ?? 'real,dev,validation,holdout').split(',').map(async (s): Promise<[string, string]> => {
          if (!CARD_SETS.includes(s as CardSet)) throw new Error(`unknown set ${s} (sets: ${CARD_SETS.join(', ')})`);
          return [s, await cardSetDir(s as CardSet)];
        }),
      );
  const results: SetResult[] = [];
  if (path === 'local') {
    const pool = TesseractPool.create();
    try {
      for (const [name, setDir] of sets) results.push(await measureSetLocally(pool, name, setDir));
    } finally {
      await pool.close();
    }
  } else {
    for (const [name, setDir] of sets) results.push(await measureSetThroughPipeline(name, setDir));
  }
  if (args.includes('--json')) {
    process.stdout.write(`${JSON.stringify({ rules: MATCH_RULES, path, results }, null, 2)}\n`);
    return;
  }
  console.log(
    `path: ${path === 'pipeline' ? 'the embedded stack (as octember dev), through the API' : 'octember extract (local OCR)'}`,
  );
  console.log(`exact-match rules: ${MATCH_RULES.join('; ')}\n`);
  console.log(formatSideBySide(results));
  if (args.includes('--verbose')) {
    for (const r of results) {
      console.log(`\n${r.set}:`);
      for (const m of r.misses)
        console.log(`  ${m.file} ${m.field}: expected ${JSON.stringify(m.expected)} got ${JSON.stringify(m.actual)}`);
      for (const m of [...(r.search?.misses ?? []), ...(r.pymk?.misses ?? [])]) console.log(`  ${m}`);
    }
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
}
