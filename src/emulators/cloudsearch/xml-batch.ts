import { type EntityDecoderOptions, XMLParser, XMLValidator } from 'fast-xml-parser';
import { decodeXmlReferences } from '../../lib/xml-text.js';
import { documentError } from './errors.js';

/**
 * The XML form of a document batch (`Content-Type: application/xml`) turned into the JSON form, through
 * fast-xml-parser: `<batch><add id="x"><field name="f">v</field>…</add><delete id="y"/></batch>`. Repeated fields
 * become arrays. A DOCTYPE is refused (no entity can be declared, so none can expand), and references are decoded
 * strictly: XML's five entities and numeric references to characters XML allows; anything else is a 400.
 */

const decodeReferences = (text: string) =>
  decodeXmlReferences(text, (problem, ref) =>
    documentError([
      problem === 'unterminated'
        ? `Invalid XML in document batch: '&' must start a reference`
        : problem === 'undefined-entity'
          ? `Invalid XML in document batch: undefined entity '${ref}'`
          : `Invalid XML in document batch: '${ref}' is not a character XML allows`,
    ]),
  );

const strictReferences: EntityDecoderOptions = {
  setExternalEntities() {},
  addInputEntities() {},
  reset() {},
  setXmlVersion() {},
  decode: decodeReferences,
};

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  preserveOrder: true,
  processEntities: { enabled: true, maxEntityCount: 0 },
  entityDecoder: strictReferences,
});

/** preserveOrder output: `{ tag: children, ':@': attributes }` or `{ '#text': text }`. */
type XmlNode = { [tag: string]: XmlNode[] | string | Record<string, string> | undefined };

function tagOf(node: XmlNode): string {
  return Object.keys(node).find((k) => k !== ':@') ?? '';
}

function attribute(node: XmlNode, name: string): string | undefined {
  return (node[':@'] as Record<string, string> | undefined)?.[`@${name}`];
}

function isBlank(node: XmlNode): boolean {
  return tagOf(node) === '#text' && String(node['#text']).trim() === '';
}

export function xmlBatchToJson(xml: string): unknown[] {
  const text = xml.replace(/^\uFEFF/, '');
  if (/<!DOCTYPE/i.test(text)) throw documentError(['Invalid XML in document batch: a DOCTYPE is not allowed']);
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    const { msg, line, col } = valid.err;
    throw documentError([`Invalid XML in document batch at line ${line}, column ${col}: ${msg}`]);
  }
  const roots = (parser.parse(text) as XmlNode[]).filter((n) => !isBlank(n));
  if (roots.length !== 1 || tagOf(roots[0]) !== 'batch')
    throw documentError(['An XML document batch must be a single <batch> element']);
  const ops: unknown[] = [];
  for (const op of (roots[0].batch as XmlNode[]).filter((n) => !isBlank(n))) {
    const tag = tagOf(op);
    if (tag === 'delete') ops.push({ type: 'delete', id: attribute(op, 'id') });
    else if (tag === 'add') ops.push(addOperation(op));
    else
      throw documentError([`Unexpected content in XML batch: <batch> holds only <add> and <delete>, found '${tag}'`]);
  }
  return ops;
}

function addOperation(add: XmlNode): unknown {
  const id = attribute(add, 'id');
  // Field names come from the input: a prototype-free object keeps `__proto__` an ordinary (unknown) field.
  const fields = Object.create(null) as Record<string, string | string[]>;
  for (const field of (add.add as XmlNode[]).filter((n) => !isBlank(n))) {
    if (tagOf(field) !== 'field')
      throw documentError([`Unexpected content in <add id="${id ?? ''}">: only <field> elements are allowed`]);
    const name = attribute(field, 'name');
    if (name === undefined) throw documentError([`A <field> in <add id="${id ?? ''}"> has no name attribute`]);
    let value = '';
    for (const part of field.field as XmlNode[]) {
      if (tagOf(part) !== '#text')
        throw documentError([
          `Field '${name}' of document '${id ?? ''}' must be text or CDATA, found <${tagOf(part)}>`,
        ]);
      value += String(part['#text']);
    }
    const prev = fields[name];
    fields[name] = prev === undefined ? value : [...(Array.isArray(prev) ? prev : [prev]), value];
  }
  return { type: 'add', id, fields };
}
