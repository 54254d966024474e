/** `_source` filtering with includes/excludes and `*` wildcards over dotted paths. */

function toList(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  return (Array.isArray(v) ? v : String(v).split(',')).map((s) => String(s).trim()).filter((s) => s !== '');
}

export interface SourceFilter {
  enabled: boolean;
  includes: string[];
  excludes: string[];
}

export function parseSourceFilter(spec: unknown, includesParam?: unknown, excludesParam?: unknown): SourceFilter {
  let filter: SourceFilter = { enabled: true, includes: [], excludes: [] };
  if (spec === false || spec === 'false') filter = { enabled: false, includes: [], excludes: [] };
  else if (spec === true || spec === 'true' || spec === undefined || spec === null)
    filter = { enabled: true, includes: [], excludes: [] };
  else if (typeof spec === 'string' || Array.isArray(spec)) filter.includes = toList(spec);
  else if (typeof spec === 'object') {
    const o = spec as Record<string, unknown>;
    filter.includes = toList(o.includes ?? o.include);
    filter.excludes = toList(o.excludes ?? o.exclude);
  }
  if (includesParam !== undefined) {
    filter.enabled = true;
    filter.includes = toList(includesParam);
  }
  if (excludesParam !== undefined) {
    filter.enabled = true;
    filter.excludes = toList(excludesParam);
  }
  return filter;
}

function compile(patterns: string[]): RegExp[] {
  return patterns.map(
    (p) =>
      new RegExp(
        `^${p
          .split('*')
          .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
          .join('.*')}$`,
      ),
  );
}

export function applySourceFilter(
  source: Record<string, unknown>,
  filter: SourceFilter,
): Record<string, unknown> | undefined {
  if (!filter.enabled) return undefined;
  if (filter.includes.length === 0 && filter.excludes.length === 0) return source;
  const inc = compile(filter.includes);
  const exc = compile(filter.excludes);
  const incPatterns = filter.includes;
  const included = (path: string) => inc.length === 0 || inc.some((r) => r.test(path));
  // An include like "a.b" or "a.*" may select descendants of "a".
  const mayIncludeBelow = (path: string) =>
    inc.length === 0 || incPatterns.some((p) => p.startsWith(`${path}.`) || p.includes('*'));
  const walk = (obj: Record<string, unknown>, prefix: string, fullyIncluded: boolean): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(obj)) {
      const path = prefix ? `${prefix}.${k}` : k;
      if (exc.some((r) => r.test(path))) continue;
      const inHere = fullyIncluded || included(path);
      const filterValue = (value: unknown): unknown => {
        if (value && typeof value === 'object' && !Array.isArray(value)) {
          if (!inHere && !mayIncludeBelow(path)) return undefined;
          const child = walk(value as Record<string, unknown>, path, inHere);
          return inHere || Object.keys(child).length > 0 ? child : undefined;
        }
        if (Array.isArray(value)) {
          const items = value.map(filterValue).filter((x) => x !== undefined);
          return inHere || items.length > 0 ? items : undefined;
        }
        return inHere ? value : undefined;
      };
      const fv = filterValue(v);
      if (fv !== undefined) out[k] = fv;
    }
    return out;
  };
  return walk(source, '', false);
}
