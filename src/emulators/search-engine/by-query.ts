/** `_delete_by_query`: deletes what a query matches, batch and slice statistics shaped as OpenSearch reports them,
 * version conflicts aborting the request or counted (`conflicts=proceed`). */
import { resolveIndices } from './aliases.js';
import { type DocumentHost, wantsRefresh } from './documents.js';
import { SearchEngineError } from './errors.js';
import { matchingDocs } from './search.js';
import type { StoredDoc } from './shard.js';
import type { QueryDsl, RefreshPolicy } from './types.js';

export interface DeleteByQueryOptions {
  refresh?: RefreshPolicy;
  maxDocs?: number;
  conflicts?: 'abort' | 'proceed';
  scrollSize?: number;
  slices?: number;
}

export interface DeleteByQueryResult {
  took: number;
  timed_out: boolean;
  total: number;
  deleted: number;
  batches: number;
  version_conflicts: number;
  noops: number;
  retries: { bulk: number; search: number };
  throttled_millis: number;
  requests_per_second: number;
  throttled_until_millis: number;
  failures: unknown[];
  slices?: unknown[];
}

interface SliceStats {
  total: number;
  deleted: number;
  batches: number;
  version_conflicts: number;
}

export function deleteByQuery(
  host: DocumentHost,
  name: string | string[],
  query: QueryDsl | undefined,
  opts: DeleteByQueryOptions,
): DeleteByQueryResult {
  const started = Date.now();
  if (query === undefined)
    throw new SearchEngineError(400, 'action_request_validation_exception', 'Validation Failed: 1: query is missing;');
  const scrollSize = opts.scrollSize ?? 1000;
  const slices = Math.max(1, opts.slices ?? 1);
  const sliceStats = Array.from({ length: slices }, (_, i) => ({
    slice_id: i,
    total: 0,
    deleted: 0,
    batches: 0,
    version_conflicts: 0,
  }));
  const failures: unknown[] = [];
  let total = 0;
  let aborted = false;
  for (const n of resolveIndices(host.indices, name)) {
    if (aborted) break;
    const shard = host.shard(n);
    shard.maybeAutoRefresh();
    let nums = [...matchingDocs(shard, query).keys()].sort((a, b) => a - b);
    if (opts.maxDocs !== undefined) nums = nums.slice(0, Math.max(0, opts.maxDocs - total));
    const seen = nums.map((num) => shard.docs[num]?.doc).filter((d): d is StoredDoc => d !== undefined);
    seen.forEach((doc, i) => {
      if (aborted) return;
      const stats = sliceStats[i % slices];
      stats.total++;
      total++;
      try {
        const out = shard.remove(doc.id, { ifSeqNo: doc.seqNo, ifPrimaryTerm: doc.primaryTerm });
        host.log({ op: 'doc', index: n, doc: out.doc });
        stats.deleted++;
      } catch (e) {
        if (!(e instanceof SearchEngineError) || e.status !== 409) throw e;
        stats.version_conflicts++;
        if (opts.conflicts !== 'proceed') {
          failures.push({
            index: n,
            id: doc.id,
            cause: { type: e.type, reason: e.reason, index_uuid: shard.uuid, shard: '0', index: n },
            status: 409,
          });
          aborted = true;
        }
      }
    });
    if (wantsRefresh(opts.refresh)) shard.refresh();
  }
  for (const s of sliceStats) s.batches = Math.max(1, Math.ceil(s.total / scrollSize));
  const sum = (k: 'deleted' | 'version_conflicts') => sliceStats.reduce((a, s) => a + s[k], 0);
  const result: DeleteByQueryResult = {
    took: Date.now() - started,
    timed_out: false,
    ...detail({
      total,
      deleted: sum('deleted'),
      batches: sliceStats.reduce((a, s) => a + s.batches, 0),
      version_conflicts: sum('version_conflicts'),
    }),
    failures,
  };
  if (slices > 1) result.slices = sliceStats.map((s) => ({ slice_id: s.slice_id, ...detail(s) }));
  return result;
}

/** The counters OpenSearch reports for the whole request and for each slice. */
function detail(s: SliceStats) {
  return {
    total: s.total,
    deleted: s.deleted,
    batches: s.batches,
    version_conflicts: s.version_conflicts,
    noops: 0,
    retries: { bulk: 0, search: 0 },
    throttled_millis: 0,
    requests_per_second: -1,
    throttled_until_millis: 0,
  };
}
