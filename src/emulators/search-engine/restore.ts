/** Rebuilds the indices from the durable state (the snapshot, then the write log replayed in order) and takes the
 * snapshot the engine writes on flush. The file format lives in persistence.ts. */
import type { IndexSnapshot, Persistence } from './persistence.js';
import { IndexShard, type StoredDoc } from './shard.js';

export function restoreIndices(persistence: Persistence, indices: Map<string, IndexShard>): void {
  const { snapshot, log } = persistence.load();
  for (const s of snapshot) {
    const shard = new IndexShard(
      s.name,
      { settings: s.settings, mappings: s.mappings as never },
      { uuid: s.uuid, createdAt: s.createdAt },
    );
    for (const [alias, opts] of Object.entries(s.aliases ?? {})) shard.aliases.set(alias, opts);
    for (const doc of s.docs) shard.restore(doc);
    indices.set(s.name, shard);
  }
  for (const rec of log) {
    switch (rec.op) {
      case 'create':
        indices.set(rec.index, new IndexShard(rec.index, rec.body, { uuid: rec.uuid, createdAt: rec.createdAt }));
        break;
      case 'drop':
        indices.delete(rec.index);
        break;
      case 'mapping':
        indices.get(rec.index)?.putMapping(rec.mappings);
        break;
      case 'doc':
        indices.get(rec.index)?.restore(rec.doc);
        break;
      case 'settings':
        Object.assign(indices.get(rec.index)?.settings ?? {}, rec.settings);
        break;
      case 'alias':
        if (rec.opts === null) indices.get(rec.index)?.aliases.delete(rec.alias);
        else indices.get(rec.index)?.aliases.set(rec.alias, rec.opts);
        break;
    }
  }
  for (const shard of indices.values()) shard.refresh();
}

/** Every index with its live documents, as the snapshot stores them. */
export function snapshotIndices(indices: Iterable<IndexShard>): IndexSnapshot[] {
  return [...indices].map((s) => ({
    name: s.name,
    uuid: s.uuid,
    createdAt: s.createdAt,
    settings: s.settings,
    mappings: s.mappings.toJSON(),
    aliases: Object.fromEntries(s.aliases),
    docs: [...s.store.values()].filter((d): d is StoredDoc => !d.deleted),
  }));
}
