import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { decodeXmlReferences, escapeXml } from '../../lib/xml-text.js';

/** An S3 request body element (attributes and namespace prefixes dropped), and response building. */
export interface XmlElement {
  name: string;
  children: XmlElement[];
  text: string;
}

export class XmlParseError extends Error {}

const decodeEntities = (text: string) =>
  decodeXmlReferences(text, (problem, ref) =>
    problem === 'unterminated'
      ? new XmlParseError(`unterminated reference ${ref}`)
      : problem === 'undefined-entity'
        ? new XmlParseError(`unknown reference ${ref}`)
        : new XmlParseError(`invalid character reference ${ref}`),
  );

/**
 * fast-xml-parser with entity processing off: S3 bodies have no DTD, so a DOCTYPE is refused outright (no entity
 * can be declared, nothing can expand) and the five predefined entities and character references are decoded here,
 * each checked (a reference to a character XML does not allow is malformed, never a 500).
 */
const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: false,
  processEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  cdataPropName: '#cdata',
  commentPropName: '#comment',
});

type OrderedNode = Record<string, unknown>;

export function parseXml(source: string): XmlElement {
  if (/<!DOCTYPE/i.test(source)) throw new XmlParseError('a DOCTYPE is not allowed');
  const valid = XMLValidator.validate(source);
  if (valid !== true) throw new XmlParseError(valid.err.msg);
  let nodes: OrderedNode[];
  try {
    nodes = parser.parse(source) as OrderedNode[];
  } catch (err) {
    throw new XmlParseError((err as Error).message);
  }
  const elements = nodes.map(toElement).filter((e): e is XmlElement => e !== undefined);
  if (elements.length !== 1) throw new XmlParseError('expected exactly one root element');
  return elements[0];
}

function toElement(node: OrderedNode): XmlElement | undefined {
  const name = Object.keys(node).find((k) => k !== ':@');
  if (!name || name === '#text' || name === '#cdata' || name === '#comment') return undefined;
  const el: XmlElement = { name, children: [], text: '' };
  for (const c of (node[name] as OrderedNode[]) ?? []) {
    if ('#text' in c) el.text += decodeEntities(String(c['#text']));
    else if ('#cdata' in c) el.text += (c['#cdata'] as Array<{ '#text': string }>).map((t) => t['#text']).join('');
    else if (!('#comment' in c)) {
      const child = toElement(c);
      if (child) el.children.push(child);
    }
  }
  return el;
}

export function child(el: XmlElement, name: string): XmlElement | undefined {
  return el.children.find((c) => c.name === name);
}

export function childrenNamed(el: XmlElement, name: string): XmlElement[] {
  return el.children.filter((c) => c.name === name);
}

export function childText(el: XmlElement, name: string): string | undefined {
  const c = child(el, name);
  return c ? c.text.trim() : undefined;
}

/** A value tree rendered as XML: arrays repeat the element, undefined is skipped. */
export type XmlValue = string | number | boolean | undefined | XmlNode | XmlValue[];
export interface XmlNode {
  [name: string]: XmlValue;
}

export function renderXml(rootName: string, body: XmlNode, xmlns = 'http://s3.amazonaws.com/doc/2006-03-01/'): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${rootName}${xmlns ? ` xmlns="${xmlns}"` : ''}>${renderChildren(body)}</${rootName}>`;
}

function renderChildren(node: XmlNode): string {
  let out = '';
  for (const [name, value] of Object.entries(node)) out += renderValue(name, value);
  return out;
}

function renderValue(name: string, value: XmlValue): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return value.map((v) => renderValue(name, v)).join('');
  if (typeof value === 'object') return `<${name}>${renderChildren(value)}</${name}>`;
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}
