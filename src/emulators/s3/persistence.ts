import { createHash } from 'node:crypto';
import { copyFile, mkdir, readdir, readFile, rename, rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { writeJsonAtomic } from './disk.js';
import type { BucketInfo, ObjectVersion, UploadInfo } from './model.js';

/**
 * The S3 store's files: `<root>/buckets/<bucket>/bucket.json`, one sidecar `<keyhash>.json` (every version of the
 * key) and one body file `<keyhash>-<rand>.bin` per version under `objects/`; multipart uploads under
 * `uploads/<id>/`. Whatever cannot be read at start-up is moved under `quarantine/` and reported, never deleted.
 */

export interface KeyEntry {
  key: string;
  /** newest first; versions[0] is the current one (possibly a delete marker) */
  versions: ObjectVersion[];
}

export interface LoadedBucket {
  info: BucketInfo;
  keys: Map<string, KeyEntry>;
}

export interface LoadResult {
  buckets: Map<string, LoadedBucket>;
  uploads: Map<string, UploadInfo>;
  /** one line per quarantined file or folder */
  quarantined: string[];
}

export function keyFileBase(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 40);
}

export async function readJson<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

export async function copyOrRename(from: string, to: string): Promise<void> {
  // tmp/ and the target live on the same filesystem (both under dataDir), so this is a rename.
  try {
    await rename(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    await copyFile(from, to);
    await unlink(from);
  }
}

export async function writeKeyEntry(dir: string, entry: KeyEntry): Promise<void> {
  const file = join(dir, `${keyFileBase(entry.key)}.json`);
  if (entry.versions.length === 0) await rm(file, { force: true });
  else await writeJsonAtomic(file, entry);
}

/** A sidecar written before versioning held one ObjectMeta: it becomes the key's `null` version. */
function toKeyEntry(raw: unknown, defaultOwner: string): KeyEntry | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const r = raw as Partial<KeyEntry> & Partial<ObjectVersion>;
  if (typeof r.key !== 'string') return undefined;
  if (Array.isArray(r.versions)) return { key: r.key, versions: r.versions };
  if (typeof r.etag !== 'string' || typeof r.bodyFile !== 'string') return undefined;
  return { key: r.key, versions: [{ ...(r as ObjectVersion), versionId: 'null', owner: r.owner ?? defaultOwner }] };
}

export async function loadStore(root: string, defaultOwner: string): Promise<LoadResult> {
  const result: LoadResult = { buckets: new Map(), uploads: new Map(), quarantined: [] };
  const quarantineDir = join(root, 'quarantine', new Date().toISOString().replace(/[:.]/g, '-'));
  const quarantine = async (path: string, what: string, name: string) => {
    await mkdir(quarantineDir, { recursive: true });
    const target = join(quarantineDir, name);
    await rename(path, target);
    result.quarantined.push(`${what}: moved to ${target}`);
  };
  for (const name of await readdir(join(root, 'buckets'))) {
    const dir = join(root, 'buckets', name);
    const rawInfo = await readJson<BucketInfo>(join(dir, 'bucket.json'));
    if (!rawInfo || typeof rawInfo.name !== 'string') {
      await quarantine(dir, `bucket ${name}: unreadable bucket.json`, `bucket-${name}`);
      continue;
    }
    const info: BucketInfo = { ...rawInfo, owner: rawInfo.owner ?? defaultOwner };
    const keys = new Map<string, KeyEntry>();
    const objectsDir = join(dir, 'objects');
    const files = await readdir(objectsDir).catch(() => [] as string[]);
    const referenced = new Set<string>();
    const readableBases = new Set<string>();
    const unreadableBases = new Set<string>();
    for (const f of files) {
      if (!f.endsWith('.json')) continue;
      const base = f.slice(0, -5);
      const entry = toKeyEntry(await readJson<unknown>(join(objectsDir, f)), defaultOwner);
      if (!entry) {
        unreadableBases.add(base);
        await quarantine(join(objectsDir, f), `bucket ${name}: unreadable object metadata ${f}`, `${name}-${f}`);
        continue;
      }
      readableBases.add(base);
      keys.set(entry.key, entry);
      for (const v of entry.versions) if (v.bodyFile) referenced.add(v.bodyFile);
    }
    for (const f of files) {
      if (!f.endsWith('.bin') || referenced.has(f)) continue;
      const base = f.slice(0, f.lastIndexOf('-'));
      // A body left behind by a crash between writing a new version and dropping the old one: safe to remove.
      if (readableBases.has(base)) await rm(join(objectsDir, f), { force: true });
      else
        await quarantine(
          join(objectsDir, f),
          `bucket ${name}: body ${f} ${unreadableBases.has(base) ? 'of unreadable metadata' : 'without metadata'}`,
          `${name}-${f}`,
        );
    }
    result.buckets.set(name, { info, keys });
  }
  for (const id of await readdir(join(root, 'uploads'))) {
    const info = await readJson<UploadInfo>(join(root, 'uploads', id, 'upload.json'));
    if (info && typeof info.key === 'string') result.uploads.set(id, { ...info, owner: info.owner ?? defaultOwner });
    else await quarantine(join(root, 'uploads', id), `multipart upload ${id}: unreadable upload.json`, `upload-${id}`);
  }
  return result;
}
