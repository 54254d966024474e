/** An OpenSearch-shaped failure: the REST layer turns it into `{error: {root_cause, type, reason, ...}, status}`. */
export class SearchEngineError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly reason: string,
    /** Extra fields of the error object (index, index_uuid, shard, resource.id ...). */
    readonly extra: Record<string, unknown> = {},
    readonly causedBy?: { type: string; reason: string },
    /** When set, the root causes differ from the error itself (search_phase_execution_exception wraps shard failures). */
    readonly rootCauses?: Array<Record<string, unknown>>,
  ) {
    super(`${type}: ${reason}`);
    this.name = 'SearchEngineError';
  }
}

export function indexNotFound(index: string): SearchEngineError {
  return new SearchEngineError(404, 'index_not_found_exception', `no such index [${index}]`, {
    'resource.type': 'index_or_alias',
    'resource.id': index,
    index_uuid: '_na_',
    index,
  });
}

export function badRequest(reason: string, type = 'illegal_argument_exception'): SearchEngineError {
  return new SearchEngineError(400, type, reason);
}

export function parsingError(reason: string): SearchEngineError {
  return new SearchEngineError(400, 'parsing_exception', reason);
}

export function versionConflict(index: string, id: string, reason: string): SearchEngineError {
  return new SearchEngineError(409, 'version_conflict_engine_exception', `[${id}]: version conflict, ${reason}`, {
    index,
    shard: '0',
    index_uuid: '_na_',
  });
}

/** A query that fails on the shard: OpenSearch answers search_phase_execution_exception with the shard failure as root cause. */
export function queryShardError(
  index: string,
  reason: string,
  type = 'query_shard_exception',
  causedBy?: { type: string; reason: string },
): SearchEngineError {
  const cause: Record<string, unknown> = { type, reason, index, index_uuid: '_na_' };
  return new SearchEngineError(
    400,
    'search_phase_execution_exception',
    'all shards failed',
    {
      phase: 'query',
      grouped: true,
      failed_shards: [
        { shard: 0, index, node: 'octember-node', reason: { ...cause, ...(causedBy ? { caused_by: causedBy } : {}) } },
      ],
    },
    causedBy,
    [cause],
  );
}

/** OpenSearch's error object (without status) for an engine error. */
export function errorBody(e: SearchEngineError): Record<string, unknown> {
  const body: Record<string, unknown> = { type: e.type, reason: e.reason, ...e.extra };
  if (e.causedBy) body.caused_by = e.causedBy;
  return body;
}

/** OpenSearch's full error response `{error: {root_cause, type, reason, ...}, status}`. */
export function errorResponse(e: SearchEngineError): { error: Record<string, unknown>; status: number } {
  const { failed_shards: _f, phase: _p, grouped: _g, ...rootExtra } = e.extra;
  const rootCause = e.rootCauses ?? [{ type: e.type, reason: e.reason, ...rootExtra }];
  return { error: { root_cause: rootCause, ...errorBody(e) }, status: e.status };
}
