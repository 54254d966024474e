/** Alias APIs: `PUT/DELETE {index}/_alias/{name}`, `GET [_alias|{index}/_alias][/{name}]`, `HEAD _alias/{name}`, `POST _aliases`. */
import { SearchEngineError } from '../search-engine/errors.js';
import type { SearchEngine } from '../search-engine/index.js';
import { jsonBody, ok, type RestRequest, type RestResponse } from './rest.js';

function patterns(expr: string | undefined): RegExp[] | undefined {
  if (expr === undefined || expr === '_all' || expr === '*') return undefined;
  return expr.split(',').map(
    (p) =>
      new RegExp(
        `^${p
          .split('*')
          .map((x) => x.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
          .join('.*')}$`,
      ),
  );
}

export function putAlias(
  engine: SearchEngine,
  req: RestRequest,
  indexExpr: string,
  alias: string | undefined,
): RestResponse {
  const body = (jsonBody(req) ?? {}) as Record<string, unknown>;
  const name = alias ?? (body.alias as string | undefined);
  if (!name)
    throw new SearchEngineError(
      400,
      'action_request_validation_exception',
      "Validation Failed: 1: [alias] can't be empty;",
    );
  const { alias: _a, index: _i, ...opts } = body;
  for (const index of engine.resolveIndices(indexExpr, { concreteOnly: true })) engine.putAlias(index, name, opts);
  return ok({ acknowledged: true });
}

export function deleteAlias(engine: SearchEngine, indexExpr: string, aliasExpr: string): RestResponse {
  const res = patterns(aliasExpr);
  let removed = 0;
  for (const index of engine.resolveIndices(indexExpr)) {
    for (const alias of Object.keys(engine.getAliases(index))) {
      if (!res || res.some((r) => r.test(alias))) {
        engine.deleteAlias(index, alias);
        removed++;
      }
    }
  }
  if (removed === 0) {
    throw new SearchEngineError(404, 'aliases_not_found_exception', `aliases [${aliasExpr}] missing`, {
      'resource.type': 'aliases',
      'resource.id': aliasExpr,
    });
  }
  return ok({ acknowledged: true });
}

export function getAliases(
  engine: SearchEngine,
  indexExpr: string | undefined,
  aliasExpr: string | undefined,
): RestResponse {
  const res = patterns(aliasExpr);
  const out: Record<string, { aliases: Record<string, unknown> }> = {};
  const indices = indexExpr === undefined ? engine.listIndices() : engine.resolveIndices(indexExpr);
  let found = 0;
  for (const index of indices) {
    const aliases = Object.fromEntries(
      Object.entries(engine.getAliases(index)).filter(([a]) => !res || res.some((r) => r.test(a))),
    );
    found += Object.keys(aliases).length;
    if (aliasExpr === undefined || Object.keys(aliases).length > 0) out[index] = { aliases };
  }
  if (aliasExpr !== undefined && found === 0 && !aliasExpr.includes('*')) {
    return { status: 404, body: { error: `alias [${aliasExpr}] missing`, status: 404 } };
  }
  return ok(out);
}

export function updateAliases(engine: SearchEngine, req: RestRequest): RestResponse {
  const body = jsonBody(req, true) as { actions?: Array<Record<string, Record<string, unknown>>> };
  if (!Array.isArray(body.actions) || body.actions.length === 0) {
    throw new SearchEngineError(
      400,
      'action_request_validation_exception',
      'Validation Failed: 1: Must specify at least one alias action;',
    );
  }
  for (const action of body.actions) {
    const [type, spec] = Object.entries(action)[0];
    const indices = ([] as unknown[]).concat(spec.indices ?? spec.index ?? []).map(String);
    const aliases = ([] as unknown[]).concat(spec.aliases ?? spec.alias ?? []).map(String);
    const { index: _i, indices: _is, alias: _a, aliases: _as, ...opts } = spec;
    for (const expr of indices) {
      for (const index of engine.resolveIndices(expr, { concreteOnly: true })) {
        if (type === 'add') for (const a of aliases) engine.putAlias(index, a, opts);
        else if (type === 'remove') for (const a of aliases) deleteAlias(engine, index, a);
        else if (type === 'remove_index') engine.deleteIndex(index);
        else throw new SearchEngineError(400, 'illegal_argument_exception', `Unsupported alias action [${type}]`);
      }
    }
  }
  return ok({ acknowledged: true });
}
