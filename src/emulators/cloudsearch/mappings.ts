import type { BaseFieldType, DomainSchema } from '../../domain/cloudsearch-schema.js';
import type { IndexMappings } from '../search-engine/types.js';

/** Engine field name holding a sortable copy of a text field (the engine sorts keywords, not analysed text). */
export function sortShadowField(name: string): string {
  return `_sort_${name}`;
}

const ENGINE_TYPES: Record<BaseFieldType, string> = {
  text: 'text',
  literal: 'keyword',
  int: 'long',
  double: 'double',
  date: 'date',
};

/**
 * CloudSearch analysis scheme → the shared engine's analyzer:
 * - `_en_default_` (and other English schemes): `english`, English stop words removed (no stemming);
 * - `_ko_default_`, `_ja_default_`, `_zh-Hans_default_`, `_zh-Hant_default_`: `cjk`, overlapping bigrams of
 *   Hangul/Han/Kana runs as Lucene's CJKAnalyzer makes them, which stands in for CloudSearch's Korean decompounding
 *   (and Japanese/Chinese segmentation): `운동화` matches `남성운동화` and `운동화를`;
 * - anything else (`_mul_default_`, other languages, custom schemes): `standard`.
 */
export function analyzerForScheme(scheme: string | undefined): string | undefined {
  if (!scheme) return undefined;
  if (scheme.startsWith('_en_')) return 'english';
  if (/^_(ko|ja|zh-Hans|zh-Hant)_default_$/.test(scheme)) return 'cjk';
  return undefined;
}

/** OpenSearch-style mappings for the shared engine. */
export function engineMappings(schema: DomainSchema): IndexMappings {
  const properties: Record<string, { type: string; analyzer?: string }> = {};
  for (const f of schema.fields.values()) {
    const analyzer = f.base === 'text' ? analyzerForScheme(f.analysisScheme) : undefined;
    properties[f.name] = { type: ENGINE_TYPES[f.base], ...(analyzer ? { analyzer } : {}) };
    if (f.base === 'text' && f.sort) properties[sortShadowField(f.name)] = { type: 'keyword' };
  }
  return { properties } as IndexMappings;
}
