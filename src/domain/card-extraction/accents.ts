import type { OcrLanguage } from '../../ports/ocr.js';
import { GAZETTEER_TOWN_LANGUAGES } from './gazetteer.js';
import { GERMAN_STREET_ENDINGS } from './lexicon.js';

// An English reading drops or swaps the accents of other languages' letters ("Calle Colon" or "Colén" for Colón,
// "Backerstraße" for Bäckerstraße). An address says which language it is written in: its country, its town, its
// street's words. Its lines read again in that language give the letters; only the letters are taken from there.

const COUNTRY_LANGUAGES: Record<OcrLanguage, string[]> = {
  de: ['Germany', 'Deutschland', 'Austria', 'Österreich', 'Liechtenstein'],
  fr: ['France', 'Monaco', 'Luxembourg', 'Sénégal', 'Senegal', "Côte d'Ivoire", 'Ivory Coast'],
  es: [
    'Spain',
    'España',
    'Mexico',
    'México',
    'Argentina',
    'Chile',
    'Colombia',
    'Peru',
    'Perú',
    'Venezuela',
    'Uruguay',
    'Ecuador',
    'Bolivia',
    'Paraguay',
    'Costa Rica',
    'Panama',
    'Panamá',
    'Guatemala',
  ],
  it: ['Italy', 'Italia', 'San Marino'],
  pt: ['Portugal', 'Brazil', 'Brasil', 'Angola', 'Mozambique', 'Moçambique'],
};

/** Street words of one language only ("Avenida" is Spanish and Portuguese; "Boulevard" English too). */
const STREET_WORDS: Record<OcrLanguage, RegExp> = {
  de: new RegExp(`\\p{L}(?:${GERMAN_STREET_ENDINGS})(?=[\\s,]|$)|\\b(?:Straße|Strasse)\\b`, 'iu'),
  fr: /\b(?:rue|quai|chemin|allée|impasse|cedex)\b/iu,
  es: /\b(?:calle|paseo|plaza|carrera|carretera|ronda|travesía|colonia)\b/iu,
  it: /\b(?:via|viale|piazza|piazzale|corso|vicolo)\b/iu,
  pt: /\b(?:rua|travessa|praça|largo)\b/iu,
};

const LANGUAGES = Object.keys(COUNTRY_LANGUAGES) as OcrLanguage[];
const COUNTRY_LANGUAGE = new Map<string, OcrLanguage>(
  LANGUAGES.flatMap((language) => COUNTRY_LANGUAGES[language].map((c) => [c.toLowerCase(), language] as const)),
);
const TOWN_LANGUAGE = new Map<string, OcrLanguage>(
  LANGUAGES.flatMap((language) => GAZETTEER_TOWN_LANGUAGES[language].map((town) => [town, language] as const)),
);

/**
 * The language an address is written in, when it is one besides English that Textract reads: its country's, else
 * its town's (a town of the gazetteer), else that of its street words (Calle, Rua, -straße, Via, Rue).
 */
export function addressLanguage(address: string): OcrLanguage | undefined {
  const parts = address.split(/,\s*/).map((p) => p.trim());
  const byCountry = COUNTRY_LANGUAGE.get(parts[parts.length - 1].toLowerCase());
  if (byCountry) return byCountry;
  // Québec writes in French ("Montréal, QC H2Y 1C6").
  if (/\bQC\s+[A-Z]\d[A-Z]/.test(address)) return 'fr';
  for (const part of parts) {
    const words = part.split(/\s+/).filter((w) => /^\p{L}/u.test(w));
    for (let n = Math.min(3, words.length); n >= 1; n--)
      for (let i = 0; i + n <= words.length; i++) {
        const language = TOWN_LANGUAGE.get(words.slice(i, i + n).join(' '));
        if (language) return language;
      }
  }
  const byStreet = LANGUAGES.filter((l) => STREET_WORDS[l].test(address));
  return byStreet.length === 1 ? byStreet[0] : undefined;
}

const ASCII = /^[\x20-\x7e]$/;
const UMLAUT = /^[äöüÄÖÜ]$/;
/** An o or a with its acute accent read as one letter, a d (the accent its stem): "Coldn" for Colón. */
const ACUTE_READ_AS_D = /^d[óá]$/;

/** A Latin letter with a diacritic, or ß (À-ɏ, less × and ÷). */
export function hasAccentedLetter(text: string): boolean {
  return /[\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F]/.test(text);
}
/** A text without its accents ("Montréal" → Montreal); ß and other letters of their own stay. */
export const withoutAccents = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '');
const base = (c: string) => withoutAccents(c).toLowerCase();

/**
 * A word read again in its language that differs from the English reading in accented letters only: same length,
 * and wherever they differ the new letter is accented (or ß): the old one's letter with an accent, one accent for
 * another ("Colén" → "Colón"), ß for a B; or, once in a word, an umlaut whose dots were read into another letter
 * ("Kurfirstendamm" → "Kurfürstendamm"; not "Hafiz" → "Hafız", a letter of another alphabet's reading), or an acute
 * o or a read as a d ("Coldn" → "Colón").
 */
export function onlyAccentsDiffer(word: string, reread: string): boolean {
  const a = [...word];
  const b = [...reread];
  if (a.length !== b.length || word === reread) return false;
  let misread = 0;
  const letter = (c: string) => /\p{L}/u.test(c);
  const fits = a.every((c, i) => {
    const d = b[i];
    if (c === d) return true;
    if (ASCII.test(d) || !letter(d) || !letter(c)) return false;
    if (d === 'ß') return c === 'B' || c === 'ß';
    if (base(c) === base(d) || !ASCII.test(c)) return true;
    misread++;
    return UMLAUT.test(d) || ACUTE_READ_AS_D.test(`${c}${d}`);
  });
  return fits && misread <= 1;
}

/**
 * `text` with its words' accents as the re-read `lines` give them: a word is replaced by the reading that differs from
 * it only in accents when more readings give that one than any other, the word as it stands included (readings in
 * several languages differ: "Thérèse" in French and Italian, "Thérese" in Spanish, "Thérêse" in Portuguese). A tie
 * leaves it as it is.
 */
export function withAccentsRead(text: string, lines: readonly string[]): string {
  const reread = lines
    .flatMap((line) => line.split(/[\s,]+/))
    .map((w) => w.replace(/^[^\p{L}\d]+|[^\p{L}\d.]+$/gu, ''));
  return text.replace(/[\p{L}\d.'-]+/gu, (word) => {
    const votes = new Map<string, number>([[word, 0]]);
    for (const r of reread) if (r === word || onlyAccentsDiffer(word, r)) votes.set(r, (votes.get(r) ?? 0) + 1);
    const [first, second] = [...votes].sort((a, b) => b[1] - a[1]);
    return first[1] > (second?.[1] ?? 0) ? first[0] : word;
  });
}
