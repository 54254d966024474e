/**
 * Renders phone photos of synthetic business cards with known truth: a development set to tune the extractor on
 * and a held-out set to measure it (different seeds, and different people, companies, streets and titles: see
 * generate-cards-photos/people.ts).
 *
 *   npx tsx scripts/generate-cards-photos.ts [--set dev|validation|holdout|both] [--seed N] [--out DIR [--every N]]
 *
 * Output: DIR/*.jpg and DIR/truth.json; without --out, the cache `.cache/cards/<set>-<seed>-<source hash>/`
 * that `npm run accuracy` reads (rendered there on first use); `--every N` keeps every Nth photo (the CI sample
 * fixtures/cards-dev-sample is `--set dev --every 6 --out fixtures/cards-dev-sample`). Deterministic: the same
 * seed, sources and fonts give the same bytes, so the sets are not committed. Needs the fonts listed in
 * generate-cards-photos/fonts.ts (Debian packages; `npm test` renders nothing).
 *
 * Each set: 40 people, 6 of them owners (Octember users: an owner's id is the mailbox of their own card), 72
 * photos (each owner holds their own card and 11 others; a card held by several owners is photographed again
 * each time, under other conditions). Varies: layout (centred, left, right, two columns, band, side panel,
 * vertical), fonts (sans, serif, condensed, light, geometric, mono; bold and italic), colours (light and dark
 * cards), logos of glyph-like shapes beside, above or apart from the company name, icons, taglines, QR-like
 * blocks, name forms (apostrophes, hyphens, particles, initials, family name first with and without comma,
 * all caps), titles with commas, addresses of 15 countries on one or several lines, phones with and without
 * country code and extension, URLs with and without www. or https://, and the photo (rotation, perspective,
 * fill, blur, noise, uneven light and colour cast, background, JPEG quality 55-86).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CardTruth } from '../src/domain/card-extraction/scoring.js';
import { makeDesign } from './generate-cards-photos/design.js';
import { registerFonts } from './generate-cards-photos/fonts.js';
import { makePerson, type Person, type SetName } from './generate-cards-photos/people.js';
import { photoConditions, photograph } from './generate-cards-photos/photo.js';
import { renderCard } from './generate-cards-photos/render.js';
import { Rng } from './generate-cards-photos/rng.js';

export const DEFAULT_SEEDS: Record<SetName, number> = { dev: 20261, validation: 90217, holdout: 47711 };
const PEOPLE = 40;
const OWNERS = 6;
const CARDS_PER_OWNER = 12;

/** A card photo's truth: the fields as printed, plus how it was made (for reading misses). */
export interface PhotoTruth extends CardTruth {
  owner: string;
  person: string;
  is_owner_own_card: boolean;
  name_form: string;
  layout: string;
  conditions: string;
}

/** Which owner holds which people's cards: everyone is held at least once, owners hold each other's cards. */
function holdings(r: Rng, people: Person[]): Map<Person, Person[]> {
  const owners = people.slice(0, OWNERS);
  const others = people.slice(OWNERS);
  const held = new Map<Person, Person[]>(owners.map((o) => [o, [o]]));
  // Round-robin first, so that nobody is left out, then random picks (repeats make shared contacts).
  r.shuffle(others).forEach((p, i) => {
    held.get(owners[i % OWNERS])?.push(p);
  });
  for (const owner of owners) {
    const list = held.get(owner) as Person[];
    for (const other of r.shuffle(owners.filter((o) => o !== owner)).slice(0, r.int(1, 3))) list.push(other);
    const pool = r.shuffle(others.filter((p) => !list.includes(p)));
    while (list.length < CARDS_PER_OWNER && pool.length) list.push(pool.pop() as Person);
  }
  return held;
}

/** The photos a set is made of, in file order; `render` draws one (each photo has its own random stream). */
function planSet(set: SetName, seed: number) {
  const faces = registerFonts();
  const r = new Rng(seed);
  const used = new Set<string>();
  const people = Array.from({ length: PEOPLE }, (_, i) => makePerson(r.fork(), set, i, used));
  const cards = new Map(
    people.map((p) => {
      const dr = r.fork();
      const design = makeDesign(dr, faces, p);
      return [p, { design, ...renderCard(dr, design, p), code: r.digits(10) }];
    }),
  );
  const plan: Array<{ file: string; render: () => Promise<{ jpeg: Buffer; truth: PhotoTruth }> }> = [];
  for (const [owner, held] of holdings(r, people)) {
    const ownerId = owner.email.split('@')[0];
    for (const person of held) {
      const card = cards.get(person);
      if (!card) continue;
      const own = person === owner;
      const tag = own
        ? 'a'
        : person.name
            .toLowerCase()
            .replace(/[^a-z]/g, '')
            .slice(0, 2);
      const file = `${ownerId}_${tag}${card.code}.jpg`;
      const pr = r.fork();
      plan.push({
        file,
        render: async () => {
          const conditions = photoConditions(pr, card.canvas.width, card.canvas.height);
          const jpeg = await photograph(pr, card.canvas, conditions);
          const truth: PhotoTruth = {
            file,
            owner: ownerId,
            person: person.id,
            is_owner_own_card: own,
            name: person.name,
            job_title: person.title,
            company: card.printed.company,
            email: person.email,
            phone: card.printed.phone,
            phones: card.printed.phones,
            address: card.printed.address,
            url: person.url,
            name_form: person.nameForm,
            layout: card.design.layout,
            conditions: [
              `rot ${conditions.rotation.toFixed(1)}°`,
              `persp ${conditions.perspective.toFixed(3)}`,
              `blur ${conditions.blur}`,
              `light ${conditions.light.toFixed(2)}`,
              `q${conditions.jpegQuality}`,
              conditions.background,
            ].join(', '),
          };
          return { jpeg, truth };
        },
      });
    }
  }
  return plan.sort((a, b) => a.file.localeCompare(b.file));
}

/**
 * Renders `set` into `out` (replacing the photos and truth.json there). `pick` keeps some photos by their index in
 * file order (a sample renders only those; the others are the same as in the whole set).
 */
export async function generateSet(
  set: SetName,
  seed: number,
  out: string,
  pick: (index: number) => boolean = () => true,
): Promise<PhotoTruth[]> {
  const plan = planSet(set, seed).filter((_, i) => pick(i));
  mkdirSync(out, { recursive: true });
  for (const f of readdirSync(out)) if (f.endsWith('.jpg') || f === 'truth.json') rmSync(join(out, f));
  const truth: PhotoTruth[] = [];
  for (const photo of plan) {
    const { jpeg, truth: row } = await photo.render();
    writeFileSync(join(out, photo.file), jpeg);
    truth.push(row);
  }
  writeFileSync(join(out, 'truth.json'), `${JSON.stringify(truth, null, 2)}\n`);
  return truth;
}

const ROOT = resolve(import.meta.dirname, '..');
/** Where rendered sets are kept between runs (gitignored). */
export const CARDS_CACHE = join(ROOT, '.cache/cards');

/** A hash of the generator's own source: a changed generator renders its sets anew. */
function generatorVersion(): string {
  const hash = createHash('sha256');
  const dir = join(ROOT, 'scripts/generate-cards-photos');
  for (const file of [
    join(ROOT, 'scripts/generate-cards-photos.ts'),
    ...readdirSync(dir)
      .sort()
      .map((f) => join(dir, f)),
  ])
    hash.update(readFileSync(file));
  return hash.digest('hex').slice(0, 12);
}

/**
 * The folder of a rendered set, rendering it first when the cache lacks it (deterministic: the same seed, sources
 * and fonts give the same bytes).
 */
export async function renderedSet(set: SetName, options: { seed?: number } = {}): Promise<string> {
  const seed = options.seed ?? DEFAULT_SEEDS[set];
  const dir = join(CARDS_CACHE, `${set}-${seed}-${generatorVersion()}`);
  if (existsSync(join(dir, 'truth.json'))) return dir;
  const building = `${dir}.${process.pid}.tmp`;
  await generateSet(set, seed, building);
  rmSync(dir, { recursive: true, force: true });
  renameSync(building, dir);
  return dir;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const arg = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
  const which = arg('--set') ?? 'both';
  const every = Number(arg('--every') ?? 1);
  if (!['dev', 'validation', 'holdout', 'both'].includes(which))
    throw new Error(`--set must be dev, validation, holdout or both (got ${which})`);
  const sets: SetName[] = which === 'both' ? ['dev', 'holdout'] : [which as SetName];
  if (sets.length > 1 && (arg('--seed') || arg('--out'))) throw new Error('--seed and --out need a single --set');
  for (const set of sets) {
    const seed = Number(arg('--seed') ?? DEFAULT_SEEDS[set]);
    const out = arg('--out') ? resolve(arg('--out') as string) : await renderedSet(set, { seed });
    const truth = arg('--out')
      ? await generateSet(set, seed, out, (i) => i % every === 0)
      : (JSON.parse(readFileSync(join(out, 'truth.json'), 'utf8')) as PhotoTruth[]);
    console.log(
      `${set}: ${truth.length} photos of ${new Set(truth.map((t) => t.person)).size} people (seed ${seed}) → ${out}`,
    );
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
}
