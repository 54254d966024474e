import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { catalogue } from '../composition/ports/catalogue.js';
import { type CatalogueIndex, CatalogueQueryError } from '../ports/catalogue.js';
import { lambdaEntry } from './entry.js';
import { jsonResponse } from './responses.js';

export interface ItemsApiDeps {
  catalogue: CatalogueIndex;
}

export const ITEMS_DEFAULT_SIZE = 10;
export const ITEMS_MAX_SIZE = 100;
const PARSERS = new Set(['simple', 'structured', 'lucene', 'dismax']);

/**
 * `GET /v1/items?q=&fq=&size=&start=&sort=&parser=&facet=` → the CloudSearch item catalogue.
 * `q` defaults to every item (`matchall`), `fq` is a structured-syntax filter, `facet` a comma-separated field list.
 * A query the service refuses (syntax, unknown field) is a 400 with its message.
 */
export function createItemsApi(deps: ItemsApiDeps) {
  return async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
    const p = event.queryStringParameters ?? {};
    const intParam = (name: string, fallback: number, max: number): number | string => {
      const raw = p[name];
      if (raw === undefined || raw === '') return fallback;
      const n = Number(raw);
      if (!Number.isInteger(n) || n < 0) return `${name} must be a non-negative integer, got ${raw}`;
      return Math.min(n, max);
    };
    const size = intParam('size', ITEMS_DEFAULT_SIZE, ITEMS_MAX_SIZE);
    const start = intParam('start', 0, Number.MAX_SAFE_INTEGER);
    if (typeof size === 'string') return jsonResponse(400, { message: size });
    if (typeof start === 'string') return jsonResponse(400, { message: start });
    const q = p.q?.trim();
    let parser = p.parser ?? p['q.parser'];
    if (parser && !PARSERS.has(parser))
      return jsonResponse(400, { message: `parser must be one of ${[...PARSERS].join(', ')}` });
    if (!q) parser = 'structured';
    const facets = p.facet
      ? Object.fromEntries(
          p.facet
            .split(',')
            .map((f) => f.trim())
            .filter(Boolean)
            .map((f) => [f, { sort: 'count' as const, size: 10 }]),
        )
      : undefined;
    try {
      const result = await deps.catalogue.search({
        q: q || 'matchall',
        parser: parser as 'simple' | 'structured' | 'lucene' | 'dismax' | undefined,
        fq: p.fq || undefined,
        size,
        start,
        sort: p.sort || undefined,
        facets,
      });
      return jsonResponse(200, {
        found: result.found,
        start: result.start,
        items: result.hits.map((h) => ({
          id: h.id,
          ...Object.fromEntries(Object.entries(h.fields).filter(([k]) => k !== 'source_key' && k !== 'source_row')),
        })),
        ...(facets ? { facets: result.facets } : {}),
      });
    } catch (err) {
      if (err instanceof CatalogueQueryError) return jsonResponse(400, { message: err.message });
      throw err;
    }
  };
}

export const handler = lambdaEntry('items-api', { catalogue }, createItemsApi);
