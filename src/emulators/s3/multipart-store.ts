import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { type ChecksumAlgorithm, createHasher } from './checksums.js';
import { streamToFile, writeJsonAtomic } from './disk.js';
import { S3Error, s3Errors } from './errors.js';
import { LIMITS } from './limits.js';
import type { ObjectChecksum, PartInfo, PartSummary, UploadInfo } from './model.js';
import { copyOrRename, readJson } from './persistence.js';
import { type BodyChecks, verifyBody } from './verify.js';

export interface AssembledUpload {
  upload: UploadInfo;
  tmpBody: string;
  size: number;
  etag: string;
  checksum?: ObjectChecksum;
  partList: PartSummary[];
}

/** Multipart uploads on disk (`uploads/<id>/upload.json`, `part-N.bin` + `part-N.json`). */
export class MultipartStore {
  constructor(
    private readonly root: string,
    readonly uploads: Map<string, UploadInfo>,
    private readonly tmpFile: () => string,
  ) {}

  private dir(uploadId: string): string {
    return join(this.root, 'uploads', uploadId);
  }

  async create(info: Omit<UploadInfo, 'uploadId' | 'initiated'>): Promise<UploadInfo> {
    const upload: UploadInfo = {
      ...info,
      uploadId: randomBytes(24).toString('base64url'),
      initiated: new Date().toISOString(),
    };
    await mkdir(this.dir(upload.uploadId), { recursive: true });
    await writeJsonAtomic(join(this.dir(upload.uploadId), 'upload.json'), upload);
    this.uploads.set(upload.uploadId, upload);
    return upload;
  }

  get(bucket: string, key: string, uploadId: string): UploadInfo {
    const u = this.uploads.get(uploadId);
    if (!u || u.bucket !== bucket || u.key !== key) throw s3Errors.noSuchUpload(uploadId);
    return u;
  }

  list(bucket: string): UploadInfo[] {
    return [...this.uploads.values()]
      .filter((u) => u.bucket === bucket)
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.initiated < b.initiated ? -1 : 1));
  }

  hasUploads(bucket: string): boolean {
    for (const u of this.uploads.values()) if (u.bucket === bucket) return true;
    return false;
  }

  async uploadPart(
    upload: UploadInfo,
    partNumber: number,
    body: Readable | Buffer,
    checks: BodyChecks,
  ): Promise<PartInfo> {
    checkPartNumber(partNumber);
    const algorithms: Array<ChecksumAlgorithm | 'MD5'> = ['MD5'];
    const algorithm = checks.checksum?.algorithm ?? upload.checksumAlgorithm;
    if (algorithm) algorithms.push(algorithm);
    if (checks.payloadSha256 && algorithm !== 'SHA256') algorithms.push('SHA256');
    const tmp = this.tmpFile();
    const { size, digests } = await streamToFile(body, tmp, algorithms);
    try {
      verifyBody(size, digests, checks);
      if (size > LIMITS.maxPartSize) throw s3Errors.entityTooLarge(size, LIMITS.maxPartSize);
      if (!this.uploads.has(upload.uploadId)) throw s3Errors.noSuchUpload(upload.uploadId);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
    const part: PartInfo = {
      partNumber,
      etag: `"${digests.MD5!.toString('hex')}"`,
      size,
      lastModified: new Date().toISOString(),
      checksum: algorithm ? digests[algorithm]!.toString('base64') : undefined,
    };
    const dir = this.dir(upload.uploadId);
    await copyOrRename(tmp, join(dir, `part-${partNumber}.bin`));
    await writeJsonAtomic(join(dir, `part-${partNumber}.json`), part);
    return part;
  }

  async listParts(uploadId: string): Promise<PartInfo[]> {
    const dir = this.dir(uploadId);
    const parts: PartInfo[] = [];
    for (const f of await readdir(dir).catch(() => [] as string[])) {
      if (!/^part-\d+\.json$/.test(f)) continue;
      const p = await readJson<PartInfo>(join(dir, f));
      if (p) parts.push(p);
    }
    return parts.sort((a, b) => a.partNumber - b.partNumber);
  }

  /** Checks the requested part list and concatenates the parts into one temporary body file. */
  async assemble(
    upload: UploadInfo,
    requested: Array<{ partNumber: number; etag?: string; checksum?: string }>,
  ): Promise<AssembledUpload> {
    const uploadId = upload.uploadId;
    if (requested.length === 0) throw s3Errors.malformedXml();
    const stored = new Map((await this.listParts(uploadId)).map((p) => [p.partNumber, p]));
    const chosen: PartInfo[] = [];
    let previous = 0;
    for (const r of requested) {
      if (r.partNumber <= previous)
        throw new S3Error(
          'InvalidPartOrder',
          400,
          'The list of parts was not in ascending order. Parts must be ordered by part number.',
          { UploadId: uploadId },
        );
      previous = r.partNumber;
      const p = stored.get(r.partNumber);
      const wantEtag = r.etag ? `"${r.etag.replace(/"/g, '')}"` : undefined;
      if (!p || (wantEtag && wantEtag !== p.etag))
        throw new S3Error(
          'InvalidPart',
          400,
          "One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
          { UploadId: uploadId, PartNumber: String(r.partNumber), ETag: wantEtag ?? '' },
        );
      if (r.checksum && p.checksum && r.checksum !== p.checksum)
        throw new S3Error(
          'BadDigest',
          400,
          `The ${upload.checksumAlgorithm ?? 'checksum'} you specified for part ${r.partNumber} did not match what we received.`,
        );
      chosen.push(p);
    }
    for (const p of chosen.slice(0, -1))
      if (p.size < LIMITS.minPartSize)
        throw new S3Error(
          'EntityTooSmall',
          400,
          'Your proposed upload is smaller than the minimum allowed object size.',
          {
            ProposedSize: String(p.size),
            MinSizeAllowed: String(LIMITS.minPartSize),
            PartNumber: String(p.partNumber),
            ETag: p.etag,
          },
        );
    const tmp = this.tmpFile();
    const fullHasher = upload.checksumAlgorithm ? createHasher(upload.checksumAlgorithm) : undefined;
    const out = createWriteStream(tmp);
    try {
      for (const p of chosen)
        for await (const chunk of createReadStream(join(this.dir(uploadId), `part-${p.partNumber}.bin`))) {
          fullHasher?.update(chunk as Buffer);
          if (!out.write(chunk)) await once(out, 'drain');
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
    return {
      upload,
      tmpBody: tmp,
      size: chosen.reduce((n, p) => n + p.size, 0),
      etag: `"${md5s.digest('hex')}-${chosen.length}"`,
      checksum,
      partList: chosen.map((p) => ({ partNumber: p.partNumber, size: p.size, checksum: p.checksum })),
    };
  }

  async remove(uploadId: string): Promise<void> {
    this.uploads.delete(uploadId);
    await rm(this.dir(uploadId), { recursive: true, force: true });
  }
}

export function checkPartNumber(partNumber: number): void {
  if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > LIMITS.maxParts)
    throw s3Errors.invalidArgument(
      `Part number must be an integer between 1 and ${LIMITS.maxParts}, inclusive`,
      'partNumber',
      String(partNumber),
    );
}
