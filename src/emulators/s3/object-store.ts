import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, type ReadStream } from 'node:fs';
import { copyFile, mkdir, open, readdir, readFile, rename, rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { logger } from '../../lib/logger.js';
import { type ChecksumAlgorithm, createHasher } from './checksums.js';
import { type Digests, KeyedMutex, streamToFile, writeJsonAtomic } from './disk.js';
import { S3Error, s3Errors } from './errors.js';
import {
  buildNotifications,
  normalizeNotificationConfiguration,
  type S3EventName,
  type S3Notification,
  type S3NotificationConfiguration,
} from './notifications.js';

export interface ObjectChecksum {
  algorithm: ChecksumAlgorithm;
  /** base64; composite multipart checksums end in `-N` */
  value: string;
  type: 'FULL_OBJECT' | 'COMPOSITE';
}

export interface ObjectMeta {
  key: string;
  size: number;
  /** quoted, as S3 sends it: `"md5hex"` or `"md5-of-md5s-N"` */
  etag: string;
  lastModified: string;
  contentType?: string;
  /** x-amz-meta-* without the prefix, lower-case names */
  metadata: Record<string, string>;
  /** stored representation headers: cache-control, content-disposition, content-encoding, content-language, expires */
  headers: Record<string, string>;
  checksum?: ObjectChecksum;
  parts?: number;
  /** body file name inside the bucket's objects folder */
  bodyFile: string;
}

export interface WriteOptions {
  contentType?: string;
  metadata?: Record<string, string>;
  headers?: Record<string, string>;
  /** base64 Content-MD5 to verify */
  contentMd5?: string;
  /** checksum to compute; `expected()` is read after the body ended (trailers arrive last) */
  checksum?: { algorithm: ChecksumAlgorithm; expected: () => string | undefined };
  /** x-amz-decoded-content-length / content-length to verify */
  expectedSize?: number;
  sourceIp?: string;
}

export interface BucketInfo {
  name: string;
  creationDate: string;
  notification?: S3NotificationConfiguration;
}

export interface ListOptions {
  prefix?: string;
  delimiter?: string;
  maxKeys?: number;
  /** exclusive: list keys (and common prefixes) strictly after this */
  startAfter?: string;
}

export interface ListResult {
  contents: ObjectMeta[];
  commonPrefixes: string[];
  isTruncated: boolean;
  /** last key or common prefix returned (for continuation) */
  lastReturned?: string;
}

export interface UploadInfo {
  uploadId: string;
  bucket: string;
  key: string;
  initiated: string;
  contentType?: string;
  metadata: Record<string, string>;
  headers: Record<string, string>;
  checksumAlgorithm?: ChecksumAlgorithm;
  checksumType?: 'FULL_OBJECT' | 'COMPOSITE';
}

export interface PartInfo {
  partNumber: number;
  etag: string;
  size: number;
  lastModified: string;
  checksum?: string;
}

interface BucketState extends BucketInfo {
  objects: Map<string, ObjectMeta>;
  sorted?: string[];
}

const MIN_PART_SIZE = 5 * 1024 * 1024;
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * S3 semantics on disk: `${dataDir}/s3/buckets/<bucket>/bucket.json`, one JSON sidecar + one body file per key
 * under `objects/`, multipart uploads under `uploads/<id>/`. Metadata is indexed in memory, bodies never are.
 * Every mutation (HTTP or in-process) emits the bucket's matching notifications.
 */
export class S3ObjectStore {
  private readonly buckets = new Map<string, BucketState>();
  private readonly uploads = new Map<string, UploadInfo>();
  private readonly keyLocks = new KeyedMutex();
  private readonly root: string;

  private constructor(
    dataDir: string,
    private readonly notify: ((n: S3Notification) => void) | undefined,
    readonly region: string,
  ) {
    this.root = join(dataDir, 's3');
  }

  static async open(opts: {
    dataDir: string;
    notify?: (n: S3Notification) => void;
    region?: string;
  }): Promise<S3ObjectStore> {
    const store = new S3ObjectStore(opts.dataDir, opts.notify, opts.region ?? process.env.AWS_REGION ?? 'us-east-1');
    await store.load();
    return store;
  }

  private bucketDir(bucket: string): string {
    return join(this.root, 'buckets', bucket);
  }
  private objectsDir(bucket: string): string {
    return join(this.bucketDir(bucket), 'objects');
  }
  private uploadDir(uploadId: string): string {
    return join(this.root, 'uploads', uploadId);
  }
  private tmpFile(): string {
    return join(this.root, 'tmp', randomUUID());
  }

  private async load(): Promise<void> {
    await mkdir(join(this.root, 'buckets'), { recursive: true });
    await rm(join(this.root, 'tmp'), { recursive: true, force: true });
    await mkdir(join(this.root, 'tmp'), { recursive: true });
    await mkdir(join(this.root, 'uploads'), { recursive: true });
    for (const name of await readdir(join(this.root, 'buckets'))) {
      const info = await readJson<BucketInfo>(join(this.bucketDir(name), 'bucket.json'));
      if (!info) continue;
      const state: BucketState = { ...info, objects: new Map() };
      const files = await readdir(this.objectsDir(name)).catch(() => [] as string[]);
      const referenced = new Set<string>();
      for (const f of files) {
        if (!f.endsWith('.json')) continue;
        const meta = await readJson<ObjectMeta>(join(this.objectsDir(name), f));
        if (!meta) continue;
        state.objects.set(meta.key, meta);
        referenced.add(meta.bodyFile);
      }
      // Bodies left behind by a crash between writing a new version and dropping the old one.
      for (const f of files)
        if (f.endsWith('.bin') && !referenced.has(f)) await rm(join(this.objectsDir(name), f), { force: true });
      this.buckets.set(name, state);
    }
    for (const id of await readdir(join(this.root, 'uploads'))) {
      const info = await readJson<UploadInfo>(join(this.uploadDir(id), 'upload.json'));
      if (info) this.uploads.set(id, info);
    }
  }

  // ---- buckets ----

  listBuckets(): BucketInfo[] {
    return [...this.buckets.values()]
      .map(({ name, creationDate }) => ({ name, creationDate }))
      .sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  headBucket(name: string): BucketInfo {
    const b = this.buckets.get(name);
    if (!b) throw s3Errors.noSuchBucket(name);
    return { name: b.name, creationDate: b.creationDate, notification: b.notification };
  }

  hasBucket(name: string): boolean {
    return this.buckets.has(name);
  }

  /** Creates the bucket; BucketAlreadyOwnedByYou (409) if it exists. */
  async createBucket(name: string): Promise<void> {
    if (!BUCKET_NAME.test(name) || name.includes('..') || /^\d+\.\d+\.\d+\.\d+$/.test(name))
      throw new S3Error('InvalidBucketName', 400, 'The specified bucket is not valid.', { BucketName: name });
    if (this.buckets.has(name))
      throw new S3Error(
        'BucketAlreadyOwnedByYou',
        409,
        'Your previous request to create the named bucket succeeded and you already own it.',
        { BucketName: name },
      );
    const info: BucketInfo = { name, creationDate: new Date().toISOString() };
    this.buckets.set(name, { ...info, objects: new Map() });
    await mkdir(this.objectsDir(name), { recursive: true });
    await writeJsonAtomic(join(this.bucketDir(name), 'bucket.json'), info);
  }

  /** Idempotent createBucket for in-process set-up. */
  async ensureBucket(name: string): Promise<void> {
    if (!this.buckets.has(name)) await this.createBucket(name);
  }

  async deleteBucket(name: string): Promise<void> {
    const b = this.bucket(name);
    if (b.objects.size > 0 || [...this.uploads.values()].some((u) => u.bucket === name))
      throw new S3Error('BucketNotEmpty', 409, 'The bucket you tried to delete is not empty', { BucketName: name });
    this.buckets.delete(name);
    await rm(this.bucketDir(name), { recursive: true, force: true });
  }

  async putNotificationConfiguration(bucket: string, cfg: S3NotificationConfiguration): Promise<void> {
    const b = this.bucket(bucket);
    b.notification = normalizeNotificationConfiguration(cfg);
    await writeJsonAtomic(join(this.bucketDir(bucket), 'bucket.json'), {
      name: b.name,
      creationDate: b.creationDate,
      notification: b.notification,
    } satisfies BucketInfo);
  }

  getNotificationConfiguration(bucket: string): S3NotificationConfiguration {
    return this.bucket(bucket).notification ?? {};
  }

  private bucket(name: string): BucketState {
    const b = this.buckets.get(name);
    if (!b) throw s3Errors.noSuchBucket(name);
    return b;
  }

  // ---- objects ----

  headObject(bucket: string, key: string): ObjectMeta | undefined {
    return this.bucket(bucket).objects.get(key);
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
  ): Promise<{ meta: ObjectMeta; stream: ReadStream } | undefined> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const meta = this.headObject(bucket, key);
      if (!meta) return undefined;
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
  ): Promise<ObjectMeta> {
    return this.writeObject(bucket, key, body, { contentType });
  }

  async writeObject(
    bucket: string,
    key: string,
    body: Buffer | Uint8Array | string | Readable,
    opts: WriteOptions,
    eventName: S3EventName = 'ObjectCreated:Put',
  ): Promise<ObjectMeta> {
    this.bucket(bucket);
    checkKey(key);
    const tmp = this.tmpFile();
    const algorithms: Array<ChecksumAlgorithm | 'MD5'> = ['MD5'];
    if (opts.checksum) algorithms.push(opts.checksum.algorithm);
    const { size, digests } = await streamToFile(body, tmp, algorithms);
    try {
      verifyBody(size, digests, opts);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
    const meta: ObjectMeta = {
      key,
      size,
      etag: `"${digests.MD5!.toString('hex')}"`,
      lastModified: new Date().toISOString(),
      contentType: opts.contentType,
      metadata: opts.metadata ?? {},
      headers: opts.headers ?? {},
      checksum: opts.checksum
        ? {
            algorithm: opts.checksum.algorithm,
            value: digests[opts.checksum.algorithm]!.toString('base64'),
            type: 'FULL_OBJECT',
          }
        : undefined,
      bodyFile: '',
    };
    return this.commit(bucket, meta, tmp, eventName, opts.sourceIp);
  }

  /** Moves a finished body file into place, writes the sidecar, drops the previous version, notifies. */
  private async commit(
    bucket: string,
    meta: ObjectMeta,
    tmpBody: string,
    eventName: S3EventName,
    sourceIp?: string,
  ): Promise<ObjectMeta> {
    const b = this.bucket(bucket);
    const base = keyFileBase(meta.key);
    meta.bodyFile = `${base}-${randomBytes(6).toString('hex')}.bin`;
    await this.keyLocks.run(`${bucket}/${meta.key}`, async () => {
      const dir = this.objectsDir(bucket);
      await copyOrRename(tmpBody, join(dir, meta.bodyFile));
      await writeJsonAtomic(join(dir, `${base}.json`), meta);
      const previous = b.objects.get(meta.key);
      if (!previous) b.sorted = undefined;
      b.objects.set(meta.key, meta);
      if (previous) await rm(join(dir, previous.bodyFile), { force: true });
    });
    this.emit(bucket, { key: meta.key, eventName, size: meta.size, etag: meta.etag, sourceIp });
    return meta;
  }

  async copyObject(
    source: { bucket: string; key: string },
    target: { bucket: string; key: string },
    replace?: { contentType?: string; metadata: Record<string, string>; headers: Record<string, string> },
    checksumAlgorithm?: ChecksumAlgorithm,
  ): Promise<ObjectMeta> {
    this.bucket(target.bucket);
    checkKey(target.key);
    const opened = await this.openObject(source.bucket, source.key);
    if (!opened) throw s3Errors.noSuchKey(source.key);
    const tmp = this.tmpFile();
    const algorithm = checksumAlgorithm ?? opened.meta.checksum?.algorithm;
    const { size, digests } = await streamToFile(opened.stream, tmp, algorithm ? ['MD5', algorithm] : ['MD5']);
    const src = opened.meta;
    const meta: ObjectMeta = {
      key: target.key,
      size,
      etag: `"${digests.MD5!.toString('hex')}"`,
      lastModified: new Date().toISOString(),
      contentType: replace ? replace.contentType : src.contentType,
      metadata: replace ? replace.metadata : { ...src.metadata },
      headers: replace ? replace.headers : { ...src.headers },
      checksum: algorithm
        ? { algorithm, value: digests[algorithm]!.toString('base64'), type: 'FULL_OBJECT' }
        : undefined,
      bodyFile: '',
    };
    return this.commit(target.bucket, meta, tmp, 'ObjectCreated:Copy');
  }

  /** Returns whether the key existed (S3 answers 204 either way). */
  async deleteObject(bucket: string, key: string, sourceIp?: string): Promise<boolean> {
    const b = this.bucket(bucket);
    let existed = false;
    await this.keyLocks.run(`${bucket}/${key}`, async () => {
      const meta = b.objects.get(key);
      if (!meta) return;
      existed = true;
      b.objects.delete(key);
      b.sorted = undefined;
      await rm(join(this.objectsDir(bucket), `${keyFileBase(key)}.json`), { force: true });
      await rm(join(this.objectsDir(bucket), meta.bodyFile), { force: true });
    });
    if (existed) this.emit(bucket, { key, eventName: 'ObjectRemoved:Delete', sourceIp });
    return existed;
  }

  listObjects(bucket: string, opts: ListOptions = {}): ListResult {
    const b = this.bucket(bucket);
    if (!b.sorted) b.sorted = [...b.objects.keys()].sort(compareKeys);
    const keys = b.sorted;
    const prefix = opts.prefix ?? '';
    const maxKeys = opts.maxKeys ?? 1000;
    const result: ListResult = { contents: [], commonPrefixes: [], isTruncated: false };
    const after = opts.startAfter && opts.startAfter > prefix ? opts.startAfter : undefined;
    let i = lowerBound(keys, after ?? prefix);
    for (; i < keys.length; i++) {
      const key = keys[i];
      if (after !== undefined && key <= after) continue;
      if (!key.startsWith(prefix)) {
        if (key > prefix) break;
        continue;
      }
      let common: string | undefined;
      if (opts.delimiter) {
        const at = key.indexOf(opts.delimiter, prefix.length);
        if (at !== -1) common = key.slice(0, at + opts.delimiter.length);
      }
      // Resuming after a common prefix: everything inside it was already rolled up.
      if (common !== undefined && after !== undefined && common === after) continue;
      if (common !== undefined && result.commonPrefixes[result.commonPrefixes.length - 1] === common) continue;
      if (result.contents.length + result.commonPrefixes.length >= maxKeys) {
        result.isTruncated = true;
        break;
      }
      if (common !== undefined) {
        result.commonPrefixes.push(common);
        result.lastReturned = common;
      } else {
        result.contents.push(b.objects.get(key)!);
        result.lastReturned = key;
      }
    }
    return result;
  }

  // ---- multipart ----

  async createMultipartUpload(
    bucket: string,
    key: string,
    opts: Omit<UploadInfo, 'uploadId' | 'bucket' | 'key' | 'initiated'>,
  ): Promise<UploadInfo> {
    this.bucket(bucket);
    checkKey(key);
    const info: UploadInfo = {
      uploadId: randomBytes(24).toString('base64url'),
      bucket,
      key,
      initiated: new Date().toISOString(),
      ...opts,
    };
    await mkdir(this.uploadDir(info.uploadId), { recursive: true });
    await writeJsonAtomic(join(this.uploadDir(info.uploadId), 'upload.json'), info);
    this.uploads.set(info.uploadId, info);
    return info;
  }

  getUpload(bucket: string, key: string, uploadId: string): UploadInfo {
    this.bucket(bucket);
    const u = this.uploads.get(uploadId);
    if (!u || u.bucket !== bucket || u.key !== key) throw s3Errors.noSuchUpload(uploadId);
    return u;
  }

  listUploads(bucket: string): UploadInfo[] {
    this.bucket(bucket);
    return [...this.uploads.values()].filter((u) => u.bucket === bucket).sort((a, b) => compareKeys(a.key, b.key));
  }

  async uploadPart(
    bucket: string,
    key: string,
    uploadId: string,
    partNumber: number,
    body: Readable | Buffer,
    opts: Pick<WriteOptions, 'contentMd5' | 'checksum' | 'expectedSize'>,
  ): Promise<PartInfo> {
    const upload = this.getUpload(bucket, key, uploadId);
    if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > 10000)
      throw s3Errors.invalidArgument(
        'Part number must be an integer between 1 and 10000, inclusive',
        'partNumber',
        String(partNumber),
      );
    const algorithms: Array<ChecksumAlgorithm | 'MD5'> = ['MD5'];
    const algorithm = opts.checksum?.algorithm ?? upload.checksumAlgorithm;
    if (algorithm) algorithms.push(algorithm);
    const dir = this.uploadDir(uploadId);
    const tmp = this.tmpFile();
    const { size, digests } = await streamToFile(body, tmp, algorithms);
    try {
      verifyBody(size, digests, opts);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
    if (!this.uploads.has(uploadId)) {
      await rm(tmp, { force: true });
      throw s3Errors.noSuchUpload(uploadId);
    }
    const part: PartInfo = {
      partNumber,
      etag: `"${digests.MD5!.toString('hex')}"`,
      size,
      lastModified: new Date().toISOString(),
      checksum: algorithm ? digests[algorithm]!.toString('base64') : undefined,
    };
    await copyOrRename(tmp, join(dir, `part-${partNumber}.bin`));
    await writeJsonAtomic(join(dir, `part-${partNumber}.json`), part);
    return part;
  }

  async listParts(bucket: string, key: string, uploadId: string): Promise<PartInfo[]> {
    this.getUpload(bucket, key, uploadId);
    const dir = this.uploadDir(uploadId);
    const parts: PartInfo[] = [];
    for (const f of await readdir(dir)) {
      if (!/^part-\d+\.json$/.test(f)) continue;
      const p = await readJson<PartInfo>(join(dir, f));
      if (p) parts.push(p);
    }
    return parts.sort((a, b) => a.partNumber - b.partNumber);
  }

  async completeMultipartUpload(
    bucket: string,
    key: string,
    uploadId: string,
    requested: Array<{ partNumber: number; etag?: string; checksum?: string }>,
    sourceIp?: string,
  ): Promise<ObjectMeta> {
    const upload = this.getUpload(bucket, key, uploadId);
    if (requested.length === 0)
      throw new S3Error(
        'MalformedXML',
        400,
        'The XML you provided was not well-formed or did not validate against our published schema',
      );
    const stored = new Map((await this.listParts(bucket, key, uploadId)).map((p) => [p.partNumber, p]));
    const chosen: PartInfo[] = [];
    let previous = 0;
    for (const r of requested) {
      if (r.partNumber <= previous)
        throw new S3Error(
          'InvalidPartOrder',
          400,
          'The list of parts was not in ascending order. Parts must be ordered by part number.',
          {
            UploadId: uploadId,
          },
        );
      previous = r.partNumber;
      const p = stored.get(r.partNumber);
      const wantEtag = r.etag ? `"${r.etag.replace(/"/g, '')}"` : undefined;
      if (!p || (wantEtag && wantEtag !== p.etag) || (r.checksum && p.checksum && r.checksum !== p.checksum))
        throw new S3Error(
          'InvalidPart',
          400,
          "One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
          { UploadId: uploadId, PartNumber: String(r.partNumber), ETag: wantEtag ?? '' },
        );
      chosen.push(p);
    }
    for (const p of chosen.slice(0, -1))
      if (p.size < MIN_PART_SIZE)
        throw new S3Error(
          'EntityTooSmall',
          400,
          'Your proposed upload is smaller than the minimum allowed object size.',
          {
            ProposedSize: String(p.size),
            MinSizeAllowed: String(MIN_PART_SIZE),
            PartNumber: String(p.partNumber),
            ETag: p.etag,
          },
        );
    // Concatenate the parts into one body file, computing a full-object checksum on the way.
    const tmp = this.tmpFile();
    const fullHasher = upload.checksumAlgorithm ? createHasher(upload.checksumAlgorithm) : undefined;
    const out = createWriteStream(tmp);
    try {
      for (const p of chosen) {
        const src = createReadStream(join(this.uploadDir(uploadId), `part-${p.partNumber}.bin`));
        if (fullHasher) src.on('data', (c) => fullHasher.update(c as Buffer));
        await pipeline(src, out, { end: false });
      }
      await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
    } catch (err) {
      out.destroy();
      await rm(tmp, { force: true });
      throw err;
    }
    const md5s = createHash('md5');
    for (const p of chosen) md5s.update(Buffer.from(p.etag.replace(/"/g, ''), 'hex'));
    let checksum: ObjectChecksum | undefined;
    if (upload.checksumAlgorithm) {
      if (upload.checksumType === 'FULL_OBJECT')
        checksum = {
          algorithm: upload.checksumAlgorithm,
          value: fullHasher!.digest().toString('base64'),
          type: 'FULL_OBJECT',
        };
      else if (chosen.every((p) => p.checksum)) {
        const composite = createHasher(upload.checksumAlgorithm);
        for (const p of chosen) composite.update(Buffer.from(p.checksum!, 'base64'));
        checksum = {
          algorithm: upload.checksumAlgorithm,
          value: `${composite.digest().toString('base64')}-${chosen.length}`,
          type: 'COMPOSITE',
        };
      }
    }
    const meta: ObjectMeta = {
      key,
      size: chosen.reduce((n, p) => n + p.size, 0),
      etag: `"${md5s.digest('hex')}-${chosen.length}"`,
      lastModified: new Date().toISOString(),
      contentType: upload.contentType,
      metadata: upload.metadata,
      headers: upload.headers,
      checksum,
      parts: chosen.length,
      bodyFile: '',
    };
    this.uploads.delete(uploadId);
    const committed = await this.commit(bucket, meta, tmp, 'ObjectCreated:CompleteMultipartUpload', sourceIp);
    await rm(this.uploadDir(uploadId), { recursive: true, force: true });
    return committed;
  }

  async abortMultipartUpload(bucket: string, key: string, uploadId: string): Promise<void> {
    this.getUpload(bucket, key, uploadId);
    this.uploads.delete(uploadId);
    await rm(this.uploadDir(uploadId), { recursive: true, force: true });
  }

  // ---- notifications ----

  private emit(
    bucket: string,
    ev: { key: string; eventName: S3EventName; size?: number; etag?: string; sourceIp?: string },
  ): void {
    if (!this.notify) return;
    const cfg = this.buckets.get(bucket)?.notification;
    for (const n of buildNotifications(cfg, { ...ev, bucket, region: this.region })) {
      try {
        this.notify(n);
      } catch (err) {
        logger.error({ err, bucket, key: ev.key, destination: n.destinationArn }, 's3 notification callback failed');
      }
    }
  }
}

function checkKey(key: string): void {
  if (!key) throw s3Errors.invalidArgument('Object key must not be empty', 'key', '');
  if (Buffer.byteLength(key) > 1024)
    throw new S3Error('KeyTooLongError', 400, 'Your key is too long', { Key: key.slice(0, 64) });
}

function verifyBody(
  size: number,
  digests: Digests,
  opts: Pick<WriteOptions, 'contentMd5' | 'checksum' | 'expectedSize'>,
): void {
  if (opts.expectedSize !== undefined && size !== opts.expectedSize)
    throw new S3Error(
      'IncompleteBody',
      400,
      'You did not provide the number of bytes specified by the Content-Length HTTP header',
    );
  if (opts.contentMd5 !== undefined) {
    if (Buffer.from(opts.contentMd5, 'base64').length !== 16)
      throw new S3Error('InvalidDigest', 400, 'The Content-MD5 you specified is not valid.');
    if (digests.MD5!.toString('base64') !== opts.contentMd5) throw s3Errors.badDigest('Content-MD5');
  }
  if (opts.checksum) {
    const expected = opts.checksum.expected();
    if (expected !== undefined && digests[opts.checksum.algorithm]!.toString('base64') !== expected)
      throw s3Errors.badDigest(opts.checksum.algorithm);
  }
}

/** S3 orders keys by UTF-8 bytes; UTF-16 comparison matches it except for astral vs. U+E000..U+FFFF. */
function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function lowerBound(sorted: string[], value: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function keyFileBase(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 40);
}

async function copyOrRename(from: string, to: string): Promise<void> {
  // tmp/ and the target live on the same filesystem (both under dataDir), so this is a rename.
  try {
    await rename(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    await copyFile(from, to);
    await unlink(from);
  }
}

async function readJson<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}
