// Stable identities of people in the contact graph (string ids, as Neptune requires).

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
