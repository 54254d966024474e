import type { Segment } from './layout.js';
import {
  COMPANY_WORDS,
  NAME_PARTICLES,
  NAME_PREFIXES,
  STREET_WORDS,
  TITLE_FIELD_WORDS,
  TITLE_WORDS,
  wholeWords,
} from './lexicon.js';

const STREET = new Set(STREET_WORDS.filter((w) => w.length > 3));
const LEGAL_FORM = wholeWords(
  'inc|llc|llp|ltd|plc|corp|gmbh|ag|kg|ohg|ug|se|co\\.,? ?ltd|limited|corporation|incorporated|mbh',
);

function lowerWords(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[\s,/|&]+/)
    .map((w) => w.replace(/^[("']+|[)"':;]+$/g, ''))
    .filter(Boolean);
}

/** German job titles are compounds: Softwareentwickler, Vertriebsleiterin, Projektmanager. */
const GERMAN_TITLE_STEM =
  /.{3,}(entwickler|leiter|berater|ingenieur|manager|architekt|referent|assistent|techniker|designer|kaufmann|kauffrau|führer|beauftragter|spezialist)(in)?$/;

export function titleWordCount(text: string): number {
  return lowerWords(restoreUmlautTitleWords(text)).filter(
    (w) => TITLE_WORDS.has(w) || TITLE_WORDS.has(w.replace(/\.$/, '')) || GERMAN_TITLE_STEM.test(w),
  ).length;
}

export function hasLegalForm(text: string): boolean {
  return LEGAL_FORM.test(text);
}

export function companyWordCount(text: string): number {
  return lowerWords(text).filter((w) => COMPANY_WORDS.has(w)).length + (hasLegalForm(text) ? 1 : 0);
}

/** Degrees and suffixes printed after a name: "Jane Doe, PhD", "John Smith Jr.". */
const NAME_SUFFIX = /,?\s+(PhD|Ph\.D\.|MBA|MD|M\.D\.|CPA|PE|P\.E\.|Esq\.?|Jr\.?|Sr\.?|II|III|MSc|M\.Sc\.)$/;

/**
 * One word of a printed name: capitalised, maybe after an elided particle (O'Brien, D'Arcy, d'Angelo) or with an
 * inner capital (McKenzie, DeAngelo), in hyphenated parts (Anne-Marie, Min-jun); or all in capitals (KIM,
 * O'NEILL); or initials (J., A.J.).
 */
const NAME_WORD = new RegExp(
  '^(?:' +
    "(?:[\\p{Lu}dl]['’])?\\p{Lu}\\p{Ll}+(?:\\p{Lu}\\p{Ll}+)?(?:-(?:\\p{Lu}['’])?\\p{L}\\p{Ll}*)*" +
    "|\\p{Lu}(?:[\\p{Lu}'’-]*\\p{Lu})?" +
    '|(?:\\p{Lu}\\.){1,3}' +
    ')$',
  'u',
);

/** Words that make a capitalised line a slogan or a heading, not a name ("Design That Works"). */
const NOT_IN_NAMES = new Set([
  'the',
  'that',
  'and',
  'for',
  'with',
  'your',
  'our',
  'of',
  'to',
  'in',
  'since',
  'we',
  'you',
]);

/**
 * 2–4 name words, maybe after an honorific ("Dr."), with particles in lower case (van der, de la, bin); the
 * family name may come first with a comma ("Kim, Min-jun", "WU, Qiang"). Nothing else on the line.
 */
export function looksLikeName(text: string): boolean {
  const tokens = text.trim().replace(NAME_SUFFIX, '').split(/\s+/);
  let i = 0;
  while (i < tokens.length && NAME_PREFIXES.has(tokens[i].toLowerCase())) i++;
  const core = tokens.slice(i);
  if (core.length < 2 || core.length > 4) return false;
  // Family name first, then a comma: only right after the first word of a short name.
  if (core.length <= 3 && core[0].endsWith(',')) core[0] = core[0].slice(0, -1);
  let words = 0;
  let full = 0;
  for (const t of core) {
    if (NAME_PARTICLES.has(t)) continue;
    if (!NAME_WORD.test(t) || /^\p{Lu}$/u.test(t)) return false;
    words++;
    if (!t.endsWith('.') && t.length > 1) full++;
  }
  if (words < 2 || full < 1) return false;
  const lower = lowerWords(text);
  // Initials ("P.O. Mwangi") are no post office box.
  const street = (w: string) => STREET.has(w) && !/^(?:\p{L}\.)+$/u.test(w);
  if (lower.some((w) => TITLE_WORDS.has(w) || COMPANY_WORDS.has(w) || street(w) || NOT_IN_NAMES.has(w))) return false;
  return true;
}

/** How well a segment's words match a mailbox or web name: "edy" in edy@..., "Northwind" in northwind.com. */
export function matchesLabel(text: string, label: string): boolean {
  const compact = text.toLowerCase().replace(/[^a-z0-9]/g, '');
  const l = label.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (l.length < 2 || compact.length < 2) return false;
  if (compact === l) return true;
  // A logo's mark read as a letter in front ("A ALDERGATE CERAMICS" for aldergate.com), or as two small ones ("ol
  // Marrowby & Wainwright" for marrowbywainwright.io).
  const [mark, ...rest] = text.trim().split(/\s+/);
  const markRead = mark.length === 1 || (/^\p{Ll}{2}$/u.test(mark) && l.length >= 6);
  if (markRead && rest.length > 0 && l.length >= 4 && compact.slice(mark.length).startsWith(l)) return true;
  const initials = text
    .split(/[\s&-]+/)
    .filter((w) => /^\p{L}/u.test(w) && !/^(and|of|the|und|für)$/i.test(w))
    .map((w) => w[0].toLowerCase())
    .join('');
  if (initials.length >= 2 && initials === l) return true;
  // "Kessler & Partner GmbH" vs kessler-partner.de; "Northwind Traders" vs northwind.com
  const withoutForm = text
    .replace(LEGAL_FORM, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
  if (
    withoutForm.length >= 3 &&
    (withoutForm === l ||
      (l.length >= 4 && withoutForm.startsWith(l)) ||
      (withoutForm.length >= 4 && l.startsWith(withoutForm)))
  )
    return true;
  // One OCR slip on either side ("Hanbit Networks" vs hanhitnetworks).
  if (l.length >= 8 && withoutForm.length >= 8 && editDistance(withoutForm, l) <= 1) return true;
  return false;
}

export function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) dp[0][j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      dp[i][j] = Math.min(dp[i - 1][j] + 1, dp[i][j - 1] + 1, dp[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
  return dp[a.length][b.length];
}

/** A logo read as text: one short word, probably misread ("dws", "aWws" for the aws wordmark). */
export function logoMatchesLabel(segment: Segment, label: string): boolean {
  const t = segment.text
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
  if (!t || /\s/.test(segment.text.trim()) || label.length < 2) return false;
  const allowed = label.length <= 4 ? 1 : 2;
  return editDistance(t, label) <= allowed && Math.abs(t.length - label.length) <= allowed;
}

/** "aws" → "AWS", "contoso" → "Contoso", "kessler-partner" → "Kessler Partner". */
export function companyFromLabel(label: string): string {
  if (label.length <= 3) return label.toUpperCase();
  return label
    .split('-')
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join(' ');
}

/** The mailbox name matches the person ("edy" for Edy Kim, "jdoe" for Jane Doe). */
export function nameMatchesLocalPart(name: string, local: string): boolean {
  const l = local.toLowerCase().replace(/[^a-z]/g, '');
  const tokens = name
    .toLowerCase()
    .split(/[\s-]+/)
    .map((t) => t.replace(/[^a-z]/g, ''))
    .filter((t) => t.length > 1 && !NAME_PREFIXES.has(`${t}.`));
  if (!l || tokens.length === 0) return false;
  return (
    tokens.some((t) => t.length >= 3 && l.includes(t)) ||
    (l.length >= 3 && l === tokens[0][0] + tokens[tokens.length - 1])
  );
}

/**
 * Puts back an umlaut tesseract dropped from a name when the mailbox spells it out:
 * "Tobias Kruger" with tkrueger@... → "Tobias Krüger".
 */
export function restoreUmlautsFromMailbox(name: string, local: string): string {
  const l = local.toLowerCase();
  return name.replace(/\p{L}+/gu, (token) => {
    const lower = token.toLowerCase();
    if (lower.length < 3 || l.includes(lower)) return token;
    for (let i = 0; i < token.length; i++) {
      const umlaut = UMLAUTS[lower[i]];
      if (!umlaut) continue;
      const spelled = `${lower.slice(0, i)}${lower[i]}e${lower.slice(i + 1)}`;
      if (l.includes(spelled)) {
        const replacement = token[i] === lower[i] ? umlaut : umlaut.toUpperCase();
        return token.slice(0, i) + replacement + token.slice(i + 1);
      }
    }
    return token;
  });
}

const UMLAUTS: Record<string, string> = { a: 'ä', o: 'ö', u: 'ü' };

/**
 * Puts back the first letters of a name the OCR lost at the start of its line when the mailbox spells the whole
 * word: "RDELIA MULDOON" with cordelia@... → "CORDELIA MULDOON". Two or three letters lost, in one part of the
 * mailbox (between dots, hyphens or underscores) right before the word read; not letters another word of the name
 * starts with ("jo" of "SMITH Jo" in josmith@ is the given name, not a lost start).
 */
export function restoreStartFromMailbox(name: string, local: string): string {
  const words = name.split(' ');
  const first = words[0];
  if (words.length < 2 || !/^\p{L}{4,}$/u.test(first)) return name;
  const lower = first.toLowerCase();
  for (const part of local.toLowerCase().split(/[._-]+/)) {
    const at = part.indexOf(lower);
    if (at < 2 || at > 3 || !/^[a-z]+$/.test(part.slice(0, at))) continue;
    const lost = part.slice(0, at);
    if (words.slice(1).some((w) => w.toLowerCase().startsWith(lost))) continue;
    const cased = first === first.toUpperCase() ? lost.toUpperCase() : lost[0].toUpperCase() + lost.slice(1);
    return [`${cased}${first === first.toUpperCase() ? first : lower}`, ...words.slice(1)].join(' ');
  }
  return name;
}

/**
 * "Be Bruno da Costa" (bruno7@), "EE PARK Tae-hyun" (parktaehyun@): a scrap of one or two letters read off a logo or a
 * panel's edge before a name whose mailbox starts with the name's next word and holds nothing of the scrap.
 */
export function withoutScrapBeforeName(name: string, local: string): string {
  const words = name.split(' ');
  const mailbox = local.toLowerCase().replace(/[^a-z]/g, '');
  if (words.length < 3 || !/^\p{L}{1,2}$/u.test(words[0]) || !/^\p{L}{3,}/u.test(words[1])) return name;
  const scrap = words[0].toLowerCase();
  const next = words[1].toLowerCase().replace(/[^a-z]/g, '');
  return mailbox.startsWith(next) && !mailbox.includes(scrap) ? words.slice(1).join(' ') : name;
}

/** Job-title words with umlauts that the OCR reads without them ("Geschaftsflhrer"). */
const UMLAUT_TITLE_WORDS = [
  'Geschäftsführer',
  'Geschäftsführerin',
  'Gründer',
  'Gründerin',
  'Mitgründer',
  'Mitgründerin',
  'Geschäftsleitung',
  'Rechtsanwältin',
  'Bürokauffrau',
  'Bürokaufmann',
  'Führungskraft',
];

function fold(s: string): string {
  return s.toLowerCase().replace(/ä/g, 'a').replace(/ö/g, 'o').replace(/ü/g, 'u').replace(/ii/g, 'u');
}

/** Restores umlaut title words read without their umlauts (one further slip allowed). */
export function restoreUmlautTitleWords(text: string): string {
  return text.replace(/\p{L}{6,}/gu, (token) => {
    const folded = fold(token);
    const hit = UMLAUT_TITLE_WORDS.find(
      (w) => fold(w) === folded || (folded.length >= 8 && editDistance(fold(w), folded) <= 1),
    );
    return hit ?? token;
  });
}

/** Abbreviations a title keeps its period after, before another word ("Asst. Manager"). */
const TITLE_ABBREVIATIONS = new Set(['dept', 'asst', 'assoc', 'mgmt', 'intl', 'corp', 'govt', 'admin', 'exec']);

/**
 * Slips of the OCR in a title: a title word of seven letters or more read with one letter wrong ("Designel" for
 * Designer), when one title word only is that close; a comma read as a period after a word ("Senior Counsel.
 * Employment"); a role's slips ("Co Founder", "Kev Account").
 */
export function titleSlipsRead(title: string): string {
  const out = withRoleSlipsRead(title).replace(/\p{L}{5,}/gu, (word) => {
    const lower = word.toLowerCase();
    if (TITLE_WORDS.has(lower) || COMPANY_WORDS.has(lower) || TITLE_FIELD_WORDS.has(lower)) return word;
    // (A shorter word only by a letter the OCR takes for a like one: "Staft" for Staff, not "Start"; or a double
    // letter, a ligature in many fonts, read once: "Oficer" for Officer.)
    const slip = (w: string) =>
      w.length === lower.length
        ? lower.length >= 7
          ? editDistance(w, lower) === 1
          : isLookalikeSlip(w, lower)
        : w.length === lower.length + 1 && doubleReadOnce(w, lower);
    const near = [...TITLE_WORDS, ...TITLE_FIELD_WORDS].filter((w) => /^\p{L}+$/u.test(w) && slip(w));
    if (near.length !== 1) return word;
    if (word === word.toUpperCase()) return near[0].toUpperCase();
    // (each letter in the case read; a letter more in the case of the one before it)
    return [...near[0]]
      .map((ch, i) => {
        const read = word[Math.min(i, word.length - 1)];
        return read === read.toLowerCase() ? ch : ch.toUpperCase();
      })
      .join('');
  });
  // The last word cut short by a letter ("Clinical Research Associat"): the only title word it starts. (Not by two:
  // "Head of Design" is no Designer.)
  const cut = out.match(/(?<=\s)(\p{L}{5,})$/u)?.[1];
  if (cut && !TITLE_WORDS.has(cut.toLowerCase()) && !COMPANY_WORDS.has(cut.toLowerCase())) {
    const lower = cut.toLowerCase();
    const wholes = [...TITLE_WORDS].filter((w) => w.startsWith(lower) && w.length === lower.length + 1);
    if (wholes.length === 1) {
      const lost = wholes[0].slice(lower.length);
      return commaForPeriod(`${out}${cut === cut.toUpperCase() ? lost.toUpperCase() : lost}`);
    }
  }
  return commaForPeriod(out);
}

/** "Co Founder": the hyphen of a shared role lost (no title prints Co apart); "Kev Account Manager". */
function withRoleSlipsRead(title: string): string {
  return (
    title
      .replace(/\b(co)\s+(?=(?:founder|chair|director|head|lead|owner|president)\b)/giu, '$1-')
      // "Kev Account Manager": the y of Key read as v.
      .replace(/\b(k)(e)v(?=\s+account\b)/giu, (_, k: string, e: string) => `${k}${e}${e === 'E' ? 'Y' : 'y'}`)
  );
}

/** Letters the OCR reads one for the other in small print. */
const LOOKALIKES = new Set(['f:t', 't:f', 'l:i', 'i:l', 'c:e', 'e:c', 'h:n', 'n:h']);

/** `read` is `word` with one of a double letter left out ("oficer" for officer). */
function doubleReadOnce(word: string, read: string): boolean {
  return [...word].some((ch, i) => i > 0 && word[i - 1] === ch && word.slice(0, i) + word.slice(i + 1) === read);
}

/** `read` is `word` with one letter read as a like one. */
function isLookalikeSlip(word: string, read: string): boolean {
  const at = [...word].flatMap((ch, i) => (ch === read[i] ? [] : [i]));
  return at.length === 1 && LOOKALIKES.has(`${word[at[0]]}:${read[at[0]]}`);
}

function commaForPeriod(out: string): string {
  return out.replace(/(\p{L}{4,})\.(\s+)(?=\p{Lu})/gu, (m, word: string, space: string) =>
    TITLE_ABBREVIATIONS.has(word.toLowerCase()) ? m : `${word},${space}`,
  );
}
