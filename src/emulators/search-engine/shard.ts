/** One index: the realtime document store (get/versioning) and the searchable inverted index (visible after refresh). */
import { AnalyzerRegistry, readSetting } from './analysis.js';
import { badRequest, SearchEngineError, versionConflict } from './errors.js';
import { type FieldValue, type LeafField, Mappings, type ParsedField } from './mapping.js';
import type { CreateIndexBody, IndexMappings, WriteOptions } from './types.js';

export const PRIMARY_TERM = 1;
/** Position gap between the values of a multi-valued text field, so phrases do not span values. */
const POSITION_INCREMENT_GAP = 100;

export interface StoredDoc {
  id: string;
  source: Record<string, unknown>;
  version: number;
  seqNo: number;
  primaryTerm: number;
  routing?: string;
  deleted?: false;
}

export interface Tombstone {
  id: string;
  version: number;
  seqNo: number;
  primaryTerm: number;
  deleted: true;
}

export interface Posting {
  docs: number[];
  freqs: number[];
  positions: number[][] | null;
  /** Live document frequency and total term frequency (deleted docs excluded). */
  df: number;
  ttf: number;
}

export class FieldIndex {
  readonly postings = new Map<string, Posting>();
  /** Per docNum: token count (text) or value count; undefined when the doc has no value. */
  readonly lengths: Array<number | undefined> = [];
  /** Per docNum: doc values for sorting, aggregations and numeric/range queries. */
  readonly values: Array<FieldValue[] | undefined> = [];
  docCount = 0;
  sumTotalTermFreq = 0;
  constructor(readonly leaf: LeafField) {}
}

interface LiveDoc {
  doc: StoredDoc;
  /** Postings this doc appears in, with its frequency in each (parallel arrays: fewer allocations). */
  postings: Posting[];
  freqs: number[];
  fields: FieldIndex[];
}

type PendingOp = { kind: 'upsert'; doc: StoredDoc; parsed: ParsedField[] } | { kind: 'delete'; id: string };

let uuidCounter = 0;
function makeUuid(): string {
  uuidCounter++;
  return (Date.now().toString(36) + uuidCounter.toString(36) + Math.random().toString(36).slice(2)).slice(0, 22);
}

export interface WriteOutcome {
  doc: StoredDoc | Tombstone;
  result: 'created' | 'updated' | 'deleted' | 'not_found';
}

export class IndexShard {
  readonly mappings: Mappings;
  readonly analyzers: AnalyzerRegistry;
  readonly settings: Record<string, unknown>;
  readonly uuid: string;
  readonly createdAt: number;
  /** Aliases pointing at this index, with their options (is_write_index, filter, routing). */
  readonly aliases = new Map<string, Record<string, unknown>>();
  /** Realtime view: latest version of every id, with tombstones for deletes. */
  readonly store = new Map<string, StoredDoc | Tombstone>();
  private liveCount = 0;
  private seqNo = -1;

  // Searchable view.
  readonly docs: Array<LiveDoc | undefined> = [];
  private readonly idToDoc = new Map<string, number>();
  private readonly fieldIndexes = new Map<string, FieldIndex>();
  private searchableCount = 0;
  private pending: PendingOp[] = [];
  private pendingSince = 0;

  constructor(
    readonly name: string,
    body: CreateIndexBody = {},
    restored?: { uuid: string; createdAt: number },
  ) {
    this.settings = normalizeSettings(body.settings ?? {});
    this.analyzers = new AnalyzerRegistry(this.settings);
    this.mappings = new Mappings(body.mappings);
    this.uuid = restored?.uuid ?? makeUuid();
    this.createdAt = restored?.createdAt ?? Date.now();
  }

  get docCount(): number {
    return this.liveCount;
  }

  get maxSeqNo(): number {
    return this.seqNo;
  }

  setting(key: string): unknown {
    return readSetting(this.settings, key);
  }

  putMapping(mappings: IndexMappings): void {
    this.mappings.merge(mappings);
  }

  /** Validates and applies an index/create write to the realtime store; the search view sees it after refresh. */
  write(id: string, source: Record<string, unknown>, opts: WriteOptions = {}): WriteOutcome {
    const existing = this.store.get(id);
    const live = existing && !existing.deleted ? existing : undefined;
    if (opts.opType === 'create' && live) {
      throw versionConflict(this.name, id, `document already exists (current version [${live.version}])`);
    }
    this.checkSeqNo(id, live, opts);
    const version = this.nextVersion(id, existing, opts);
    const parsed = this.mappings.parseDocument(source, id).fields;
    const doc: StoredDoc = {
      id,
      source,
      version,
      seqNo: ++this.seqNo,
      primaryTerm: PRIMARY_TERM,
      ...(opts.routing !== undefined ? { routing: opts.routing } : {}),
    };
    this.store.set(id, doc);
    if (!live) this.liveCount++;
    this.enqueue({ kind: 'upsert', doc, parsed });
    return { doc, result: live ? 'updated' : 'created' };
  }

  remove(id: string, opts: WriteOptions = {}): WriteOutcome {
    const existing = this.store.get(id);
    const live = existing && !existing.deleted ? existing : undefined;
    this.checkSeqNo(id, live, opts);
    const version = this.nextVersion(id, existing, opts);
    const tomb: Tombstone = { id, version, seqNo: ++this.seqNo, primaryTerm: PRIMARY_TERM, deleted: true };
    this.store.set(id, tomb);
    if (live) {
      this.liveCount--;
      this.enqueue({ kind: 'delete', id });
    }
    return { doc: tomb, result: live ? 'deleted' : 'not_found' };
  }

  /** Replays a persisted document without version checks. */
  restore(doc: StoredDoc | Tombstone): void {
    const existing = this.store.get(doc.id);
    const wasLive = existing && !existing.deleted;
    this.store.set(doc.id, doc);
    if (doc.seqNo > this.seqNo) this.seqNo = doc.seqNo;
    if (doc.deleted) {
      if (wasLive) {
        this.liveCount--;
        this.enqueue({ kind: 'delete', id: doc.id });
      }
      return;
    }
    if (!wasLive) this.liveCount++;
    this.enqueue({ kind: 'upsert', doc, parsed: this.mappings.parseDocument(doc.source, doc.id).fields });
  }

  getLive(id: string): StoredDoc | undefined {
    const d = this.store.get(id);
    return d && !d.deleted ? d : undefined;
  }

  private checkSeqNo(id: string, live: StoredDoc | undefined, opts: WriteOptions): void {
    if (opts.ifSeqNo === undefined && opts.ifPrimaryTerm === undefined) return;
    const seq = opts.ifSeqNo ?? -2;
    const term = opts.ifPrimaryTerm ?? 0;
    if (!live)
      throw versionConflict(
        this.name,
        id,
        `required seqNo [${seq}], primary term [${term}]. but no document was found`,
      );
    if (live.seqNo !== seq || live.primaryTerm !== term) {
      throw versionConflict(
        this.name,
        id,
        `required seqNo [${seq}], primary term [${term}]. current document has seqNo [${live.seqNo}] and primary term [${live.primaryTerm}]`,
      );
    }
  }

  private nextVersion(id: string, existing: StoredDoc | Tombstone | undefined, opts: WriteOptions): number {
    const type = opts.versionType ?? 'internal';
    if (type === 'internal') {
      if (opts.version !== undefined) {
        throw new SearchEngineError(
          400,
          'action_request_validation_exception',
          'Validation Failed: 1: internal versioning can not be used for optimistic concurrency control. Please use `if_seq_no` and `if_primary_term` instead;',
        );
      }
      return existing ? existing.version + 1 : 1;
    }
    if (opts.version === undefined) {
      throw new SearchEngineError(
        400,
        'action_request_validation_exception',
        `Validation Failed: 1: illegal version value [-3] for version type [${type}];`,
      );
    }
    if (existing) {
      const current = existing.version;
      if (type === 'external' && current >= opts.version) {
        throw versionConflict(
          this.name,
          id,
          `current version [${current}] is higher or equal to the one provided [${opts.version}]`,
        );
      }
      if (type === 'external_gte' && current > opts.version) {
        throw versionConflict(
          this.name,
          id,
          `current version [${current}] is higher than the one provided [${opts.version}]`,
        );
      }
    }
    return opts.version;
  }

  private enqueue(op: PendingOp): void {
    if (this.pending.length === 0) this.pendingSince = Date.now();
    this.pending.push(op);
  }

  get hasPending(): boolean {
    return this.pending.length > 0;
  }

  /** Refreshes when the periodic refresh (index.refresh_interval, default 1s) would have happened by now. */
  maybeAutoRefresh(now = Date.now()): void {
    if (this.pending.length === 0) return;
    const interval = parseInterval(this.setting('refresh_interval'));
    if (interval >= 0 && now - this.pendingSince >= interval) this.refresh();
  }

  refresh(): void {
    const ops = this.pending;
    if (ops.length === 0) return;
    this.pending = [];
    for (const op of ops) {
      const old = this.idToDoc.get(op.kind === 'upsert' ? op.doc.id : op.id);
      if (old !== undefined) this.unindex(old);
      if (op.kind === 'upsert') this.indexDoc(op.doc, op.parsed);
    }
    if (this.docs.length > 1000 && this.searchableCount * 2 < this.docs.length) this.compact();
  }

  private fieldIndex(leaf: LeafField): FieldIndex {
    let fi = this.fieldIndexes.get(leaf.path);
    if (!fi || fi.leaf !== leaf) {
      if (!fi) {
        fi = new FieldIndex(leaf);
        this.fieldIndexes.set(leaf.path, fi);
      } else (fi as { leaf: LeafField }).leaf = leaf;
    }
    return fi;
  }

  getField(path: string): FieldIndex | undefined {
    const fi = this.fieldIndexes.get(path);
    const leaf = this.mappings.field(path);
    if (fi && leaf && fi.leaf !== leaf) (fi as { leaf: LeafField }).leaf = leaf;
    return fi;
  }

  private indexDoc(doc: StoredDoc, parsed: ParsedField[]): void {
    const num = this.docs.length;
    const live: LiveDoc = { doc, postings: [], freqs: [], fields: [] };
    for (const { field, values: parsedValues } of parsed) {
      let values = parsedValues;
      if (!field.indexed && !field.docValues) continue;
      const fi = this.fieldIndex(field);
      if (field.kind === 'unindexed') {
        fi.lengths[num] = values.length;
        fi.docCount++;
        live.fields.push(fi);
        continue;
      }
      if (field.kind === 'text') {
        const analyzer = this.analyzers.get(field.mapping.analyzer as string | undefined);
        // Postings are appended one document at a time, so "the last entry is this doc" means a repeated term.
        const firstRef = live.postings.length;
        let length = 0;
        let base = 0;
        for (const value of values) {
          const tokens = analyzer(String(value));
          let last = -1;
          for (const t of tokens) {
            const pos = base + t.position;
            const p = this.posting(fi, t.term, true);
            const n = p.docs.length;
            if (n > 0 && p.docs[n - 1] === num) {
              p.freqs[n - 1]++;
              p.positions?.[n - 1].push(pos);
            } else {
              p.docs.push(num);
              p.freqs.push(1);
              p.positions?.push([pos]);
              p.df++;
              live.postings.push(p);
            }
            p.ttf++;
            last = pos;
          }
          length += tokens.length;
          base = (last >= 0 ? last + 1 : base) + POSITION_INCREMENT_GAP;
        }
        for (let i = firstRef; i < live.postings.length; i++) {
          const p = live.postings[i];
          live.freqs.push(p.freqs[p.freqs.length - 1]);
        }
        fi.lengths[num] = length;
        fi.docCount++;
        fi.sumTotalTermFreq += length;
      } else {
        const normalize = field.kind === 'keyword' ? this.analyzers.normalizer(field.mapping.normalizer) : undefined;
        if (normalize) values = values.map((v) => normalize(String(v)));
        if (field.kind === 'keyword' && field.indexed) {
          const unique = new Set(values as string[]);
          for (const term of unique) {
            const p = this.posting(fi, term, false);
            p.docs.push(num);
            p.freqs.push(1);
            p.df++;
            p.ttf++;
            live.postings.push(p);
            live.freqs.push(1);
          }
          fi.sumTotalTermFreq += unique.size;
          fi.lengths[num] = unique.size;
        } else fi.lengths[num] = values.length;
        fi.docCount++;
        fi.values[num] = values;
      }
      live.fields.push(fi);
    }
    this.docs.push(live);
    this.idToDoc.set(doc.id, num);
    this.searchableCount++;
  }

  private posting(fi: FieldIndex, term: string, withPositions: boolean): Posting {
    let p = fi.postings.get(term);
    if (!p) {
      p = { docs: [], freqs: [], positions: withPositions ? [] : null, df: 0, ttf: 0 };
      fi.postings.set(term, p);
    }
    return p;
  }

  private unindex(num: number): void {
    const live = this.docs[num];
    if (!live) return;
    for (let i = 0; i < live.postings.length; i++) {
      const p = live.postings[i];
      p.df--;
      p.ttf -= live.freqs[i];
    }
    for (const fi of live.fields) {
      const len = fi.lengths[num] ?? 0;
      fi.docCount--;
      if (fi.leaf.kind === 'text' || (fi.leaf.kind === 'keyword' && fi.leaf.indexed)) fi.sumTotalTermFreq -= len;
      fi.lengths[num] = undefined;
      fi.values[num] = undefined;
    }
    this.docs[num] = undefined;
    this.idToDoc.delete(live.doc.id);
    this.searchableCount--;
  }

  /** Rebuilds the searchable view without the slots of deleted documents. */
  private compact(): void {
    const liveDocs = this.docs.filter((d): d is LiveDoc => d !== undefined).map((d) => d.doc);
    this.docs.length = 0;
    this.idToDoc.clear();
    this.fieldIndexes.clear();
    this.searchableCount = 0;
    for (const doc of liveDocs) this.indexDoc(doc, this.mappings.parseDocument(doc.source, doc.id).fields);
  }

  /** Number of searchable (refreshed) documents. */
  get searchableDocCount(): number {
    return this.searchableCount;
  }

  docNumOf(id: string): number | undefined {
    return this.idToDoc.get(id);
  }

  *liveDocNums(): Generator<number> {
    for (let i = 0; i < this.docs.length; i++) if (this.docs[i]) yield i;
  }

  fieldPaths(): string[] {
    return [...this.fieldIndexes.keys()];
  }
}

function parseInterval(value: unknown): number {
  if (value === undefined || value === null) return 1000;
  if (typeof value === 'number') return value;
  const m = /^(-?\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(String(value));
  if (!m) return 1000;
  const n = Number(m[1]);
  if (n < 0) return -1;
  const unit = m[2] ?? 'ms';
  return n * (unit === 'ms' ? 1 : unit === 's' ? 1000 : unit === 'm' ? 60_000 : 3_600_000);
}

/** Flattens `{index: {number_of_shards: 1}}` and `{number_of_shards: 1}` into `index.number_of_shards` keys. */
export function normalizeSettings(settings: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const walk = (obj: Record<string, unknown>, prefix: string) => {
    for (const [k, v] of Object.entries(obj)) {
      const key = prefix ? `${prefix}.${k}` : k;
      if (v && typeof v === 'object' && !Array.isArray(v) && key !== 'index.analysis' && key !== 'analysis')
        walk(v as Record<string, unknown>, key);
      else out[key.startsWith('index.') ? key : `index.${key}`] = v;
    }
  };
  walk(settings, '');
  for (const k of ['number_of_shards', 'number_of_replicas']) {
    const v = out[`index.${k}`];
    if (v !== undefined && (Number.isNaN(Number(v)) || Number(v) < (k === 'number_of_shards' ? 1 : 0))) {
      throw badRequest(
        `Failed to parse value [${String(v)}] for setting [index.${k}] must be >= ${k === 'number_of_shards' ? 1 : 0}`,
      );
    }
  }
  return out;
}
