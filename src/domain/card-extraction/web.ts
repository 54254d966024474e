import type { Segment } from './layout.js';
import { FREEMAIL_DOMAINS, NAME_PARTICLES } from './lexicon.js';
import { editDistance } from './people.js';

export interface WebHit {
  value: string;
  segment: Segment;
  /** What was repaired to get `value` (empty when read cleanly). */
  repairs: string[];
}

export interface BrokenHit {
  raw: string;
  segment: Segment;
  reason: string;
}

/** Top-level domains a bare web address ("northwind.com") may end in: the common generic ones and country codes. */
const TLDS = [
  'com|net|org|edu|gov|int|mil|io|co|ai|app|dev|biz|info|eu|tech|cloud|online|site|me|tv|xyz|shop|store|agency',
  'studio|design|media|global|group|company|solutions|systems|digital|academy|health|law|finance|capital|energy',
  'ventures|partners|consulting|software|network|email|blog|news|world|life|live|space|today|art|works',
  'de|at|ch|uk|ie|fr|nl|be|lu|es|pt|it|se|no|dk|fi|is|pl|cz|sk|hu|ro|bg|gr|hr|si|rs|ee|lv|lt|ua|ru|tr|il|ae|sa',
  'qa|eg|za|ng|ke|gh|ma|us|ca|mx|br|ar|cl|pe|uy|au|nz|jp|kr|cn|hk|tw|sg|my|id|th|vn|ph|in|pk|bd|lk',
].join('|');
const EMAIL = /[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
const URL_WITH_SCHEME = /\bhttps?:\/\/[^\s,;]+/gi;
const URL_WWW = /\bwww\.[^\s,;@'"‘’“”`]+/gi;
const URL_BARE = new RegExp(`(?<![@\\w.-])(?:[a-z0-9-]+\\.)+(?:${TLDS})(?:/[^\\s,;]*)?(?![\\w@])`, 'gi');

const EMAIL_LABEL = /^(e-?mail|email|mail|e)\s*[:.|]\s*/i;
const URL_LABEL = /^(web|website|w|internet|url|homepage)\s*[:.|]\s*/i;

/** Undoes OCR slips that are safe to undo in any email or URL: '©' read for '@', spaces around '@', 'https//'. */
export function normaliseWebText(text: string): string {
  return (
    text
      // ... not an icon between a letter and a web address ("L ® www.acme.co.jp") or a mail address ("J © l.holmgren@").
      .replace(/(\w)\s*[©®]\s*(?!www[.,\s])(?![^\s@]*@)(\w)/g, '$1@$2')
      // "ananya“redkite.com.sg": an @ read as a quote mark between a mailbox and a host glued to it.
      .replace(/([a-z0-9])[“”"](?=[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\b)/gi, '$1@')
      // "leiz@@northgate.ca": one @ read twice.
      .replace(/(\w)@{2,}(?=\w)/g, '$1@')
      .replace(/(\w)\s*\(@\)?\s*(\w)/g, '$1@$2')
      .replace(/(\w)\s+@\s*(\w)|(\w)\s*@\s+(\w)/g, (_m, a, b, c, d) => `${a ?? c}@${b ?? d}`)
      // A scheme read with a slip before www ("hitps:/iwww.", "https / ww acme.co"): one slash lost or read as i/l.
      .replace(
        /\b(h[tli1]{1,2}ps?|nttps?)\s*[:;.]?\s*\/\s*[/a-z|1]?\s*(?:www|ww|vww|wvw|mww|wwww)\s*[.,]?\s*(?=[a-z0-9-]{2,}[.,\s])/gi,
        (_m, scheme: string) => `${/s$/i.test(scheme) ? 'https' : 'http'}://www.`,
      )
      .replace(/\b(https?)\s*[:;.]?\s*\/\s*\/\s*/gi, '$1://')
      // ... or both slashes read as quote marks or lost ("https: ‘'www.nordhavn.com"), or a speck before a www read
      // short ("https://y ww. longmen-architects.jp").
      .replace(/\b(https?)\s*[:;]\s*['‘’`"]*\s*(?=www[.,])/gi, '$1://')
      // ... before a host without www too ("https: 'kingfisher.com"), or both slashes lost ("https: lindenhof.com.au").
      .replace(/\b(https?)\s*[:;][\s'‘’`"]*(?=[a-z0-9-]+\.[a-z]{2,})/gi, '$1://')
      .replace(/\b(https?:\/\/)\S?\s+(?:ww|vww|wvw)[.,]\s*(?=[a-z0-9-]+\.)/gi, '$1www.')
      .replace(/\b(https?):\/(?!\/)/gi, '$1://')
      .replace(/(^|[\s:/])(?:ww|wwww|vvww|wvw|vww)[.,]\s*(?=[a-z0-9-]+\.)/gi, '$1www.')
      .replace(/\b(www)\s*[.,]\s*/gi, '$1.')
      // "wwwglaclerfoods.co": the www's dot lost.
      .replace(/(^|[\s:/])www(?=[a-z0-9-]{3,}\.[a-z]{2,})/gi, '$1www.')
      // "www lindenhof.co.uk": a lone www is the web prefix, its dot read as a space (not a label or icon read as "WwW"
      // before a whole "www.").
      .replace(/(^|[\s:/'‘’`"“”])www\s+(?!www[.,])(?=[a-z0-9-]+[.,\s])/gi, '$1www.')
      // A speck read as a quote mark at the start of a host ("www.'glacier.de", "ito@'glacier.de").
      .replace(/(\bwww\.|\w@)['‘’`"]+(?=[a-z0-9])/gi, '$1')
      // ... not a capitalised word's period before a state or country code in capitals ("San Francisco. CA 94105").
      .replace(
        new RegExp(`(\\w+)\\s*\\.\\s+((?:co\\.|com\\.)?(?:${TLDS}))\\b`, 'gi'),
        (m, word: string, tld: string) =>
          /^\p{Lu}\p{Ll}/u.test(word) && tld === tld.toUpperCase() ? m : `${word}.${tld}`,
      )
      .replace(/([a-z0-9])\.\s+([a-z0-9._-]+@)/g, '$1.$2')
      // "indigosystems.co uk": a bare host ending in co, then a country whose domains sit under co (the public suffix
      // list's co.uk, co.jp, co.kr, ...), its dot read as a space.
      .replace(/\b([a-z0-9-]+\.co)\s+(uk|jp|kr|nz|za|in|id|th|il|ke|tz|ug|zw|bw)\b(?![.@])/g, '$1.$2')
      .replace(/@([a-z0-9-]+(?:\.[a-z0-9-]+)*)((?:[\s.,]+[a-z]{2,3}\b)+)/gi, joinMailDomain)
      // The same in a web address after its scheme or www: "https://boreal my", "www.lindenhof co.uk".
      .replace(
        /\b(https?:\/\/(?:www\.)?|www\.)([a-z0-9-]+(?:\.[a-z0-9-]+)*)((?:[.,]?\s+[a-z]{2,3}\b|,[a-z]{2,3}\b)+)/gi,
        (match, prefix: string, host: string, rest: string) => {
          const joined = joinDomainLabels(host, rest);
          return joined === null ? match : `${prefix}${joined}`;
        },
      )
  );
}

const TLD_ONLY = new RegExp(`^(?:${TLDS})$`, 'i');
const SECOND_LEVEL = /^(?:co|com|ac|or|ne|go|org|net|gov|edu)$/i;

/**
 * A mail domain whose dots were read as spaces: "kim@alameda kr", "jo@glacier co. jp". Joined while the domain
 * has no top-level label yet (or ends in a second-level one such as "co") and the next word is one.
 */
function joinMailDomain(match: string, domain: string, rest: string): string {
  const joined = joinDomainLabels(domain, rest);
  return joined === null ? match : `@${joined}`;
}

/** A host and the words after it, joined while they complete its top-level labels; null when none does. */
function joinDomainLabels(domain: string, rest: string): string | null {
  const labels = domain.split('.');
  const words = rest.split(/[\s.,]+/).filter(Boolean);
  let used = 0;
  for (const word of words) {
    const last = labels[labels.length - 1];
    const complete = labels.length > 1 && TLD_ONLY.test(last) && !SECOND_LEVEL.test(last);
    if (complete) break;
    // After a country's second level ("com sq" of .com.sg) a country code read with one slip is that code.
    const top = TLD_ONLY.test(word) ? word : labels.length > 1 && SECOND_LEVEL.test(last) ? topLevelSlip(word) : null;
    if (!top) break;
    labels.push(top.toLowerCase());
    used++;
  }
  if (used === 0) return null;
  const tail = words.slice(used).join(' ');
  return `${labels.join('.')}${tail ? ` ${tail}` : ''}`;
}

export function stripLabels(text: string): string {
  return text.replace(EMAIL_LABEL, '').replace(URL_LABEL, '');
}

function trimTrailing(s: string): string {
  // ... and a bar or mark read after it ("https://www.ember.nl|").
  return s.replace(/[.,;:)|!'"’”]+$/, '');
}

export function emailsIn(segment: Segment): WebHit[] {
  const text = normaliseWebText(segment.text);
  const repairs = text !== segment.text && /@/.test(text) && !/@/.test(segment.text) ? ['@ misread'] : [];
  return [...text.matchAll(EMAIL)].map((m) => {
    // A mailbox never holds two dots in a row ("mary-kate..pennington"): a speck read as one more.
    let raw = trimTrailing(m[0]).replace(/\.{2,}(?=[^@]*@)/g, '.');
    // "|.thorbury@", "|. mwangi@": an l before the dot read as a bar, which no mailbox holds (the match starts after it).
    if (/(?:^|\s)[|!]\.\s?$/.test(text.slice(0, m.index))) raw = `l.${raw}`;
    const fixed = fixCase(raw);
    const topLevel = knownTopLevel(fixed.value);
    const slips = topLevel === fixed.value ? [] : ['top-level domain misread'];
    return { value: topLevel, segment, repairs: [...repairs, ...fixed.repairs, ...slips] };
  });
}

/** Letters tesseract reads for one another in a short lower-case word ("sq" for sg). */
const TLD_SLIPS: Record<string, string> = { q: 'g', g: 'q', l: 'i', i: 'l', c: 'e', e: 'c' };

/**
 * "qiang.wang@northgate.com.sq": a last label that is no top-level domain, one letter slip away from exactly one, is
 * that one.
 */
export function knownTopLevel(value: string): string {
  const m = value.match(/\.([a-z]{2})$/);
  if (!m || TLD_ONLY.test(m[1])) return value;
  const fix = topLevelSlip(m[1]);
  return fix ? `${value.slice(0, -2)}${fix}` : value;
}

/** A two-letter word that is no top-level domain, one letter slip away from exactly one: that one ("sq" → sg). */
function topLevelSlip(word: string): string | null {
  if (!/^[a-z]{2}$/.test(word)) return null;
  const fixes = [...word]
    .flatMap((ch, i) => (TLD_SLIPS[ch] ? [word.slice(0, i) + TLD_SLIPS[ch] + word.slice(i + 1)] : []))
    .filter((t) => TLD_ONLY.test(t));
  return fixes.length === 1 ? fixes[0] : null;
}

/**
 * Mail and web names are printed in lower case; an odd capital in one is an OCR slip:
 * "Kkestrel" (a stutter), "Ibecker" (l read as I). All-caps printing is left alone.
 */
export function fixCase(value: string): { value: string; repairs: string[] } {
  const letters = value.replace(/[^A-Za-z]/g, '');
  const upper = (letters.match(/[A-Z]/g) ?? []).length;
  if (upper === 0 || upper > letters.length / 3) return { value, repairs: [] };
  const at = value.indexOf('@');
  const schemeEnd = value.search(/:\/\//) >= 0 ? value.search(/:\/\//) + 3 : 0;
  const hostStart = at >= 0 ? at + 1 : schemeEnd;
  const hostEnd = at >= 0 ? value.length : (value.indexOf('/', hostStart) + 1 || value.length + 1) - 1;
  const local = at >= 0 ? value.slice(0, at) : '';
  let host = value.slice(hostStart, hostEnd);
  const fixedHost = host
    .replace(/[A-Z](?=[a-z])/g, (c: string, offset: number, whole: string) =>
      whole[offset + 1] === c.toLowerCase() ? '' : c,
    )
    .replace(/I/g, 'l')
    .toLowerCase();
  const mostlyLower = local.replace(/[^A-Za-z]/g, '').replace(/I/g, '') === local.replace(/[^a-z]/g, '');
  const fixedLocal = mostlyLower ? local.replace(/I/g, 'l') : local;
  if (fixedHost === host && fixedLocal === local) return { value, repairs: [] };
  host = fixedHost;
  const out = at >= 0 ? `${fixedLocal}@${host}` : `${value.slice(0, hostStart)}${host}${value.slice(hostEnd)}`;
  return { value: out, repairs: ['capital letter in a mail or web name'] };
}

/** "iwww", "Awww", "ivww": the www label with a stray or misread letter. */
function fixWwwLabel(url: string): { value: string; repairs: string[] } {
  const m = url.match(/^((?:https?:\/\/)?)([^./]{3,5})\./i);
  if (!m || m[2].toLowerCase() === 'www' || !/^.?[wv]{2,4}$/i.test(m[2]) || !/w/i.test(m[2]))
    return { value: url, repairs: [] };
  return { value: `${m[1]}www.${url.slice(m[0].length)}`, repairs: ['www misread'] };
}

const LEGAL_FORM_LABEL = /^(?:pvt|pte|pty|ltd|llc|inc|corp|co|sdn|bhd|gmbh|plc|s|b|n|k)$/i;

export function urlsIn(segment: Segment): WebHit[] {
  const text = normaliseWebText(segment.text).replace(EMAIL, ' ');
  const found: WebHit[] = [];
  const taken: Array<[number, number]> = [];
  for (const re of [URL_WITH_SCHEME, URL_WWW, URL_BARE]) {
    for (const m of text.matchAll(re)) {
      const start = m.index ?? 0;
      const end = start + m[0].length;
      if (taken.some(([a, b]) => start < b && end > a)) continue;
      // "https Jriftwoodinstr uments.nl": the end of a host split by a space, after a scheme or www read apart.
      if (
        re === URL_BARE &&
        /(?:\bh[a-z]{1,3}ps?\b|\bw{2,3}\b)\S*(?:\s+\S+)*?\s+[a-z0-9-]+\s+$/i.test(text.slice(0, start))
      )
        continue;
      const value = trimTrailing(m[0]);
      if (!/\.[a-z]{2,}/i.test(value)) continue;
      // "PVT.LT" of "PVT. LTD": a legal form's abbreviation is no host name.
      if (!/^(?:https?:|www\.)/i.test(value) && LEGAL_FORM_LABEL.test(value.split('.')[0])) continue;
      // "om.my" of "ember.com.my": a bare host of one or two letters is the end of one cut.
      if (re === URL_BARE && siteName(hostOf(value)).length < 3) continue;
      // "com.my" of "https://ember.com.my": a host of nothing but its country's second and top level was read cut.
      if (SECOND_LEVEL.test(siteName(hostOf(value)))) continue;
      // A host ends in a top-level domain, a known one or a country's two letters ("www.copperiealsystems" is a web address read without its end).
      const top = hostOf(value).split('.').pop() ?? '';
      if (!TLD_ONLY.test(top) && !/^[a-z]{2}$/i.test(top)) continue;
      taken.push([start, end]);
      // "indigosystems.co.uk team": a path whose slash was read as a space, a lower-case word ending the line.
      const path = !value.includes('/') && text.slice(end).match(/^\s+([a-z]{2,12})\s*$/);
      const www = fixWwwLabel(path ? `${value}/${path[1]}` : value);
      const cased = fixCase(www.value);
      const topLevel = knownTopLevel(cased.value);
      const slips = topLevel === cased.value ? [] : ['top-level domain misread'];
      found.push({ value: topLevel, segment, repairs: [...www.repairs, ...cased.repairs, ...slips] });
    }
  }
  return found;
}

/**
 * "hups/irosewood ca", "https :/lyeonhwamuldoon.in", "hitpsi/Mallowmere ca" beside ...@rosewood.ca, ...@tallowmere.ca:
 * a scheme read with slips, its slashes lost or read as letters, then the mail domain's letters (in a long one, one
 * letter misread): the web address on the mail domain, with the scheme the slips leave (https when an s is read).
 */
export function schemeSlipsBeforeDomain(text: string, mailHost: string): string | null {
  // The h read as n too ("nips /Maneul-partners com").
  const m = text.match(/(?:^|\s)[hn][a-z1|!]{0,3}p([s5]?)(\S*(?:\s+\S+)*)$/i);
  // A colon or slash of the scheme is read ("help acme.com" is no web address).
  if (!m || !/[:/\\]/.test(m[2].slice(0, 4))) return null;
  const letters = mailHost.replace(/\./g, '');
  const rest = m[2].replace(/^[\s:;.,'"‘’`]*/, '').toLowerCase();
  for (let cut = 0; cut <= 2; cut++) {
    if (!/^[il1|!/\\]*$/.test(rest.slice(0, cut))) break;
    const read = rest.slice(cut).replace(/[\s.,]+/g, '');
    if (!/^[a-z0-9-]+$/.test(read)) continue;
    const www = /^[wvm]ww(?!w)/.test(read) && !letters.startsWith('www') ? 'www.' : '';
    const host = www ? read.slice(3) : read;
    if (host === letters || (letters.length >= 8 && editDistance(host, letters) === 1))
      return `${m[1] ? 'https' : 'http'}://${www}${mailHost}`;
  }
  return null;
}

/**
 * "www.silv" | "moon.com" beside ...@silvermoon.com: a web address read in two pieces (letters lost between them),
 * its www start the start of the mail domain and the next piece its end: the web address on the mail domain.
 */
export function webAddressInPieces(start: string, end: string, mailHost: string): string | null {
  const head = normaliseWebText(stripLabels(start.trim()).replace(/^[@©®*»«•·]\s+/, '')).match(
    /^(https?:\/\/)?www\.([a-z0-9-]{3,})$/i,
  );
  const tail = end.trim().toLowerCase();
  if (!head || !/^[a-z0-9-]{3,}(?:\.[a-z0-9-]+)+$/.test(tail)) return null;
  const host = mailHost.toLowerCase();
  const prefix = head[2].toLowerCase();
  if (!host.startsWith(prefix) || !host.endsWith(tail) || prefix.length + tail.length > host.length) return null;
  return `${head[1]?.toLowerCase() ?? ''}www.${host}`;
}

/** Host of a URL or domain of an email, lower case, without "www.". */
export function hostOf(value: string): string {
  const host = value.includes('@') ? value.split('@')[1] : value.replace(/^[a-z]+:\/\//i, '').split('/')[0];
  return host.toLowerCase().replace(/^www\./, '');
}

/** "aws.amazon.co.uk" → "amazon.co.uk": the name a company registers. */
export function registrableDomain(host: string): string {
  const parts = host.split('.');
  const twoLevel = parts.length >= 3 && /^(co|com|ac|or|ne|go|org|gov)$/.test(parts[parts.length - 2]);
  return parts.slice(twoLevel ? -3 : -2).join('.');
}

/** "aws.amazon.co.uk" → "amazon": the registrable domain's name, without its top level. */
export function siteName(host: string): string {
  return registrableDomain(host).split('.')[0];
}

/**
 * Tokens that should be emails but lost their '@' or a dot ("edyamazon.com", "edy@amazoncom").
 * Repaired only with evidence: the card's own web domain, or a local part built from the person's name.
 */
export function repairEmail(
  segment: Segment,
  evidence: { domains: string[]; nameTokens: string[]; urlElsewhere: boolean; companyNames?: string[] },
): WebHit | BrokenHit | null {
  const text = stripLabels(normaliseWebText(segment.text));
  const hadLabel = EMAIL_LABEL.test(segment.text.trim());
  const apart = mailReadApart(text, evidence.nameTokens, evidence.companyNames ?? []);
  if (apart) return { value: apart, segment, repairs: ['@ and dot restored'] };
  for (const token of text.split(/\s+/)) {
    const clean = trimTrailing(token.replace(/^[(<[]+/, ''));
    if (clean.length < 5) continue;
    if (/^https?:|^www\./i.test(clean) || clean.includes('/')) continue;
    const at = clean.indexOf('@');
    if (at > 0) {
      // Domain without its dot: "amazoncom".
      const local = clean.slice(0, at);
      const domain = clean.slice(at + 1).replace(/,/g, '.');
      if (/\.[a-z]{2,}$/i.test(domain) && /^[\w.%+-]+$/.test(local)) {
        return {
          value: `${local}@${domain}`,
          segment,
          repairs: domain !== clean.slice(at + 1) ? ['comma for dot'] : [],
        };
      }
      for (const d of evidence.domains) {
        if (domain.toLowerCase() === d.replace(/\./g, ''))
          return { value: `${local}@${d}`, segment, repairs: ['dot restored'] };
      }
      const generic = domain.match(/^([a-z0-9-]{2,})(com|net|org)$/i);
      if (generic) return { value: `${local}@${generic[1]}.${generic[2]}`, segment, repairs: ['dot restored'] };
      return { raw: clean, segment, reason: 'email domain without a dot' };
    }
    // No '@' at all.
    for (const d of evidence.domains) {
      const lower = clean.toLowerCase();
      if (lower.endsWith(d) && lower.length > d.length) {
        const local = clean.slice(0, clean.length - d.length);
        if (local.endsWith('.') || !/^[\w.%+-]+$/.test(local)) continue; // a subdomain, not a mailbox
        return { value: `${local}@${clean.slice(local.length)}`, segment, repairs: ['@ restored'] };
      }
    }
    if (/\.[a-z]{2,}$/i.test(clean) && (hadLabel || evidence.urlElsewhere)) {
      const lower = clean.toLowerCase();
      for (const local of localPartsFor(evidence.nameTokens)) {
        if (lower.startsWith(local) && lower.length > local.length + 3 && !lower.startsWith(`${local}.`)) {
          return {
            value: `${clean.slice(0, local.length)}@${clean.slice(local.length)}`,
            segment,
            repairs: ['@ restored'],
          };
        }
      }
      if (hadLabel) return { raw: clean, segment, reason: 'email without @' };
    }
  }
  // "E: pblac": the label is there, the address was read in pieces.
  if (hadLabel) return { raw: text, segment, reason: 'email label without an address' };
  return null;
}

/**
 * "Joost daebak de" on Joost ter Horst's card from DAEBAK GMBH: a mailbox the name spells, a name a company line spells
 * and a top-level domain, their @ and dot read as spaces.
 */
function mailReadApart(text: string, nameTokens: string[], companyNames: string[]): string | null {
  const m = text.trim().match(/^([a-z0-9._-]{2,})\s+([a-z0-9-]{3,})[\s.,]+((?:co\.?\s*|com\.?\s*)?[a-z]{2,3})$/i);
  if (!m) return null;
  const [local, label] = [m[1].toLowerCase(), m[2].toLowerCase()];
  const top = m[3].toLowerCase().replace(/[\s.]+/g, '.');
  if (!TLD_ONLY.test(top.split('.').pop() ?? '') || !companyNames.includes(label)) return null;
  return localPartsFor(nameTokens).includes(local) ? `${local}@${label}.${top}` : null;
}

/**
 * Mailbox names people build from their name: jane, doe, jane.doe, janedoe, jdoe, j.doe, janed. A family name printed
 * first ("LIN Lei", "HWANG, Tae-yang": in capitals or followed by a comma) also gives the given name's forms (l.lin).
 */
export function localPartsFor(nameTokens: string[]): string[] {
  const t = nameTokens.map(mailboxLetters).filter(Boolean);
  const parts = localPartsInOrder(t);
  const printed = nameTokens.filter((n) => mailboxLetters(n).length > 0);
  const familyFirst =
    printed.length >= 2 && /^\p{Lu}{2,}$|,$/u.test(printed[0]) && !/^\p{Lu}{2,}$/u.test(printed[printed.length - 1]);
  if (familyFirst) parts.push(...localPartsInOrder([...t.slice(1), t[0]]));
  return [...new Set(parts)].sort((a, b) => b.length - a.length);
}

function mailboxLetters(n: string): string {
  return n
    .toLowerCase()
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/ß/g, 'ss')
    .replace(/[^a-z]/g, '');
}

/** The mailbox names of a name's words taken as given name(s) first, family name last. */
function localPartsInOrder(t: string[]): string[] {
  // Initials ("L. V. Hartley") only ever start a mailbox.
  const full = t.filter((n) => n.length > 1);
  if (full.length === 0) return [];
  const first = t[0];
  const last = full[full.length - 1];
  if (first === last) return [last];
  // A family name with its particles ("de Vries", "bin Hamid", "ter Horst") is one word in a mailbox: p.devries.
  let from = t.length - 1;
  while (from > 1 && NAME_PARTICLES.has(t[from - 1])) from--;
  const families = [...new Set([last, t.slice(from).join('')])];
  return families.flatMap((family) => [
    `${first[0]}.${family}`,
    `${first[0]}${family}`,
    family,
    ...(first.length > 1
      ? [
          `${first}.${family}`,
          `${first}_${family}`,
          `${first}${family}`,
          `${family}.${first}`,
          `${family}${first}`,
          first,
          `${first}${family[0]}`,
          // The family name and the given name's initial ("smithj"); also a given name printed second ("Wu Zixuan",
          // zixuanw@).
          `${family}${first[0]}`,
        ]
      : []),
  ]);
}

/** Letter pairs tesseract reads as one letter: "ri" as n, "rn" as m, "cl" as d, "li" as h, "vv" as w. */
const MERGED_LETTERS: Array<[string, string]> = [
  ['n', 'ri'],
  ['m', 'rn'],
  ['d', 'cl'],
  ['h', 'li'],
  ['w', 'vv'],
];

/** `word` with one letter read for a pair given back as the pair, each way ("sobnen" → "sobrien", "sobneri", ...). */
export function mergedLetterVariants(word: string): string[] {
  const out: string[] = [];
  for (const [one, pair] of MERGED_LETTERS)
    for (let i = word.indexOf(one); i >= 0; i = word.indexOf(one, i + 1))
      out.push(`${word.slice(0, i)}${pair}${word.slice(i + 1)}`);
  return out;
}

/** Free mail providers' names long enough that one misread letter cannot make another real name. */
const FREEMAIL_SPELLINGS = [...FREEMAIL_DOMAINS].filter((d) => d.length >= 5);

/**
 * "c.brennan@outiook.com", "gmaii.com": a mail domain one letter off a free mail provider's name is that provider
 * (a company's own domain is never checked: only the provider's name, with the same top-level domain kept).
 */
export function freemailSpelling(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 0) return email;
  const host = email.slice(at + 1);
  const [label, ...rest] = host.split('.');
  const lower = label.toLowerCase();
  if (rest.length === 0 || lower.length < 5 || FREEMAIL_DOMAINS.has(lower)) return email;
  const provider = FREEMAIL_SPELLINGS.find((d) => editDistance(d, lower) === 1);
  return provider ? `${email.slice(0, at + 1)}${[provider, ...rest].join('.')}` : email;
}
