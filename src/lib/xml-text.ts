// The one XML text escaper and reference decoder of the kit (S3 and SQS documents, query-protocol errors,
// CloudSearch XML batches).

const ESCAPES: Record<string, string> = {
  '<': '&lt;',
  '>': '&gt;',
  '&': '&amp;',
  '"': '&quot;',
  "'": '&apos;',
  // a raw CR would reach the client as LF (XML end-of-line normalization)
  '\r': '&#xD;',
};

/** Text for an element or an attribute value. */
export function escapeXml(value: string): string {
  return value.replace(/[<>&"'\r]/g, (c) => ESCAPES[c]);
}

const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** XML 1.0 `Char`: a character reference outside it makes the document malformed. */
function isXmlChar(cp: number): boolean {
  return (
    cp === 0x9 ||
    cp === 0xa ||
    cp === 0xd ||
    (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

export type XmlReferenceProblem = 'unterminated' | 'undefined-entity' | 'invalid-character';

/**
 * Decodes XML's five predefined entities and character references, strictly: a document without a DTD can declare
 * no other entity, and a reference to a character XML does not allow is malformed. `fail` makes the caller's error.
 */
export function decodeXmlReferences(
  text: string,
  fail: (problem: XmlReferenceProblem, reference: string) => Error,
): string {
  if (!text.includes('&')) return text;
  return text.replace(/&([^;&\s]{0,32});?/g, (whole, ref: string) => {
    if (!whole.endsWith(';')) throw fail('unterminated', whole);
    if (NAMED[ref] !== undefined) return NAMED[ref];
    const m = /^#(?:x([0-9a-fA-F]{1,8})|([0-9]{1,10}))$/.exec(ref);
    if (!m) throw fail('undefined-entity', whole);
    const cp = m[1] !== undefined ? Number.parseInt(m[1], 16) : Number(m[2]);
    if (!isXmlChar(cp)) throw fail('invalid-character', whole);
    return String.fromCodePoint(cp);
  });
}
