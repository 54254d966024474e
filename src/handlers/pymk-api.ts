import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { cache } from '../composition/ports/cache.js';
import { graph } from '../composition/ports/graph.js';
import { PYMK_CACHE_TTL_SECONDS, PYMK_DEFAULT_LIMIT, PYMK_MAX_LIMIT, pymkCachePrefix } from '../domain/pymk.js';
import { logger } from '../lib/logger.js';
import type { Cache } from '../ports/cache.js';
import type { GraphStore } from '../ports/graph-store.js';
import { lambdaEntry } from './entry.js';
import { jsonResponse } from './responses.js';

export interface PymkApiDeps {
  graph: GraphStore;
  cache: Cache;
}

/**
 * `GET /v1/pymk?user=NAME&limit=N` → people the user may know: friends of friends over `knows` (either direction),
 * ranked by contacts in common, ties by name. `user` is a person's email, an owner id (`edy`: the person whose card
 * `edy@…` is, or edy's placeholder until that card arrives) or a person's name (any case), tried in that order.
 * Answers are cached for 10 minutes under `pymk:<user>:` (dropped by upsert-to-graph when the user's edges change).
 */
export function createPymkApi(deps: PymkApiDeps) {
  return async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
    const user = event.queryStringParameters?.user?.trim();
    if (!user) return jsonResponse(400, { message: 'user query parameter is required' });
    const rawLimit = event.queryStringParameters?.limit;
    const limit = rawLimit === undefined || rawLimit === '' ? PYMK_DEFAULT_LIMIT : Number(rawLimit);
    if (!Number.isInteger(limit) || limit < 1) {
      return jsonResponse(400, { message: `limit must be a positive integer, got ${rawLimit}` });
    }
    const effectiveLimit = Math.min(limit, PYMK_MAX_LIMIT);
    const key = `${pymkCachePrefix(user)}${effectiveLimit}`;
    const cached = await deps.cache.get(key).catch((err) => {
      logger.warn({ err }, 'pymk-api: cache read failed');
      return undefined;
    });
    if (cached !== undefined) return jsonResponse(200, JSON.parse(cached));
    const suggestions = await deps.graph.pymk(user, effectiveLimit);
    await deps.cache.set(key, JSON.stringify(suggestions), PYMK_CACHE_TTL_SECONDS).catch((err) => {
      logger.warn({ err }, 'pymk-api: cache write failed');
    });
    return jsonResponse(200, suggestions);
  };
}

export const handler = lambdaEntry('pymk-api', { graph, cache }, createPymkApi);
