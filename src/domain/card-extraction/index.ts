import { OCR_LANGUAGES, type OcrLanguage, type OcrLine } from '../../ports/ocr.js';
import type { CardFields, PhoneNumber } from '../card-fields.js';
import { addressLanguage, hasAccentedLetter, withAccentsRead } from './accents.js';
import { addressScore, endsWithCountry, findAddress, isNorthAmerican, isWholeAddress, startsCut } from './address.js';
import {
  type Box,
  median,
  type PageFrame,
  pageFrame,
  photoRegion,
  type Segment,
  segmentLines,
  unionBox,
  type Word,
} from './layout.js';
import { COMPANY_WORDS, FREEMAIL_DOMAINS, TITLE_WORDS, wholeWords } from './lexicon.js';
import {
  companyFromLabel,
  companyWordCount,
  editDistance,
  hasLegalForm,
  logoMatchesLabel,
  looksLikeName,
  matchesLabel,
  nameMatchesLocalPart,
  restoreStartFromMailbox,
  restoreUmlautsFromMailbox,
  restoreUmlautTitleWords,
  titleSlipsRead,
  titleWordCount,
  withoutScrapBeforeName,
} from './people.js';
import {
  countryCodeForDomain,
  isBareLabel,
  LOW_CONFIDENCE,
  labelKind,
  type PhoneHit,
  phonesIn,
  plusRestored,
  WRONG_LENGTH,
  withoutIconZero,
} from './phones.js';
import {
  emailsIn,
  freemailSpelling,
  hostOf,
  localPartsFor,
  mergedLetterVariants,
  normaliseWebText,
  registrableDomain,
  repairEmail,
  schemeSlipsBeforeDomain,
  siteName,
  stripLabels,
  urlsIn,
  type WebHit,
  webAddressInPieces,
} from './web.js';

export type { CardFields, PhoneKind, PhoneNumber } from '../card-fields.js';

export interface ExtractOptions {
  /** Page width / page height of the image, when known; estimated from the words otherwise. */
  pageAspectRatio?: number;
}

export interface AsyncExtractOptions extends ExtractOptions {
  /**
   * Re-reads a region of the page (page fractions), e.g. OCR of an upscaled crop, giving lines in page
   * fractions. Called only for fields whose reading looks broken; its text replaces the region's text
   * when that removes the doubt.
   */
  refine?: Refine;
}

/** Reads a region of the page again, at `textPx` text height, in `language` when given; lines in page fractions. */
export type Refine = (region: Box, angle?: number, textPx?: number, language?: OcrLanguage) => Promise<OcrLine[]>;

/** A field whose reading looks broken, and where on the page it is. */
export interface Doubt {
  field: 'name' | 'email' | 'phone' | 'url' | 'addr' | 'title' | 'company';
  reason: string;
  segment: Segment;
  /** The words to re-read; the whole segment when absent. */
  words?: Word[];
  /** Re-read the full width of the page at the segment's height. */
  wholeRow?: boolean;
  /** Re-read from the segment's left edge to the page's right edge (a label whose value was lost). */
  toRight?: boolean;
}

export interface Analysis {
  fields: CardFields;
  doubts: Doubt[];
  segments: Segment[];
  /** The segments the address was read from (empty when none was found). */
  addressSegments: Segment[];
  /** The segment the name was read from. */
  nameSegment?: Segment;
}

export interface PageAnalysis extends Analysis {
  frame: PageFrame;
}

/** Card fields from OCR'd lines and words. Absent fields are null, never guessed. */
export function extractCardFields(lines: readonly OcrLine[], options: ExtractOptions = {}): CardFields {
  return analyseCard(lines, options).fields;
}

/** As `extractCardFields`, re-reading doubtful regions through `options.refine` first. */
export async function extractCardFieldsAsync(
  lines: readonly OcrLine[],
  options: AsyncExtractOptions = {},
): Promise<CardFields> {
  const first = analyseCard(lines, options);
  const { refine } = options;
  if (!refine) return first.fields;
  const settled = first.doubts.length === 0 ? first : await withDoubtsReread(first, refine);
  return withAccentsReread(settled, first.frame, refine);
}

/** The doubtful regions of a card read again, each as long as a re-read removes its doubt. */
async function withDoubtsReread(first: PageAnalysis, refine: Refine): Promise<Analysis> {
  const { frame } = first;
  let current: Analysis = first;
  const seen = new Set<string>();
  // Structural doubts first: their re-reads (often of a whole row) settle more than a low confidence does.
  const ordered = [...first.doubts].sort((a, b) => Number(isStructural(b)) - Number(isStructural(a)));
  const settled = new Set<Doubt['field']>();
  for (const doubt of ordered) {
    if (settled.has(doubt.field)) continue;
    const words = doubt.words ?? doubt.segment.words;
    const key = `${doubt.segment.order}:${words.map((w) => w.text).join(' ')}`;
    if (seen.has(key)) continue;
    seen.add(key);
    // The doubtful segment as it stands now (an earlier refinement may have replaced it).
    const target = current.segments.find((s) => s.order === doubt.segment.order);
    if (!target) continue;
    // Tesseract's reading of a crop depends on its margins and scale: try a tight and a looser one; for a value whose
    // start may be lost, then one open to the left and read larger.
    const startLost = START_LOST_FIELDS.has(doubt.field);
    // (A whole row's crop is as wide with either margin; the segment alone is its second try.)
    const attempts: RefineAttempt[] = doubt.wholeRow
      ? [{ margin: REFINE_MARGINS[0] }, { margin: REFINE_MARGINS[0], segmentOnly: true, openLeft: startLost }]
      : REFINE_MARGINS.map((margin) => ({ margin }));
    if (startLost && !doubt.wholeRow && !doubt.toRight)
      attempts.push({ margin: REFINE_MARGINS[0], openLeft: true, textPx: LARGER_TEXT_PX });
    for (const { margin, openLeft, textPx, segmentOnly } of attempts) {
      const box = unionBox(words.map((w) => w.box));
      const row =
        doubt.wholeRow && !segmentOnly
          ? { ...box, left: 0, width: 1 }
          : doubt.toRight
            ? { ...box, width: Math.min(1, textRight(current.segments) + 0.02) - box.left }
            : box;
      const padded = pad(row, doubt.segment.size, margin, frame.aspect);
      const area = openLeft ? openToTheLeft(padded, box, target, current.segments, frame.aspect) : padded;
      // Cropped from the photo as it lies, which the levelled page is turned from.
      const region = photoRegion(area, frame);
      const replaced = replaceWords(
        target,
        words,
        await refine(region, frame.angle, textPx),
        frame,
        doubt.wholeRow,
        doubt.toRight,
        current.segments,
      );
      if (!replaced) continue;
      // Other segments whose words were all re-read with it (scraps before a title) are superseded by what the re-read
      // found in their place (not where it found nothing: "Ch" may be what is left of "Chief").
      const overlaps = (a: Box, b: Box) => Math.min(a.left + a.width, b.left + b.width) > Math.max(a.left, b.left);
      const reread = (s: Segment) =>
        s !== target &&
        s.words.length > 0 &&
        s.words.every((w) => words.includes(w)) &&
        replaced.added.some((w) => overlaps(w.box, s.box));
      const next = analyseSegments(
        current.segments.filter((s) => !reread(s)).map((s) => (s === target ? replaced.segment : s)),
      );
      if (doubt.field === 'name' && !spelledAsRead(words, next.fields.name)) continue;
      if (improves(current, next, doubt.field, meanConfidence(replaced.added) - meanConfidence(words))) {
        current = withFrontsKept(current, next);
        settled.add(doubt.field);
        break;
      }
    }
  }
  return current;
}

/**
 * The address's and the name's letters as their lines read in their language give them (see accents.ts): the
 * address's in its country's language, when that is one besides English that Textract reads; the name's in each of
 * them when it was read with a letter of theirs ("Thérese").
 */
async function withAccentsReread(a: Analysis, frame: PageFrame, refine: Refine): Promise<CardFields> {
  const { addr, name } = a.fields;
  const language = addr ? addressLanguage(addr) : undefined;
  // (Not in the address's language when read without one: "Hafiz" on a card from Freiburg is no German name.)
  const nameLanguages = name && hasAccentedLetter(name) ? OCR_LANGUAGES : [];
  // One read after another, as every re-read of the extractor (a caller may read them ahead at once).
  const read = async (segments: Segment[], languages: readonly OcrLanguage[]) => {
    const texts: string[] = [];
    for (const s of segments.filter((seg) => /\p{L}{3}/u.test(seg.text))) {
      const region = photoRegion(pad(s.box, s.size, REFINE_MARGINS[0], frame.aspect), frame);
      for (const l of languages)
        texts.push(...(await refine(region, frame.angle, undefined, l)).map((line) => line.text));
    }
    return texts;
  };
  const addrReads = addr && language ? await read(a.addressSegments, [language]) : [];
  const nameReads = name && a.nameSegment ? await read([a.nameSegment], nameLanguages) : [];
  return {
    ...a.fields,
    addr: addr && withAccentsRead(addr, addrReads),
    name: name && withAccentsRead(name, nameReads),
  };
}

export function analyseCard(lines: readonly OcrLine[], options: ExtractOptions = {}): PageAnalysis {
  const frame = pageFrame(lines, options.pageAspectRatio);
  return { ...analyseSegments(segmentLines(lines, { frame })), frame };
}

/** Doubts that say the reading is wrong, not merely unsure: they decide between two readings. */
const isStructural = (d: Doubt) => d.reason !== LOW_CONFIDENCE;

/**
 * A re-read is kept when it loses nothing elsewhere and clears structural doubts about its field,
 * or raises none and was read with more confidence than the words it replaces.
 */
function improves(before: Analysis, after: Analysis, field: Doubt['field'], confidenceGain: number): boolean {
  const key = field === 'phone' ? 'phone_number' : field === 'title' ? 'job_title' : field;
  // A re-read for a field that leaves it empty delivered nothing; what it changed elsewhere is not trusted (a
  // mailbox's row re-read as "hartievhaneulsvsiems.es" is no web address).
  if (after.fields[key] === null) return false;
  // A re-read that only loses a word of a value (the crop cut "Supply" off "Supply Chain Analyst") is no better;
  // losing a scrap ("lJ" read off a logo) is.
  // A re-read that drops the front of its web address or mailbox ("https://", "www.") loses it (another field's front
  // is kept as it was: see withFrontsKept).
  const own = key === 'url' || key === 'email' ? key : undefined;
  if (own && frontDropped(before.fields[own], after.fields[own])) return false;
  // ... or reads it without its scheme or www ("vwaekaizen.com" for https://www.kaizen.com), or off the mail domain
  // it was on.
  const [wasUrl, nowUrl, mail] = [before.fields.url, after.fields.url, after.fields.email];
  if (wasUrl && nowUrl && wasUrl !== nowUrl) {
    const front = (u: string) => /^(?:https?:\/\/|www\.)/i.test(u);
    if (front(wasUrl) && !front(nowUrl)) return false;
    if (mail && hostOf(wasUrl) === hostOf(mail) && hostOf(nowUrl) !== hostOf(mail)) return false;
  }
  for (const k of TEXT_FIELDS) {
    const was = before.fields[k];
    const now = after.fields[k];
    if (was && now && now !== was && was.includes(now) && /\p{L}{3}/u.test(was.replace(now, ' '))) return false;
  }
  // A mailbox the name spells is not traded for one it does not ("l.thornbury" for "l.thombury").
  if (field === 'email' && before.fields.email && after.fields.email) {
    const spelled = mailboxesOfName(before);
    const local = (v: string) => v.split('@')[0].toLowerCase();
    if (spelled.includes(local(before.fields.email)) && !spelled.includes(local(after.fields.email))) return false;
  }
  const filled = (a: Analysis) => Object.values(a.fields).filter((v) => v !== null).length + a.fields.phones.length;
  if (filled(after) < filled(before)) return false;
  const count = (a: Analysis, same: boolean) =>
    a.doubts.filter((d) => isStructural(d) && (d.field === field) === same).length;
  if (count(after, false) > count(before, false)) return false;
  // A value where there was none, unless it reads as broken (a crop's row cut through a number): null is better.
  if (before.fields[key] === null && after.fields[key] !== null) return count(after, true) === 0;
  if (count(after, true) !== count(before, true)) return count(after, true) < count(before, true);
  // A title's doubt is that it is cut: only a re-read that makes it whole helps.
  if (field === 'title') return false;
  // The same digits grouped otherwise ("01 026 8390", "01026 8390"): the gaps of a crop's reading are no surer.
  const [was, now] = [before.fields.phone_number, after.fields.phone_number];
  if (field === 'phone' && was && now && was !== now && was.replace(/\s/g, '') === now.replace(/\s/g, '')) return false;
  if (field === 'email' && restoresMailboxStart(before, after)) return true;
  return confidenceGain > 0;
}

const TEXT_FIELDS = ['name', 'job_title', 'company', 'addr'] as const;

/** `now` is `was` without its front ("www.acme.ie" for https://www.acme.ie). */
function frontDropped(was: string | null, now: string | null): boolean {
  return !!was && !!now && was.length > now.length && was.toLowerCase().endsWith(now.toLowerCase());
}

/**
 * A re-read's analysis with the web address or mailbox of another field as it was where the re-read dropped its front
 * (a mailbox's row re-read whole takes in the "W https" of the web address below it).
 */
export function withFrontsKept<A extends { fields: CardFields }>(before: A, after: A): A {
  const fields = { ...after.fields };
  for (const k of ['url', 'email'] as const)
    if (frontDropped(before.fields[k], after.fields[k])) fields[k] = before.fields[k];
  return { ...after, fields };
}

/** "c.brennan@" for "brennan@" on C. X. Brennan's card: a start the OCR lost, read back, that the name spells too. */
function restoresMailboxStart(before: Analysis, after: Analysis): boolean {
  const [was, wasDomain] = (before.fields.email ?? '').toLowerCase().split('@');
  const [now, nowDomain] = (after.fields.email ?? '').toLowerCase().split('@');
  if (!was || !now || wasDomain !== nowDomain || now.length <= was.length || !now.endsWith(was)) return false;
  return mailboxesOfName(before).includes(now);
}

/** The mailbox names the card's name spells (see localPartsFor). */
function mailboxesOfName(a: Analysis): string[] {
  return localPartsFor(a.fields.name?.split(/\s+/) ?? []);
}

/** Where the card's text ends on the right (a row re-read to the right stops there, not in the background). */
const textRight = (segments: Segment[]) => Math.max(...segments.map((s) => s.box.left + s.box.width));

/**
 * Margins around a re-read region, in text heights: a tight crop, then one wider to the sides. Not taller: a crop
 * taking in halves of the rows above and below cost tesseract 150-400 ms on their scraps, a strip ~50 ms, and read
 * the same fields on the dev sets.
 */
const REFINE_MARGINS = [
  { vertical: 0.6, horizontal: 0.6 },
  { vertical: 0.6, horizontal: 1.2 },
];

interface RefineAttempt {
  margin: (typeof REFINE_MARGINS)[number];
  /** From the end of what is printed to the left on the row (a label), or a few letters' room: a start lost. */
  openLeft?: boolean;
  /** Text height to read the crop at; the re-reader's default when absent. */
  textPx?: number;
  /**
   * For a doubt about a whole row, a crop of the segment alone (all it reads on the row is taken): a row's crop
   * running across a coloured panel and off the card's edge can leave tesseract nothing to read.
   */
  segmentOnly?: boolean;
}

/** Fields whose value's first letters the OCR loses to what stands before them (a label, an icon, a card's edge). */
const START_LOST_FIELDS = new Set<Doubt['field']>(['name', 'email', 'phone', 'url', 'addr', 'title']);

/** A re-read text height larger than the default: lines tesseract cannot read at one scale it often reads at another. */
const LARGER_TEXT_PX = 64;

/**
 * `padded` widened to the left: up to just after the nearest thing read on the same row to the left (a label), or by
 * 2.5 text heights when nothing is there.
 */
function openToTheLeft(padded: Box, box: Box, segment: Segment, segments: Segment[], aspect: number): Box {
  const before = segments
    .filter((o) => o !== segment && sameRow(o, segment) && o.box.left + o.box.width <= box.left + 0.005)
    .map((o) => o.box.left + o.box.width);
  const left = Math.max(
    0,
    before.length > 0 ? Math.max(...before) + (0.15 * segment.size) / aspect : box.left - (2.5 * segment.size) / aspect,
  );
  if (left >= padded.left) return padded;
  return { ...padded, left, width: padded.left + padded.width - left };
}

function pad(box: Box, textHeight: number, margin: (typeof REFINE_MARGINS)[number], aspect: number): Box {
  const v = textHeight * margin.vertical;
  const h = (textHeight * margin.horizontal) / aspect;
  const left = Math.max(0, box.left - h);
  const top = Math.max(0, box.top - v);
  return {
    left,
    top,
    width: Math.min(1 - left, box.width + 2 * h),
    height: Math.min(1 - top, box.height + 2 * v),
  };
}

/** `segment` with `words` swapped for what the re-read found. */
function replaceWords(
  segment: Segment,
  words: Word[],
  lines: OcrLine[],
  frame: PageFrame,
  wholeRow = false,
  toRight = false,
  others: Segment[] = [],
): { segment: Segment; added: Word[] } | null {
  // Only what sits on the doubtful words' own row: the padded crop catches bits of the rows around it. The row is the
  // segment's (pieces beside it may be taller: a large title and a small address line read as one).
  const own = unionBox(words.map((w) => w.box));
  const ownWords = words.filter((w) => segment.words.includes(w));
  const row = ownWords.length > 0 ? unionBox(ownWords.map((w) => w.box)) : own;
  // ... and not a line read already (a scrap's crop catches the line beside it, which would be given twice).
  const readElsewhere = (w: Word) => {
    const x = w.box.left + w.box.width / 2;
    const y = w.box.top + w.box.height / 2;
    const text = w.text.toLowerCase().replace(/^\W+|\W+$/g, '');
    return others.some(
      (o) =>
        o !== segment &&
        text.length > 0 &&
        o.text.toLowerCase().includes(text) &&
        !o.words.some((ow) => words.includes(ow)) &&
        x > o.box.left &&
        x < o.box.left + o.box.width &&
        y > o.box.top &&
        y < o.box.top + o.box.height,
    );
  };
  const refined = segmentLines(lines, { frame })
    .flatMap((s) => s.words)
    .filter((w) => {
      const centre = w.box.top + w.box.height / 2;
      const middle = w.box.left + w.box.width / 2;
      return (
        centre > row.top - 0.25 * row.height &&
        centre < row.top + 1.25 * row.height &&
        (wholeRow || (middle > own.left && (toRight || middle < own.left + own.width))) &&
        !readElsewhere(w)
      );
    });
  if (refined.length === 0) return null;
  // The segment's own doubtful words (the rest may be pieces beside it: "Senior Manager" | "r, Treasury" of "LEOPOLD
  // O'HALLORAN | Senior Manager", whose name stays).
  const at = ownWords.map((w) => segment.words.indexOf(w));
  let [first, last] = [Math.min(...at), Math.max(...at)];
  if (ownWords.length === 0) {
    // The segment was already replaced by an earlier re-read: replace all of it.
    first = 0;
    last = segment.words.length - 1;
  }
  const merged = [...segment.words.slice(0, first), ...refined, ...segment.words.slice(last + 1)];
  return { segment: { ...segment, words: merged, text: merged.map((w) => w.text).join(' ') }, added: refined };
}

function meanConfidence(words: Word[]): number {
  return words.reduce((sum, w) => sum + w.confidence, 0) / Math.max(1, words.length);
}

interface SegmentInfo {
  emails: WebHit[];
  urls: WebHit[];
  phones: PhoneHit[];
  bareLabel: boolean;
}

/**
 * A name re-read from print that read as none is taken only when its letters are about the ones read ("Leopold O.
 * Holmgren" for "eopol 0. Holmgren"): a crop also catches the line below ("… Holmgren Strateqic"), or reads a
 * wordmark's strokes as a name ("Ba CT").
 */
function spelledAsRead(words: Word[], name: string | null): boolean {
  if (!name) return false;
  const letters = (text: string) => text.toLowerCase().replace(/[^\p{L}\d]/gu, '');
  const was = letters(words.map((w) => w.text).join(''));
  const now = letters(name);
  return editDistance(was, now) <= Math.max(2, NAME_REREAD_SLIPS * now.length);
}

/** The share of a re-read name's letters that may differ from the first reading's. */
const NAME_REREAD_SLIPS = 0.3;

/** The field rules, over segments already in reading order. */
export function analyseSegments(read: Segment[]): Analysis {
  const segments = withTouchingPiecesJoined(read);
  const doubts: Doubt[] = [];
  const info = new Map<Segment, SegmentInfo>();
  for (const s of segments) {
    const bareLabel = isBareLabel(s);
    info.set(s, { emails: bareLabel ? [] : emailsIn(s), urls: bareLabel ? [] : urlsIn(s), phones: [], bareLabel });
  }
  // Phones, with a bare label ("Mobile") printed to the left on the same row.
  for (const s of segments) {
    const i = info.get(s) as SegmentInfo;
    if (i.bareLabel) continue;
    const left = segments
      .filter((o) => info.get(o)?.bareLabel && o.box.left < s.box.left && sameRow(o, s))
      .sort((a, b) => b.box.left - a.box.left)[0];
    const leftKind = left ? labelKind(left.text) : null;
    const withoutWeb = i.emails.length || i.urls.length ? stripWeb(s, i) : s;
    i.phones = phonesIn(withoutWeb, leftKind, addressScore(s.text) >= 2).map((p) => ({ ...p, segment: s }));
  }

  const all = (pick: (i: SegmentInfo) => WebHit[]) => segments.flatMap((s) => pick(info.get(s) as SegmentInfo));
  const urlHits = all((i) => i.urls).sort((a, b) => urlRank(a.value) - urlRank(b.value));
  let url: string | null = urlHits[0]?.value ?? null;
  let emailHit = all((i) => i.emails)[0] ?? null;
  const isFree = (s: Segment) => {
    const i = info.get(s) as SegmentInfo;
    return !i.bareLabel && i.emails.length === 0 && i.urls.length === 0 && i.phones.length === 0;
  };

  const beforePhones = addressesBeforePhones(segments, info);
  const address = findAddress([...segments, ...beforePhones], (s) => beforePhones.includes(s) || isFree(s));
  const inAddress = new Set(address?.segments ?? []);
  if (address) doubts.push(...addressDoubts(address.segments, segments, isFree));
  // Its first line cut at the start: a re-read of the line (the looser crop takes in more to the left) may restore it.
  if (address && startsCut(address.text)) {
    const first = address.segments.reduce((a, b) => (b.order < a.order ? b : a));
    doubts.push({ field: 'addr', reason: 'address cut at its start', segment: first });
  } else if (address && !address.endsOpen && !isWholeAddress(address.text)) {
    // "…, Halifax, NS B3] “4": its town's line misread (a postcode, a town lost), most often the last.
    const last = address.segments.reduce((a, b) => (b.order > a.order ? b : a));
    doubts.push({
      field: 'addr',
      reason: 'address not read whole',
      segment: last,
      words: withPiecesBeside(last, segments),
    });
  }
  let textual = segments
    .filter((s) => isFree(s) && !inAddress.has(s) && isWordy(s.text))
    .flatMap(splitNameAndTitle)
    .map(withNameSlipsRead)
    .map(withoutStrokeBeforeName);

  // A first guess at the name, for repairing an email by the person's name.
  const domainsFromUrls = [...new Set(urlHits.flatMap((h) => [hostOf(h.value), registrableDomain(hostOf(h.value))]))];
  if (!emailHit) {
    const provisionalName = pickName(textual, null, []);
    const companyNames = textual
      .filter((o) => /\p{Lu}/u.test(o.text))
      .flatMap((o) => lineSpellings(o).map((l) => l.label));
    for (const s of segments) {
      if (isBareLabel(s)) continue;
      const repaired = repairEmail(s, {
        domains: domainsFromUrls,
        nameTokens: provisionalName ? provisionalName.text.split(/\s+/) : [],
        urlElsewhere: urlHits.some((h) => h.segment !== s),
        companyNames,
      });
      if (!repaired) continue;
      if ('value' in repaired) {
        emailHit = repaired;
        doubts.push({ field: 'email', reason: repaired.repairs.join(', ') || 'repaired', segment: s });
        // The token was taken for a URL before we knew it was a mailbox.
        const mailbox = repaired.value.replace('@', '').toLowerCase();
        url = urlHits.find((h) => !(h.segment === s && mailbox.endsWith(h.value.toLowerCase())))?.value ?? null;
      } else {
        // Pieces of the address may sit anywhere on the row: re-read all of it.
        doubts.push({ field: 'email', reason: repaired.reason, segment: s, wholeRow: true });
      }
      break;
    }
  }
  if (emailHit?.repairs.length && !doubts.some((d) => d.field === 'email')) {
    doubts.push({ field: 'email', reason: emailHit.repairs.join(', '), segment: emailHit.segment });
  }
  const urlHit = urlHits.find((h) => h.value === url);
  if (!url) {
    // "hups:/daeyang,co.ke": a web address read too badly to match, or the mail domain's name and a dot, its end
    // read as junk ("tianyumontgomery. “ 4"); a re-read of its row may do.
    const mailName = emailHit ? siteName(hostOf(emailHit.value)) : '';
    const hostCut = (s: Segment) =>
      mailName.length >= 4 && !FREEMAIL_DOMAINS.has(mailName) && s.text.trim().toLowerCase().startsWith(`${mailName}.`);
    const garbled = segments.find((s) => isFree(s) && (BROKEN_URL.test(s.text) || hostCut(s)));
    if (garbled) doubts.push({ field: 'url', reason: 'unreadable web address', segment: garbled, wholeRow: true });
  }
  if (urlHit?.repairs.length) doubts.push({ field: 'url', reason: urlHit.repairs.join(', '), segment: urlHit.segment });
  if (url && urlHit) doubts.push(...frontReadAsScrap(url, urlHit, segments));
  for (const [field, hit] of [
    ['email', emailHit],
    ['url', urlHit],
  ] as const) {
    if (!hit) continue;
    if (field === 'email' && mailboxConfirmed(hit.value, domainsFromUrls, pickName(textual, null, []))) continue;
    const words = wordsOfValue(hit.segment, hit.value);
    if (words.some((w) => w.confidence < 80))
      doubts.push({ field, reason: LOW_CONFIDENCE, segment: hit.segment, words });
  }
  // A mail domain one letter off the printed company name or the web address: trust the better-read one.
  let emailValue = emailHit ? freemailSpelling(agreeOnDomain(emailHit, url, textual)) : null;
  if (url && urlHit && emailHit && emailValue) {
    url = urlAgreeingWithMail(url, urlHit, emailHit, hostOf(emailValue));
  }
  const spelled = !url && emailValue ? urlSpelledLikeMailDomain(segments, isFree, hostOf(emailValue)) : null;
  if (url && emailValue) url = wwwRestored(url, hostOf(emailValue), urlHit, segments);
  // "W https" | "www.hikarimobility.ie": the scheme read as a segment of its own, left of the address on its row.
  if (url && urlHit && !/^https?:/i.test(url) && startsWithValue(urlHit.segment, url))
    url = `${schemeReadApart(segments, urlHit.segment)}${url}`;
  if (spelled) {
    url = spelled.value;
    // A web address read apart from the mail domain ("juniper es" beside ...@junmiper.es): the better-read one wins.
    if (emailHit && spelled.asRead) emailValue = freemailSpelling(agreeOnDomain(emailHit, url, textual));
    // The web address's line is no company name, though it spells the domain.
    textual = textual.filter((s) => s !== spelled.segment);
  }
  if (url && emailValue) url = urlSpelledLikeCompany(url, hostOf(emailValue), textual);
  if (url && urlHit && url === urlHit.value) url = urlSpelledLikeCompanyLine(url, urlHit, textual);
  // "tone.com" beside ...@bluestone.com: the end of the mail domain, its start cut off, is no web address.
  if (url && emailValue && cutFromMailDomain(hostOf(url), hostOf(emailValue))) url = null;
  // A scheme read with slips before the mail domain ("hups/irosewood ca"): a web address read worse than its scheme.
  if (emailValue && (!url || !/^https?:/i.test(url))) {
    const mailHost = hostOf(emailValue);
    const same = !url || editDistance(hostOf(url), mailHost) <= 2;
    const slipped = same && !FREEMAIL_DOMAINS.has(siteName(mailHost));
    for (const s of slipped ? segments : []) {
      const i = info.get(s) as SegmentInfo;
      const found = i.emails.length === 0 ? schemeSlipsBeforeDomain(s.text, mailHost) : null;
      if (found) {
        url = found;
        break;
      }
    }
  }
  // A web address read in two pieces, the start and the end of the mail domain ("www.silv" | "moon.com").
  if (emailValue && !url && !FREEMAIL_DOMAINS.has(siteName(hostOf(emailValue)))) {
    for (let k = 0; k + 1 < segments.length && !url; k++)
      url = webAddressInPieces(segments[k].text, segments[k + 1].text, hostOf(emailValue));
  }

  const labels = domainLabels(emailValue, url);
  const companyStrong = textual.filter(
    (s) =>
      // A legal form alone ("Pvt. Ltd") is the end of a company's name, not one.
      !LEGAL_TAIL.test(s.text.trim()) &&
      // Printed names capitalise a word ("telecom es" is the end of a web address read apart).
      /\p{Lu}/u.test(s.text) &&
      (hasLegalForm(s.text) ||
        ((companyWordCount(s.text) > 0 || isPartnership(s.text)) && titleWordCount(s.text) === 0 && !isPhrase(s.text))),
  );
  // (Not a web address cut after its name's dot: "tianyumontgomery. “ 4".)
  // (Nor a piece of a web address in small letters that starts the domain's name: "larks" of larkspur-aerospace.es.)
  const companyByDomain = textual.filter(
    (s) =>
      labels.some(
        (l) => matchesLabel(s.text, l) && (/\p{Lu}/u.test(s.text) || compactLower(s.text) === compactLower(l)),
      ) && !/^[a-z0-9-]+\.(?:\s|$)/.test(s.text.trim()),
  );
  const nameCandidates = textual.filter((s) => !companyStrong.includes(s) && !companyByDomain.includes(s));
  const name = pickName(nameCandidates, emailValue, textual);

  const email = emailAfterName(emailValue, emailHit, name, doubts);
  const titles = textual.filter((s) => s !== name && titleWordCount(s.text) > 0 && !hasLegalForm(s.text));
  const title =
    pickTitle(titles, name) ?? titleBelowName(textual, name, [...companyStrong, ...companyByDomain], segments);

  const titleParts = title ? sameLineRun(title, textual, [name, ...companyStrong, ...companyByDomain]) : [];
  const titleText = withoutContactTail(titleParts.map((s) => s.text).join(' '));
  if (!name) {
    const untaken = nameCandidates.filter((s) => !titleParts.includes(s));
    doubts.push(...nameUnread(untaken, textual));
  }
  const titleScraps = title ? scrapsBefore(titleParts[0], segments, textual) : [];
  const claimed = new Set([name, ...companyStrong, ...companyByDomain, ...inAddress].flatMap((s) => s?.words ?? []));
  const titlePieces = title
    ? piecesOfRow(
        titleParts,
        segments,
        // (A line of words that is no free text is another field's: a web address spelled without its dots. A lone
        // letter reads as a label, "C" for cell, but on the title's row it is what is left of a word: "C" | "ymer".)
        (s) =>
          (!isFree(s) && !/^\p{Lu}$/u.test(s.text.trim())) ||
          (isWordy(s.text) && !textual.includes(s)) ||
          s.words.some((w) => claimed.has(w)),
      )
    : [];
  const doubtfulTitle = !!title && (titleScraps.length > 0 || titlePieces.length > 0 || startsWithFragment(titleParts));
  if (title && doubtfulTitle)
    doubts.push({
      field: 'title',
      reason: 'title starts with a fragment',
      segment: title,
      words: [...new Set([...titleScraps, ...titlePieces, ...titleParts])]
        .flatMap((s) => s.words)
        .sort((a, b) => a.box.left - b.box.left),
    });
  // (A title's piece is no company: "Human Resources" after "Vice President,".)
  const noTitlePiece = (s: Segment) => s === title || !titleParts.includes(s);
  const company = pickCompany({
    textual: textual.filter(noTitlePiece),
    companyStrong: companyStrong.filter(noTitlePiece),
    companyByDomain,
    labels,
    name,
    title,
    email,
    url,
    doubts,
  });

  const phones: PhoneNumber[] = [];
  const northAmerican = !!address && isNorthAmerican(address.text);
  const topLevel = [email, url].map((v) => (v ? hostOf(v).split('.').pop() : undefined)).find((t) => t?.length === 2);
  for (const s of segments) {
    for (const p of (info.get(s) as SegmentInfo).phones) {
      const codeDoubtful = p.words.some((w) => /\+\d/.test(w.text) && w.confidence < 80);
      const coded = topLevel && codeDoubtful ? countryCodeForDomain(p.number, topLevel) : p.number;
      const number = topLevel ? plusRestored(coded, topLevel) : coded;
      for (const reason of p.doubts) doubts.push({ field: 'phone', reason, segment: s, words: p.words });
      // Too few or too many digits for its country ("+44 7700 9"): digits were lost or added; a re-read may do.
      if (p.doubts.includes(WRONG_LENGTH)) continue;
      phones.push({ number: northAmerican ? withoutIconZero(number) : number, kind: p.kind });
    }
  }
  const firstCallable = phones.find((p) => p.kind !== 'fax');
  if (!firstCallable) doubts.push(...numbersInPieces(segments, info, inAddress));
  doubts.push(
    ...labelsWithoutValue(segments, info, {
      phone: !firstCallable,
      email: !emailHit,
      url: !url,
    }),
  );

  const mailbox = email ? email.split('@')[0] : '';
  return {
    fields: {
      name: name
        ? withoutScrapBeforeName(
            restoreStartFromMailbox(restoreUmlautsFromMailbox(cleanText(name.text), mailbox), mailbox),
            mailbox,
          )
        : null,
      // A title cut at its start ("ative Director") is not given: a re-read may restore it.
      job_title:
        title && !doubtfulTitle
          ? acronymsInCapitals(titleSlipsRead(restoreUmlautTitleWords(cleanText(titleText))))
          : null,
      company,
      email,
      phone_number: firstCallable?.number ?? null,
      phones,
      // A piece of an address (no town, postcode or country read; its start cut) is not given: a re-read may complete it.
      addr: address && !address.endsOpen && isWholeAddress(address.text) ? address.text : null,
      url,
    },
    doubts,
    segments,
    addressSegments: address?.segments ?? [],
    ...(name ? { nameSegment: name } : {}),
  };
}

/**
 * An address and a phone number or web address printed as one line ("Room 1907, 214 Century Avenue, Shanghai 200120,
 * China Phone: +86 21 …", "… Montreal, QC H3A 1B9 Web: www.alameda.ca"): the words before the number or web address
 * (and a label ending in a colon), when they read as an address.
 */
function addressesBeforePhones(segments: Segment[], info: Map<Segment, SegmentInfo>): Segment[] {
  const parts: Segment[] = [];
  for (const s of segments) {
    const i = info.get(s) as SegmentInfo;
    if (i.emails.length > 0 || i.phones.length > 0 === i.urls.length > 0) continue;
    let end = i.phones.length
      ? s.words.indexOf(i.phones[0].words[0])
      : s.words.findIndex((w) => /^(?:https?:\/\/|www\.)/i.test(w.text));
    if (end > 0 && /:$/.test(s.words[end - 1].text)) end--;
    // "Chengdu 610041, chu¥L0Obile +86 …": the address's last word run into the phone's label, read as nothing.
    if (end > 0 && s.words[end - 1].confidence < 30 && /[^\p{L}]/u.test(s.words[end - 1].text)) continue;
    if (end < 3) continue;
    const words = s.words.slice(0, end);
    const text = words.map((w) => w.text).join(' ');
    if (addressScore(text) < 3) continue;
    parts.push({ ...s, words, text, box: unionBox(words.map((w) => w.box)) });
  }
  return parts;
}

/** Acronyms of job titles, which are printed in capitals. */
const TITLE_ACRONYMS = new Set(
  'ux ui it hr qa vp svp evp avp ceo cto cfo coo cio cmo cpo ciso pr ai ml emea apac latam r&d'.split(' '),
);

/**
 * A title without the next column's contact label and the start of its value, read on its row ("Vice President, Human
 * Resources e-mail jvanderbergs"): the value is in lower case or digits, which no title word is.
 */
function withoutContactTail(title: string): string {
  return title.replace(/\s+(?:e-?mail|tel|fax|mobile|phone|web)\s*[:.]?\s+[\p{Ll}\d][^\s]*$/iu, '');
}

/** "Lead ux Researcher": an acronym of a title read in lower case among capitalised words. */
function acronymsInCapitals(title: string): string {
  if (!/\p{Lu}\p{Ll}/u.test(title)) return title;
  return title.replace(/(?<![\p{L}&])[\p{Ll}&]{2,5}(?![\p{L}&])/gu, (word) =>
    TITLE_ACRONYMS.has(word) ? word.toUpperCase() : word,
  );
}

/**
 * "bh" | "eikenhof-advisors.ca": a web address without its "www." or scheme, a scrap of two or three letters right in
 * front of it on its row (what is left of the "www."): a re-read of both.
 */
function frontReadAsScrap(url: string, hit: WebHit, segments: Segment[]): Doubt[] {
  if (/^(?:https?:\/\/|www\.)/i.test(url)) return [];
  const label = siteName(hostOf(url)).toLowerCase();
  const seg = hit.segment;
  const words = seg.words;
  const at = words.findIndex((w) => w.text.toLowerCase().includes(label));
  if (at < 0) return [];
  const scrap = at > 0 ? words[at - 1] : lastWordJustLeft(seg, segments);
  if (!scrap || !/^[a-z]{2,3}$/.test(scrap.text) || WEB_LABEL_ALONE.test(scrap.text)) return [];
  return [{ field: 'url', reason: 'start read as a scrap', segment: hit.segment, words: [scrap, ...words.slice(at)] }];
}

/** The last word of the segment just left of `seg` on its row, when closer than a text height. */
function lastWordJustLeft(seg: Segment, segments: Segment[]): Word | undefined {
  const left = segments
    .filter((s) => s !== seg && sameRow(s, seg) && s.box.left + s.box.width <= seg.box.left + 0.005)
    .sort((a, b) => b.box.left - a.box.left)[0];
  if (!left || seg.box.left - (left.box.left + left.box.width) >= seg.size) return undefined;
  return left.words[left.words.length - 1];
}

/** The start of a phone number: a country code or an area code in brackets, then digits. */
const NUMBER_START = /^(?:\p{L}{1,6}\.?:?\s+)?(?:\+\s?\d|\(\d{2,4}\))/u;

/**
 * "+1 379) 5:" | "0103": a phone number read in pieces with little confidence, none read whole: a re-read of the
 * row's pieces (see withPiecesBeside).
 */
function numbersInPieces(segments: Segment[], info: Map<Segment, SegmentInfo>, inAddress: Set<Segment>): Doubt[] {
  const unclaimed = (s: Segment) => {
    const i = info.get(s) as SegmentInfo;
    return !inAddress.has(s) && i.emails.length === 0 && i.urls.length === 0 && i.phones.length === 0;
  };
  const digits = (s: Segment) => (s.text.match(/\d/g) ?? []).length;
  const isDigitPiece = (s: Segment) => /^[\d\s().-]+$/.test(s.text) && /\d{2}/.test(s.text);
  const started = segments
    .filter((s) => unclaimed(s) && NUMBER_START.test(s.text.trim()) && digits(s) >= 3)
    .map(
      (s): Doubt => ({
        field: 'phone',
        reason: 'number read in pieces',
        segment: s,
        // (its digits further off where a group between was lost: "+1(379)" | "0103")
        words: withPiecesBeside(s, segments, isDigitPiece),
      }),
    );
  if (started.length > 0) return started;
  // No start read either ("i" "1" "i" "30" "1924"): a row of unclaimed scraps and digit groups holding a number's
  // worth of digits, read again whole, then from its first piece on (and further left: its start was lost).
  const rows: Segment[][] = [];
  for (const s of segments.filter((o) => unclaimed(o) && isDigitPiece(o))) {
    if (rows.some((row) => row.includes(s))) continue;
    const row = segments
      .filter((o) => sameRow(o, s) && unclaimed(o) && (isDigitPiece(o) || o.text.trim().length <= 2))
      .sort((a, b) => a.box.left - b.box.left);
    if (row.reduce((n, o) => n + digits(o), 0) >= 5) rows.push(row);
  }
  return rows.map(
    (row): Doubt => ({
      field: 'phone',
      reason: 'number read in pieces',
      segment: row[0],
      words: row.flatMap((o) => o.words),
      wholeRow: true,
    }),
  );
}

/** A web or mail label printed alone ("e-mail", "Web:"): its value was not read. */
const WEB_LABEL_ALONE = /^(?:e-?mail|mail|email|e|web|website|url|internet|www)\s*[:.|]?$/i;

/** A mail domain read from its "@" on, nothing before it. */
const DOMAIN_WITHOUT_MAILBOX = /^@\s?[a-z0-9-]{2,}(?:[.,\s]+[a-z]{2,})+$/i;

/** A mail label and one word that can start a mailbox, no "@" read. */
const MAILBOX_CUT = /^(?:e-?mail|mail|email|e)\s*[:.|]?\s+[a-z][\w.+-]{2,}$/i;

/**
 * Labels whose value the OCR lost ("Tel" "Mobile" "e-mail" "Web:" read, the numbers and addresses beside them
 * not): a re-read of the label's whole row, for each field still missing.
 */
function labelsWithoutValue(
  segments: Segment[],
  info: Map<Segment, SegmentInfo>,
  missing: Record<'phone' | 'email' | 'url', boolean>,
): Doubt[] {
  const doubts: Doubt[] = [];
  const valueRight = (s: Segment, has: (i: SegmentInfo) => boolean) =>
    segments.some((o) => o !== s && sameRow(o, s) && o.box.left > s.box.left && has(info.get(o) as SegmentInfo));
  for (const s of segments) {
    const i = info.get(s) as SegmentInfo;
    if (missing.phone && i.bareLabel && !valueRight(s, (o) => o.phones.length > 0))
      doubts.push({ field: 'phone', reason: 'label without a number', segment: s, toRight: true });
    // A mail label and the mailbox's name, the rest of the row lost ("E lhartley"): re-read to the right.
    if (missing.email && MAILBOX_CUT.test(s.text.trim()))
      doubts.push({ field: 'email', reason: 'mailbox without its domain', segment: s, toRight: true });
    // "@outlook com": a mail domain whose mailbox name was lost (or read apart): re-read the whole row.
    if (missing.email && DOMAIN_WITHOUT_MAILBOX.test(s.text.trim()))
      doubts.push({ field: 'email', reason: 'mail domain without its mailbox', segment: s, wholeRow: true });
    const web = s.text.trim().match(WEB_LABEL_ALONE);
    if (!web) continue;
    const field = /^(?:web|website|url|internet|www)/i.test(web[0]) ? 'url' : 'email';
    if (missing[field] && !valueRight(s, (o) => (field === 'url' ? o.urls : o.emails).length > 0))
      doubts.push({ field, reason: 'label without a value', segment: s, toRight: true });
  }
  return doubts;
}

/**
 * A web address read with next to no confidence whose host is a misread or two from the card's mail domain read
 * well ("www.hikanimobihity.ie" beside ...@hikarimobility.ie): the mail domain's spelling.
 */
function urlAgreeingWithMail(url: string, urlHit: WebHit, emailHit: WebHit, mailHost: string): string {
  const host = hostOf(url);
  if (host === mailHost || FREEMAIL_DOMAINS.has(siteName(mailHost))) return url;
  const urlConfidence = Math.min(...wordsOfValue(urlHit.segment, url).map((w) => w.confidence));
  const mailConfidence = Math.min(...wordsOfValue(emailHit.segment, emailHit.value).map((w) => w.confidence));
  if (urlConfidence >= 50 || mailConfidence < urlConfidence + 20) return url;
  if (host.length < 8 || editDistance(host, mailHost) > 2) return url;
  const at = url.toLowerCase().indexOf(host);
  return at < 0 ? url : `${url.slice(0, at)}${mailHost}${url.slice(at + host.length)}`;
}

/** The host is the end of the mail domain cut inside its name ("tone.com" of bluestone.com, "partners.com"). */
function cutFromMailDomain(host: string, mailHost: string): boolean {
  return host !== mailHost && mailHost.endsWith(host) && mailHost[mailHost.length - host.length - 1] !== '.';
}

/**
 * "copperleatbiotech.com" beside ...@copperleafbiotech.com and "COPPERLEAF BIOTECH": a web address a misread or two
 * off the mail domain, which a line of the card spells as the mail domain does, takes the mail domain's spelling.
 */
function urlSpelledLikeCompany(url: string, mailHost: string, textual: Segment[]): string {
  const host = hostOf(url);
  const label = siteName(host);
  const mailLabel = siteName(mailHost);
  if (host === mailHost || label.length < 5 || editDistance(label, mailLabel) > 2) return url;
  if (host.slice(label.length) !== mailHost.slice(mailLabel.length)) return url;
  const spelled = textual.flatMap((s) => lineSpellings(s).map((l) => l.label));
  if (!spelled.includes(mailLabel) || spelled.includes(label)) return url;
  const at = url.toLowerCase().indexOf(host);
  return at < 0 ? url : `${url.slice(0, at)}${mailHost}${url.slice(at + host.length)}`;
}

/** A web name read with at most this confidence, a company line with at least this much. */
const POORLY_READ = 60;
const WELL_READ = 85;

/**
 * "tedkitelabs.es" beside "Redkite Labs" (a mail on a free domain: no mail domain to agree with): a web name read
 * poorly, a letter off a company line read well, takes the company line's spelling.
 */
function urlSpelledLikeCompanyLine(url: string, hit: WebHit, textual: Segment[]): string {
  const host = hostOf(url);
  const label = siteName(host).toLowerCase();
  const urlWords = wordsOfValue(hit.segment, url);
  if (label.length < 6 || !/^[a-z]+$/.test(label) || Math.min(...urlWords.map((w) => w.confidence)) > POORLY_READ)
    return url;
  for (const s of textual) {
    // its words, not a logo's mark read as a character in front ("4 Redkite Labs")
    const words = s.words.filter((w) => /\p{L}{2}/u.test(w.text));
    const spelled = spellingWithoutLegalForm(words.map((w) => w.text).join(' '));
    if (!/\p{Lu}/u.test(s.text) || spelled.length !== label.length || editDistance(spelled, label) !== 1) continue;
    if (Math.min(...words.map((w) => w.confidence)) < WELL_READ) continue;
    const at = url.toLowerCase().indexOf(label);
    return `${url.slice(0, at)}${spelled}${url.slice(at + label.length)}`;
  }
  return url;
}

/**
 * A web address whose dots were read as spaces or commas ("alameda kr", "www acme,com"): taken when its letters
 * are exactly the mail domain's, dots restored from the mail domain.
 */
function urlSpelledLikeMailDomain(
  segments: Segment[],
  isFree: (s: Segment) => boolean,
  domain: string,
): { value: string; segment: Segment; asRead?: boolean } | null {
  if (FREEMAIL_DOMAINS.has(siteName(domain))) return null;
  const letters = domain.replace(/\./g, '');
  const [mailLabel, ...mailTop] = registrableDomain(domain).split('.');
  for (const s of segments) {
    if (!isFree(s)) continue;
    // A globe or pointer icon read as a mark in front ("@ redkite com/team").
    const text = stripLabels(s.text.replace(/^\s*[@©®*»«•·]\s+(?=[a-z])/i, '')).trim();
    // "northgate.sglen" beside ...@northgate.sg: the slash before a path read as an l.
    const slash = slashReadAsL(text, domain);
    if (slash) return { value: slash, segment: s };
    // "juniper es" beside ...@junmiper.es: a web address whose dot was read as a space, spelled a misread or two from
    // the mail domain and ending in its top-level domain; taken as read (the better-read spelling wins later).
    // A path after it is kept ("redkite com/team").
    // A "W" or "Web" label without its colon before it ("Web hanbit-ventures com/en").
    const bare = text.match(/^(?:w\s+|web\s+)?(www\.)?([a-z][a-z0-9-]{4,})[\s,]+([a-z]{2,3})(\/[a-z0-9_-]+)?$/i);
    // ... its top-level domain read one letter off when its name is the mail domain's exactly ("kaizen jo/en" of .jp).
    const top = bare?.[3].toLowerCase() ?? '';
    const topRead =
      top === mailTop[0] ||
      (bare?.[2].toLowerCase() === mailLabel && top.length === 2 && editDistance(top, mailTop[0] ?? '') === 1);
    if (bare && mailTop.length === 1 && topRead) {
      // A "W" label run into the address ("Windigo com" beside ...@indigo.com).
      const label = bare[2].toLowerCase() === `w${mailLabel}` ? mailLabel : bare[2].toLowerCase();
      const www = bare[1] ? 'www.' : '';
      const path = bare[4]?.toLowerCase() ?? '';
      if (label === mailLabel) return { value: `${www}${domain}${path}`, segment: s };
      if (editDistance(label, mailLabel) <= 2)
        return { value: `${www}${label}.${mailTop[0]}${path}`, segment: s, asRead: true };
    }
    // A "W" label without its colon too ("W acme com"): the letters must be the mail domain's all the same.
    const m = stripLabels(s.text)
      .replace(/^w\s+(?=\S)/i, '')
      .toLowerCase()
      .replace(/\s+/g, '')
      .match(/^(https?:\/\/)?(www[.,]?)?([a-z0-9.,-]+)$/);
    if (!m) continue;
    // "Granite Works" beside ...@granite.works: capitalised words with no www or scheme are the company's name.
    if (!m[1] && !m[2] && /\p{Lu}\p{Ll}/u.test(text)) continue;
    const read = m[3].replace(/[.,]/g, '');
    // Exact letters; or, after a "www" that says it is a web address, letters at most two misreads away.
    const close = read === letters || (!!m[2] && letters.length >= 8 && editDistance(read, letters) <= 2);
    if (!close) continue;
    const scheme = m[1] ?? (m[2] ? schemeReadApart(segments, s) : '');
    return { value: `${scheme}${m[2] ? 'www.' : ''}${domain}`, segment: s };
  }
  return null;
}

/**
 * The "www." of a web address lost: read as "v." or "w." in front of the mail domain ("v.silverlinesoftware.ie"), or
 * read as a segment of its own just left of the address on its row ("www" | "silverlinesoftware.ie").
 */
function wwwRestored(url: string, mailHost: string, hit: WebHit | undefined, segments: Segment[]): string {
  const slip = url.match(/^(https?:\/\/)?(?:[vw]{1,2})\.(.+)$/i);
  if (slip && slip[2].toLowerCase() === mailHost) return `${slip[1] ?? ''}www.${slip[2]}`;
  if (!hit || /^(https?:\/\/|www\.)/i.test(url) || !hit.segment.text.trim().startsWith(url)) return url;
  const seg = hit.segment;
  const www = segments.find(
    (s) =>
      s !== seg &&
      /^(?:www|ww|vww|wvw)[.,]?$/i.test(s.text.trim()) &&
      sameRow(s, seg) &&
      s.box.left < seg.box.left &&
      seg.box.left - (s.box.left + s.box.width) < 2 * seg.size,
  );
  return www ? `www.${url}` : url;
}

/** A web address on the mail domain whose path's slash was read as l, I, 1 or |: "northgate.sglen" → "northgate.sg/en". */
export function slashReadAsL(text: string, domain: string): string | null {
  const escaped = domain.replace(/[.*+?^${}()|[\]\\/-]/g, (c) => `\\${c}`);
  const m = text.match(new RegExp(`^((?:https?://)?(?:www\\.)?)${escaped}[l1I|]([a-z]{2,12})$`, 'i'));
  return m ? `${m[1].toLowerCase()}${domain}/${m[2].toLowerCase()}` : null;
}

/** The segment's text starts with the web address (after a label, or a speck read as a mark: '"www hikari.ie'). */
function startsWithValue(segment: Segment, url: string): boolean {
  const text = normaliseWebText(stripLabels(segment.text).replace(/^[\s'‘’`"“”]+/, ''));
  return text.toLowerCase().startsWith(url.toLowerCase());
}

/** "https://" read as a segment of its own just left of the address on its row ("W https" "www.acme.com"). */
function schemeReadApart(segments: Segment[], url: Segment): string {
  const left = segments.find(
    (s) =>
      Math.abs(s.box.top + s.box.height / 2 - (url.box.top + url.box.height / 2)) < url.size &&
      s.box.left < url.box.left &&
      url.box.left - (s.box.left + s.box.width) < 0.05 &&
      /\bhttps?:?\/{0,2}$/i.test(s.text),
  );
  if (!left) return '';
  return /https/i.test(left.text) ? 'https://' : 'http://';
}

/**
 * A mailbox two other readings on the card agree with: its domain is the web address's and its local part is built
 * from the name (crong@amazon.com beside aws.amazon.com and "Crong"). Read with little confidence, it needs no
 * re-read: a re-read could only replace it with something the rest of the card does not back.
 */
function mailboxConfirmed(mailbox: string, urlDomains: string[], name: Segment | null): boolean {
  const [local, domain] = mailbox.toLowerCase().split('@');
  if (!local || !domain || !urlDomains.some((d) => d.toLowerCase() === domain)) return false;
  return !!name && localPartsFor(name.text.split(/\s+/)).includes(local);
}

/** The words an email or URL was read from (for re-reading just those). */
function wordsOfValue(segment: Segment, value: string): Word[] {
  const v = value.toLowerCase();
  const words = segment.words.filter((w) => {
    const t = w.text.toLowerCase().replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
    return t.length > 0 && (v.includes(t) || t.includes(v) || /[@©®]/.test(w.text));
  });
  return words.length ? words : segment.words;
}

function agreeOnDomain(hit: WebHit, url: string | null, textual: Segment[]): string {
  const [local, host] = hit.value.split('@');
  const registrable = registrableDomain(host);
  const label = registrable.split('.')[0];
  if (label.length < 5) return hit.value;
  const mailConfidence = Math.min(...wordsOfValue(hit.segment, hit.value).map((w) => w.confidence));
  const rivals: Array<{ label: string; confidence: number; web?: boolean }> = [];
  if (url) {
    const urlLabel = siteName(hostOf(url));
    rivals.push({ label: urlLabel, confidence: 90, web: true });
  }
  // Each line whole, and its first words (each as sure as its words: "Eikenhof" of "Eikenhof Co., Ltd.").
  for (const s of textual) rivals.push(...lineSpellings(s));
  // A line of the card spells the mail domain as read ("COPPERLEAF BIOTECH" beside ...@copperleafbiotech.com): no
  // rival one letter off it is more likely ("copperleatbiotech.com").
  if (rivals.some((r) => !r.web && r.label === label)) return hit.value;
  for (const rival of rivals) {
    if (rival.label === label || rival.label.length < 5 || rival.confidence <= mailConfidence) continue;
    // A letter misread; or, against the web address, a letter added or lost ("junmiper" for juniper: rn, m); or,
    // against a company line read well, letters read as like ones ("brackenndge", "tanyu" beside TIANYU LLP).
    const sameLength = rival.label.length === label.length;
    if (
      (editDistance(rival.label, label) === 1 &&
        (sameLength ||
          (rival.web && rival.label.length >= 6 && mailConfidence < 70 && /^[a-z]+$/.test(rival.label + label)))) ||
      (!rival.web && rival.confidence >= WELL_READ && rival.label.length >= 6 && readAsLike(label, rival.label))
    ) {
      return `${local}@${host.slice(0, host.length - registrable.length)}${rival.label}${registrable.slice(label.length)}`;
    }
  }
  return hit.value;
}

/** A company line's letters as a domain spells them, its legal form left out ("Redkite Labs Ltd." → redkitelabs). */
const spellingWithoutLegalForm = (text: string) => compactLower(text.replace(LEGAL_FORM_WORDS, ''));

/**
 * A line's letters as a domain may spell them, its first words and the whole ("TIANYU FABRICATION" → tianyu,
 * tianyufabrication), each as sure as the least sure of its words.
 */
function lineSpellings(s: Segment): Array<{ label: string; confidence: number }> {
  const spellings = new Map<string, number>();
  for (let k = 1; k <= s.words.length; k++) {
    const words = s.words.slice(0, k);
    const label = spellingWithoutLegalForm(words.map((w) => w.text).join(' '));
    // (the fewest words that spell it: a legal form after them adds no letters, only its doubt)
    if (label && !spellings.has(label)) spellings.set(label, Math.min(...words.map((w) => w.confidence)));
  }
  return [...spellings].map(([label, confidence]) => ({ label, confidence }));
}

/**
 * `read` is `word` read in small print: letters read as like ones (ri as n, rn as m, cl as d; i, l, t, f, j as one
 * another; c as e), or one thin letter lost ("tanyu" for tianyu); not the same word.
 */
export function readAsLike(read: string, word: string): boolean {
  if (read === word) return false;
  const shape = (t: string) =>
    t
      .replace(/rn/g, 'm')
      .replace(/ri/g, 'n')
      .replace(/cl/g, 'd')
      .replace(/[iltfj1]/g, 'i')
      .replace(/e/g, 'c');
  const [r, w] = [shape(read), shape(word)];
  if (r === w) return true;
  return w.length === r.length + 1 && [...w].some((ch, k) => ch === 'i' && w.slice(0, k) + w.slice(k + 1) === r);
}

const LEGAL_FORM_WORDS = new RegExp(
  `${wholeWords('inc|llc|llp|ltd|plc|corp|gmbh|ag|kg|co|limited|pvt|pte|pty|sdn|bhd|dac|sarl|sas|s\\.[al]|b\\.v|n\\.v|k\\.k').source}\\.?`,
  'giu',
);

/**
 * "Kavya lyer", "lsabel Pennington": a capital I read as a lower-case l at the start of a word of a name (the line
 * reads as a name only with it), or of a double family name's second part.
 */
function withCapitalI(s: Segment): Segment {
  // After the hyphen of a double family name ("Vasquez-lbarra"; not a Korean given name's second syllable, "Ye-lin").
  const doubled = s.text.replace(/(\p{Lu}\p{Ll}{3,}-)l(?=\p{Ll}{2})/gu, '$1I');
  if (doubled !== s.text && looksLikeName(cleanText(doubled))) return { ...s, text: doubled };
  if (!/(?:^|[\s-])l\p{Ll}{2}/u.test(s.text) || looksLikeName(cleanText(s.text))) return s;
  const text = s.text.replace(/(^|[\s-])l(?=\p{Ll}{2})/gu, '$1I');
  return looksLikeName(cleanText(text)) ? { ...s, text } : s;
}

/** A line's slips undone where it reads as a name only then: an initial, a capital I, an apostrophe. */
function withNameSlipsRead(s: Segment): Segment {
  return withApostropheRead(withCapitalI(withInitialsRead(s)));
}

/** "Leopold DAmato": the apostrophe after a family name's D or O lost (the line reads as a name only with it). */
function withApostropheRead(s: Segment): Segment {
  const text = s.text.replace(/(^|\s)([DO])(?=\p{Lu}\p{Ll}{2})/gu, "$1$2'");
  if (text === s.text || looksLikeName(cleanText(s.text)) || !looksLikeName(cleanText(text))) return s;
  return { ...s, text };
}

/**
 * "A.l. Mwangi", "|.G. Delacroix", "V.0. Mwangi": an initial I read as l or a bar, an O as a zero (the line reads as a
 * name only with them restored).
 */
function withInitialsRead(s: Segment): Segment {
  const initials = /(^|\s)((?:[\p{Lu}l|10]\.){1,3})(?=\s)/gu;
  const text = s.text.replace(
    initials,
    (_, space: string, run: string) => `${space}${run.replace(/[l|1]/g, 'I').replace(/0/g, 'O')}`,
  );
  if (text === s.text || looksLikeName(cleanText(s.text)) || !looksLikeName(cleanText(text))) return s;
  return { ...s, text };
}

/** "I Ito Sho": a rule or a mark printed before a name, read as a lone stroke-like letter. */
function withoutStrokeBeforeName(s: Segment): Segment {
  const m = s.text.match(/^[Il1|!]\s+/);
  if (!m || s.words.length < 3 || looksLikeName(cleanText(s.text))) return s;
  const text = s.text.slice(m[0].length);
  if (!looksLikeName(cleanText(text))) return s;
  const words = s.words.slice(1);
  return { ...s, text, words, box: unionBox(words.map((w) => w.box)) };
}

/** "Jane Doe, CEO" / "Jane Doe | Product Manager": one printed line holding both name and title. */
function splitNameAndTitle(s: Segment): Segment[] {
  // At the first separator after which a name stands before and a title after ("Takahashi, Kazuki | Principal
  // Designer": not at the comma of a family name written first).
  let m: RegExpMatchArray | null = null;
  for (const sep of s.text.matchAll(/\s*(?:,|\||–|—|\s-)\s+/g)) {
    const at = sep.index ?? 0;
    if (at === 0) continue;
    const cut = [s.text, s.text.slice(0, at), s.text.slice(at + sep[0].length)] as RegExpMatchArray;
    // ... the name maybe with a capital I read as l ("Kavya lyer | Lead UX Researcher"), an initial misread ("Tessa 0."),
    // an apostrophe lost ("Leopold DAmato | Key Account Manager").
    if (!looksLikeName(cut[1])) cut[1] = withNameSlipsRead({ ...s, text: cut[1] }).text;
    if (looksLikeName(cut[1]) && titleWordCount(cut[2]) > 0) {
      m = cut;
      break;
    }
  }
  if (!m) return [s];
  const nameWords = m[1].split(/\s+/).length;
  const make = (words: Word[], text: string): Segment => ({
    ...s,
    words,
    text,
    box: unionBox(words.map((w) => w.box)),
  });
  const titleWords = s.words.slice(nameWords).filter((w) => !/^[|–—-]$/.test(w.text));
  if (titleWords.length === 0) return [s];
  return [make(s.words.slice(0, nameWords), m[1]), make(titleWords, m[2])];
}

const BROKEN_URL = /\b(h\w{1,4}s?:\s?\/|w{2,3}[.,]|www\s[a-z]|[a-z0-9-]{3,}[.,]\s?(com|co|de|net|org|io|kr|uk)\b)/i;

function sameRow(a: Segment, b: Segment): boolean {
  return rowOverlap(a, b) > 0.5;
}

/** The share of the shorter segment's height the two share. */
function rowOverlap(a: Segment, b: Segment): number {
  const overlap = Math.min(a.box.top + a.box.height, b.box.top + b.box.height) - Math.max(a.box.top, b.box.top);
  return overlap / Math.min(a.box.height, b.box.height);
}

/**
 * A mailbox that looks cut by the OCR: its start split off as another word ("lukas krueger@"), or
 * only the tail of the name-built mailbox left ("e.morgan@" for Grace Morgan). Flags it for a re-read
 * of the whole row; joins a split-off start only when the person's name spells exactly that mailbox.
 */
function emailAfterName(
  value: string | null,
  hit: WebHit | null,
  name: Segment | null,
  doubts: Doubt[],
): string | null {
  if (!value || !hit) return value;
  const [local, domain] = value.split('@');
  const candidates = name ? localPartsFor(name.text.split(/\s+/)) : [];
  // As the mailbox was found: "han hyunwoo @ acme.com" is "han hyunwoo@acme.com".
  const read = normaliseWebText(hit.segment.text);
  const at = read.indexOf(`${local}@`);
  const before = at > 0 ? read.slice(0, at) : '';
  // A capital in front ("Joost terhorst@" for joost.terhorst) is the name's start only when the name spells it so.
  const split =
    before.match(/(?:^|\s)([a-z][a-z._-]*)\s+$/) ??
    [before.match(/(?:^|\s)(\p{Lu}[a-z._-]*)\s+$/u)].find(
      (m) => m && candidates.includes(`${m[1]}.${local}`.toLowerCase()),
    );
  if (split && !/^(e|email|mail|e-mail)$/i.test(split[1])) {
    const joined = `${split[1]}.${local}`.toLowerCase();
    // A hyphen the name has ("mary-kate pennington@" for Mary-Kate Pennington) is spelled as printed.
    if (candidates.includes(joined.replace(/-/g, '')) && !candidates.includes(joined)) return `${joined}@${domain}`;
    // "ning huang@" for Jing Huang: the split-off start read with one slip; the name settles it, no re-read.
    const near = candidates.find((c) => c.includes('.') && c.length >= 6 && editDistance(c, joined) === 1);
    if (near && !candidates.includes(joined)) return `${near}@${domain}`;
    // The name spells the two words joined: settled, no re-read (one of a whole row can only add to it).
    if (candidates.includes(joined)) return `${joined}@${domain}`;
    doubts.push({ field: 'email', reason: 'mailbox split in two words', segment: hit.segment, wholeRow: true });
    // "ago dacosta@" for tiago.dacosta: the part after the split is no whole mailbox; a re-read may join them.
    return null;
  }
  // "E | thistlewood@" for j.thistlewood: a narrow initial and its period ("j.", "l.", "i.") read as a stroke apart;
  // "-mail . muldoon@" for l.muldoon: the initial lost, its period read apart. The name spells the initial.
  const apart = before.match(/(?:^|\s)([|.])\s*$/)?.[1];
  if (apart) {
    const initial = apart === '|' ? /^[jli]\./ : /^[a-z]\./;
    const initialled = candidates.filter((c) => initial.test(c) && c.slice(2) === local.toLowerCase());
    if (initialled.length === 1) return `${initialled[0]}@${domain}`;
  }
  // "Llin@" for l.lin: an initial and its period read as one capital (mailboxes are printed in lower case), confirmed
  // by the person's name.
  if (/^\p{Lu}\p{Ll}+$/u.test(local)) {
    const dotted = `${local[0].toLowerCase()}.${local.slice(1)}`;
    if (candidates.includes(dotted)) return `${dotted}@${domain}`;
  }
  // "IZimmermann" for lzimmermann, "1.marlowe" for l.marlowe: an l read as I or 1, an o as 0, confirmed by the
  // person's name.
  if (/[I1|0]/.test(local)) {
    const asL = local.replace(/[I1|]/g, 'l').replace(/0/g, 'o').toLowerCase();
    if (candidates.includes(asL) && !candidates.includes(local.toLowerCase())) return `${asL}@${domain}`;
  }
  const lower = local.toLowerCase();
  // One letter misread or lost in a mailbox the person's name spells ("ananva.krishnan" for Ananya Krishnan). Not
  // one letter more: "tkrueger" for Tobias Kruger spells an umlaut the name was read without.
  // Not a last letter that is itself the initial of a word of the name ("amirb" for Amir bin Yusof is no "amiry"):
  // which word's initial a mailbox ends in, the name does not say.
  const nameInitials: string[] = (name?.text ?? '').toLowerCase().match(/(?<![\p{L}'’])\p{L}/gu) ?? [];
  const otherInitial = (c: string) =>
    c.length === lower.length &&
    c.slice(0, -1) === lower.slice(0, -1) &&
    nameInitials.includes(lower[lower.length - 1]);
  const nearOnes = candidates.filter(
    (c) => c.length >= 5 && c.length >= lower.length && editDistance(c, lower) === 1 && !otherInitial(c),
  );
  // "cunji" for eunji (Cho Eun-ji), near ceunji too: a letter misread is likelier than one lost.
  const sameLength = nearOnes.filter((c) => c.length === lower.length);
  const near = nearOnes.length > 1 && sameLength.length === 1 ? sameLength[0] : nearOnes[0];
  // A hyphen the name has ("mary-kate.pennington" for Mary-Kate Pennington) is no misread.
  // Nor is a dot the name's words are parted by ("itoryota" for Ryota Ito is no "ito.ryota" with a dot lost).
  const spelled =
    candidates.includes(lower) ||
    candidates.includes(lower.replace(/-/g, '')) ||
    candidates.some((c) => c.replace(/[._-]/g, '') === lower);
  if (near && !spelled && !/\d/.test(lower)) return `${near}@${domain}`;
  // "sobnen" for sobrien (Sean O'Brien): two letters read as one ("ri" as n, "rn" as m), the name spelling the pair.
  const merged = spelled ? [] : mergedLetterVariants(lower).filter((v) => candidates.includes(v));
  if (new Set(merged).size === 1) return `${merged[0]}@${domain}`;
  // "fananya@" for Ananya Krishnan: a mark glued in front of a mailbox the name spells (no initial of the name).
  const initials = (name?.text ?? '')
    .toLowerCase()
    .split(/[\s,-]+/)
    .map((w) => w[0]);
  if (
    !spelled &&
    lower.length >= 6 &&
    candidates.includes(lower.slice(1)) &&
    !initials.includes(lower[0]) &&
    !/\d/.test(lower)
  )
    return `${local.slice(1)}@${domain}`;
  // "2@redkitefoods.ca": a mailbox of a digit or two is what is left of one cut at the start; none is given.
  if (/^\d{1,2}$/.test(local)) {
    doubts.push({ field: 'email', reason: 'mailbox cut at the start', segment: hit.segment, wholeRow: true });
    return null;
  }
  if (candidates.some((c) => c.length > lower.length && c.endsWith(lower) && !candidates.includes(lower))) {
    doubts.push({ field: 'email', reason: 'mailbox cut at the start', segment: hit.segment, wholeRow: true });
    // "hyun@" for Tae-hyun Jang: the end of a mailbox the name spells is none; a re-read may restore its start.
    return null;
  }
  return value;
}

/**
 * An unreadable line right below the address ("ISA" for USA) that a re-read may turn into its last
 * line. (Re-reading low-confidence address words was tried: crops of single words pick up bits of
 * their neighbours, so it is not done.)
 */
function addressDoubts(chain: Segment[], segments: Segment[], isFree: (s: Segment) => boolean): Doubt[] {
  const doubts: Doubt[] = [];
  const last = chain[chain.length - 1];
  // Nothing of an address comes after its country.
  if (endsWithCountry(last.text)) return doubts;
  const below = segments.find(
    (s) =>
      isFree(s) &&
      !chain.includes(s) &&
      s.box.top > last.box.top &&
      s.box.top - (last.box.top + last.box.height) < 1.6 * last.size &&
      Math.min(s.box.left + s.box.width, last.box.left + last.box.width) > Math.max(s.box.left, last.box.left) &&
      s.words.some((w) => w.confidence < 90) &&
      // (not a mark: "«" before "Singap:" | "re 0031")
      /[\p{L}\p{N}]{2}/u.test(s.text) &&
      addressScore(s.text) === 0,
  );
  if (below)
    doubts.push({
      field: 'addr',
      reason: 'unread line below the address',
      segment: below,
      words: withPiecesBeside(below, segments),
    });
  return doubts;
}

/**
 * A segment's words and those of the pieces of its row the OCR read apart, close beside it ("Dublin 2. D02" | "576"
 * where X576 is printed): a re-read of the line takes them in, and they are replaced by what it reads there. A piece
 * that reads as an address lies further off when words between were not read at all ("214 Century Avenue" |
 * "Shanghai 200120, China", "Pudong" lost). A scrap (every word read with little confidence) too far off is passed
 * over.
 */
function withPiecesBeside(
  segment: Segment,
  segments: Segment[],
  isFarPiece: (o: Segment) => boolean = (o) => addressScore(o.text) > 0,
): Word[] {
  const chars = (gap: number) => gap / charWidth(segment);
  const near = (o: Segment, gap: number) =>
    chars(gap) <= PIECE_GAP_CHARS || (chars(gap) <= FAR_PIECE_GAP_CHARS && isFarPiece(o));
  const isScrap = (o: Segment) => o.words.every((w) => w.confidence < SCRAP_CONFIDENCE);
  const row = segments.filter((o) => o !== segment && sameRow(o, segment)).sort((a, b) => a.box.left - b.box.left);
  const right: Segment[] = [];
  let end = segment.box.left + segment.box.width;
  for (const o of row) {
    if (o.box.left < end) continue;
    if (near(o, o.box.left - end)) {
      right.push(o);
      end = o.box.left + o.box.width;
    } else if (!isScrap(o)) break;
  }
  const left: Segment[] = [];
  let start = segment.box.left;
  for (const o of row.reverse()) {
    if (o.box.left + o.box.width > start) continue;
    if (near(o, start - (o.box.left + o.box.width))) {
      left.unshift(o);
      start = o.box.left;
    } else if (!isScrap(o)) break;
  }
  return [...left, segment, ...right].flatMap((s) => s.words);
}

/** Beside a line, a piece read apart lies within this many characters (a letter lost and a space), or an address's
 * piece within this many (a word or two lost). */
const PIECE_GAP_CHARS = 3.5;
const FAR_PIECE_GAP_CHARS = 12;
/** Words read with less confidence than this are a scrap's. */
const SCRAP_CONFIDENCE = 50;

function stripWeb(s: Segment, i: SegmentInfo): Segment {
  let text = stripLabels(s.text);
  for (const hit of [...i.emails, ...i.urls]) text = text.replace(hit.value, ' ');
  return { ...s, text };
}

function urlRank(value: string): number {
  if (/^https?:\/\//i.test(value)) return 0;
  if (/^www\./i.test(value)) return 1;
  return 2;
}

function isWordy(text: string): boolean {
  const compact = text.replace(/\s+/g, '');
  const letters = (compact.match(/\p{L}/gu) ?? []).length;
  return letters >= 2 && letters / compact.length >= 0.6;
}

function cleanText(text: string): string {
  return (
    text
      .replace(/\s+/g, ' ')
      .replace(/^[\s|,;:·•-]+|[\s|,;:·•\\/]+$/g, '')
      // A quote mark before the first letter is a speck read as one (names keep theirs inside: O'Brien).
      .replace(/^['‘’`"“”]+(?=\p{L})/u, '')
      .trim()
  );
}

/** Words of the email domain and URL host that can name a company: "aws", "amazon" for aws.amazon.com. */
function domainLabels(email: string | null, url: string | null): string[] {
  const labels: string[] = [];
  for (const host of [url ? hostOf(url) : null, email ? hostOf(email) : null]) {
    if (!host) continue;
    const registrable = registrableDomain(host);
    const main = registrable.split('.')[0];
    const subs = host
      .slice(0, host.length - registrable.length)
      .split('.')
      .filter((p) => p && p !== 'www');
    if (FREEMAIL_DOMAINS.has(main)) continue;
    labels.push(...subs, main);
  }
  return [...new Set(labels)];
}

function pickName(candidates: Segment[], email: string | null, context: Segment[]): Segment | null {
  const names = candidates.filter((s) => looksLikeName(cleanText(s.text)));
  if (names.length === 0) return null;
  const maxSize = Math.max(...names.map((s) => s.size));
  const local = email ? email.split('@')[0] : '';
  const titles = context.filter((s) => titleWordCount(s.text) > 0);
  const score = (s: Segment) => {
    let v = (3 * s.size) / maxSize;
    if (local && nameMatchesLocalPart(s.text, local)) v += 3;
    if (titles.some((t) => Math.abs(t.order - s.order) === 1 && t.column === s.column)) v += 1.5;
    // "D.X. Castellanos |": a name printed before its title on one line, the title lost to the OCR.
    if (/\s[|–—]$/.test(s.text.trim())) v += 2.5;
    if (s.text === s.text.toUpperCase()) v -= 0.3;
    return v;
  };
  return names.reduce((best, s) => (score(s) > score(best) ? s : best));
}

/**
 * No name read: the largest print left unclaimed, of two words or more, is re-read ("eopol 0. Holmgren", the name's
 * first letter lost and its initial read as a digit), when no free text on the card is printed larger.
 */
function nameUnread(candidates: Segment[], textual: Segment[]): Doubt[] {
  const wordy = candidates.filter((s) => /\p{L}{3}/u.test(s.text) && s.text.trim().split(/\s+/).length >= 2);
  if (wordy.length === 0) return [];
  const largest = wordy.reduce((a, b) => (b.size > a.size ? b : a));
  // With the pieces of its row the OCR read apart ("B | Bruno d" | "a" | "Costa"): read again with it.
  const row = rowPieces(largest, candidates);
  if (textual.some((s) => !row.includes(s) && s.size > largest.size)) return [];
  const words = row.length > 1 ? row.flatMap((s) => s.words) : undefined;
  return [{ field: 'name', reason: 'name unreadable', segment: largest, ...(words ? { words } : {}) }];
}

/** `seg` and the segments beside it on its row in its size, each within a text height of the next, left to right. */
function rowPieces(seg: Segment, segments: Segment[]): Segment[] {
  const alike = (o: Segment) =>
    sameRow(o, seg) && Math.max(o.size, seg.size) < ROW_PIECE_SIZE * Math.min(o.size, seg.size);
  const row = segments.filter((o) => o === seg || alike(o)).sort((a, b) => a.box.left - b.box.left);
  let first = row.indexOf(seg);
  let last = first;
  const near = (a: Segment, b: Segment) => gapBetween(a, b) < Math.max(a.size, b.size);
  while (first > 0 && near(row[first - 1], row[first])) first--;
  while (last < row.length - 1 && near(row[last], row[last + 1])) last++;
  return row.slice(first, last + 1);
}

/** Pieces of one row of print differ in text height by less than this factor. */
const ROW_PIECE_SIZE = 1.5;

/**
 * A segment with the free text segments of its own printed line right beside it ("Supply" | "Chain Analyst": one
 * title the OCR cut at a wide-looking gap), left to right; not across a column or into a name or company.
 */
function sameLineRun(seg: Segment, textual: Segment[], claimed: Array<Segment | null>): Segment[] {
  const row = textual
    .filter((s) => s.line === seg.line && s.column === seg.column && (s === seg || !claimed.includes(s)))
    .sort((a, b) => a.box.left - b.box.left);
  let first = row.indexOf(seg);
  let last = first;
  const near = (a: Segment, b: Segment) => b.box.left - (a.box.left + a.box.width) < 3 * Math.max(a.size, b.size);
  // After it, only in its type: smaller print beside it on the row is another field's (an address's).
  const sameType = (a: Segment, b: Segment) => Math.max(a.size, b.size) < 1.8 * Math.min(a.size, b.size);
  while (first > 0 && near(row[first - 1], row[first]) && !looksLikeName(cleanText(row[first - 1].text))) first--;
  while (last < row.length - 1 && near(row[last], row[last + 1]) && sameType(row[last], row[last + 1])) last++;
  const run = row.slice(first, last + 1);
  // A title ending in a comma goes on: its next piece on the row, read as a line of its own ("Vice President," |
  // "Human Resources"), a company word and all (`claimed` starts with the name).
  const end = run[run.length - 1];
  const next = /,$/.test(end.text.trim())
    ? textual
        .filter(
          (s) =>
            !run.includes(s) &&
            s !== claimed[0] &&
            !hasLegalForm(s.text) &&
            s.column === end.column &&
            sameRow(s, end) &&
            s.box.left > end.box.left + end.box.width - 0.005 &&
            near(end, s) &&
            sameType(end, s),
        )
        .sort((a, b) => a.box.left - b.box.left)[0]
    : undefined;
  return next ? [...run, next] : run;
}

/** A title whose first word is a lower-case fragment or read with next to no confidence ("ative Director"). */
function startsWithFragment(parts: Segment[]): boolean {
  const first = parts[0]?.words[0];
  if (!first) return false;
  return /^\p{Ll}/u.test(first.text) || first.confidence < 50;
}

/** Scraps of no words right before a segment on its printed line ("a" "Executive": a word the OCR lost). */
function scrapsBefore(seg: Segment, segments: Segment[], textual: Segment[]): Segment[] {
  return segments.filter(
    (s) =>
      s.line === seg.line &&
      s !== seg &&
      !textual.includes(s) &&
      s.box.left < seg.box.left &&
      seg.box.left - (s.box.left + s.box.width) < 2 * seg.size &&
      /\p{L}/u.test(s.text) &&
      s.words.every((w) => w.confidence < 50),
  );
}

/**
 * Pieces of a title's printed row that the OCR read as lines of their own beside it ("(" "S" | "Officer" for "Chief
 * Sustainability Officer", "Director" | "Stra" | "(1c Acc"): segments with a letter on its row, next to it or to
 * each other, in its column, that no other field claims. The title as read is then a part of the row.
 */
function piecesOfRow(parts: Segment[], segments: Segment[], taken: (s: Segment) => boolean): Segment[] {
  const row = [...parts];
  const gap = (a: Segment, b: Segment) =>
    Math.max(b.box.left - (a.box.left + a.box.width), a.box.left - (b.box.left + b.box.width));
  for (let grew = true; grew; ) {
    grew = false;
    for (const s of segments) {
      // (Not the line a piece of the row was split from: "Jane Doe | Product Manager".)
      const split = s.words.some((w) => row.some((r) => r.words.includes(w)));
      if (row.includes(s) || split || taken(s) || s.column !== parts[0].column || !/\p{L}/u.test(s.text)) continue;
      // In about the title's type (not a logo's mark beside it), beside what the row holds (not a second reading of
      // the same place).
      const size = s.size / parts[0].size;
      const over = row.some((r) => -gap(r, s) > 0.5 * Math.min(r.box.width, s.box.width));
      if (size < 0.5 || size > 2 || over) continue;
      // on the row of a piece it is next to (a slanted row drifts from its first piece's)
      if (!row.some((r) => sameRow(s, r) && gap(r, s) < 3 * Math.max(r.size, s.size))) continue;
      row.push(s);
      grew = true;
    }
  }
  return row.filter((s) => !parts.includes(s));
}

/**
 * A title in words no list knows ("Sommelier", "Head Curator"): the line set right under the name, in smaller
 * type, aligned with it, when nothing else on the card claims it and nothing lies between.
 */
function titleBelowName(
  textual: Segment[],
  name: Segment | null,
  companies: Segment[],
  all: Segment[],
): Segment | null {
  if (!name) return null;
  const aligned = (s: Segment) =>
    Math.abs(s.box.left - name.box.left) < 0.04 ||
    Math.abs(s.box.left + s.box.width - (name.box.left + name.box.width)) < 0.04 ||
    Math.abs(s.box.left + s.box.width / 2 - (name.box.left + name.box.width / 2)) < 0.04;
  const gap = (s: Segment) => s.box.top - (name.box.top + name.box.height);
  const below = all
    .filter((s) => s !== name && gap(s) > -0.2 * name.size && aligned(s))
    .sort((a, b) => a.box.top - b.box.top)[0];
  if (!below || !textual.includes(below) || companies.includes(below)) return null;
  const words = below.text.split(/\s+/);
  const ok =
    gap(below) < 2.5 * name.size &&
    below.size < 0.9 * name.size &&
    words.length <= 6 &&
    !/\d/.test(below.text) &&
    !looksLikeName(cleanText(below.text)) &&
    addressScore(below.text) === 0;
  return ok ? below : null;
}

function pickTitle(titles: Segment[], name: Segment | null): Segment | null {
  if (titles.length === 0) return null;
  if (!name) return titles.reduce((a, b) => (titleWordCount(b.text) > titleWordCount(a.text) ? b : a));
  // (Of two as near, the one after the name: a title is printed under it, a tagline under the company above it.)
  const distance = (s: Segment) =>
    Math.abs(s.order - name.order) + (s.column === name.column ? 0 : 5) + (s.order > name.order ? 0 : 0.5);
  return titles.reduce((a, b) => (distance(b) < distance(a) ? b : a));
}

/**
 * A company line against the names its domains spell: a logo read as one or two short "words" in front ("4
 * Juniper Analytics", "AM TIDEWATER MATERIALS") is dropped when the rest of the line, and not the whole, spells
 * the domain's name; a first word the OCR lost ("Systems S.A." for haneulsystems.es) is taken from the domain.
 */
function fitToDomain(text: string, labels: string[]): string {
  const tokens = text.split(' ');
  const names = labels.map((l) => l.replace(/-/g, '')).filter((l) => l.length >= 3);
  const spells = (t: string) => names.some((l) => compactLower(t).startsWith(l));
  if (spells(text)) return text;
  // Without the logo's one or two short "words" in front, if any.
  const readings = [tokens];
  for (let k = 1; k <= 2 && k < tokens.length && tokens[k - 1].length <= 3; k++) readings.push(tokens.slice(k));
  for (const [i, words] of readings.entries()) {
    const rest = words.join(' ');
    if (i > 0 && spells(rest)) return rest;
    const head = compactLower(words[0]);
    const upper = words[0] === words[0].toUpperCase();
    // A whole first word lost: the domain's name ends with the first word read.
    const missing = names.find((l) => head.length >= 4 && l.length >= head.length + 3 && l.endsWith(head));
    if (missing) {
      const lost = missing.slice(0, missing.length - head.length);
      return `${upper ? lost.toUpperCase() : lost[0].toUpperCase() + lost.slice(1)} ${rest}`;
    }
    // The first letter or two of the first word lost ("able Foods" for sablefoods.ie, "uniper" for juniper.es).
    const cut = names.find((l) => {
      const start = l.indexOf(head.slice(0, 3));
      return head.length >= 3 && (start === 1 || start === 2) && compactLower(rest).startsWith(l.slice(start));
    });
    if (cut) {
      const lost = cut.slice(0, cut.indexOf(head.slice(0, 3)));
      const first = upper ? `${lost.toUpperCase()}${words[0]}` : `${lost[0].toUpperCase()}${lost.slice(1)}${words[0]}`;
      return [first, ...words.slice(1)].join(' ');
    }
  }
  return text;
}

/**
 * "Lanterntish Software LLC" beside lanternfish.co: a word of a company line read with little confidence, one
 * letter off the name its mail or web domain spells (misread, lost or added: "rsewood" for rosewood.ca), takes the
 * domain's spelling (in the word's own case); two letters off in a long word ("Copperieat" for copperleaf). The
 * domain may run the line's words together ("Stonebridge & Montgomey" beside stonebridgemontgomery.com): the words
 * before the word spell the domain's start, and the words after it, if any, its end.
 */
function spelledLikeDomain(text: string, labels: string[], confidence: number): string {
  if (confidence >= 80) return text;
  const names = labels.map((l) => l.replace(/-/g, '')).filter((l) => /^[a-z]{6,}$/.test(l));
  const words = text.split(' ');
  const out = words.map((word, i) => {
    const letters = word.match(/^\p{L}{5,}/u)?.[0];
    if (!letters || COMPANY_WORDS.has(letters.toLowerCase())) return word;
    const lower = letters.toLowerCase();
    const before = compactLower(words.slice(0, i).join(''));
    // The whole domain name, or the part of it the word stands for.
    const spellings = names.flatMap((l) => {
      if (!l.startsWith(before)) return [l];
      const rest = l.slice(before.length);
      const tails = words.map((_, j) => compactLower(words.slice(i + 1, j + 1).join('') + word.slice(letters.length)));
      return [
        l,
        ...tails.filter((t, j) => j >= i && rest.endsWith(t)).map((t) => rest.slice(0, rest.length - t.length)),
      ];
    });
    if (spellings.includes(lower)) return word;
    for (const spelled of spellings) {
      const slips = editDistance(spelled, lower);
      const allowed = spelled.length >= 8 && spelled.length === lower.length ? 2 : 1;
      if (slips > allowed || spelled.length < 6) continue;
      const cased =
        spelled.length === letters.length
          ? [...spelled].map((ch, k) => (letters[k] === letters[k].toLowerCase() ? ch : ch.toUpperCase())).join('')
          : letters === letters.toUpperCase()
            ? spelled.toUpperCase()
            : spelled[0].toUpperCase() + spelled.slice(1);
      return cased + word.slice(letters.length);
    }
    return word;
  });
  return out.join(' ');
}

/** The end of a legal form printed apart on the company's row ("Indigo Foods Pte." … "Ltd.", "GmbH & Co. KG"). */
const LEGAL_TAIL =
  /^(?:ltd\.?|limited|inc\.?|llc|llp|plc|bhd\.?|gmbh|ag|kg|(?:gmbh\s*)?&\s*co\.?\s*kg|co\.?\s*kg|(?:pty|pvt|pte)\.?\s*ltd\.?|sdn\.?\s*bhd\.?|co\.?,?\s*ltd\.?|corp\.?|s\.[al]\.|b\.v\.|n\.v\.|k\.k\.|sas|sarl|dac)$/i;

/**
 * A company line the OCR cut inside a word into two pieces of one row ("HIKARI VE" | "NTURES CO., LTD.", "Bluestone
 * Mobility L" | "LC"): joined when the word cut in two is, whole, a legal form or a company word.
 */
export function withWordCutAtRowEnd(company: Segment, textual: Segment[]): Segment {
  const right = company.box.left + company.box.width;
  const next = textual
    .filter((s) => s !== company && sameRow(s, company) && s.box.left > right - 0.01 && s.box.left - right < 0.05)
    .sort((a, b) => a.box.left - b.box.left)[0];
  const head = company.words[company.words.length - 1];
  const tail = next?.words[0];
  if (!next || !head || !tail || !/^\p{L}+$/u.test(head.text) || !/^\p{L}/u.test(tail.text)) return company;
  const word = `${head.text}${tail.text}`;
  const whole = COMPANY_WORDS.has(word.toLowerCase()) || LEGAL_TAIL.test(word);
  // Both pieces in the same case: one printed word.
  const sameCase = (w: string) => (w === w.toUpperCase() ? 'upper' : 'mixed');
  if (!whole || sameCase(head.text) !== sameCase(tail.text.replace(/\P{L}/gu, ''))) return company;
  const joined: Word = { ...head, text: word, box: unionBox([head.box, tail.box]) };
  const words = [...company.words.slice(0, -1), joined, ...next.words.slice(1)];
  return { ...company, words, text: words.map((w) => w.text).join(' '), box: unionBox(words.map((w) => w.box)) };
}

const touching = (left: Segment, right: Segment) =>
  left !== right &&
  sameRow(left, right) &&
  // Printed in one size and read as words, not a scrap off a mark ("Labs" | "oo").
  Math.max(left.size, right.size) < 2.5 * Math.min(left.size, right.size) &&
  [left, right].every((s) => s.words.every((w) => w.confidence >= 50)) &&
  (wordCut(left, right) || numberCut(left, right));

/** Pieces of one word touch: less than this many text heights apart. */
const TOUCH = 0.1;

const gapBetween = (left: Segment, right: Segment) => right.box.left - (left.box.left + left.box.width);

/** The mean width of a segment's characters, in page-width fractions (gaps beside it are measured in them). */
const charWidth = (s: Segment) => s.box.width / Math.max(1, s.text.length);

/** A word cut, the piece after the cut in lower case; the cut may be read as a stroke (";"). */
const wordCut = (left: Segment, right: Segment) =>
  Math.abs(gapBetween(left, right)) < 0.5 * Math.max(left.size, right.size) &&
  /\p{L};?$/u.test(left.text) &&
  // (one small letter only where the pieces touch: "Marrowb" | "y Pvt. Ltd.")
  (/^\p{Ll}{2,}/u.test(right.text) ||
    (/^\p{Ll}(?:\s|$)/u.test(right.text) && gapBetween(left, right) < TOUCH * Math.max(left.size, right.size))) &&
  // (A mailbox or web address beside a label's letter is no word's end: "L" | "redkite.com".)
  !/@|\.\p{L}{2,}/u.test(right.text);

/**
 * A number read in two pieces: a lone digit apart from the rest closer than a space ("6" | "9 Tanjong Pagar Road": a
 * third of the digit's width, where a space is over half of it); a phone number cut before a dash, which no number
 * starts with ("+1-632" | "-555-0185", a character's width apart at most).
 */
const numberCut = (left: Segment, right: Segment) => {
  const digitWidth = charWidth(left);
  return /^\d$/.test(left.text)
    ? /^\d/.test(right.text) && gapBetween(left, right) < digitWidth / 3
    : /\d$/.test(left.text) && /^[-–]\d/.test(right.text) && gapBetween(left, right) < digitWidth;
};

/**
 * Every word of the card the OCR cut into two segments that touch ("Clear" | "water Materials", "Bo" | "real LLP",
 * "S" | "pain" below an address, "Sing;" | "apore 089719", "+1-632" | "-555-0185"), joined: the piece after the cut
 * starts in lower case, or is the rest of a number.
 */
function withTouchingPiecesJoined(segments: Segment[]): Segment[] {
  const out = [...segments];
  for (let i = 0; i < out.length; i++) {
    let j = out.findIndex((o) => touching(out[i], o));
    if (j >= 0) out[i] = joined(out[i], out[j]);
    else {
      j = out.findIndex((o) => codeApart(out[i], o));
      if (j < 0) continue;
      out[i] = joinedApart(out[i], out[j]);
    }
    out.splice(j, 1);
    if (j < i) i--;
    i--;
  }
  return out;
}

/**
 * A country code read apart from the number after it ("Tel. +34" | "91 602 94 85"), on a photo turned enough that
 * the two pieces share less of their height than one row's words do.
 */
const codeApart = (left: Segment, right: Segment) => {
  const gap = gapBetween(left, right);
  return (
    left !== right &&
    /(?:^|\s)\(?\+\d{1,3}\)?$/.test(left.text) &&
    /^\(?\d/.test(right.text) &&
    rowOverlap(left, right) > CODE_ROW_OVERLAP &&
    gap > 0 &&
    gap < CODE_GAP * Math.max(left.size, right.size)
  );
};

/** A country code and its number: sharing this much of the shorter one's height, at most this many heights apart. */
const CODE_ROW_OVERLAP = 0.25;
const CODE_GAP = 3;

/** Two segments of one row as one, a space between. */
function joinedApart(left: Segment, right: Segment): Segment {
  const words = [...left.words, ...right.words];
  return { ...left, words, text: `${left.text} ${right.text}`, box: unionBox(words.map((w) => w.box)) };
}

/** Two segments of one row as one, the last word of the first and the first of the second one word. */
function joined(left: Segment, right: Segment): Segment {
  const head = left.words[left.words.length - 1];
  const tail = right.words[0];
  const text = `${head.text.replace(/(?<=\p{L});$/u, '')}${tail.text}`;
  const word: Word = { ...head, text, box: unionBox([head.box, tail.box]) };
  const words = [...left.words.slice(0, -1), word, ...right.words.slice(1)];
  return { ...left, words, text: words.map((w) => w.text).join(' '), box: unionBox(words.map((w) => w.box)) };
}

function withLegalTail(company: Segment, textual: Segment[]): Segment {
  const centre = (s: Segment) => s.box.top + s.box.height / 2;
  const right = company.box.left + company.box.width;
  const tail = textual.find(
    (s) =>
      s !== company &&
      LEGAL_TAIL.test(s.text.trim()) &&
      Math.abs(centre(s) - centre(company)) < 0.6 * company.size &&
      s.box.left > right - 0.01 &&
      s.box.left - right < 0.1,
  );
  return tail ? { ...company, text: `${company.text} ${tail.text.trim()}` } : company;
}

/**
 * A company line without what the OCR added or dropped at its ends: a logo glyph read as an opening bracket in front
 * ("( HANEUL LTD", "[EA Lanternfish LLC") when no bracket closes; the period of a legal form's last abbreviation
 * when its others have theirs ("Sdn. Bhd" → "Sdn. Bhd.", "Pte. Ltd" → "Pte. Ltd.").
 */
export function tidyCompany(text: string): string {
  let out = text;
  const glyph = out.match(/^[([{<]\S{0,3}\s+/);
  if (glyph && !/[)\]}>]/.test(out)) out = out.slice(glyph[0].length);
  // ... or glued to the first word ("[WRENFIELD CO., LTD.").
  else if (/^[([{<]\p{Lu}/u.test(out) && !/[)\]}>]/.test(out)) out = out.slice(1);
  // A closing bracket glued to the last word with none opened: the edge of a logo or panel ("Larkspur & Montgomery]").
  if (/\p{L}[)\]}>]$/u.test(out) && !/[([{<]/.test(out)) out = out.slice(0, -1);
  // Marks read off a logo or icon after the name ("Hikari Biotech » h", "Longmen Systems Ltd TT ™"): a token of no
  // letters or digits and any scraps after it; scraps of one or two letters after a legal form.
  out = out.replace(/(?:\s+[^\p{L}\d\s]+(?:\s+\S{1,2})*)+$/u, '');
  out = out.replace(new RegExp(`(\\s(?:${LEGAL_FORM_END})\\.?)(?:\\s+\\S{1,2})+$`, 'iu'), '$1');
  // Marks no company name starts with, read off a logo ("@ Ember Foods plc", "(®) Moorland", "\" €) LARKSPUR").
  out = out.replace(/^(?:[^\p{L}\d\s]+\s+)+(?=\p{L})/u, '');
  // "E\KENHOF": an I read as a backslash between capitals.
  out = out.replace(/(?<=\p{Lu})\\(?=\p{Lu})/gu, 'I');
  // "Brackenridge Lid", "Shearwater Ply Lig": the t of Ltd or Pty read as i, l or 1, its d as g.
  out = out.replace(/(\s)(L)[il1]([dg])(\.?)$/i, (_, space: string, l: string, d: string, dot: string) =>
    l === 'L' && d === d.toUpperCase() ? `${space}LTD${dot}` : `${space}${l}td${dot}`,
  );
  out = out.replace(/(\s)(P)l(y)(?=\.?\s+ltd)/i, (_, space: string, p: string, y: string) =>
    y === 'Y' ? `${space}PTY` : `${space}${p}ty`,
  );
  // "CO., UD.": the L and T of Ltd run together and read as U.
  out = out.replace(
    /(\b[Cc][Oo]\.?,?\s+)(UD|Ud)(\.?)$/,
    (_, head: string, ud: string, dot: string) => `${head}${ud === 'UD' ? 'LTD' : 'Ltd'}${dot}`,
  );
  // "Marrowby Put. Ltd.": the v of Pvt read as u.
  out = out.replace(
    /\b(p)(u)(t\.?,?\s+ltd)/i,
    (_, p: string, u: string, rest: string) => `${p}${u === 'U' ? 'V' : 'v'}${rest}`,
  );
  // "PVT. LT", "Pte. Lt": the last letter of a two-part legal form cut off, the only word it can be.
  out = out.replace(/(\b(?:pvt|pte|pty|co)\.?,?\s+)(lt)$/i, (_, head: string, lt: string) =>
    lt === 'LT' ? `${head}LTD` : `${head}Ltd`,
  );
  // "BOREAL SDN. wo": a Sendirian's Berhad (always printed after it) read as a scrap.
  out = out.replace(
    /(\bsdn\.?)(?:\s+(?!bhd)\S{1,3})?$/i,
    (_, sdn: string) => `${sdn}${sdn.endsWith('.') ? '' : '.'} ${sdn === sdn.toUpperCase() ? 'BHD' : 'Bhd'}`,
  );
  // "CO.. LTD.": the comma of "Co., Ltd." read as a second period.
  out = out.replace(/\b(co)\.\.(?=\s+ltd)/i, '$1.,');
  // "Redkite Mobility Lc": an LLC with its middle L lost.
  out = out.replace(/(\s)(?:Lc|Llc|LLc|LlC)$/, '$1LLC');
  out = withCompanyWordWhole(out);
  // "PVT, LTD": the period of an abbreviation read as a comma.
  out = out.replace(/\b(pvt|pte|pty),(?=\s+ltd\b)/i, '$1.');
  if (/\b(?:sdn|pte|pty|pvt|co|corp|inc)\.,?\s+(?:bhd|ltd|inc|corp|co)$/i.test(out)) out = `${out}.`;
  // "Sable Mobility Corp": Corp. and Inc. are abbreviations, printed with their period, which the OCR loses.
  if (/\s(?:corp|inc)$/i.test(out)) out = `${out}.`;
  // A dotted legal form without its last period ("Alameda Partners K.K", "Indigo B.V").
  if (/\s(?:[A-Z]\.){1,2}[A-Z]$/.test(out) && DOTTED_LEGAL_FORMS.has(`${out.slice(out.lastIndexOf(' ') + 1)}.`))
    out = `${out}.`;
  // A dotted two-letter legal form whose letters were read as digits ("INDIGO LABS 5.4" for S.A.).
  const form = out.match(/\s([A-Z\d])\.([A-Z\d])\.?$/);
  if (form && /\d/.test(form[1] + form[2])) {
    const letters = `${LETTER_FOR_DIGIT[form[1]] ?? form[1]}.${LETTER_FOR_DIGIT[form[2]] ?? form[2]}.`;
    if (DOTTED_LEGAL_FORMS.has(letters)) out = `${out.slice(0, form.index)} ${letters}`;
  }
  return out;
}

/**
 * "LINDENHOF BIOTEC": a company line's last word read without its last letter, a company word whole ("Biotech"). Not
 * a plural's s, which a name may leave off ("Redkite Material").
 */
function withCompanyWordWhole(text: string): string {
  const m = text.match(/(\s)(\p{L}{5,})$/u);
  if (!m || COMPANY_WORDS.has(m[2].toLowerCase()) || TITLE_WORDS.has(m[2].toLowerCase())) return text;
  // One letter lost (not a plural's s), or two ("ARCHITEC"): the only company word it starts.
  const wholes = [...COMPANY_WORDS].filter(
    (w) =>
      w.startsWith(m[2].toLowerCase()) &&
      ((w.length === m[2].length + 1 && !w.endsWith('s')) || (w.length === m[2].length + 2 && m[2].length >= 7)),
  );
  if (wholes.length !== 1) return text;
  const lost = wholes[0].slice(m[2].length);
  return `${text}${m[2] === m[2].toUpperCase() ? lost.toUpperCase() : lost}`;
}

const LEGAL_FORM_END = 'ltd|limited|inc|llc|llp|plc|corp|gmbh|ag|bhd|sarl|sas|dac|b\\.v|n\\.v|k\\.k|s\\.a|s\\.l';

const LETTER_FOR_DIGIT: Record<string, string> = { '5': 'S', '4': 'A', '8': 'B', '0': 'O', '1': 'L', '6': 'G' };
const DOTTED_LEGAL_FORMS = new Set(['S.A.', 'S.L.', 'B.V.', 'N.V.', 'K.K.', 'A.G.', 'S.E.', 'A.S.', 'O.Y.']);

const compactLower = (t: string) => t.toLowerCase().replace(/[^a-z0-9]/g, '');

function pickCompany(c: {
  textual: Segment[];
  companyStrong: Segment[];
  companyByDomain: Segment[];
  labels: string[];
  name: Segment | null;
  title: Segment | null;
  email: string | null;
  url: string | null;
  doubts: Doubt[];
}): string | null {
  const taken = (s: Segment) => s === c.name || s === c.title;
  // The biggest line, of those whose words were read (not a wordmark read with next to no confidence, "© Cindervalc",
  // over the name printed below it).
  const read = (s: Segment) => s.words.some((w) => /\p{L}{3}/u.test(w.text) && w.confidence >= 50);
  const biggest = (list: Segment[]) => {
    const free = list.filter((s) => !taken(s));
    const readWell = free.filter(read);
    return (readWell.length > 0 ? readWell : free).sort((a, b) => b.size - a.size)[0];
  };
  // The line the mail or web domain spells is the company; else a line with a legal form or a company word.
  const strong = biggest(c.companyByDomain) ?? biggest(c.companyStrong);
  if (strong) {
    const text = withDomainName(
      tidyCompany(
        fitToDomain(
          cleanText(withLegalTail(withWordCutAtRowEnd(withoutGlyphInFront(strong), c.textual), c.textual).text),
          c.labels,
        ),
      ),
      c.labels,
    );
    const spelled = spelledLikeDomain(text, c.labels, Math.min(...strong.words.map((w) => w.confidence)));
    // Its end lost (none given, a wrong value is worse): a re-read of the row may read it.
    if (endsCut(spelled)) {
      c.doubts.push({ field: 'company', reason: 'company line cut at its end', segment: strong, toRight: true });
      return null;
    }
    return spelled;
  }
  // A logo read as a word: trust the web domain's spelling over the OCR of a wordmark.
  const sizes = c.textual.map((s) => s.size);
  const typical = median(sizes);
  for (const label of c.labels) {
    const logo = c.textual.find((s) => !taken(s) && s.size >= typical && logoMatchesLabel(s, label));
    if (logo) {
      return logo.text.trim().toLowerCase() === label ? cleanText(logo.text) : companyFromLabel(label);
    }
  }
  // Only the mailbox or web domain names the company.
  const host = c.email ? hostOf(c.email) : c.url ? hostOf(c.url) : null;
  if (host) {
    const main = siteName(host);
    // A long name without hyphens is several words run together ("redkitecaldwell"): where they part is unknown.
    if (!FREEMAIL_DOMAINS.has(main) && (main.length < RUN_TOGETHER || main.includes('-')))
      return companyFromLabel(main);
  }
  return null;
}

const RUN_TOGETHER = 12;

/**
 * A company line whose end the OCR lost: after its words, a scrap of one or two letters in lower case or with a mark
 * ("WYVERNHALL WORKS i", "Longmen Mobility ow", "... I:"), or the first letters of a legal form ("... LT", "... L").
 */
export function endsCut(text: string): boolean {
  const words = text.split(/\s+/);
  const last = words[words.length - 1];
  if (words.length < 2 || !/\p{L}{3}/u.test(words[words.length - 2])) return false;
  return /^(?:\p{Ll}{1,2}|\p{L}[^\p{L}\s]|L|LT|Lt|LL|In|IN)$/u.test(last) && !LOWER_IN_NAMES.has(last);
}

/** Short words a company name keeps in lower case ("Bank of Asia", "Ernst & Young", "Casa de la Luz"). */
const LOWER_IN_NAMES = new Set([
  'of',
  'and',
  'the',
  'for',
  'de',
  'la',
  'le',
  'del',
  'der',
  'van',
  'von',
  'und',
  'et',
  'y',
  'e',
  'di',
  'da',
  'du',
]);

/**
 * A tagline or a title the OCR cut, not a company name: a word of four or more letters in lower case ("Engineering
 * the everyday"), or a last word that is the start of a title word ("Marketing Coordi"). Company names capitalise
 * their words.
 */
export function isPhrase(text: string): boolean {
  const words = text.trim().split(/\s+/);
  // (Not the first word: the OCR cuts a name's first letter off, "uniper Analytics".)
  const lower = (w: string, i: number) =>
    i > 0 && /^\p{Ll}/u.test(w) && !LOWER_IN_NAMES.has(w) && w.replace(/\P{L}/gu, '').length >= 4;
  if (words.some(lower)) return true;
  const last = words[words.length - 1].toLowerCase();
  return (
    words.length > 1 &&
    last.length >= 4 &&
    !COMPANY_WORDS.has(last) &&
    TITLE_PREFIXES.some((t) => t !== last && t.startsWith(last))
  );
}

const TITLE_PREFIXES = [...TITLE_WORDS].filter((w) => w.length >= 6);

/**
 * "2 Juniper Labs", "4p TIDEWATER SYSTEMS": a logo's mark read as a lone digit or sign, or two or three characters
 * of no word, in front of a company name, read with less confidence than a printed word; the name starts at the next
 * (capitalised) word.
 */
export function withoutGlyphInFront(company: Segment): Segment {
  const [first, next] = company.words;
  // One sign or digit ("2", "®"); or two or three characters no word is made of ("lJ", "4p", "[EA").
  const glyph =
    /^[\d\p{S}\p{P}]$/u.test(first.text) ||
    (first.text.length <= 3 && /[\d\p{S}\p{P}]|\p{Ll}\p{Lu}/u.test(first.text) && !/^\p{Lu}\.$/u.test(first.text));
  if (!next || !glyph || first.confidence >= 85 || !/^\p{Lu}\p{L}{2,}/u.test(next.text)) return company;
  const words = company.words.slice(1);
  return { ...company, words, text: words.map((w) => w.text).join(' '), box: unionBox(words.map((w) => w.box)) };
}

/**
 * "Saltmarsh & Prescott", "Lindenhof & Marlowe": capitalised names joined by an ampersand, the way firms are named
 * (a person's name never holds one).
 */
export function isPartnership(text: string): boolean {
  return /^\p{Lu}[\p{L}'’.-]+(?:\s\p{Lu}[\p{L}'’.-]+)?\s&\s\p{Lu}[\p{L}'’.-]+(?:\s\p{Lu}[\p{L}'’.-]+)?$/u.test(
    text.trim(),
  );
}

/**
 * "ANALYTICS" beside kiyer@hikari.co.in: a company line of nothing but generic company words lost its own name to the
 * OCR; the mail or web domain's name, not on the line, goes in front (in the line's case). A name the domain runs
 * together with other words ("hikarianalytics") is not split: only a domain name that is one word.
 */
export function withDomainName(text: string, labels: string[]): string {
  const words = text.split(/\s+/).filter(Boolean);
  if (words.length === 0 || words.length > 3) return text;
  if (!words.every((w) => COMPANY_WORDS.has(w.toLowerCase().replace(/[.,]$/, '')) || hasLegalForm(w))) return text;
  const label = labels.find((l) => /^[a-z]{3,}$/.test(l));
  if (!label || compactLower(text).includes(label) || COMPANY_WORDS.has(label)) return text;
  const upper = text === text.toUpperCase();
  return `${upper ? label.toUpperCase() : label[0].toUpperCase() + label.slice(1)} ${text}`;
}
