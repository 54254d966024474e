import type { ServerResponse } from 'node:http';
import { XMLBuilder } from 'fast-xml-parser';
import { configErrors } from './errors.js';

/**
 * The AWS query protocol of the configuration API: form-encoded requests in, XML out. One reader
 * ({@link parseQueryForm}) and one writer for results and errors ({@link sendQueryResult}; errors: `sendConfigApiError`).
 */
const NS = 'http://cloudsearch.amazonaws.com/doc/2013-01-01/';

export type QueryValue = string | QueryForm | QueryValue[];
export interface QueryForm {
  [name: string]: QueryValue | undefined;
}

/** Names that would reach Object.prototype through a plain object; no AWS parameter is called so. */
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);
/** Members of one list (`X.member.N`); AWS lists in this API are far shorter. */
const MAX_MEMBERS = 1000;

function node(): QueryForm {
  return Object.create(null) as QueryForm;
}

/**
 * `IndexField.LiteralOptions.FacetEnabled=true`, `DomainNames.member.1=x` → nested objects and lists. Every object is
 * prototype-free and names that address prototypes are refused, so no input can write Object.prototype.
 */
export function parseQueryForm(body: string): QueryForm {
  const root = node();
  for (const [key, value] of new URLSearchParams(body)) {
    const parts = key.split('.');
    if (parts.some((p) => p === '' || FORBIDDEN.has(p))) {
      throw configErrors.validation(`Invalid parameter name '${key}'`);
    }
    let target: QueryForm | QueryValue[] = root;
    for (let i = 0; i < parts.length; i++) {
      const last = i === parts.length - 1;
      if (parts[i] === 'member') {
        if (!Array.isArray(target) || last) throw configErrors.validation(`Invalid parameter name '${key}'`);
        const index = Number(parts[i + 1]);
        if (!Number.isInteger(index) || index < 1 || index > MAX_MEMBERS) {
          throw configErrors.validation(`Invalid list index in parameter '${key}': use 1 to ${MAX_MEMBERS}`);
        }
        i++;
        if (i === parts.length - 1) target[index - 1] = value;
        else {
          const next = target[index - 1];
          if (next !== undefined && (typeof next !== 'object' || Array.isArray(next)))
            throw configErrors.validation(`Conflicting parameters at '${key}'`);
          target[index - 1] = next ?? node();
          target = target[index - 1] as QueryForm;
        }
        continue;
      }
      if (Array.isArray(target)) throw configErrors.validation(`Invalid parameter name '${key}'`);
      const name = parts[i];
      if (last) {
        if (target[name] !== undefined) throw configErrors.validation(`Parameter '${key}' is given twice`);
        target[name] = value;
        break;
      }
      const listNext = parts[i + 1] === 'member';
      const existing = target[name];
      if (existing === undefined) target[name] = listNext ? [] : node();
      else if (typeof existing === 'string' || Array.isArray(existing) !== listNext)
        throw configErrors.validation(`Conflicting parameters at '${key}'`);
      target = target[name] as QueryForm | QueryValue[];
    }
  }
  return compactLists(root) as QueryForm;
}

/** `member.1` and `member.3` without `member.2` make a list of two, not one with a hole. */
function compactLists(value: QueryValue): QueryValue {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.filter((v) => v !== undefined).map(compactLists);
  for (const [k, v] of Object.entries(value)) if (v !== undefined) value[k] = compactLists(v);
  return value;
}

const builder = new XMLBuilder({ ignoreAttributes: false, suppressEmptyNode: false });

/** Result values → the builder's tree: lists as `member` elements, maps as `entry` key/value pairs, dates ISO. */
function toXmlTree(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return { member: value.map(toXmlTree) };
  if (value instanceof Map) {
    return { entry: [...value].map(([key, v]) => ({ key: String(key), value: toXmlTree(v) })) };
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined && v !== null)
        .map(([k, v]) => [k, toXmlTree(v)]),
    );
  }
  return value;
}

function sendXml(res: ServerResponse, status: number, tree: Record<string, unknown>): void {
  const text = builder.build(tree) as string;
  res.writeHead(status, { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendQueryResult(res: ServerResponse, action: string, result: unknown, requestId: string): void {
  sendXml(res, 200, {
    [`${action}Response`]: {
      '@_xmlns': NS,
      [`${action}Result`]: toXmlTree(result),
      ResponseMetadata: { RequestId: requestId },
    },
  });
}
