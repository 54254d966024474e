import { addressLanguage, withoutAccents } from './accents.js';
import { GAZETTEER_BIG_TOWNS, GAZETTEER_TOWNS } from './gazetteer.js';
import type { Segment } from './layout.js';
import { COUNTRIES, GERMAN_STREET_SUFFIX, KOREAN_ADDRESS_SUFFIX, STREET_WORDS, US_STATES } from './lexicon.js';
import { editDistance, titleWordCount } from './people.js';

const STREET = new Set(STREET_WORDS);
const ADDRESS_LABEL =
  /^((home|work|office|business|mailing|postal|street)\s+)?(address|addr|adresse|anschrift|a)\s*[:.|]\s*/i;
const US_POSTCODE = /\b([A-Z]{2})\s+\d{5}(?:-\d{4})?\b/;
const UK_POSTCODE = /\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b/;
/**
 * Canada (M5J 2J2), Ireland's Eircode (D02 X576), the Netherlands (1016 GD Amsterdam), Australia (NSW 2000), Japan
 * (Tokyo 100-6390: after the town, or it is a phone number).
 */
const CA_POSTCODE = /\b[A-Z]\d[A-Z]\s?\d[A-Z]\d\b/;
/** One token of two to four capitals and digits, both: the first half of a postcode (a floor, "21F", is no postcode). */
const POSTCODE_HALF = /^(?!\d{1,2}F$)(?=[A-Z\d]*\d)(?=[A-Z\d]*[A-Z])[A-Z\d]{2,4}$/;
const EIRCODE = /\b[AC-FHKNPRTV-Y]\d{2}\s?[AC-FHKNPRTV-Y\d]{4}\b/;
const NL_POSTCODE = /(?:^|[\s,])\d{4}\s?[A-Z]{2}\s+\p{Lu}/u;
const AU_STATE_POSTCODE = /\b(?:NSW|VIC|QLD|WA|SA|TAS|ACT|NT)\s+\d{4}\b/;
const JP_POSTCODE = /(?:\p{Lu}\p{Ll}+,?\s+|〒\s?)\d{3}-\d{4}\b/u;
/** A postcode before the town (4-5 digits: "75002 Paris", "D-10117 Berlin") or after it (5-6 digits, or 4 that are no year). */
const CITY_POSTCODE =
  /(?:^|[\s,])(?:[A-Z]-)?\d{4,5}\s+\p{Lu}\p{Ll}+|\b\p{Lu}\p{Ll}+(?:[\s-]\p{Lu}?\p{Ll}+)?,?\s+(?:\d{5,6}|(?!19|20)\d{4})\b/u;
/** Japanese blocks (1-9-2) and ward or city suffixes (Chiyoda-ku, Osaka-shi). */
const JP_BLOCK = /(?:^|[\s,])\d{1,2}-\d{1,2}(?:-\d{1,3})?(?=[\s,]|$)/;
const JP_SUFFIX = /\p{L}-(?:ku|shi|cho|machi|gun|ken)\b/iu;
/** A unit in Singapore and elsewhere: #20-61. */
const UNIT = /#\d{1,3}-\d{1,4}\b/;
const DISTRICT = /^\p{Lu}\p{Ll}{2,}\s\d{1,2}(?:,|$)/u;
const HOUSE_NUMBER = /(^|[\s,])\d{1,5}(?:[a-zA-Z]|st|nd|rd|th)?(?=[\s,]|$)/;
const STREET_THEN_NUMBER = /^\p{Lu}[\p{L}.'-]+(?:\s[\p{L}.'-]+){0,3}\s\d{1,4}[a-z]?$/u;
const COUNTRY_NAMES = COUNTRIES.map((c) => c.replace(/\./g, '\\.')).join('|');
const COUNTRY_ONLY = new RegExp(`^(?:${COUNTRY_NAMES})$`, 'i');
const COUNTRY = new RegExp(`(^|[\\s,])(${COUNTRY_NAMES})\\s*$`, 'i');
const COUNTRY_AFTER_POSTCODE = new RegExp(`(\\d)\\s+(${COUNTRY_NAMES})\\s*$`, 'i');

const POSTCODE_AND_WORD = /^(?:(?:[A-Z]-)?\d{4,6}\s+\p{L}+|\p{L}+,?\s+\d{4,6})$/u;

/** The line with the OCR's slips inside postcodes undone, to judge it by. */
function withPostcodeSlipsUndone(line: string): string {
  return joinSplitPostcode(repairCanadianPostcode(ninesInPostcodes(onesInPostcodes(zerosInPostcodes(line)))));
}

/** How much a segment looks like (part of) a postal address; 2 or more counts as an address line. */
export function addressScore(text: string): number {
  const t = withPostcodeSlipsUndone(text.replace(ADDRESS_LABEL, ''));
  // (its street words as the address will be given: "Pasco de la Castellana 92" is a street)
  const tokens = repairStreetWords(t)
    .toLowerCase()
    .split(/[\s,]+/)
    .filter(Boolean);
  let score = 0;
  const hasNumber = HOUSE_NUMBER.test(t);
  const street = tokens.some((w) => STREET.has(w)) || GERMAN_STREET_SUFFIX.test(t);
  if (street) score += hasNumber ? 3 : 1;
  if (KOREAN_ADDRESS_SUFFIX.test(t) || JP_SUFFIX.test(t)) score += 2;
  if (JP_BLOCK.test(t)) score += 1;
  const us = t.match(US_POSTCODE);
  if (us && US_STATES.has(us[1])) score += 3;
  if (UK_POSTCODE.test(t) || CA_POSTCODE.test(t) || EIRCODE.test(t) || AU_STATE_POSTCODE.test(t)) score += 3;
  if (NL_POSTCODE.test(t)) score += 3;
  if (CITY_POSTCODE.test(t) || JP_POSTCODE.test(t)) score += 2;
  if (UNIT.test(t)) score += 2;
  if (COUNTRY.test(t)) score += 2;
  if (/\bp\.?\s?o\.?\s+box\b/i.test(t)) score += 3;
  // A town with its district number ("Dublin 2", "Paris 8"), the line under a street.
  if (score === 0 && DISTRICT.test(t.trim())) score += 1;
  // "Am Sandtorkai 72": a street named without a street word, house number last (German style).
  if (score === 0 && STREET_THEN_NUMBER.test(t.trim())) score += 1;
  return score;
}

/** A unit's number ("Suite 2570", "Floor 12"): no postcode. */
const UNIT_NUMBER = /\b(?:suite|ste|floor|fl|unit|room|rm|level|lvl|building|bldg|tower|block|no)\.?\s*#?\d+[a-z]?\b/gi;

/**
 * The address names where it is: a postcode, a country, a town next to its number ("Dublin 2") or a known city.
 * Without one, what was read is a piece of an address ("85 Bay Street", "Street, Suite 357"), not the address.
 */
export function hasTownPart(address: string): boolean {
  const t = withPostcodeSlipsUndone(address).replace(UNIT_NUMBER, '');
  const us = t.match(US_POSTCODE);
  if (us && US_STATES.has(us[1])) return true;
  const postcodes = [UK_POSTCODE, CA_POSTCODE, EIRCODE, NL_POSTCODE, AU_STATE_POSTCODE, JP_POSTCODE, CITY_POSTCODE];
  if (postcodes.some((re) => re.test(t)) || /\bp\.?\s?o\.?\s+box\b/i.test(t)) return true;
  const parts = t.split(/,\s*/).map((p) => p.trim());
  // ("Keizersgracht 64" is a street and its number, not a town and its district.)
  const district = (p: string) => DISTRICT.test(p) && !GERMAN_STREET_SUFFIX.test(p);
  // ... or a part that is a town of the gazetteer ("…, Halifax").
  return parts.some((p) => COUNTRY.test(p) || district(p) || namesATown(p));
}

/** Street words that follow the street's name: a line never starts with one. */
const STREET_TYPE_AFTER_NAME = /^(?:street|st|road|rd|avenue|ave|boulevard|blvd|lane|ln|drive|dr|parkway|pkwy)\b\.?/i;

/**
 * The address's first line read without its start: a word cut in front ("seo de la Castellana" for Paseo, "-3-27
 * Marunouchi" for 4-3-27, ">aseo" with a mark for its first letter), or a street's type without its name ("Street,
 * Suite 357").
 */
export function startsCut(address: string): boolean {
  const t = address.trim();
  // ... or a speck read as a digit in front of it ("3seo"), which no ordinal ("3rd") is.
  return (
    /^(?:[\p{Ll}]|[^\p{L}\d#]|\d+(?!st|nd|rd|th)\p{Ll})/u.test(t) ||
    STREET_TYPE_AFTER_NAME.test(t) ||
    SCRAP_BEFORE_UNIT.test(t)
  );
}

/** "9 Level 37, 46 Jalan …": a number in front of a unit's word, where none is printed (a speck read as a digit). */
const SCRAP_BEFORE_UNIT = /^\d+\s+(?:suite|floor|level|room|unit)\s+\d/i;

/**
 * The address says where in the town: a street or building word, a house number before a word, a block or unit
 * number. Without one, what was read is the end of an address ("Shenzhen 518048 China"), its street lines lost.
 */
export function hasStreetPart(address: string): boolean {
  const tokens = address.toLowerCase().split(/[\s,]+/);
  const parts = address.split(/,\s*/).map((p) => p.trim());
  // The town's line, postcode first ("75002 Paris", "1016 GD Amsterdam"), last or before the country: no house number.
  const townLine = (p: string, i: number) =>
    POSTCODE_THEN_TOWN.test(p) && parts.slice(i + 1).every((rest) => COUNTRY_ONLY.test(rest));
  return (
    tokens.some((w) => STREET.has(w)) ||
    GERMAN_STREET_SUFFIX.test(address) ||
    KOREAN_STREET_SUFFIX.test(address) ||
    JP_BLOCK.test(address) ||
    UNIT.test(address) ||
    /\bp\.?\s?o\.?\s+box\b/i.test(address) ||
    parts.some((p, i) => (/^\d{1,5}[a-zA-Z]?\s+\p{L}/u.test(p) && !townLine(p, i)) || STREET_THEN_NUMBER.test(p))
  );
}

const POSTCODE_THEN_TOWN = /^(?:[A-Z]-)?\d{4,5}(?:\s[A-Z]{2})?\s\p{Lu}\p{L}+(?:[\s-]\p{Lu}\p{L}+)?$/u;

/** A Korean road ("Teheran-ro", "Saemunan-gil") or neighbourhood; a district or city ("Gangnam-gu", "Seongnam-si") is no street. */
const KOREAN_STREET_SUFFIX = /-(?:ro|gil|daero|dong)\b/i;

/**
 * The town read off the line that names it, its postcode left: a state and ZIP code alone after the street ("Suite
 * 635, OR 97204" for "..., Portland, OR 97204"), a postcode straight before the country ("Bundang-gu, 13494 South
 * Korea" for "Seongnam-si 13494, South Korea"), a Dutch postcode last without its town.
 */
export function townLost(address: string): boolean {
  const parts = address.split(/,\s*/).map((p) => p.trim());
  // A postcode's piece alone ("Kita-ku, 0001, Japan" for "Osaka 530-0001"), or, last, a postcode's first half
  // without the rest ("Dublin 2, D02" for "D02 X576"; "EC1V" for "EC1V 9BD").
  const last = parts.filter((p) => !COUNTRY_ONLY.test(p)).pop() ?? '';
  if (parts.some((part) => /^\d+$/.test(part)) || POSTCODE_HALF.test(last)) return true;
  // A Japanese postcode, or its end, without the town before it ("Kita-ku, 0-0001, Japan" for "Osaka 530-0001").
  if (parts.some((part) => /^\d{1,3}-\d{4}$/.test(part))) return true;
  // A Dutch postcode last, its town lost ("Neude 16, 3512 AE" for "..., 3512 AE Utrecht").
  if (/^\d{4}\s?[A-Z]{2}$/.test(last)) return true;
  // A state or province last, its postcode lost ("…, Halifax, NS" for "…, Halifax, NS B3J 1Z2").
  if (/^[A-Z]{2}$/.test(last) && (US_STATES.has(last) || CA_PROVINCES.has(last))) return true;
  return parts.some((part, i) => {
    const us = part.match(/^([A-Z]{2})\s+\d{5}(?:-\d{4})?$/);
    if (us && US_STATES.has(us[1]) && (i === 0 || /\d/.test(parts[i - 1]))) return true;
    const country = part.match(/^\d{4,6}\s+(.+)$/);
    return !!country && COUNTRY_ONLY.test(country[1]);
  });
}

/** An address read whole enough to give: it names its street and town, and its first line is not cut. */
export function isWholeAddress(address: string): boolean {
  return (
    hasTownPart(address) &&
    hasStreetPart(address) &&
    !startsCut(address) &&
    !townLost(address) &&
    !canadianPostcodeMisread(address) &&
    !postcodeMisread(address) &&
    !countryLineCut(address)
  );
}

/**
 * "49 Eyre Square Galway HI FDI9" for "..., Galway H91 FD92": the address ends in a postcode's piece of capitals and
 * digits, and no country's postcode of that kind (British, Irish, Canadian, Dutch, American) is read in it: the
 * postcode was misread. So was one of six-digit postcodes read with other digits.
 */
export function postcodeMisread(address: string): boolean {
  const t = withPostcodeSlipsUndone(address);
  // Singapore's, China's and India's postcodes are six digits ("Singapore 0897" is one cut short).
  const six = t.match(/\bSingapore\s+(\d+)\b/i)?.[1] ?? t.match(/\b(\d+),?\s+(?:China|India)\s*$/i)?.[1];
  if (six && six.length !== 6) return true;
  const last =
    t
      .trim()
      .split(/[\s,]+/)
      .pop() ?? '';
  if (!POSTCODE_HALF.test(last)) return false;
  const us = t.match(US_POSTCODE);
  if (us && US_STATES.has(us[1])) return false;
  return ![UK_POSTCODE, CA_POSTCODE, EIRCODE, NL_POSTCODE].some((re) => re.test(t));
}

/**
 * "Bundang-gu, h Korea" for "Seongnam-si 13494, South Korea": the country's line read from a letter or two of its
 * middle on, what stood before them lost.
 */
export function countryLineCut(address: string): boolean {
  return address.split(/,\s*/).some((part) => {
    const cut = part.trim().match(/^\p{Ll}{1,3}\s+(.+)$/u);
    return !!cut && COUNTRY_ONLY.test(cut[1]);
  });
}

/** The line ends in a country's name ("Seoul 06236, South Korea", "United Kingdom"). */
export function endsWithCountry(text: string): boolean {
  return COUNTRY.test(text.trim());
}

export function stripAddressLabel(text: string): string {
  return text.replace(ADDRESS_LABEL, '').trim();
}

/**
 * The address: chains of address-like segments stacked directly below one another (overlapping
 * horizontally, at most ~1.6 text heights apart), found by geometry so that a second column
 * printed beside the address cannot cut it. The best-scoring chain wins, joined with ", ".
 */
export function findAddress(
  candidates: Segment[],
  isFree: (s: Segment) => boolean,
): { text: string; segments: Segment[]; endsOpen: boolean } | null {
  const readAs = new Map<Segment, string>();
  for (const s of candidates) {
    const country = countryReadByItsLastWord(s, candidates);
    if (country) readAs.set(s, country);
  }
  const scored = candidates
    .filter((s) => isFree(s) && !isGhostReading(s, candidates))
    .map((s) => ({ s, score: addressScore(readAs.get(s) ?? s.text) }))
    .filter(({ s, score }) => score >= 2 || (score === 1 && titleWordCount(s.text) === 0));
  scored.push(
    ...townLines(
      candidates,
      isFree,
      scored.map(({ s }) => s),
    ).map((s) => ({ s, score: 0 })),
  );
  const next = new Map<Segment, Segment>();
  const hasAbove = new Set<Segment>();
  for (const a of scored) {
    const below = nearestBelow(
      a.s,
      scored
        .map(({ s }) => s)
        .filter(
          (b) => b !== a.s && b.box.top > a.s.box.top && verticallyAdjacent(a.s, b) && overlapsHorizontally(a.s, b),
        ),
    );
    if (below && !hasAbove.has(below)) {
      next.set(a.s, below);
      hasAbove.add(below);
    }
  }
  const scoreOf = new Map(scored.map(({ s, score }) => [s, score]));
  let best: { segments: Segment[]; score: number } | null = null;
  for (const { s } of scored) {
    if (hasAbove.has(s)) continue;
    const chain: Segment[] = [];
    for (let cur: Segment | undefined = s; cur; cur = next.get(cur)) {
      chain.push(cur);
      // A country ends an address: what is stacked below it is something else (a tagline, a logo read as text).
      if (endsWithCountry(cur.text)) break;
    }
    const scores = chain.map((c) => scoreOf.get(c) ?? 0);
    if (Math.max(...scores) < 2) continue;
    const total = scores.reduce((a, b) => a + b, 0);
    if (!best || total > best.score) best = { segments: chain, score: total };
  }
  if (!best) return null;
  // A postcode and one word alone ("28046 Madnd", "Share 079535") is what is left of an address whose other lines
  // were lost: not given.
  if (best.segments.length === 1 && POSTCODE_AND_WORD.test(stripAddressLabel(best.segments[0].text))) return null;
  // A line read in two pieces cut inside a word ("8th Floor, Pri" | "ige Tower"): what it says is not known.
  if (best.segments.some((seg) => cutInsideAWord(seg, candidates, isFree))) return null;
  // A part that ends in a comma goes on along its row ("11th Floor," … "Brigade Centre"; "MG Road," … "Bengaluru").
  const rowRest = new Map<Segment, Segment>();
  const last = best.segments[best.segments.length - 1];
  for (const seg of best.segments) {
    // ... and the last line goes on to a country printed after it on its row ("Osaka 530-0001" … "Japan").
    const countryAfter = seg === last && !endsWithCountry(seg.text);
    if (!/,$/.test(seg.text.trim()) && !countryAfter) continue;
    const right = seg.box.left + seg.box.width;
    const rest = candidates
      .filter(
        (o) =>
          Math.abs(o.box.top + o.box.height / 2 - (seg.box.top + seg.box.height / 2)) < 0.5 * seg.size &&
          o.box.left > right &&
          isFree(o) &&
          !best.segments.includes(o) &&
          /\p{L}/u.test(o.text) &&
          titleWordCount(o.text) === 0,
      )
      .sort((a, b) => a.box.left - b.box.left)[0];
    if (!rest || rest.box.left - right >= 0.1) continue;
    if (/,$/.test(seg.text.trim()) || COUNTRY_ONLY.test(rest.text.trim())) rowRest.set(seg, rest);
  }
  const text = best.segments
    .map((seg) =>
      rowRest.has(seg)
        ? {
            ...seg,
            text: `${seg.text} ${rowRest.get(seg)?.text}`,
            words: [...seg.words, ...(rowRest.get(seg)?.words ?? [])],
          }
        : seg,
    )
    .map((seg) =>
      LINE_REPAIRS.reduce(
        (line, repair) => repair(line),
        readAs.get(seg) ?? stripAddressLabel(withoutTrailingScraps(withoutLeadingMark(seg))),
      ),
    )
    .map((line) => withoutTrailingPeriod(line.replace(/[\s,;]+$/, '')))
    .filter(Boolean)
    .join(', ');
  // "Shenzhen 518048." with "China" lost below: a last line ending in a comma, or a number and a period, goes on.
  const endsOpen = /(?:,|\d\.)$/.test(withoutTrailingScraps(rowRest.get(last) ?? last).trim());
  return { text, segments: [...rowRest.values(), ...best.segments], endsOpen };
}

/**
 * "Ah" | "Kingdom" for "United Kingdom": a country's last word read well on its own, the one country of more words
 * that ends in it, and what stands right before it on its row read with next to no confidence.
 */
function countryReadByItsLastWord(seg: Segment, all: Segment[]): string | null {
  if (seg.words.length !== 1 || seg.words[0].confidence < 80) return null;
  const word = seg.words[0].text.toLowerCase();
  const countries = COUNTRIES.filter((c) => c.endsWith(` ${word}`));
  if (countries.length !== 1 || COUNTRY_ONLY.test(word)) return null;
  const centre = seg.box.top + seg.box.height / 2;
  const unreadBefore = all.some(
    (o) =>
      o !== seg &&
      // (Its box may be taller than the line's: a mark beside it read as letters.)
      o.box.top < centre &&
      o.box.top + o.box.height > centre &&
      o.box.left + o.box.width <= seg.box.left + 0.005 &&
      seg.box.left - (o.box.left + o.box.width) < 3 * seg.size &&
      o.words.every((w) => w.confidence < 50),
  );
  return unreadBefore ? capitalCountry(countries[0]) : null;
}

/**
 * "Share 079535" over "1 Anson Road, #26-52": a second, unsure reading of a place another line was read from (every
 * word below 50 % confidence, its box mostly over a better-read line's).
 */
function isGhostReading(s: Segment, all: Segment[]): boolean {
  if (s.words.some((w) => w.confidence >= 50)) return false;
  const area = (b: Segment['box']) => b.width * b.height;
  const mean = (x: Segment) => x.words.reduce((sum, w) => sum + w.confidence, 0) / Math.max(1, x.words.length);
  return all.some((o) => {
    if (o === s || mean(o) <= mean(s)) return false;
    const w = Math.min(s.box.left + s.box.width, o.box.left + o.box.width) - Math.max(s.box.left, o.box.left);
    const h = Math.min(s.box.top + s.box.height, o.box.top + o.box.height) - Math.max(s.box.top, o.box.top);
    return w > 0 && h > 0 && w * h > 0.5 * Math.min(area(s.box), area(o.box));
  });
}

/** "Madrid, Spain.": a speck read as a period after a part's last word, which no abbreviation ("St.") ends in. */
export function withoutTrailingPeriod(line: string): string {
  return line.replace(/(\p{L}{2,})\.$/u, (match, word: string) =>
    ADDRESS_ABBREVIATIONS.has(word.toLowerCase()) ? match : word,
  );
}

/** Right after `seg` on its row, close by, a piece that starts in lower case: the rest of a word cut in two. */
function cutInsideAWord(seg: Segment, candidates: Segment[], isFree: (s: Segment) => boolean): boolean {
  const right = seg.box.left + seg.box.width;
  const centre = seg.box.top + seg.box.height / 2;
  return candidates.some(
    (o) =>
      o !== seg &&
      isFree(o) &&
      /^\p{Ll}{2,}/u.test(o.text) &&
      Math.abs(o.box.top + o.box.height / 2 - centre) < 0.5 * seg.size &&
      o.box.left > right - 0.005 &&
      // Letters may be lost between the pieces: up to about two text heights.
      o.box.left - right < 2 * seg.size,
  );
}

/** A town printed on a line of its own ("Edinburgh", "Kuala Lumpur"): capitalised words, no digits. */
const TOWN_LINE = /^\p{Lu}[\p{L}'.-]+(?:[\s-]\p{Lu}[\p{L}'.-]+){0,2},?$/u;

/**
 * Lines that only name a town ("476 Mission Street" / "Edinburgh" / "EH2 4AD"): no address words of their own, so
 * they join an address only between two of its lines, right above and right below.
 */
function townLines(candidates: Segment[], isFree: (s: Segment) => boolean, lines: Segment[]): Segment[] {
  const adjacent = (upper: Segment, lower: Segment) =>
    lower.box.top > upper.box.top && verticallyAdjacent(upper, lower) && overlapsHorizontally(upper, lower);
  return candidates.filter(
    (s) =>
      isFree(s) &&
      !lines.includes(s) &&
      TOWN_LINE.test(s.text.trim()) &&
      titleWordCount(s.text) === 0 &&
      s.words.every((w) => w.confidence >= 80) &&
      lines.some((above) => adjacent(above, s)) &&
      lines.some((below) => adjacent(s, below)),
  );
}

/**
 * "9 111 rue Sainte-Catherine", "9 Suite 12, Riverside House": a mark before the address (a pin) read as one digit
 * with little confidence in front of its house or unit number, where no address starts with two numbers.
 */
function withoutLeadingMark(seg: Segment): Segment {
  const [first, second] = seg.words;
  if (!second || !/^\d$/.test(first.text) || first.confidence >= 60) return seg;
  if (!/^\d/.test(second.text) && !/^(?:suite|floor|level|room|unit)$/i.test(second.text)) return seg;
  const words = seg.words.slice(1);
  return { ...seg, words, text: words.map((w) => w.text).join(' ') };
}

/**
 * The segment's text without one or two trailing scraps read off an icon or a mark ("NY 10013 al"): short
 * lower-case words read with low confidence.
 */
function withoutTrailingScraps(seg: Segment): string {
  const words = [...seg.words];
  while (words.length > 1) {
    const last = words[words.length - 1];
    const afterNumber = /\d$/.test(words[words.length - 2].text);
    // ... or any one character after a postcode of five or six digits ("Singapore 098155 4").
    const afterPostcode = last.text.length === 1 && /^\d{5,6}$/.test(words[words.length - 2].text);
    const scrap = last.text.length <= 2 && /^[\p{Ll}\W]+$/u.test(last.text) && (last.confidence < 60 || afterNumber);
    // ... or a bracket or bar no address holds ("Main [i"), or two letters read with next to no confidence ("Fr").
    const mark = last.text.length <= 3 && /[[\]{}|]/.test(last.text);
    const unread = last.text.length <= 2 && last.confidence < 40;
    if (!scrap && !afterPostcode && !mark && !unread) break;
    words.pop();
  }
  return words.length === seg.words.length ? seg.text : words.map((w) => w.text).join(' ');
}

/** Abbreviations that end in a period inside an address ("St. Georges Terrace", "Blvd. 12"). */
const ADDRESS_ABBREVIATIONS = new Set(
  'st ave av blvd bd rd dr ste fl no nr co ltd inc pte mt ft bldg apt pl sq ln hwy pkwy ct cres tce esp str rm dept'.split(
    ' ',
  ),
);

/**
 * A comma the OCR read as a period ("7th Floor. Embassy Point", "Dublin 2. D02 X576"): address parts are
 * separated by commas, so a period between words that is not an abbreviation's is one.
 */
export function commasForPeriods(line: string): string {
  // A single letter before a period is an initial ("J. Smith Building"); a single digit ends a district ("Dublin 2.").
  return line.replace(/([\p{L}\d]+)\.(?=\s+[\p{L}\d#])/gu, (match, word: string) =>
    (word.length === 1 && /\p{L}/u.test(word)) || ADDRESS_ABBREVIATIONS.has(word.toLowerCase()) ? match : `${word},`,
  );
}

/** Slips of the OCR inside an address line's numbers and words. */
export function repairAddressSlips(line: string): string {
  return (
    line
      // "2-1 1-28 Marunouchi": a Japanese block number with its "11" read apart.
      .replace(/(^|[\s,])(\d{1,2}-\d)\s(\d-\d{1,3})(?=[\s,]|$)/, '$1$2$3')
      // "LS12HT": a British postcode printed with its space before the last three.
      .replace(/(^|[\s,])([A-Z]{1,2}\d[A-Z\d]?)(\d[A-Z]{2})(?=[\s,]|$)/, '$1$2 $3')
      // "Seongnam.-si": a speck before a hyphen.
      .replace(/(\p{L})\.-(?=\p{L})/gu, '$1-')
      // "ON M5) 2J2": a J of a Canadian postcode read as a bracket.
      .replace(/\b([A-Z]\d)[)\]](\s?\d[A-Z]\d)\b/g, '$1J$2')
      // "6F 15 Teheran-ro": the comma after a floor ("6F", "21F") before the house number read as nothing; "3E 149
      // Pangyo-ro": its F read as E.
      .replace(/^(\d{1,2})[FE]\s+(?=\d{1,5}\s+\p{L})/u, '$1F, ')
      // "Tth Floor": a 7 read as T before its ordinal's "th".
      .replace(/(^|[\s,])T(?=th\s)/, '$17')
      // "D02 X 576": an Eircode's last four read apart.
      .replace(/\b([AC-FHKNPRTV-Y]\d{2}|D6W)\s([AC-FHKNPRTV-Y\d])\s([AC-FHKNPRTV-Y\d]{3})(?=[\s,]|$)/, '$1 $2$3')
      // "llth Floor": an ordinal's ones read as letters.
      .replace(/(^|[\s,])[lI]{2}(?=th\b)/, '$111')
  );
}

/**
 * A postcode the OCR read in two pieces: five digits at the start of a part before the town ("28 195 Bremen"), six
 * after the town at the end of a part ("Shanghai 2001 20, China").
 */
export function joinSplitPostcode(line: string): string {
  return (
    withFiveDigitPostcodeJoined(line)
      .replace(/\b([A-Z]{2})\s(\d{2,3})\s(\d{2,3})(?=\s*(?:,|$))/, (m, state: string, a: string, b: string) =>
        US_STATES.has(state) && a.length + b.length === 5 ? `${state} ${a}${b}` : m,
      )
      .replace(/(^|,\s)(\d{2})\s(\d{3})(?=\s+\p{Lu}\p{Ll})/u, '$1$2$3')
      .replace(/(\p{Lu}\p{Ll}+\s)(\d{2,4})\s(\d{2,4})(?=\s*(?:,|$))/u, (m, town: string, a: string, b: string) =>
        a.length + b.length === 6 || (a.length + b.length === 5 && a.length >= 3) ? `${town}${a}${b}` : m,
      )
      // Japan's "106-6108" read with a space in its four digits ("Tokyo 106-61 08").
      .replace(
        /(\p{Lu}\p{Ll}+,?\s+\d{3}-)(\d{1,3})\s(\d{1,3})(?=\s*(?:,|$))/u,
        (m, head: string, a: string, b: string) => (a.length + b.length === 4 ? `${head}${a}${b}` : m),
      )
  );
}

/** Countries of five-digit postcodes before the town (Germany, France, Spain, Italy), by their language. */
const FIVE_DIGIT_POSTCODE_LANGUAGES = new Set(['de', 'fr', 'es', 'it']);

/**
 * "691 17 Heidelberg" for 69117: five digits before the town read in two pieces, three and two, where the town or
 * country is one of five-digit postcodes (in Sweden or Czechia "114 55 Stockholm" is printed so).
 */
function withFiveDigitPostcodeJoined(line: string): string {
  // Every address line of every card is judged through here: its language is looked up only for the pattern.
  if (!THREE_AND_TWO_DIGITS.test(line)) return line;
  const language = addressLanguage(line);
  if (!language || !FIVE_DIGIT_POSTCODE_LANGUAGES.has(language)) return line;
  return line.replace(THREE_AND_TWO_DIGITS, '$1$2$3');
}
const THREE_AND_TWO_DIGITS = /(^|,\s)(\d{3})\s(\d{2})(?=\s+\p{Lu}\p{Ll})/u;

/** "Shenzhen 518048 China": the comma between a postcode and the country after it, read as nothing. */
export function commaBeforeCountry(line: string): string {
  return line.replace(COUNTRY_AFTER_POSTCODE, '$1, $2');
}

/** A country read in lower case at the end of an address ("..., china"): printed with capitals. */
export function capitalCountry(line: string): string {
  const m = line.match(COUNTRY);
  if (!m || m[2] !== m[2].toLowerCase() || m[2].length < 4) return line;
  const capitalised = m[2].replace(/(^|\s)(\p{Ll})/gu, (_, space: string, ch: string) => `${space}${ch.toUpperCase()}`);
  return `${line.slice(0, line.length - m[0].length)}${m[1]}${capitalised}${m[0].slice(m[1].length + m[2].length)}`;
}

/** "H3A 1B?", "Galway H?1 FD92": a nine read as a question mark inside a postcode's short groups. */
export function ninesInPostcodes(line: string): string {
  return line.replace(/(?<=^|[\s,])[A-Z\d?]{2,4}(?=[\s,]|$)/g, (t) =>
    /\?/.test(t) && /[A-Z\d]/.test(t) ? t.replace(/\?/g, '9') : t,
  );
}

/** A postcode whose zero was read as the letter O ("DO2 X576", "EC1V 9BD" stays): letter O between digits or after one letter. */
export function zerosInPostcodes(line: string): string {
  return line.replace(/\b([A-Z])O(\d)(?=\s|,|$)/g, '$10$2').replace(/\b([A-Z]\d)O(?=\s|,|$)/g, '$10');
}

/**
 * A British postcode whose district's one was read as the letter I or l ("LSI 2HT" for LS1 2HT, "ECIV 9BD"), or
 * whose inward code's (always a digit, then two letters) ("NR2 INH" for NR2 1NH).
 */
export function onesInPostcodes(line: string): string {
  return line
    .replace(/(?<=^|[\s,])([A-Z]{1,2})[Il](?=[A-Z\d]?\s\d[A-Z]{2}(?:[\s,]|$))/g, '$11')
    .replace(/(?<=(?:^|[\s,])[A-Z]{1,2}\d[A-Z\d]?\s)[Il](?=[A-Z]{2}(?:[\s,]|$))/g, '1');
}

/**
 * "60311 Frankfurt am Main 1": a digit read after the town on a line that begins with its postcode, where no
 * district number ("Dublin 2") follows a town.
 */
export function withoutDigitAfterTown(line: string): string {
  return line.replace(/^((?:[A-Z]-)?\d{4,5}\s+\p{Lu}[\p{L}\s-]*\p{L})\s+\d$/u, '$1');
}

/** Canada's provinces and territories, which its postcodes follow ("Montreal, QC H3A 1B9"). */
const CA_PROVINCES = new Set('AB BC MB NB NL NS NT NU ON PE QC SK YT'.split(' '));
const AS_LETTER: Record<string, string> = { 8: 'B', 5: 'S', 2: 'Z', 6: 'G', ')': 'J', ']': 'J' };
const AS_DIGIT: Record<string, string> = { O: '0', o: '0', I: '1', l: '1', i: '1', S: '5', B: '8', Z: '2', G: '6' };

/** A province's code as printed: capitals, its Q read as O or 0 ("oc" for QC). */
function provinceRead(read: string): string {
  return read.toUpperCase().replace(/^[O0]C$/, 'QC');
}

/**
 * A Canadian province followed by a postcode that has not its letter-digit-letter digit-letter-digit shape even
 * after repair ("Montreal, oC M34 189"): the postcode was misread, and the address is not to be given.
 */
export function canadianPostcodeMisread(address: string): boolean {
  return address.split(/,\s*/).some((part) => {
    const read = part.trim().match(/^([A-Za-z0]{2})\s+([A-Za-z\d]{3}\s?[A-Za-z\d]{3})$/);
    return !!read && CA_PROVINCES.has(provinceRead(read[1])) && !/^[A-Z]\d[A-Z]\s?\d[A-Z]\d$/.test(read[2]);
  });
}

/**
 * "Montreal, oc H3a 189" for "Montreal, QC H3A 1B9": a Canadian province and postcode read with slips (Q read as o,
 * capitals as small letters, B as 8), put back in the postcode's letter-digit-letter digit-letter-digit shape.
 */
export function repairCanadianPostcode(line: string): string {
  return line.replace(
    /(,\s*)([A-Za-z0]{2})\s+([A-Za-z\d)\]]{3})(\s?)([A-Za-z\d)\]]{3})(?=[\s,.]|$)/,
    (m, comma: string, read: string, first: string, space: string, second: string) => {
      const province = provinceRead(read);
      if (!CA_PROVINCES.has(province)) return m;
      const code = [...first, ...second].map((ch, i) =>
        i % 2 === 0 ? (AS_LETTER[ch] ?? ch.toUpperCase()) : (AS_DIGIT[ch] ?? ch),
      );
      if (!/^[A-Z]\d[A-Z]\d[A-Z]\d$/.test(code.join(''))) return m;
      return `${comma}${province} ${code.slice(0, 3).join('')}${space}${code.slice(3).join('')}`;
    },
  );
}

/**
 * The line right below `upper` among `below`: the nearest row, and on it the piece it starts with, as a row is read
 * ("11th Floor," | "Brigade Centre" over "MG Road," | "Bengaluru 560001": MG Road follows 11th Floor; the row's rest
 * joins it after its comma).
 */
function nearestBelow(upper: Segment, below: Segment[]): Segment | undefined {
  const top = Math.min(...below.map((b) => b.box.top));
  return below
    .filter((b) => b.box.top - top < 0.5 * Math.min(upper.size, b.size))
    .sort((x, y) => x.box.left - y.box.left)[0];
}

function overlapsHorizontally(a: Segment, b: Segment): boolean {
  return Math.min(a.box.left + a.box.width, b.box.left + b.box.width) > Math.max(a.box.left, b.box.left);
}

function verticallyAdjacent(upper: Segment, lower: Segment): boolean {
  const gap = lower.box.top - (upper.box.top + upper.box.height);
  const size = Math.max(upper.size, lower.size);
  // Two readings that start at the same height are one printed row (a ghost line read over another), not stacked.
  const sameRow = lower.box.top - upper.box.top < 0.5 * Math.min(upper.size, lower.size);
  return !sameRow && gap > -0.5 * size && gap < 1.6 * size;
}

/** Cities whose umlauts tesseract's English model cannot print, as it misreads them. */
const UMLAUT_CITIES = [
  'München',
  'Köln',
  'Düsseldorf',
  'Nürnberg',
  'Lübeck',
  'Würzburg',
  'Göttingen',
  'Tübingen',
  'Saarbrücken',
  'Zürich',
  'Mönchengladbach',
  'Osnabrück',
  'Fürth',
  // ... and the gazetteer's towns spelled with an umlaut (Münster, Osnabrück, Malmö).
  ...GAZETTEER_TOWNS.filter((t) => /[äöü]/.test(t) && /^\p{L}+$/u.test(t)),
];

function foldUmlauts(s: string): string {
  return s.toLowerCase().replace(/ä/g, 'a').replace(/ö/g, 'o').replace(/ü/g, 'u');
}

/**
 * Repairs German address words the OCR cannot spell: "ß" read as B/f/lS ("HauptstraBe"), and umlaut
 * cities after a postcode ("80331 Miinchen", "50667 Kéln"), matched against a short list of cities.
 */
export function repairGermanAddress(text: string): string {
  let out = text
    .replace(/(\p{Ll})stra(?:[BlS3Rfb|]{1,2}|fi|)e\b/gu, '$1straße')
    .replace(/\bStra(?:B|lS|l3|R|BB)e\b/g, 'Straße');
  out = out.replace(/\b(\d{5})\s+(\p{L}+)/gu, (match, zip: string, city: string) => {
    const folded = foldUmlauts(city).replace(/ii/g, 'u').replace(/[éèê]/g, 'o');
    const hit =
      UMLAUT_CITIES.find((c) => foldUmlauts(c) === folded) ??
      (folded.length >= 4 ? UMLAUT_CITIES.find((c) => editDistance(foldUmlauts(c), folded) === 1) : undefined);
    return hit ? `${zip} ${hit}` : match;
  });
  return out;
}

/** A German street's one word: a name run into its type (Lindenstraße, Birkenweg, Schlossallee). */
const GERMAN_STREET_WORD = /^\p{L}{3,}(?:straße|strasse|weg|allee|platz|gasse|damm|ufer|ring|markt|graben|steig)$/iu;
/** The words before which a Spanish street's name stands. */
const SPANISH_STREET_TYPE = /\b(?:Calle|C\/|Avenida|Avda\.|Plaza|Paseo|Carrer|Camino|Ronda|Rambla|Travesía)\s/;

/**
 * Accents the OCR dropped from a street's name, by what the languages' spelling says, not by a list of words: in a
 * German street's one word, "ii" is tesseract's reading of ü (no German word holds "ii") and é one of ö (German has
 * no é); in a Spanish street's name, a word ending in -cion or -sion is spelled -ción, -sión.
 */
export function restoreAccents(line: string): string {
  let out = line.replace(/\p{L}+/gu, (word) =>
    GERMAN_STREET_WORD.test(word) ? word.replace(/(?<=\p{L})ii/gu, 'ü').replace(/(?<=\p{L})é/gu, 'ö') : word,
  );
  const m = out.match(SPANISH_STREET_TYPE);
  if (m?.index !== undefined) {
    // The street's name only: up to its house number or a comma.
    const from = m.index + m[0].length;
    const name = out.slice(from).match(/^[^\d,]*/)?.[0] ?? '';
    out =
      out.slice(0, from) +
      name.replace(/(?<=\p{L}{2})([cs])i[oó]n\b/gu, '$1ión').replace(/(?<=\p{L}{2})([CS])I[OÓ]N\b/gu, '$1IÓN') +
      out.slice(from + name.length);
  }
  return out;
}

/** Letters tesseract reads as one ("li" as h, "ri" as n, "rn" as m) and the reverse. */
const CONFUSIONS: Array<[string, string]> = [
  ['li', 'h'],
  ['ri', 'n'],
  ['ni', 'm'],
  ['rn', 'm'],
  ['m', 'rn'],
  ['cl', 'd'],
  ['in', 'm'],
  ['li', 'k'],
  // a double f drawn as one ligature, read as one f ("Shefield")
  ['ff', 'f'],
];
/**
 * A thin letter lost ("Pars" for Paris): matched against the towns of a million or more only, as many small towns are
 * a big one's name less a letter (Montpelier, Mansa for Manisa, Nata for Natal).
 */
const THIN_LETTER_LOST: Array<[string, string]> = [
  ['i', ''],
  ['l', ''],
];
const BIG_TOWNS = new Set(GAZETTEER_BIG_TOWNS);

/** The gazetteer's towns, each also without its accents ("Montréal" is often printed Montreal). */
const GAZETTEER_TOWN_SET = new Set(
  GAZETTEER_TOWNS.flatMap((t) => [t, withoutAccents(t)]).filter((t) => t.replace(/\s/g, '').length >= 4),
);
/** The towns a misread town is matched against: the gazetteer's towns of one word. */
const KNOWN_TOWNS = [...GAZETTEER_TOWN_SET].filter((t) => /^\p{L}+$/u.test(t));

/**
 * A part that is a town of the gazetteer (one to three words) with at most a postcode or a state's code around it
 * ("Halifax", "50450 Kuala Lumpur", "Brisbane QLD 4000"; not "London Road", "Sheffield Works", "58 Jalan Binjai":
 * streets are named after towns).
 */
function namesATown(part: string): boolean {
  const words = part.split(/\s+/);
  const codesOnly = (rest: string[]) => rest.every((w) => /\d/.test(w) || /^[A-Z]{2,3}$/.test(w));
  for (let n = 1; n <= 3; n++)
    for (let i = 0; i + n <= words.length; i++)
      if (
        GAZETTEER_TOWN_SET.has(words.slice(i, i + n).join(' ')) &&
        codesOnly(words.slice(0, i)) &&
        codesOnly(words.slice(i + n))
      )
        return true;
  return false;
}

/**
 * The town a misread word spells with one of tesseract's typical confusions ("Berhn" → Berlin, "Madnd" → Madrid,
 * "Shanghas" → Shanghai): a word that is no known town itself, one confusion from exactly one.
 */
function cityReadAs(word: string): string | undefined {
  if (word.length < 4 || GAZETTEER_TOWN_SET.has(word)) return undefined;
  const towns = townsByMisreading().get(word);
  return towns?.size === 1 ? [...towns][0] : undefined;
}

let misreadings: Map<string, Set<string>> | undefined;
/**
 * Every known town's misreadings by one confusion (two in one town, "Madnd" for Madrid by ri → n and another, are not
 * undone), each with the towns it may stand for. Built on first use, once: matching a word against every town on each
 * call cost ~0.6 ms an address line.
 */
function townsByMisreading(): Map<string, Set<string>> {
  if (misreadings) return misreadings;
  misreadings = new Map();
  for (const town of KNOWN_TOWNS)
    for (const [from, to] of [...CONFUSIONS, ...(BIG_TOWNS.has(town) ? THIN_LETTER_LOST : [])])
      for (let at = town.indexOf(from); at >= 0; at = town.indexOf(from, at + 1)) {
        const variant = town.slice(0, at) + to + town.slice(at + from.length);
        if (variant.length < 4) continue;
        const towns = misreadings.get(variant) ?? new Set<string>();
        misreadings.set(variant, towns.add(town));
      }
  return misreadings;
}

/** A town next to its postcode spelled with a confusion of letters: "10117 Berhn" → "10117 Berlin". */
export function repairCityName(line: string): string {
  return (
    line
      .replace(/\b(\d{4,6}\s+)(\p{Lu}\p{Ll}{3,})\b/gu, (m, code: string, word: string) => {
        const city = cityReadAs(word);
        return city ? `${code}${city}` : m;
      })
      // (before a numeric postcode, a district's number, or a British postcode: "Shefield, S1 2HE")
      .replace(
        /\b(\p{Lu}\p{Ll}{3,})(,?\s+(?:\d{4,6}|\d{1,2}(?=,|$)|[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b))/gu,
        (m, word: string, code: string) => {
          const city = cityReadAs(word);
          return city ? `${city}${code}` : m;
        },
      )
  );
}

/** Letters tesseract reads for one another inside a word ("Bivd", "Sufte", "Pasco", "Read"). */
const LETTER_SLIPS: Array<[string, string]> = [
  ['i', 'l'],
  ['l', 'i'],
  ['f', 'i'],
  ['c', 'e'],
  ['e', 'c'],
  ['e', 'o'],
];

/** Street and building words of four letters or more, to match a misread one against. */
const LONG_STREET_WORDS = STREET_WORDS.filter((w) => /^\p{L}{4,}$/u.test(w));

/**
 * "Harbor Bivd", "Sufte 12", "Pasco de la Castellana": a street or building word read with one letter slip, restored
 * in the case it was printed in. Only a word that is no street word itself, one slip from exactly one.
 */
export function repairStreetWords(line: string): string {
  return line.replace(/\p{L}{4,}/gu, (word) => {
    const lower = word.toLowerCase();
    if (STREET.has(lower) || !/^\p{Lu}?\p{Ll}+$/u.test(word)) return word;
    const hits = new Set<string>();
    // A thin letter lost ("Foor" for Floor).
    for (let at = 1; at < lower.length; at++)
      for (const thin of ['l', 'i']) {
        const variant = lower.slice(0, at) + thin + lower.slice(at);
        if (LONG_STREET_WORDS.includes(variant)) hits.add(variant);
      }
    for (const [read, printed] of LETTER_SLIPS)
      for (let at = lower.indexOf(read); at >= 0; at = lower.indexOf(read, at + 1)) {
        const variant = lower.slice(0, at) + printed + lower.slice(at + 1);
        if (LONG_STREET_WORDS.includes(variant)) hits.add(variant);
      }
    if (hits.size !== 1) return word;
    const [hit] = hits;
    return /^\p{Lu}/u.test(word) ? hit[0].toUpperCase() + hit.slice(1) : hit;
  });
}

/**
 * An address ending in a US state and its ZIP code ("Cincinnati, OH 45202") or a province and a Canadian postal code
 * ("Halifax, NS B3J 1Z2"), a country name after them or not.
 */
export function isNorthAmerican(address: string): boolean {
  const m = address.match(
    /,\s*([A-Z]{2})\s+(\d{5}(?:-\d{4})?|[A-Z]\d[A-Z]\s?\d[A-Z]\d)(?:,\s*(?:USA?|United States|Canada))?$/,
  );
  return !!m && (!/^\d/.test(m[2]) || US_STATES.has(m[1]));
}

/** Small words an address prints in lower case ("Boulogne sur Mer", "Laan van Meerdervoort"). */
const SMALL_ADDRESS_WORDS = new Set([
  'of',
  'op',
  'och',
  'over',
  'so',
  'sur',
  'sous',
  'van',
  'ver',
  'vom',
  'von',
  'voor',
]);

/**
 * "247 Mill st", "358 Mill Place, sheffield S1 2HE": a capital whose shape is its small letter's, larger (c, o, s, v,
 * w, x, z), read small at a word's start in a line printed with capitals.
 */
export function capitalsRead(line: string): string {
  const words = line.match(/\p{L}+/gu) ?? [];
  const capitals = words.filter((w) => /^\p{Lu}/u.test(w)).length;
  if (capitals === 0 || capitals < words.length / 2) return line;
  return line.replace(
    /(^|[\s,])([cosvwxz])(\p{Ll}+)(?=[\s,.]|$)/gu,
    (m, before: string, first: string, rest: string) =>
      SMALL_ADDRESS_WORDS.has(first + rest) ? m : `${before}${first.toUpperCase()}${rest}`,
  );
}

/** What the OCR did to an address line, undone in this order. */
const LINE_REPAIRS: ((line: string) => string)[] = [
  repairGermanAddress,
  restoreAccents,
  repairStreetWords,
  zerosInPostcodes,
  onesInPostcodes,
  commasForPeriods,
  ninesInPostcodes,
  repairAddressSlips,
  repairCanadianPostcode,
  joinSplitPostcode,
  withoutDigitAfterTown,
  capitalsRead,
  repairCityName,
  capitalCountry,
  commaBeforeCountry,
];
