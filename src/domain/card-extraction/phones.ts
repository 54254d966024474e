import type { PhoneKind } from '../card-fields.js';
import type { Segment, Word } from './layout.js';
import { editDistance } from './people.js';

export interface PhoneHit {
  /** The number as printed (label and surrounding punctuation removed, OCR letter slips repaired). */
  number: string;
  kind: PhoneKind;
  segment: Segment;
  /** The words the number (and its label) was read from. */
  words: Word[];
  /** Why the OCR of this number is doubtful (a re-OCR may help); empty when it looks clean. */
  doubts: string[];
}

const LABELS: Array<[RegExp, PhoneKind]> = [
  [/^(fax|telefax|facsimile|f)$/i, 'fax'],
  [/^(cell|cellular|mobile|mob|m|handy|mobil|hp|c)$/i, 'mobile'],
  [/^(direct|direct line|direct dial|dir|d|dd|ddi|durchwahl)$/i, 'direct'],
  [/^(tel|telephone|phone|ph|p|t|office|o|main|telefon|fon|büro|buero|work|zentrale)$/i, 'office'],
];

const LABEL_AT_END =
  /(?:^|[\s|,;/(])(fax|telefax|facsimile|cell|cellular|mobile|mob|handy|mobil|direct line|direct dial|direct|durchwahl|dir|ddi|dd|telephone|telefon|phone|tel|office|main|fon|büro|buero|work|zentrale|hp|ph|[fmcdtpo])\s*[.:|]?\s*$/i;

/** Letters tesseract reads in place of digits, fixed only inside digit runs. */
const DIGIT_SLIPS: Record<string, string> = {
  O: '0',
  o: '0',
  D: '0',
  Q: '0',
  l: '1',
  I: '1',
  '|': '1',
  i: '1',
  S: '5',
  B: '8',
  Z: '2',
};

/** Digits of a whole international number (country code included), from the national numbering plans. */
const NATIONAL_LENGTHS: Record<string, [number, number]> = {
  '1': [11, 11],
  '7': [11, 11],
  '27': [11, 11],
  '31': [11, 11],
  '32': [10, 11],
  '33': [11, 11],
  '34': [11, 11],
  '41': [11, 11],
  '44': [11, 12],
  '45': [10, 10],
  '47': [10, 10],
  '49': [9, 15],
  '61': [11, 11],
  '65': [10, 10],
  '81': [11, 12],
  '82': [9, 12],
  '86': [12, 13],
  '91': [12, 12],
  '353': [10, 12],
  '852': [11, 11],
};

/** 08/14/2022, 2022-08-14, 14.08.2022: dates, not numbers to call. */
const DATE = /^(\d{1,2}[/.-]\d{1,2}[/.-](\d{2}|\d{4})|\d{4}[/.-]\d{1,2}[/.-]\d{1,2})$/;

/** ITU-T E.164 country calling codes (a prefix code: no code starts another). */
const COUNTRY_CODES = new Set(
  (
    '1 7 20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57 58 60 61 62 63 64 65 66 81 82 84 ' +
    '86 90 91 92 93 94 95 98 211 212 213 216 218 220 221 222 223 224 225 226 227 228 229 230 231 232 233 234 235 ' +
    '236 237 238 239 240 241 242 243 244 245 246 248 249 250 251 252 253 254 255 256 257 258 260 261 262 263 264 ' +
    '265 266 267 268 269 290 291 297 298 299 350 351 352 353 354 355 356 357 358 359 370 371 372 373 374 375 376 ' +
    '377 378 380 381 382 383 385 386 387 389 420 421 423 500 501 502 503 504 505 506 507 508 509 590 591 592 593 ' +
    '594 595 596 597 598 599 670 672 673 674 675 676 677 678 679 680 681 682 683 685 686 687 688 689 690 691 692 ' +
    '850 852 853 855 856 880 886 960 961 962 963 964 965 966 967 968 970 971 972 973 974 975 976 977 992 993 994 ' +
    '995 996 998'
  ).split(' '),
);

/** The country calling code a run of digits starts with, if any. */
function countryCodeOf(digits: string): string | undefined {
  for (let n = 1; n <= 3; n++) if (COUNTRY_CODES.has(digits.slice(0, n))) return digits.slice(0, n);
  return undefined;
}

/**
 * "+3491 234 78 34" → "+34 91 234 78 34": a country code is always printed apart from the number after it, also from
 * an area code in brackets ("+1(967)"). And "+9 1 80 …" → "+91 80 …": one split (only 1 and 7 are codes of one digit).
 */
function separateCountryCode(read: string): string {
  const number = read
    .replace(/^(\(?\+)([02-689]) (\d)(?=[\s\-./)])/, '$1$2$3')
    // "+1(967) 555-0192": the space before an area code in brackets lost.
    .replace(/^(\+\d{1,3})\((?=\d)/, '$1 (');
  const m = number.match(/^(\(?\+)(\d{2,})(?=[\s\-./)]|$)/);
  const code = m ? countryCodeOf(m[2]) : undefined;
  if (!m || !code || code.length === m[2].length) return number;
  return `${m[1]}${code} ${number.slice(m[1].length + code.length)}`;
}

/**
 * "03-682 9-52 98" → "03-6829-5298": a number printed with hyphens between its groups has no spaces inside them;
 * a space between two digits there is the OCR splitting a word (a country code keeps its space: "+81 90-3068-2236").
 */
function joinHyphenatedGroups(number: string): string {
  if ((number.match(/\d-\d/g) ?? []).length < 2 || /\d\s*\/\s*\d|\(/.test(number)) return number;
  const code = number.match(/^\+\d{1,3}\s+/)?.[0] ?? '';
  // (a lone period between two of its groups, "+1-949-555.0141", is lonePeriodAsSeparator's)
  return code + number.slice(code.length).replace(/(\d)\s+(?=\d)/g, '$1');
}

/**
 * "01.844 1458", "+81 3-1637.9427", "+1-949-555.0141": one period between groups otherwise parted by spaces or hyphens
 * is a speck of the photo or a hyphen read small: the number's own separator (its hyphen where it has one).
 */
function lonePeriodAsSeparator(number: string): string {
  const code = number.match(/^\+\d{1,3}\s+/)?.[0] ?? '';
  const rest = number.slice(code.length);
  if ((rest.match(/\./g) ?? []).length !== 1 || !/\d\.\d/.test(rest)) return number;
  const separator = /\d-\d/.test(rest) ? '-' : /\d\s\d/.test(rest) ? ' ' : undefined;
  return separator ? code + rest.replace(/(\d)\.(?=\d)/, `$1${separator}`) : number;
}

/**
 * "(920) 555-01 71", "223.555.01 75": the four digits after a three-digit exchange and its hyphen or period are one
 * group (North American style); the OCR split it in two.
 */
function joinLineNumber(number: string): string {
  return number.replace(/(\d{3}[-.])(\d{1,3})\s(\d{1,3})$/, (m, exchange: string, a: string, b: string) =>
    a.length + b.length === 4 ? `${exchange}${a}${b}` : m,
  );
}

/**
 * "+60 3-1 830 4318" → "+60 3-1830 4318": after an area code and its hyphen, one digit standing alone before three
 * and a last group of four is a four-digit group the OCR split (no plan prints a lone digit there).
 */
function joinSplitAfterHyphen(number: string): string {
  return number.replace(/(\d-)(\d) (\d{3})(?= \d{4}$)/, '$1$2$3');
}

/** The Dutch numbering plan's two-digit area codes (the large towns); the others have three digits. */
const DUTCH_TWO_DIGIT_AREAS = new Set(
  '10 13 15 20 23 24 26 30 33 35 36 38 40 43 45 46 50 53 55 58 70 71 72 73 74 75 76 77 78 79'.split(' '),
);

/**
 * Groups a country always prints its numbers in, restored where the OCR ran two groups together or split one:
 * France "+33 1 75 23 38 11" (one digit, then pairs); Seoul "+82 2 5908 2707" (the area code 2 stands alone);
 * North America "+1 501 555 0146" (the seven digits after the area code are 3 + 4). Only numbers printed with
 * spaces between their groups, with the country's exact digit count.
 */
export function nationalGrouping(number: string): string {
  // Ten digits printed in pairs ("01 51 16 45 90", France's national style) with two pairs run together.
  if (/^0[1-9] \d\d [\d ]+$/.test(number) && number.replace(/ /g, '').length === 10)
    return number.replace(/ /g, '').match(/\d\d/g)?.join(' ') ?? number;
  const m = number.match(/^\+(\d{1,3}) ([\d ]+)$/);
  if (!m) return number;
  const [, code, rest] = m;
  const digits = rest.replace(/ /g, '');
  if (code === '33' && digits.length === 9 && /^[1-9]/.test(digits))
    return `+33 ${digits[0]} ${digits.slice(1).match(/\d\d/g)?.join(' ')}`;
  if (code === '82' && /^2\d{3,4} \d{4}$/.test(rest)) return `+82 2 ${rest.slice(1)}`;
  // Seoul "+82 2 8971 2118", Dublin "+353 1 682 1938": after the area code standing alone, three or four digits and
  // four.
  const area = rest.match(/^(\d{1,2}) /)?.[1];
  const local = area ? digits.slice(area.length) : '';
  if (code === '82' && area && local.length >= 7 && local.length <= 8)
    return `+82 ${area} ${local.slice(0, -4)} ${local.slice(-4)}`;
  if (code === '353' && area && local.length === 7) return `+353 ${area} ${local.slice(0, 3)} ${local.slice(3)}`;
  // Australia's landlines: the one-digit area code, then two groups of four ("+61 2 9031 1858").
  if (code === '61' && /^[2378]\d{8}$/.test(digits)) return `+61 ${digits[0]} ${digits.slice(1, 5)} ${digits.slice(5)}`;
  // Dublin's area code 1 run into the number ("+353 1207 2372").
  if (code === '353' && /^1\d{3} \d{4}$/.test(rest)) return `+353 1 ${rest.slice(1)}`;
  // Netherlands: a city's two-digit area code, then three digits and four ("+31 20 711 8849"), run together with the
  // three by the OCR ("+31 20711 8849").
  if (code === '31' && /^\d{5} \d{4}$/.test(rest) && DUTCH_TWO_DIGIT_AREAS.has(rest.slice(0, 2)))
    return `+31 ${rest.slice(0, 2)} ${rest.slice(2)}`;
  if (code === '1' && digits.length === 10) return `+1 ${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}`;
  // Germany's mobiles: a three-digit network code, then four and four ("+49 151 7733 3534"), the last four split.
  if (code === '49' && /^1[5-7]\d \d{4} \d\d \d\d$/.test(rest)) return `+49 ${rest.slice(0, 8)} ${digits.slice(7)}`;
  // Singapore: eight digits, four and four ("+65 6899 9512").
  if (code === '65' && /^[3689]\d{7}$/.test(digits)) return `+65 ${digits.slice(0, 4)} ${digits.slice(4)}`;
  // India: a mobile's ten digits five and five ("+91 98660 25321"); a metro's two-digit area code standing alone,
  // then four and four ("+91 80 0314 0049").
  if (code === '91' && /^[6-9]\d{9}$/.test(digits) && !area) return `+91 ${digits.slice(0, 5)} ${digits.slice(5)}`;
  if (code === '91' && area && INDIAN_METRO_AREAS.has(area) && local.length === 8)
    return `+91 ${area} ${local.slice(0, 4)} ${local.slice(4)}`;
  return number;
}

/** India's two-digit area codes: Delhi, Mumbai, Pune, Kolkata, Hyderabad, Chennai, Bengaluru. */
const INDIAN_METRO_AREAS = new Set(['11', '22', '20', '33', '40', '44', '80']);

const GLUED_LABEL = /(?:^|[\s|,;/(])(tel|fax|mobile|mobil|cell|phone|[tmfdpo])\.?$/i;

export const LOW_CONFIDENCE = 'low confidence';

/** An extension right after a number, kept as printed (group 1, spaces trimmed). */
const EXTENSION = /^(\s*(?:ext\.?|extn\.?|extension|x)\s?\d{1,6})\b/i;

const NUMBER = /(?:\(\s*\+?\s*\d|\+\s*\d|\d)[\d\s().\-/]*\d\)?/g;

export function labelKind(label: string): PhoneKind | null {
  const clean = label
    .trim()
    .replace(/[.:|()]+$/g, '')
    .replace(/^\(/, '')
    .trim();
  for (const [re, kind] of LABELS) if (re.test(clean)) return kind;
  return null;
}

/** A segment that is only a phone label ("Mobile", "T:"), printed left of its number. */
export function isBareLabel(segment: Segment): boolean {
  return labelKind(segment.text) !== null;
}

/** Replaces O/l/I/S... inside tokens that are otherwise digits (a phone number read with slips). */
export function repairDigitSlips(text: string): { text: string; repaired: boolean } {
  let repaired = false;
  const out = text.replace(/[0-9OoDQlIi|SBZ+()\-./]{3,}/g, (token) => {
    const digits = (token.match(/\d/g) ?? []).length;
    const slips = (token.match(/[OoDQlIi|SBZ]/g) ?? []).length;
    if (slips === 0 || digits < 2 || slips > digits / 2) return token;
    repaired = true;
    return token.replace(/[OoDQlIi|SBZ]/g, (c) => DIGIT_SLIPS[c] ?? c);
  });
  return { text: out, repaired };
}

function balanceParens(s: string): string {
  let out = s.trim();
  const open = (out.match(/\(/g) ?? []).length;
  const close = (out.match(/\)/g) ?? []).length;
  if (close > open && out.endsWith(')')) out = out.slice(0, -1).trim();
  if (open > close && out.startsWith('(') && !out.includes(')')) out = out.slice(1).trim();
  return out.replace(/[\s\-./]+$/, '');
}

export const WRONG_LENGTH = 'wrong length for its country code';

/** Spacing that a tesseract slip tends to produce: a group run together, or a country code glued to the next group. */
function doubtsAbout(number: string): string[] {
  const doubts: string[] = [];
  const groups = number.split(/[\s\-./()]+/).filter(Boolean);
  const first = groups[0] ?? '';
  const code = /^\(?\+/.test(number.trim()) ? countryCodeOf(first.replace(/\D/g, '')) : undefined;
  if (/\+\d{4,}\)/.test(number) || (code && code.length < first.replace(/\D/g, '').length)) {
    doubts.push('country code run into the next group');
  }
  if (groups.some((g) => g.replace(/\D/g, '').length >= 7)) doubts.push('long digit group');
  if (groups.length > 2 && groups[groups.length - 1].length === 1 && !/-\d$/.test(number))
    doubts.push('cut off after one digit');
  const international = number.replace(/[^\d+]/g, '').match(/^\+(\d+)$/);
  if (international) {
    const all = international[1];
    const range = Object.entries(NATIONAL_LENGTHS).find(([cc]) => all.startsWith(cc));
    // "+49 (0)30 ..." prints the trunk 0 that an international number leaves out.
    const digits = /\(0\)/.test(number) ? all.length - 1 : all.length;
    if (range && (digits < range[1][0] || digits > range[1][1])) doubts.push(WRONG_LENGTH);
  }
  return doubts;
}

/**
 * "+61 2 1475 3597 0490 868 889": two numbers printed on one row, read as one run of digit groups. An international
 * number longer than its country's numbers is cut after the group that makes it whole, where a national number (a
 * trunk 0) or another international one follows.
 */
function numbersRunTogether(match: RegExpMatchArray): Array<{ raw: string; index: number }> {
  const raw = match[0];
  const index = match.index ?? 0;
  const lengths = raw.startsWith('+') ? NATIONAL_LENGTHS[countryCodeOf(raw.replace(/\D/g, '')) ?? ''] : undefined;
  if (!lengths || raw.replace(/\D/g, '').length <= lengths[1]) return [{ raw, index }];
  for (const gap of raw.matchAll(/ (?=[0+])/g)) {
    const at = gap.index ?? 0;
    const [head, tail] = [raw.slice(0, at), raw.slice(at + 1)];
    const digits = head.replace(/\D/g, '').length;
    if (digits >= lengths[0] && digits <= lengths[1] && tail.replace(/\D/g, '').length >= MIN_NATIONAL_DIGITS)
      return [
        { raw: head, index },
        { raw: tail, index: index + at + 1 },
      ];
  }
  return [{ raw, index }];
}

/**
 * "0678-555-0120" on a card from Ohio: a round phone icon read as a 0 glued to a North American number (the lone "0"
 * apart before a number is dropped in phonesIn; glued, only the card's address tells it from a trunk 0).
 */
export function withoutIconZero(number: string): string {
  return number.replace(/^0(?=\d{3}-\d{3}-\d{4}$)/, '');
}

/** A national number has at least this many digits. */
const MIN_NATIONAL_DIGITS = 8;

/**
 * Phone numbers in one segment, each with the kind its label says. `leftLabel` is a bare label
 * printed in the segment to the left on the same row.
 */
export function phonesIn(segment: Segment, leftLabel: PhoneKind | null, addressLike: boolean): PhoneHit[] {
  const { text, repaired } = repairDigitSlips(segment.text);
  const hits: PhoneHit[] = [];
  let consumed = 0;
  for (const match of [...text.matchAll(NUMBER)].flatMap(numbersRunTogether)) {
    let raw = match.raw;
    let start = match.index;
    // "O (617) 555-0147": the Office label O, or a phone icon, read as a zero.
    let zeroLabel = false;
    // A phone icon read as a lone "0" before the number: "0 (617) ...", "0 +44 ...", "0 01 127 9952".
    const lead = raw.match(/^0\s+(?=[(+0]|\d{3}[.-]\d{3}[.-]\d{4}\b)/);
    if (lead) {
      raw = raw.slice(lead[0].length);
      start += lead[0].length;
      zeroLabel = true;
    }
    // An extension printed after the number belongs to it: "+1 415 555 0134 ext. 204", "(415) 555-0134 x204".
    const extension = text.slice(start + raw.length).match(EXTENSION);
    // A plus read apart from its country code ("+ 81 90-3068-2236") is never printed so.
    // ... nor an area code in brackets with a space inside ("+1 (23 1) 555-0197").
    let base = balanceParens(raw)
      .replace(/^(\(?\+)\s+(?=\d)/, '$1')
      .replace(/\((\d{1,3}) (\d{1,3})\)/, '($1$2)');
    // "1020 070 2193": a label (T, I) read as a 1 glued to a national number's trunk 0; no number starts with 10.
    if (/^10\d/.test(base)) {
      base = base.slice(1);
      start += 1;
      raw = raw.slice(1);
      zeroLabel = true;
    }
    const number =
      nationalGrouping(
        joinSplitAfterHyphen(joinLineNumber(lonePeriodAsSeparator(joinHyphenatedGroups(separateCountryCode(base))))),
      ) + (extension ? ` ${extension[1].trim()}` : '');
    const digits = base.replace(/\D/g, '');
    // Seven digits without a country code are a number whose area code was lost ("800 5465" for "01 800 5465").
    const international = /^\(?\+/.test(base);
    if (digits.length < (international ? 7 : 8) || digits.length > 15) continue;
    if (DATE.test(base)) continue;
    // Part of an email, URL or a word ("ISO9001")?
    const before = text.slice(consumed, start);
    const charBefore = text[start - 1] ?? ' ';
    // A letter right before the number is part of a word ("ISO9001"), unless it ends a label ("T+44...").
    if (/[A-Za-z@/_]/.test(charBefore) && !GLUED_LABEL.test(text.slice(0, start))) continue;
    const after = text[start + raw.length] ?? ' ';
    if (/[A-Za-z@]/.test(after) && !extension) continue;
    const labelMatch = before.match(LABEL_AT_END);
    let kind: PhoneKind | null = labelMatch ? labelKind(labelMatch[1]) : zeroLabel ? 'office' : null;
    if (!kind && hits.length === 0 && !before.trim()) kind = leftLabel;
    const explicit = kind !== null || number.startsWith('+') || number.startsWith('(+');
    if (!explicit && addressLike) continue; // a ZIP+4 or postcode run, not a number to call
    // A fax number's length is no reason to re-read its row (it is not the number to call).
    const doubts = doubtsAbout(base).filter((d) => kind !== 'fax' || d !== WRONG_LENGTH);
    if (repaired) doubts.push('letters read as digits');
    if (segment.words.some((w) => /\d/.test(w.text) && w.confidence < 70)) doubts.push(LOW_CONFIDENCE);
    hits.push({ number, kind: kind ?? 'other', segment, words: wordsOfNumber(segment, digits), doubts });
    consumed = start + raw.length + (extension?.[0].length ?? 0);
  }
  return hits;
}

/** The run of words whose digits spell `digits`, with a label word just before it. */
function wordsOfNumber(segment: Segment, digits: string): Word[] {
  const ws = segment.words;
  for (let i = 0; i < ws.length; i++) {
    // The run starts at a digit: words without any before it are no part of it.
    if (!/\d/.test(repairDigitSlips(ws[i].text).text)) continue;
    let acc = '';
    for (let j = i; j < ws.length; j++) {
      acc += repairDigitSlips(ws[j].text).text.replace(/\D/g, '');
      if (!digits.startsWith(acc)) break;
      if (acc === digits) {
        const start = i > 0 && LABEL_AT_END.test(ws[i - 1].text) ? i - 1 : i;
        return ws.slice(start, j + 1);
      }
    }
  }
  return ws;
}

/** Country calling codes of country top-level domains (the countries whose cards are common). */
const CALLING_CODE_OF_TLD: Record<string, string> = {
  us: '1',
  ca: '1',
  ru: '7',
  za: '27',
  nl: '31',
  be: '32',
  fr: '33',
  es: '34',
  it: '39',
  ch: '41',
  at: '43',
  uk: '44',
  dk: '45',
  se: '46',
  no: '47',
  pl: '48',
  de: '49',
  mx: '52',
  br: '55',
  my: '60',
  au: '61',
  id: '62',
  ph: '63',
  nz: '64',
  sg: '65',
  th: '66',
  jp: '81',
  kr: '82',
  vn: '84',
  cn: '86',
  tr: '90',
  in: '91',
  pt: '351',
  ie: '353',
  fi: '358',
  hk: '852',
  tw: '886',
  ae: '971',
  il: '972',
};

/**
 * "+31 91 234 78 34" on a card of juniper.es: a country code read one digit off the code of the country whose
 * top-level domain the card's mail or web address has (Spain, +34), taken as that code. Only for a code read with
 * little confidence, with as many digits as that country's numbers have.
 */
export function countryCodeForDomain(number: string, topLevelDomain: string): string {
  const expected = CALLING_CODE_OF_TLD[topLevelDomain.toLowerCase()];
  const m = number.match(/^(\(?\+)(\d{1,3})(?=[\s\-.)])/);
  if (!expected || !m || m[2] === expected) return number;
  if (m[2].length !== expected.length || editDistance(m[2], expected) !== 1) return number;
  // ... and the number has as many digits as that country's numbers do.
  const range = NATIONAL_LENGTHS[expected];
  const digits = number.replace(/\(0\)/, '').replace(/\D/g, '').length;
  if (range && (digits < range[0] || digits > range[1])) return number;
  return `${m[1]}${expected}${number.slice(m[0].length)}`;
}

/**
 * "60 3-4048 0824" on a card of kaizenbiotech.my: a number starting with the calling code of the country whose
 * top-level domain the card has, its plus lost, and as many digits as that country's numbers have with the code: the
 * plus is given back (a national number starts with its trunk 0 or another digit than the code).
 */
export function plusRestored(number: string, topLevelDomain: string): string {
  const expected = CALLING_CODE_OF_TLD[topLevelDomain.toLowerCase()];
  if (!expected || !number.startsWith(`${expected} `)) return number;
  // Numbers with their country code have 10 to 12 digits where this code's lengths are not listed.
  const range = NATIONAL_LENGTHS[expected] ?? [10, 12];
  const digits = number.replace(/\D/g, '').length;
  if (digits < range[0] || digits > range[1]) return number;
  return `+${number}`;
}
