import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { cache } from '../composition/ports/cache.js';
import { search } from '../composition/ports/search.js';
import { CACHE_TTL_SECONDS } from '../domain/names.js';
import { logger } from '../lib/logger.js';
import type { Cache } from '../ports/cache.js';
import type { CardSearchIndex } from '../ports/card-search.js';
import { lambdaEntry } from './entry.js';
import { jsonResponse } from './responses.js';
import { searchCachePrefix } from './upsert-to-search.js';

export interface SearchApiDeps {
  search: CardSearchIndex;
  cache: Cache;
}

export const SEARCH_DEFAULT_LIMIT = 10;
export const SEARCH_MAX_LIMIT = 100;

/**
 * `GET /v1/search?query=&user=&limit=` → business cards: multi_match over name^3, company, job_title, addr,
 * only `user`'s cards when given (400 when neither is). Answers are cached 10 minutes per user+query+limit;
 * upsert-to-search drops the user's entries when their cards change.
 */
export function createSearchApi(deps: SearchApiDeps) {
  return async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
    const params = event.queryStringParameters ?? {};
    const query = params.query?.trim() || undefined;
    const user = params.user?.trim() || undefined;
    if (!query && !user) return jsonResponse(400, { message: 'query or user query parameter is required' });
    const rawLimit = params.limit;
    const limit = rawLimit === undefined || rawLimit === '' ? SEARCH_DEFAULT_LIMIT : Number(rawLimit);
    if (!Number.isInteger(limit) || limit < 1)
      return jsonResponse(400, { message: `limit must be a positive integer, got ${rawLimit}` });
    const effectiveLimit = Math.min(limit, SEARCH_MAX_LIMIT);
    const key = `${searchCachePrefix(user)}${effectiveLimit}:${(query ?? '').toLowerCase().replace(/\s+/g, ' ')}`;
    const cached = await deps.cache.get(key).catch((err) => {
      logger.warn({ err }, 'search-api: cache read failed');
      return undefined;
    });
    if (cached !== undefined) return jsonResponse(200, JSON.parse(cached));
    const hits = await deps.search.search({ query, owner: user, limit: effectiveLimit });
    const body = hits.map((h) => ({
      doc_id: h.doc_id,
      owner: h.owner,
      image_id: h.image_id,
      s3_bucket: h.s3_bucket,
      s3_key: h.s3_key,
      name: h.name,
      job_title: h.job_title,
      company: h.company,
      email: h.email,
      phone_number: h.phone_number,
      phones: h.phones,
      addr: h.addr,
      url: h.url,
      created_at: h.created_at,
      score: h.score,
    }));
    await deps.cache
      .set(key, JSON.stringify(body), CACHE_TTL_SECONDS)
      .catch((err) => logger.warn({ err }, 'search-api: cache write failed'));
    return jsonResponse(200, body);
  };
}

export const handler = lambdaEntry('search-api', { search, cache }, createSearchApi);
