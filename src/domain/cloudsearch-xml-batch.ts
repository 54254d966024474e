import { DocumentBatchError } from './cloudsearch-documents.js';

/**
 * The XML form of a document batch (`Content-Type: application/xml`) turned into the JSON form:
 * `<batch><add id="x"><field name="f">v</field>…</add><delete id="y"/></batch>`. Repeated fields become arrays.
 */
export function xmlBatchToJson(xml: string): unknown[] {
  const text = xml
    .replace(/^\uFEFF/, '')
    .replace(/<\?xml[^?]*\?>/, '')
    .trim();
  const batch = /^<batch(?:\s[^>]*)?>([\s\S]*)<\/batch>$/.exec(text);
  if (!batch) throw new DocumentBatchError(['An XML document batch must be a <batch> element']);
  const ops: unknown[] = [];
  const op = /<(add|delete)((?:\s+[a-z]+="[^"]*")*)\s*(\/>|>([\s\S]*?)<\/\1>)|(\S)/g;
  for (let m = op.exec(batch[1]); m; m = op.exec(batch[1])) {
    if (m[5] !== undefined) {
      if (batch[1].startsWith('<!--', m.index)) {
        op.lastIndex = batch[1].indexOf('-->', m.index) + 3;
        continue;
      }
      throw new DocumentBatchError([`Unexpected content in XML batch at '${batch[1].slice(m.index, m.index + 20)}'`]);
    }
    const attrs = attributes(m[2]);
    if (m[1] === 'delete') {
      ops.push({ type: 'delete', id: attrs.id });
      continue;
    }
    const fields: Record<string, string | string[]> = {};
    const body = m[4] ?? '';
    const field = /<field\s+name="([^"]*)"\s*(?:\/>|>([\s\S]*?)<\/field>)|(\S)/g;
    for (let f = field.exec(body); f; f = field.exec(body)) {
      if (f[3] !== undefined) throw new DocumentBatchError([`Unexpected content in <add id="${attrs.id}">`]);
      const name = decodeEntities(f[1]);
      const value = fieldValue(f[2] ?? '');
      const prev = fields[name];
      fields[name] = prev === undefined ? value : [...(Array.isArray(prev) ? prev : [prev]), value];
    }
    ops.push({ type: 'add', id: attrs.id, fields });
  }
  return ops;
}

function attributes(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(/([a-z]+)="([^"]*)"/g)) out[m[1]] = decodeEntities(m[2]);
  return out;
}

function fieldValue(raw: string): string {
  let out = '';
  let rest = raw;
  for (let i = rest.indexOf('<![CDATA['); i >= 0; i = rest.indexOf('<![CDATA[')) {
    const end = rest.indexOf(']]>', i);
    if (end < 0) throw new DocumentBatchError(['Unterminated CDATA section in XML batch']);
    out += decodeEntities(rest.slice(0, i)) + rest.slice(i + 9, end);
    rest = rest.slice(end + 3);
  }
  if (rest.includes('<')) throw new DocumentBatchError(['Field values must be text or CDATA']);
  return out + decodeEntities(rest);
}

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|lt|gt|amp|quot|apos);/g, (_, e: string) => {
    if (e.startsWith('#x')) return String.fromCodePoint(Number.parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(Number(e.slice(1)));
    return ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" } as Record<string, string>)[e];
  });
}
