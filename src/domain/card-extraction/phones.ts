import type { PhoneKind } from '../card-fields.js';
import type { Segment, Word } from './layout.js';

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

/** Digits of a whole international number (country code included) for a few countries. */
const NATIONAL_LENGTHS: Record<string, [number, number]> = {
  '1': [11, 11],
  '44': [11, 12],
  '49': [9, 15],
  '82': [9, 12],
  '33': [11, 11],
  '81': [11, 12],
};

/** 08/14/2022, 2022-08-14, 14.08.2022: dates, not numbers to call. */
const DATE = /^(\d{1,2}[/.-]\d{1,2}[/.-](\d{2}|\d{4})|\d{4}[/.-]\d{1,2}[/.-]\d{1,2})$/;

/** A first group that is a common country code with more digits glued on: "+822", "+1415". */
const GLUED_COUNTRY_CODE = /^\+?(1\d{2,}|(44|49|82|33|81|86|91|61|65)\d+)$/;

const GLUED_LABEL = /(?:^|[\s|,;/(])(tel|fax|mobile|mobil|cell|phone|[tmfdpo])\.?$/i;

export const LOW_CONFIDENCE = 'low confidence';

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

/** Spacing that a tesseract slip tends to produce: a group run together, or a country code glued to the next group. */
function doubtsAbout(number: string): string[] {
  const doubts: string[] = [];
  const groups = number.split(/[\s\-./()]+/).filter(Boolean);
  const first = groups[0] ?? '';
  if (
    /\+\d{4,}\)/.test(number) ||
    (number.trim().startsWith('+') && groups.length > 1 && GLUED_COUNTRY_CODE.test(first))
  ) {
    doubts.push('country code run into the next group');
  }
  if (groups.length > 1 && groups.some((g) => g.replace(/\D/g, '').length >= 7)) doubts.push('long digit group');
  if (groups.length > 2 && groups[groups.length - 1].length === 1 && !/-\d$/.test(number))
    doubts.push('cut off after one digit');
  const international = number.replace(/[^\d+]/g, '').match(/^\+(\d+)$/);
  if (international) {
    const all = international[1];
    const range = Object.entries(NATIONAL_LENGTHS).find(([cc]) => all.startsWith(cc));
    // "+49 (0)30 ..." prints the trunk 0 that an international number leaves out.
    const digits = /\(0\)/.test(number) ? all.length - 1 : all.length;
    if (range && (digits < range[1][0] || digits > range[1][1])) doubts.push('wrong length for its country code');
  }
  return doubts;
}

/**
 * Phone numbers in one segment, each with the kind its label says. `leftLabel` is a bare label
 * printed in the segment to the left on the same row.
 */
export function phonesIn(segment: Segment, leftLabel: PhoneKind | null, addressLike: boolean): PhoneHit[] {
  const { text, repaired } = repairDigitSlips(segment.text);
  const hits: PhoneHit[] = [];
  let consumed = 0;
  for (const match of text.matchAll(NUMBER)) {
    let raw = match[0];
    let start = match.index ?? 0;
    // "O (617) 555-0147": the Office label O, read as a zero.
    let zeroLabel = false;
    const lead = raw.match(/^0\s+(?=[(+])/);
    if (lead) {
      raw = raw.slice(lead[0].length);
      start += lead[0].length;
      zeroLabel = true;
    }
    const number = balanceParens(raw);
    const digits = number.replace(/\D/g, '');
    if (digits.length < 7 || digits.length > 15) continue;
    if (DATE.test(number)) continue;
    // Part of an email, URL or a word ("ISO9001")?
    const before = text.slice(consumed, start);
    const charBefore = text[start - 1] ?? ' ';
    // A letter right before the number is part of a word ("ISO9001"), unless it ends a label ("T+44...").
    if (/[A-Za-z@/_]/.test(charBefore) && !GLUED_LABEL.test(text.slice(0, start))) continue;
    const after = text[start + raw.length] ?? ' ';
    if (/[A-Za-z@]/.test(after)) continue;
    const labelMatch = before.match(LABEL_AT_END);
    let kind: PhoneKind | null = labelMatch ? labelKind(labelMatch[1]) : zeroLabel ? 'office' : null;
    if (!kind && hits.length === 0 && !before.trim()) kind = leftLabel;
    const explicit = kind !== null || number.startsWith('+') || number.startsWith('(+');
    if (!explicit && addressLike) continue; // a ZIP+4 or postcode run, not a number to call
    const doubts = doubtsAbout(number);
    if (repaired) doubts.push('letters read as digits');
    if (segment.words.some((w) => /\d/.test(w.text) && w.confidence < 70)) doubts.push(LOW_CONFIDENCE);
    hits.push({ number, kind: kind ?? 'other', segment, words: wordsOfNumber(segment, digits), doubts });
    consumed = start + raw.length;
  }
  return hits;
}

/** The run of words whose digits spell `digits`, with a label word just before it. */
function wordsOfNumber(segment: Segment, digits: string): Word[] {
  const ws = segment.words;
  for (let i = 0; i < ws.length; i++) {
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
