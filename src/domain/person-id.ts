// Stable identities of people in the contact graph (string ids, as Neptune requires).
import { editDistance } from './card-extraction/people.js';

/** Lower-cased, trimmed email; undefined for values that are not an email address. */
export function normalizeEmail(email: string | null | undefined): string | undefined {
  const value = email?.trim().toLowerCase();
  return value && /^[^\s@]+@[^\s@]+$/.test(value) ? value : undefined;
}

/** Lower-cased name with collapsed whitespace: the `_name` property used for look-ups and ordering. */
export function normalizeName(name: string | null | undefined): string {
  return (name ?? '').trim().replace(/\s+/g, ' ').toLowerCase();
}

/**
 * The vertex id of a card's person: derived from the normalized email so that the same person arriving on
 * several cards (or redelivered) is one vertex. Cards without an email fall back to the normalized name.
 */
export function personIdOf(card: { email?: string | null; name?: string | null }): string | undefined {
  const email = normalizeEmail(card.email);
  if (email) return `person:${email}`;
  const name = normalizeName(card.name);
  return name ? `person-name:${name}` : undefined;
}

/** Stand-in vertex for an owner whose own card has not arrived yet. */
export function ownerPlaceholderId(owner: string): string {
  return `owner:${owner.trim().toLowerCase()}`;
}

/** Octember's convention: the owner `edy` holds `edy@…`'s card, so that card is the owner's own person. */
export function isOwnersCard(owner: string, email: string | null | undefined): boolean {
  const normalized = normalizeEmail(email);
  if (!normalized) return false;
  return normalized.slice(0, normalized.indexOf('@')) === owner.trim().toLowerCase();
}

/**
 * What identifies a person across cards whose OCR differs by a misread: the mailbox, the name (its words in any
 * order, letters only: "Kim, Min-jun" = "Min-jun Kim"), the phone's last digits and the mail domain.
 */
export interface PersonClues {
  email?: string | null;
  name?: string | null;
  phone_number?: string | null;
}

/** The name's words, letters and digits only, lower case, sorted: the same for every order it is printed in. */
export function nameKey(name: string | null | undefined): string {
  return normalizeName(name)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .split(/[\s,]+/)
    .map((w) => w.replace(/[^\p{L}\p{N}]/gu, ''))
    .filter(Boolean)
    .sort()
    .join(' ');
}

/** The last 8 digits of a phone number (the subscriber part, the same with or without a country code). */
export function phoneKey(phone: string | null | undefined): string | undefined {
  const digits = (phone ?? '').replace(/\D/g, '');
  return digits.length >= 8 ? digits.slice(-8) : undefined;
}

/** Two readings of one mailbox: one or two letters apart in the mailbox or in the domain, not both. */
export function emailsClose(a: string, b: string): boolean {
  const [la, da] = a.split('@');
  const [lb, db] = b.split('@');
  if (da === db) return editDistance(la, lb) <= Math.min(2, Math.floor(Math.max(la.length, lb.length) / 4));
  if (la === lb) return la.length >= 3 && editDistance(da, db) <= 2;
  return false;
}

/** Two numbers more than a misread or a country code apart (both read, 8 digits or more). */
function phonesDisagree(a: string | null | undefined, b: string | null | undefined): boolean {
  const da = (a ?? '').replace(/\D/g, '');
  const db = (b ?? '').replace(/\D/g, '');
  return da.length >= 8 && db.length >= 8 && editDistance(da, db) > 3;
}

/**
 * Whether two cards show the same person though the OCR misread one field of one of them: the same mailbox; or
 * the same name with mailboxes a misread apart (or one card without a mailbox, and no phone that disagrees); or
 * a misread name with the same phone and a mailbox a misread apart. Two people of one name at different mailboxes
 * stay two people.
 */
export function samePerson(a: PersonClues, b: PersonClues): boolean {
  const ea = normalizeEmail(a.email);
  const eb = normalizeEmail(b.email);
  if (ea && eb && ea === eb) return true;
  const na = nameKey(a.name);
  const nb = nameKey(b.name);
  const pa = phoneKey(a.phone_number);
  const pb = phoneKey(b.phone_number);
  if (na && na === nb) {
    if (ea && eb) return emailsClose(ea, eb);
    return !phonesDisagree(a.phone_number, b.phone_number);
  }
  if (ea && eb && emailsClose(ea, eb)) {
    const namesClose =
      !!na && !!nb && editDistance(na, nb) <= Math.max(2, Math.floor(Math.min(na.length, nb.length) / 5));
    return namesClose || (!!pa && pa === pb);
  }
  return false;
}

/** Mailbox names built from a name's words, letters only: janedoe, doejane, jdoe, janed, jane, doe. */
function mailboxesOf(name: string | null | undefined): string[] {
  const words = normalizeName(name)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .split(/[\s,]+/)
    .map((w) => w.replace(/[^a-z]/g, ''))
    .filter((w) => w.length > 1);
  if (words.length === 0) return [];
  const first = words[0];
  const last = words[words.length - 1];
  const all = words.join('');
  return [
    all,
    [...words].reverse().join(''),
    `${first[0]}${last}`,
    `${last[0]}${first}`,
    `${first}${last[0]}`,
    `${last}${first[0]}`,
    first,
    last,
  ];
}

/** How far a mailbox is from every mailbox the name builds (0: the name spells it). */
function mailboxDistance(email: string | null | undefined, name: string | null | undefined): number {
  const e = normalizeEmail(email);
  const built = mailboxesOf(name);
  if (!e || built.length === 0) return Number.POSITIVE_INFINITY;
  const local = e.slice(0, e.indexOf('@')).replace(/[^a-z]/g, '');
  return Math.min(...built.map((b) => editDistance(local, b)));
}

/**
 * Which of two readings of one person's field to keep: the one that fits the other field better (a mailbox
 * closer to what the name spells; a name that spells the mailbox more closely); on a tie, the newer reading.
 */
export function preferredReading(
  field: 'email' | 'name',
  stored: PersonClues,
  incoming: PersonClues,
): string | null | undefined {
  const was = stored[field];
  const now = incoming[field];
  if (!was) return now;
  if (!now) return was;
  const other = field === 'email' ? (incoming.name ?? stored.name) : (incoming.email ?? stored.email);
  const fitness = (value: string) =>
    field === 'email' ? mailboxDistance(value, other) : mailboxDistance(other, value);
  return fitness(was) < fitness(now) ? was : now;
}
