import { randomBytes, randomUUID } from 'node:crypto';
import type { ReadStream } from 'node:fs';
import { mkdir, open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { logger } from '../../lib/logger.js';
import type { ChecksumAlgorithm } from './checksums.js';
import { KeyedMutex, streamToFile, writeJsonAtomic } from './disk.js';
import { S3Error, s3Errors } from './errors.js';
import { LIMITS } from './limits.js';
import {
  type ListOptions,
  type ListResult,
  listCurrent,
  listVersions,
  type VersionListOptions,
  type VersionListResult,
} from './listing.js';
import type { BucketInfo, ObjectChecksum, ObjectVersion, UploadInfo } from './model.js';
import { MultipartStore } from './multipart-store.js';
import {
  buildNotifications,
  normalizeNotificationConfiguration,
  type S3EventName,
  type S3Notification,
  type S3NotificationConfiguration,
} from './notifications.js';
import { copyOrRename, type KeyEntry, keyFileBase, loadStore, writeKeyEntry } from './persistence.js';
import { type BodyChecks, verifyBody } from './verify.js';

export type { ListOptions, ListResult, VersionListOptions, VersionListResult } from './listing.js';
export type { BucketInfo, ObjectMeta, ObjectVersion, PartInfo, UploadInfo } from './model.js';

/** The fields of a new version that the writer chooses (the rest comes from the body). */
export interface VersionFields {
  owner?: string;
  contentType?: string;
  metadata?: Record<string, string>;
  headers?: Record<string, string>;
  acl?: ObjectVersion['acl'];
  tags?: ObjectVersion['tags'];
  retention?: ObjectVersion['retention'];
  legalHold?: boolean;
  storageClass?: string;
}

export interface WriteOptions extends VersionFields, BodyChecks {
  sourceIp?: string;
  /** checked against the current version under the key's lock, just before the new version is committed */
  precondition?: (current: ObjectVersion | undefined) => void;
}

interface BucketState {
  info: BucketInfo;
  keys: Map<string, KeyEntry>;
  sorted?: string[];
}

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
/** The owner of buckets created in-process (the default account). */
const DEFAULT_OWNER = '75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a';

export function newVersionId(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * S3 semantics on disk (layout in persistence.ts). Metadata is indexed in memory, bodies never are. Versioning:
 * every key keeps its versions newest first; an unversioned or suspended bucket writes the `null` version.
 * Every mutation (HTTP or in-process) emits the bucket's matching notifications.
 */
export class S3ObjectStore {
  private readonly buckets = new Map<string, BucketState>();
  private readonly keyLocks = new KeyedMutex();
  private readonly root: string;
  readonly multipart: MultipartStore;
  /** uploads completed since start-up, so a repeated CompleteMultipartUpload answers as the first did */
  readonly completedUploads = new Map<string, { bucket: string; key: string; version: ObjectVersion }>();
  /** start-up findings: one line per quarantined file (unreadable metadata is moved aside, never deleted) */
  readonly startupReport: string[] = [];

  private constructor(
    dataDir: string,
    private readonly notify: ((n: S3Notification) => void) | undefined,
    readonly region: string,
    readonly defaultOwner: string,
  ) {
    this.root = join(dataDir, 's3');
    this.multipart = new MultipartStore(this.root, new Map(), () => this.tmpFile());
  }

  static async open(opts: {
    dataDir: string;
    notify?: (n: S3Notification) => void;
    region?: string;
    defaultOwner?: string;
  }): Promise<S3ObjectStore> {
    const store = new S3ObjectStore(
      opts.dataDir,
      opts.notify,
      opts.region ?? process.env.AWS_REGION ?? 'us-east-1',
      opts.defaultOwner ?? DEFAULT_OWNER,
    );
    await store.load();
    return store;
  }

  private bucketDir(bucket: string): string {
    return join(this.root, 'buckets', bucket);
  }
  private objectsDir(bucket: string): string {
    return join(this.bucketDir(bucket), 'objects');
  }
  private tmpFile(): string {
    return join(this.root, 'tmp', randomUUID());
  }

  private async load(): Promise<void> {
    await mkdir(join(this.root, 'buckets'), { recursive: true });
    await rm(join(this.root, 'tmp'), { recursive: true, force: true });
    await mkdir(join(this.root, 'tmp'), { recursive: true });
    await mkdir(join(this.root, 'uploads'), { recursive: true });
    const loaded = await loadStore(this.root, this.defaultOwner);
    for (const [name, b] of loaded.buckets) this.buckets.set(name, { info: b.info, keys: b.keys });
    for (const [id, u] of loaded.uploads) this.multipart.uploads.set(id, u);
    for (const line of loaded.quarantined) {
      this.startupReport.push(`s3 quarantined ${line}`);
      logger.warn({ detail: line }, 's3 quarantined unreadable data at start-up');
    }
  }

  // ---- buckets ----

  /** Every bucket, or those of one owner (canonical id), by name. */
  listBuckets(owner?: string): BucketInfo[] {
    return [...this.buckets.values()]
      .map((b) => b.info)
      .filter((b) => owner === undefined || b.owner === owner)
      .sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  /** The bucket's configuration; NoSuchBucket when absent. */
  headBucket(name: string): BucketInfo {
    return this.bucket(name).info;
  }

  hasBucket(name: string): boolean {
    return this.buckets.has(name);
  }

  /** Creates the bucket; BucketAlreadyOwnedByYou (409) if it exists. */
  async createBucket(name: string, init: Partial<BucketInfo> = {}): Promise<BucketInfo> {
    checkBucketName(name);
    if (this.buckets.has(name))
      throw new S3Error(
        'BucketAlreadyOwnedByYou',
        409,
        'Your previous request to create the named bucket succeeded and you already own it.',
        { BucketName: name },
      );
    const info: BucketInfo = { owner: this.defaultOwner, ...init, name, creationDate: new Date().toISOString() };
    this.buckets.set(name, { info, keys: new Map() });
    await mkdir(this.objectsDir(name), { recursive: true });
    await writeJsonAtomic(join(this.bucketDir(name), 'bucket.json'), info);
    return info;
  }

  /** Idempotent createBucket for in-process set-up. */
  async ensureBucket(name: string): Promise<void> {
    if (!this.buckets.has(name)) await this.createBucket(name);
  }

  /** Changes a bucket's configuration and persists it. */
  async updateBucket(name: string, change: (info: BucketInfo) => void): Promise<BucketInfo> {
    const b = this.bucket(name);
    const next = structuredClone(b.info);
    change(next);
    await writeJsonAtomic(join(this.bucketDir(name), 'bucket.json'), next);
    b.info = next;
    return next;
  }

  async deleteBucket(name: string): Promise<void> {
    const b = this.bucket(name);
    if ([...b.keys.values()].some((e) => e.versions.length > 0))
      throw new S3Error('BucketNotEmpty', 409, 'The bucket you tried to delete is not empty', { BucketName: name });
    // Unfinished multipart uploads do not keep a bucket alive (as in S3): they go with it.
    for (const u of this.multipart.list(name)) await this.multipart.remove(u.uploadId);
    this.buckets.delete(name);
    await rm(this.bucketDir(name), { recursive: true, force: true });
  }

  async putNotificationConfiguration(bucket: string, cfg: S3NotificationConfiguration): Promise<void> {
    await this.updateBucket(bucket, (info) => {
      info.notification = normalizeNotificationConfiguration(cfg);
    });
  }

  getNotificationConfiguration(bucket: string): S3NotificationConfiguration {
    return this.bucket(bucket).info.notification ?? {};
  }

  private bucket(name: string): BucketState {
    const b = this.buckets.get(name);
    if (!b) throw s3Errors.noSuchBucket(name);
    return b;
  }

  // ---- objects ----

  /** The current version of a key if it is an object (not a delete marker). */
  headObject(bucket: string, key: string): ObjectVersion | undefined {
    const current = this.bucket(bucket).keys.get(key)?.versions[0];
    return current && !current.deleteMarker ? current : undefined;
  }

  /** The current version (possibly a delete marker), or the given version; undefined when absent. */
  getVersion(bucket: string, key: string, versionId?: string): ObjectVersion | undefined {
    const versions = this.bucket(bucket).keys.get(key)?.versions;
    if (!versions) return undefined;
    return versionId === undefined ? versions[0] : versions.find((v) => v.versionId === versionId);
  }

  /** Whole body in memory: for small objects and in-process callers. */
  async getObject(
    bucket: string,
    key: string,
  ): Promise<
    | { body: Buffer; contentType?: string; etag: string; metadata: Record<string, string>; lastModified: string }
    | undefined
  > {
    const opened = await this.openObject(bucket, key);
    if (!opened) return undefined;
    const chunks: Buffer[] = [];
    for await (const c of opened.stream) chunks.push(c as Buffer);
    const { meta } = opened;
    return {
      body: Buffer.concat(chunks),
      contentType: meta.contentType,
      etag: meta.etag,
      metadata: meta.metadata,
      lastModified: meta.lastModified,
    };
  }

  /** Opens the body file first so a concurrent overwrite cannot pull it away mid-read. */
  async openObject(
    bucket: string,
    key: string,
    range?: { start: number; end: number },
    versionId?: string,
  ): Promise<{ meta: ObjectVersion; stream: ReadStream } | undefined> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const meta = versionId === undefined ? this.headObject(bucket, key) : this.getVersion(bucket, key, versionId);
      if (!meta || meta.deleteMarker) return undefined;
      try {
        const handle = await open(join(this.objectsDir(bucket), meta.bodyFile), 'r');
        const stream = handle.createReadStream({ autoClose: true, ...(range ?? {}) });
        return { meta, stream };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
    return undefined;
  }

  /** In-process PutObject (emits ObjectCreated:Put). */
  async putObject(
    bucket: string,
    key: string,
    body: Buffer | Uint8Array | string | Readable,
    contentType?: string,
  ): Promise<ObjectVersion> {
    return this.writeObject(bucket, key, body, { contentType });
  }

  async writeObject(
    bucket: string,
    key: string,
    body: Buffer | Uint8Array | string | Readable,
    opts: WriteOptions,
    eventName: S3EventName = 'ObjectCreated:Put',
  ): Promise<ObjectVersion> {
    this.bucket(bucket);
    checkKey(key);
    const tmp = this.tmpFile();
    const algorithms = new Set<ChecksumAlgorithm | 'MD5'>(['MD5']);
    if (opts.checksum) algorithms.add(opts.checksum.algorithm);
    if (opts.payloadSha256) algorithms.add('SHA256');
    const { size, digests } = await streamToFile(body, tmp, [...algorithms]);
    try {
      verifyBody(size, digests, opts);
      if (size > LIMITS.maxObjectSize) throw s3Errors.entityTooLarge(size, LIMITS.maxObjectSize);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
    const checksum: ObjectChecksum | undefined = opts.checksum
      ? {
          algorithm: opts.checksum.algorithm,
          value: digests[opts.checksum.algorithm]!.toString('base64'),
          type: 'FULL_OBJECT',
        }
      : undefined;
    const version = this.newVersion(key, opts, { size, etag: `"${digests.MD5!.toString('hex')}"`, checksum });
    return this.commit(bucket, version, tmp, eventName, opts);
  }

  private newVersion(
    key: string,
    fields: VersionFields,
    body: Pick<ObjectVersion, 'size' | 'etag' | 'checksum' | 'parts' | 'partList'>,
  ): ObjectVersion {
    return {
      key,
      versionId: 'null',
      lastModified: new Date().toISOString(),
      owner: fields.owner ?? this.defaultOwner,
      contentType: fields.contentType,
      metadata: fields.metadata ?? {},
      headers: fields.headers ?? {},
      acl: fields.acl,
      tags: fields.tags,
      retention: fields.retention,
      legalHold: fields.legalHold,
      storageClass: fields.storageClass,
      bodyFile: '',
      ...body,
    };
  }

  /**
   * Moves a finished body file into place as the key's new current version: a fresh version id when versioning
   * is enabled, otherwise it replaces the `null` version. Then notifies.
   */
  private async commit(
    bucket: string,
    version: ObjectVersion,
    tmpBody: string | undefined,
    eventName: S3EventName | undefined,
    opts: Pick<WriteOptions, 'precondition' | 'sourceIp'> = {},
  ): Promise<ObjectVersion> {
    const b = this.bucket(bucket);
    const base = keyFileBase(version.key);
    if (tmpBody) version.bodyFile = `${base}-${randomBytes(6).toString('hex')}.bin`;
    try {
      await this.keyLocks.run(`${bucket}/${version.key}`, async () => {
        let entry = b.keys.get(version.key);
        const current = entry?.versions[0];
        opts.precondition?.(current && !current.deleteMarker ? current : undefined);
        const dir = this.objectsDir(bucket);
        if (tmpBody) await copyOrRename(tmpBody, join(dir, version.bodyFile));
        if (!entry) {
          entry = { key: version.key, versions: [] };
          b.keys.set(version.key, entry);
          b.sorted = undefined;
        }
        const dropped: ObjectVersion[] = [];
        const next = [...entry.versions];
        if (b.info.versioning === 'Enabled') version.versionId = newVersionId();
        else {
          version.versionId = 'null';
          const at = next.findIndex((v) => v.versionId === 'null');
          if (at !== -1) dropped.push(...next.splice(at, 1));
        }
        next.unshift(version);
        await writeKeyEntry(dir, { key: version.key, versions: next });
        entry.versions = next;
        for (const d of dropped) if (d.bodyFile) await rm(join(dir, d.bodyFile), { force: true });
      });
    } catch (err) {
      if (tmpBody) await rm(tmpBody, { force: true });
      if (version.bodyFile) await rm(join(this.objectsDir(bucket), version.bodyFile), { force: true });
      throw err;
    }
    if (eventName)
      this.emit(bucket, {
        key: version.key,
        eventName,
        size: version.size,
        etag: version.etag,
        sourceIp: opts.sourceIp,
        versionId: version.versionId,
      });
    return version;
  }

  /** CopyObject / the body of UploadPartCopy: the source version's bytes as a new version of the target key. */
  async copyObject(
    source: ObjectVersion & { bucket: string },
    target: { bucket: string; key: string },
    fields: VersionFields,
    checksumAlgorithm?: ChecksumAlgorithm,
    precondition?: WriteOptions['precondition'],
  ): Promise<ObjectVersion> {
    this.bucket(target.bucket);
    checkKey(target.key);
    const opened = await this.openObject(source.bucket, source.key, undefined, source.versionId);
    if (!opened) throw s3Errors.noSuchKey(source.key);
    const tmp = this.tmpFile();
    const algorithm = checksumAlgorithm ?? opened.meta.checksum?.algorithm;
    const { size, digests } = await streamToFile(opened.stream, tmp, algorithm ? ['MD5', algorithm] : ['MD5']);
    if (size > LIMITS.maxObjectSize) {
      await rm(tmp, { force: true });
      throw s3Errors.entityTooLarge(size, LIMITS.maxObjectSize);
    }
    const version = this.newVersion(target.key, fields, {
      size,
      etag: `"${digests.MD5!.toString('hex')}"`,
      checksum: algorithm
        ? { algorithm, value: digests[algorithm]!.toString('base64'), type: 'FULL_OBJECT' }
        : undefined,
    });
    return this.commit(target.bucket, version, tmp, 'ObjectCreated:Copy', { precondition });
  }

  /** Copies a byte range of a version into a temporary file (UploadPartCopy). */
  async copyRangeToTemp(
    source: ObjectVersion & { bucket: string },
    range: { start: number; end: number } | undefined,
  ): Promise<Readable> {
    const opened = await this.openObject(source.bucket, source.key, range, source.versionId);
    if (!opened) throw s3Errors.noSuchKey(source.key);
    return opened.stream;
  }

  /**
   * DeleteObject. Without a version id: unversioned buckets drop the object, versioned ones add a delete marker
   * (suspended: the `null` delete marker replaces the `null` version). With one: that version is removed for good.
   * `check` may refuse the removal of a version (object lock).
   */
  async deleteObject(
    bucket: string,
    key: string,
    opts: { versionId?: string; sourceIp?: string; owner?: string; check?: (v: ObjectVersion) => void } = {},
  ): Promise<{ deleteMarker: boolean; versionId?: string }> {
    const b = this.bucket(bucket);
    let result: { deleteMarker: boolean; versionId?: string } = { deleteMarker: false };
    let emitted: S3EventName | undefined;
    await this.keyLocks.run(`${bucket}/${key}`, async () => {
      const entry = b.keys.get(key);
      const dir = this.objectsDir(bucket);
      const versions = entry?.versions ?? [];
      if (opts.versionId !== undefined) {
        const at = versions.findIndex((v) => v.versionId === opts.versionId);
        if (at === -1) {
          result = { deleteMarker: false, versionId: opts.versionId };
          return;
        }
        const victim = versions[at];
        opts.check?.(victim);
        const next = versions.filter((_, i) => i !== at);
        await writeKeyEntry(dir, { key, versions: next });
        if (entry) entry.versions = next;
        if (victim.bodyFile) await rm(join(dir, victim.bodyFile), { force: true });
        result = { deleteMarker: Boolean(victim.deleteMarker), versionId: victim.versionId };
        emitted = 'ObjectRemoved:Delete';
        return;
      }
      const status = b.info.versioning;
      if (!status) {
        const current = versions[0];
        if (!current) return;
        opts.check?.(current);
        await writeKeyEntry(dir, { key, versions: [] });
        b.keys.delete(key);
        b.sorted = undefined;
        if (current.bodyFile) await rm(join(dir, current.bodyFile), { force: true });
        emitted = 'ObjectRemoved:Delete';
        return;
      }
      const marker: ObjectVersion = {
        ...this.newVersion(key, { owner: opts.owner }, { size: 0, etag: '' }),
        deleteMarker: true,
        versionId: status === 'Enabled' ? newVersionId() : 'null',
      };
      let next = [...versions];
      const dropped = status === 'Suspended' ? next.filter((v) => v.versionId === 'null') : [];
      next = next.filter((v) => !dropped.includes(v));
      next.unshift(marker);
      await writeKeyEntry(dir, { key, versions: next });
      if (entry) entry.versions = next;
      else {
        b.keys.set(key, { key, versions: next });
        b.sorted = undefined;
      }
      for (const d of dropped) if (d.bodyFile) await rm(join(dir, d.bodyFile), { force: true });
      result = { deleteMarker: true, versionId: marker.versionId };
      emitted = 'ObjectRemoved:DeleteMarkerCreated';
    });
    if (emitted) this.emit(bucket, { key, eventName: emitted, sourceIp: opts.sourceIp, versionId: result.versionId });
    return result;
  }

  /** Changes a version's sub-resources (ACL, tags, retention, legal hold) in place. */
  async updateVersion(
    bucket: string,
    key: string,
    versionId: string | undefined,
    change: (v: ObjectVersion) => void,
  ): Promise<ObjectVersion> {
    const b = this.bucket(bucket);
    return this.keyLocks.run(`${bucket}/${key}`, async () => {
      const entry = b.keys.get(key);
      const at = entry
        ? versionId === undefined
          ? 0
          : entry.versions.findIndex((v) => v.versionId === versionId)
        : -1;
      const found = entry && at !== -1 ? entry.versions[at] : undefined;
      if (!entry || !found) throw versionId ? s3Errors.noSuchVersion(key, versionId) : s3Errors.noSuchKey(key);
      if (found.deleteMarker)
        throw versionId
          ? s3Errors.methodNotAllowed('PUT', 'DeleteMarker')
          : new S3Error('NoSuchKey', 404, 'The specified key does not exist.', { Key: key });
      const updated = structuredClone(found);
      change(updated);
      const next = entry.versions.map((v, i) => (i === at ? updated : v));
      await writeKeyEntry(this.objectsDir(bucket), { key, versions: next });
      entry.versions = next;
      return updated;
    });
  }

  listObjects(bucket: string, opts: ListOptions = {}): ListResult {
    const b = this.bucket(bucket);
    return listCurrent(this.sortedKeys(b), b.keys, opts);
  }

  listObjectVersions(bucket: string, opts: VersionListOptions = {}): VersionListResult {
    const b = this.bucket(bucket);
    return listVersions(this.sortedKeys(b), b.keys, opts);
  }

  private sortedKeys(b: BucketState): string[] {
    b.sorted ??= [...b.keys.keys()].sort();
    return b.sorted;
  }

  // ---- multipart ----

  async createMultipartUpload(
    bucket: string,
    key: string,
    opts: Omit<UploadInfo, 'uploadId' | 'bucket' | 'key' | 'initiated' | 'owner'> & { owner?: string },
  ): Promise<UploadInfo> {
    this.bucket(bucket);
    checkKey(key);
    return this.multipart.create({ ...opts, owner: opts.owner ?? this.defaultOwner, bucket, key });
  }

  getUpload(bucket: string, key: string, uploadId: string): UploadInfo {
    this.bucket(bucket);
    return this.multipart.get(bucket, key, uploadId);
  }

  listUploads(bucket: string): UploadInfo[] {
    this.bucket(bucket);
    return this.multipart.list(bucket);
  }

  async uploadPart(
    bucket: string,
    key: string,
    uploadId: string,
    partNumber: number,
    body: Readable | Buffer,
    checks: BodyChecks,
  ) {
    return this.multipart.uploadPart(this.getUpload(bucket, key, uploadId), partNumber, body, checks);
  }

  async listParts(bucket: string, key: string, uploadId: string) {
    this.getUpload(bucket, key, uploadId);
    return this.multipart.listParts(uploadId);
  }

  async completeMultipartUpload(
    bucket: string,
    key: string,
    uploadId: string,
    requested: Array<{ partNumber: number; etag?: string; checksum?: string }>,
    opts: Pick<WriteOptions, 'precondition' | 'sourceIp'> & { expectedChecksum?: string } = {},
  ): Promise<ObjectVersion> {
    this.bucket(bucket);
    const done = this.completedUploads.get(uploadId);
    if (done && done.bucket === bucket && done.key === key) return done.version;
    const upload = this.multipart.get(bucket, key, uploadId);
    const assembled = await this.multipart.assemble(upload, requested);
    const claimed = opts.expectedChecksum;
    if (
      claimed !== undefined &&
      claimed !== assembled.checksum?.value &&
      `${claimed}-${requested.length}` !== assembled.checksum?.value
    ) {
      await rm(assembled.tmpBody, { force: true });
      throw s3Errors.badDigest(upload.checksumAlgorithm ?? 'checksum');
    }
    const version = this.newVersion(key, upload, {
      size: assembled.size,
      etag: assembled.etag,
      checksum: assembled.checksum,
      parts: assembled.partList.length,
      partList: assembled.partList,
    });
    const committed = await this.commit(
      bucket,
      version,
      assembled.tmpBody,
      'ObjectCreated:CompleteMultipartUpload',
      opts,
    );
    this.completedUploads.set(uploadId, { bucket, key, version: committed });
    await this.multipart.remove(uploadId);
    return committed;
  }

  async abortMultipartUpload(bucket: string, key: string, uploadId: string): Promise<void> {
    this.getUpload(bucket, key, uploadId);
    await this.multipart.remove(uploadId);
  }

  // ---- notifications ----

  private emit(
    bucket: string,
    ev: { key: string; eventName: S3EventName; size?: number; etag?: string; sourceIp?: string; versionId?: string },
  ): void {
    if (!this.notify) return;
    const cfg = this.buckets.get(bucket)?.info.notification;
    for (const n of buildNotifications(cfg, { ...ev, bucket, region: this.region })) {
      try {
        this.notify(n);
      } catch (err) {
        logger.error({ err, bucket, key: ev.key, destination: n.destinationArn }, 's3 notification callback failed');
      }
    }
  }
}

export function checkBucketName(name: string): void {
  if (!BUCKET_NAME.test(name) || name.includes('..') || /^\d+\.\d+\.\d+\.\d+$/.test(name))
    throw new S3Error('InvalidBucketName', 400, 'The specified bucket is not valid.', { BucketName: name });
}

export function checkKey(key: string): void {
  if (!key) throw s3Errors.invalidArgument('Object key must not be empty', 'key', '');
  if (Buffer.byteLength(key) > LIMITS.maxKeyBytes)
    throw new S3Error('KeyTooLongError', 400, 'Your key is too long', {
      MaxSizeAllowed: String(LIMITS.maxKeyBytes),
      Size: String(Buffer.byteLength(key)),
    });
}
