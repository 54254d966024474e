import type { Readable } from 'node:stream';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  PutObjectCommand,
  paginateListObjectsV2,
  type S3Client,
} from '@aws-sdk/client-s3';
import { ObjectNotFoundError, type ObjectStore, type ObjectSummary } from '../../ports/index.js';

function isNotFound(error: unknown): boolean {
  const name = (error as Error).name;
  return name === 'NoSuchKey' || name === 'NotFound';
}

/** CopySource is `bucket/key` URL-encoded, with the key's slashes kept. */
function copySource(bucket: string, key: string): string {
  return `${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
}

/** ObjectStore over S3 (real S3, LocalStack or the embedded emulator). */
export function createS3ObjectStore(client: S3Client): ObjectStore {
  async function getObject(bucket: string, key: string) {
    try {
      return await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    } catch (error) {
      if (isNotFound(error)) throw new ObjectNotFoundError(bucket, key);
      throw error;
    }
  }
  return {
    async put(bucket, key, body, options) {
      await client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: typeof body === 'string' ? Buffer.from(body) : body,
          ContentType: options?.contentType,
        }),
      );
    },
    async get(bucket, key) {
      const out = await getObject(bucket, key);
      const body = out.Body ? await out.Body.transformToByteArray() : new Uint8Array();
      return { body, contentType: out.ContentType };
    },
    async getStream(bucket, key) {
      const out = await getObject(bucket, key);
      // In Node the SDK body is an http.IncomingMessage (a Readable) with the mixin methods added.
      return out.Body as Readable;
    },
    async copy(source, target) {
      try {
        await client.send(
          new CopyObjectCommand({
            Bucket: target.bucket,
            Key: target.key,
            CopySource: copySource(source.bucket, source.key),
          }),
        );
      } catch (error) {
        if (isNotFound(error)) throw new ObjectNotFoundError(source.bucket, source.key);
        throw error;
      }
    },
    async delete(bucket, key) {
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    },
    async *list(bucket, prefix): AsyncIterable<ObjectSummary> {
      for await (const page of paginateListObjectsV2({ client }, { Bucket: bucket, Prefix: prefix || undefined })) {
        for (const object of page.Contents ?? []) {
          if (object.Key !== undefined) yield { key: object.Key, size: object.Size ?? 0 };
        }
      }
    },
  };
}
