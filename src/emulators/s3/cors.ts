import type { ServerResponse } from 'node:http';
import { S3Error, s3Errors } from './errors.js';
import type { CorsRule } from './model.js';
import { childrenNamed, childText, renderXml, type XmlElement } from './xml.js';

const METHODS = ['GET', 'PUT', 'HEAD', 'POST', 'DELETE'];

export function parseCorsXml(root: XmlElement): CorsRule[] {
  if (root.name !== 'CORSConfiguration') throw s3Errors.malformedXml();
  const rules = childrenNamed(root, 'CORSRule').map((r): CorsRule => {
    const texts = (name: string) => childrenNamed(r, name).map((e) => e.text.trim());
    const rule: CorsRule = {
      ID: childText(r, 'ID'),
      AllowedOrigins: texts('AllowedOrigin'),
      AllowedMethods: texts('AllowedMethod'),
      AllowedHeaders: texts('AllowedHeader'),
      ExposeHeaders: texts('ExposeHeader'),
      MaxAgeSeconds: childText(r, 'MaxAgeSeconds') !== undefined ? Number(childText(r, 'MaxAgeSeconds')) : undefined,
    };
    if (rule.AllowedOrigins.length === 0 || rule.AllowedMethods.length === 0) throw s3Errors.malformedXml();
    for (const m of rule.AllowedMethods)
      if (!METHODS.includes(m))
        throw s3Errors.invalidRequest(`Found unsupported HTTP method in CORS config. Unsupported method is ${m}`);
    for (const o of rule.AllowedOrigins)
      if ((o.match(/\*/g) ?? []).length > 1)
        throw s3Errors.invalidRequest(`AllowedOrigin "${o}" can not have more than one wildcard.`);
    for (const h of rule.AllowedHeaders)
      if ((h.match(/\*/g) ?? []).length > 1)
        throw s3Errors.invalidRequest(`AllowedHeader "${h}" can not have more than one wildcard.`);
    return rule;
  });
  if (rules.length === 0 || rules.length > 100) throw s3Errors.malformedXml();
  return rules;
}

export function corsToXml(rules: CorsRule[]): string {
  return renderXml('CORSConfiguration', {
    CORSRule: rules.map((r) => ({
      ID: r.ID,
      AllowedHeader: r.AllowedHeaders,
      AllowedMethod: r.AllowedMethods,
      AllowedOrigin: r.AllowedOrigins,
      ExposeHeader: r.ExposeHeaders,
      MaxAgeSeconds: r.MaxAgeSeconds,
    })),
  });
}

function wildcard(pattern: string, value: string, ignoreCase = false): boolean {
  const star = pattern.indexOf('*');
  const p = ignoreCase ? pattern.toLowerCase() : pattern;
  const v = ignoreCase ? value.toLowerCase() : value;
  if (star === -1) return p === v;
  return v.length >= p.length - 1 && v.startsWith(p.slice(0, star)) && v.endsWith(p.slice(star + 1));
}

/** The first rule that allows the origin, the method and every requested header (S3 stops at the first match). */
export function matchCorsRule(
  rules: CorsRule[] | undefined,
  origin: string,
  method: string,
  requestHeaders: readonly string[] = [],
): CorsRule | undefined {
  return rules?.find(
    (r) =>
      r.AllowedOrigins.some((o) => wildcard(o, origin)) &&
      r.AllowedMethods.includes(method.toUpperCase()) &&
      requestHeaders.every((h) => r.AllowedHeaders.some((a) => wildcard(a, h, true))),
  );
}

export function parseRequestHeaderList(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return String(value)
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
}

function ruleHeaders(rule: CorsRule, origin: string): Record<string, string> {
  const any = rule.AllowedOrigins.includes('*');
  const headers: Record<string, string> = {
    'access-control-allow-origin': any ? '*' : origin,
    'access-control-allow-methods': rule.AllowedMethods.join(', '),
    vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
  };
  if (!any) headers['access-control-allow-credentials'] = 'true';
  if (rule.ExposeHeaders.length) headers['access-control-expose-headers'] = rule.ExposeHeaders.join(', ');
  if (rule.MaxAgeSeconds !== undefined) headers['access-control-max-age'] = String(rule.MaxAgeSeconds);
  return headers;
}

/** CORS headers on an actual (non-preflight) request when a rule of the bucket matches its origin and method. */
export function applyCorsHeaders(
  res: ServerResponse,
  rules: CorsRule[] | undefined,
  origin: string,
  method: string,
): void {
  const rule = matchCorsRule(rules, origin, method);
  if (!rule) return;
  for (const [k, v] of Object.entries(ruleHeaders(rule, origin))) res.setHeader(k, v);
}

/** An OPTIONS preflight answered from the bucket's CORS configuration, as S3 answers it. */
export function preflight(
  rules: CorsRule[] | undefined,
  origin: string | undefined,
  method: string | undefined,
  requestHeaders: string[],
): Record<string, string> {
  if (!origin) throw new S3Error('BadRequest', 400, 'Insufficient information. Origin request header needed.');
  if (!method) throw new S3Error('BadRequest', 400, 'Invalid Access-Control-Request-Method: null');
  if (!rules) throw new S3Error('AccessForbidden', 403, 'CORSResponse: CORS is not enabled for this bucket.');
  const rule = matchCorsRule(rules, origin, method, requestHeaders);
  if (!rule)
    throw new S3Error(
      'AccessForbidden',
      403,
      "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.",
    );
  const headers = ruleHeaders(rule, origin);
  if (requestHeaders.length) headers['access-control-allow-headers'] = requestHeaders.join(', ');
  return headers;
}
