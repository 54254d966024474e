/** Index names and aliases: name validation, alias options, and the resolution of index expressions (comma lists,
 * `_all`, wildcards, `-exclusions`, aliases) into concrete indices, for reads and for writes. */
import { badRequest, indexNotFound, SearchEngineError } from './errors.js';
import type { IndexShard } from './shard.js';

export interface ResolveOptions {
  ignoreUnavailable?: boolean;
  allowNoIndices?: boolean;
  /** Aliases are not expanded: a concrete alias name is an error (delete index). */
  concreteOnly?: boolean;
  /** Wildcards and `_all` also match hidden (dot-prefixed) indices: `expand_wildcards=all|hidden`. */
  expandHidden?: boolean;
}

type Indices = ReadonlyMap<string, IndexShard>;

const INVALID_NAME_CHARS = ['\\', '/', '*', '?', '"', '<', '>', '|', ' ', ',', '#', ':'];

/** Throws invalid_index_name_exception for a name OpenSearch refuses (for indices and aliases alike). */
export function validateIndexName(name: string): void {
  const invalid = (reason: string) =>
    new SearchEngineError(400, 'invalid_index_name_exception', `Invalid index name [${name}], ${reason}`, {
      index: name,
      index_uuid: '_na_',
    });
  if (name !== name.toLowerCase()) throw invalid('must be lowercase');
  for (const ch of INVALID_NAME_CHARS)
    if (name.includes(ch)) throw invalid(`must not contain the following characters [ , ", *, \\, <, |, ,, >, /, ?]`);
  if (/^[_\-+]/.test(name)) throw invalid("must not start with '_', '-', or '+'");
  if (name === '.' || name === '..') throw invalid("must not be '.' or '..'");
  if (Buffer.byteLength(name) > 255) throw invalid('index name is too long');
}

/** `routing` on an alias sets both index_routing and search_routing. */
export function aliasOptions(opts: Record<string, unknown>): Record<string, unknown> {
  const { routing, ...rest } = opts;
  if (routing === undefined) return rest;
  return {
    ...rest,
    index_routing: rest.index_routing ?? String(routing),
    search_routing: rest.search_routing ?? String(routing),
  };
}

function listIndices(indices: Indices): string[] {
  return [...indices.keys()].sort();
}

function aliasNames(indices: Indices): string[] {
  const out = new Set<string>();
  for (const s of indices.values()) for (const a of s.aliases.keys()) out.add(a);
  return [...out].sort();
}

/** The indices an alias points at (sorted; empty when `alias` is no alias). */
export function aliasIndices(indices: Indices, alias: string): string[] {
  return [...indices.values()]
    .filter((s) => s.aliases.has(alias))
    .map((s) => s.name)
    .sort();
}

/** Expands comma lists, `_all`, `*` wildcards and `-exclusions` into existing index names. */
export function resolveIndices(
  indices: Indices,
  expr: string | string[] | undefined,
  opts: ResolveOptions = {},
): string[] {
  const parts = (Array.isArray(expr) ? expr : String(expr ?? '_all').split(','))
    .map((p) => p.trim())
    .filter((p) => p !== '');
  // Dot-prefixed indices (e.g. the CloudSearch emulator's) are hidden: only `.`-patterns or expand_wildcards=all/hidden reach them.
  const all = listIndices(indices).filter((n) => opts.expandHidden || !n.startsWith('.'));
  if (parts.length === 0 || (parts.length === 1 && (parts[0] === '_all' || parts[0] === '*'))) return all;
  const out = new Set<string>();
  for (const part of parts) {
    if (part.startsWith('-') && out.size > 0) {
      const re = wildcard(part.slice(1));
      for (const n of [...out]) if (re.test(n)) out.delete(n);
      continue;
    }
    if (part === '_all') {
      for (const n of all) out.add(n);
    } else if (part.includes('*')) {
      const re = wildcard(part);
      const before = out.size;
      for (const n of part.startsWith('.') ? listIndices(indices) : all) if (re.test(n)) out.add(n);
      if (opts.concreteOnly && out.size === before && opts.allowNoIndices === false) throw indexNotFound(part);
      if (!opts.concreteOnly)
        for (const alias of aliasNames(indices))
          if (re.test(alias)) for (const n of aliasIndices(indices, alias)) out.add(n);
    } else if (indices.has(part)) out.add(part);
    else if (aliasIndices(indices, part).length > 0) {
      if (opts.concreteOnly) {
        if (opts.ignoreUnavailable) continue;
        throw badRequest(
          `The provided expression [${part}] matches an alias, specify the corresponding concrete indices instead.`,
        );
      }
      for (const n of aliasIndices(indices, part)) out.add(n);
    } else if (!opts.ignoreUnavailable) throw indexNotFound(part);
  }
  if (out.size === 0 && opts.allowNoIndices === false) throw indexNotFound(parts.join(','));
  return [...out];
}

/** The index a single-document write on `name` (index or alias) goes to. */
export function writeIndex(indices: Indices, name: string): string {
  if (indices.has(name)) return name;
  const targets = aliasIndices(indices, name);
  if (targets.length === 0) return name;
  const explicit = targets.filter((t) => indices.get(t)?.aliases.get(name)?.is_write_index === true);
  if (explicit.length === 1) return explicit[0];
  if (targets.length === 1 && indices.get(targets[0])?.aliases.get(name)?.is_write_index !== false) return targets[0];
  throw badRequest(
    `no write index is defined for alias [${name}]. The write index may be explicitly disabled using is_write_index=false or the alias points to multiple indices without one being designated as a write index`,
  );
}

/** The index a get on `name` reads from (an alias must point at exactly one index). */
export function readIndex(indices: Indices, name: string): string {
  if (indices.has(name)) return name;
  const targets = aliasIndices(indices, name);
  if (targets.length === 0) return name;
  if (targets.length > 1) {
    throw badRequest(
      `alias [${name}] has more than one index associated with it [${targets.join(', ')}], can't execute a single index op`,
    );
  }
  return targets[0];
}

function wildcard(pattern: string): RegExp {
  return new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
}
