import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { catalogue } from '../composition/ports/catalogue.js';
import { recommender } from '../composition/ports/recommender.js';
import { RECOMMENDATIONS_DEFAULT_LIMIT, RECOMMENDATIONS_MAX_LIMIT } from '../domain/recommendations.js';
import { logger } from '../lib/logger.js';
import type { CatalogueIndex } from '../ports/catalogue.js';
import type { Recommendation, Recommender } from '../ports/recommender.js';
import { lambdaEntry } from './entry.js';
import { jsonResponse } from './responses.js';

export interface RecommendationsApiDeps {
  recommender: Recommender;
  catalogue: CatalogueIndex;
}

/** Catalogue bookkeeping fields (set by csv-to-cloudsearch) that are not item data. */
const HIDDEN_FIELDS = new Set(['source_key', 'source_row']);

const quote = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** Catalogue fields of the recommended items, by item_id (CloudSearch returns every field as a list). */
async function catalogueFields(
  catalogue: CatalogueIndex,
  itemIds: string[],
): Promise<Map<string, Record<string, unknown>>> {
  const found = new Map<string, Record<string, unknown>>();
  if (itemIds.length === 0) return found;
  const result = await catalogue.search({
    q: `(or ${itemIds.map((id) => `item_id:${quote(id)}`).join(' ')})`,
    parser: 'structured',
    size: itemIds.length * 2,
    return: '_all_fields',
  });
  for (const hit of result.hits) {
    const fields: Record<string, unknown> = {};
    for (const [name, values] of Object.entries(hit.fields)) {
      if (!HIDDEN_FIELDS.has(name)) fields[name] = values.length === 1 ? values[0] : values;
    }
    const itemId = hit.fields.item_id?.[0];
    if (itemId !== undefined && !found.has(itemId)) found.set(itemId, fields);
  }
  return found;
}

/**
 * `GET /v1/recommendations?user_id=&limit=` → `[{item_id, score, ...catalogue fields}]`, best first: Personalize
 * on the aws target, the interaction graph elsewhere. Items missing from the catalogue come without extra fields;
 * a catalogue that cannot be searched (no item_id field yet) leaves every item unenriched rather than failing.
 */
export function createRecommendationsApi(deps: RecommendationsApiDeps) {
  return async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
    const params = event.queryStringParameters ?? {};
    const userId = (params.user_id ?? params.user)?.trim();
    if (!userId) return jsonResponse(400, { message: 'user_id query parameter is required' });
    const rawLimit = params.limit;
    const limit = rawLimit === undefined || rawLimit === '' ? RECOMMENDATIONS_DEFAULT_LIMIT : Number(rawLimit);
    if (!Number.isInteger(limit) || limit < 1) {
      return jsonResponse(400, { message: `limit must be a positive integer, got ${rawLimit}` });
    }
    const recommendations: Recommendation[] = await deps.recommender.recommend(
      userId,
      Math.min(limit, RECOMMENDATIONS_MAX_LIMIT),
    );
    let fields = new Map<string, Record<string, unknown>>();
    try {
      fields = await catalogueFields(
        deps.catalogue,
        recommendations.map((r) => r.item_id),
      );
    } catch (err) {
      logger.warn({ err }, 'recommendations-api: catalogue lookup failed; answering without item fields');
    }
    return jsonResponse(
      200,
      recommendations.map((r) => {
        const { item_id: _id, score: _score, ...rest } = fields.get(r.item_id) ?? {};
        return { item_id: r.item_id, score: r.score, ...rest };
      }),
    );
  };
}

export const handler = lambdaEntry('recommendations-api', { recommender, catalogue }, createRecommendationsApi);
