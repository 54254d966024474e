import { createHash, createHmac, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { S3Error } from './errors.js';

/** What SigV4 chunk signatures chain from (STREAMING-AWS4-HMAC-SHA256-PAYLOAD): the seed is the request's. */
export interface ChunkSigning {
  signingKey: Buffer;
  seedSignature: string;
  amzDate: string;
  scope: string;
}

const EMPTY_SHA256 = createHash('sha256').digest('hex');

/**
 * Decodes an `aws-chunked` body (STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]):
 * `hex-size[;chunk-signature=..]\r\n data \r\n ... 0[;..]\r\n [trailer:value\r\n]* \r\n`.
 * With `signing`, every chunk signature is checked against the chain that starts at the request's signature
 * (SignatureDoesNotMatch otherwise). Trailers are exposed after 'end'.
 */
export class AwsChunkedDecoder extends Transform {
  private previousSignature: string | undefined;
  private chunkSignature: string | undefined;
  private chunkHash: Hash | undefined;

  constructor(private readonly signing?: ChunkSigning) {
    super();
    this.previousSignature = signing?.seedSignature;
  }

  readonly trailers: Record<string, string> = {};
  private state: 'header' | 'data' | 'data-crlf' | 'trailer' | 'done' = 'header';
  private line = '';
  private remaining = 0;
  private pendingCrlf = 0;

  override _transform(chunk: Buffer, _enc: BufferEncoding, callback: TransformCallback): void {
    try {
      this.consume(chunk);
      callback();
    } catch (err) {
      callback(err as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    // A missing final blank line after the trailers is tolerated; a body cut short inside a chunk is not.
    if (this.state === 'trailer' && this.line) this.addTrailer(this.line);
    if (this.state === 'trailer' || this.state === 'done') callback();
    else callback(new S3Error('IncompleteBody', 400, 'The request body terminated unexpectedly'));
  }

  private consume(chunk: Buffer): void {
    let i = 0;
    while (i < chunk.length) {
      switch (this.state) {
        case 'header':
        case 'trailer': {
          const nl = chunk.indexOf(0x0a, i);
          const end = nl === -1 ? chunk.length : nl;
          this.line += chunk.toString('latin1', i, end);
          if (this.line.length > 8192) throw invalidChunk('chunk header too long');
          i = end;
          if (nl === -1) break;
          i = nl + 1;
          const line = this.line.replace(/\r$/, '');
          this.line = '';
          if (this.state === 'header') this.startChunk(line);
          else if (line === '') this.state = 'done';
          else this.addTrailer(line);
          break;
        }
        case 'data': {
          const take = Math.min(this.remaining, chunk.length - i);
          this.chunkHash?.update(chunk.subarray(i, i + take));
          this.push(chunk.subarray(i, i + take));
          i += take;
          this.remaining -= take;
          if (this.remaining === 0) {
            if (this.chunkHash) this.verifyChunk(this.chunkHash.digest('hex'));
            this.state = 'data-crlf';
            this.pendingCrlf = 2;
          }
          break;
        }
        case 'data-crlf': {
          const byte = chunk[i++];
          const expected = this.pendingCrlf === 2 ? 0x0d : 0x0a;
          if (byte !== expected) throw invalidChunk('missing CRLF after chunk data');
          if (--this.pendingCrlf === 0) this.state = 'header';
          break;
        }
        case 'done':
          i = chunk.length; // anything after the terminating blank line is ignored
          break;
      }
    }
  }

  private startChunk(line: string): void {
    const [sizePart, ...extensions] = line.split(';');
    const sizeText = sizePart.trim();
    if (!/^[0-9a-fA-F]+$/.test(sizeText)) throw invalidChunk(`bad chunk size "${sizeText}"`);
    const size = Number.parseInt(sizeText, 16);
    if (this.signing) {
      this.chunkSignature = extensions
        .map((e) => e.trim())
        .find((e) => e.startsWith('chunk-signature='))
        ?.slice(16);
      this.chunkHash = createHash('sha256');
    }
    if (size === 0) {
      if (this.signing) this.verifyChunk(EMPTY_SHA256);
      this.state = 'trailer';
    } else {
      this.remaining = size;
      this.state = 'data';
    }
  }

  private verifyChunk(dataSha256: string): void {
    if (!this.signing) return;
    const s = this.signing;
    const stringToSign = [
      'AWS4-HMAC-SHA256-PAYLOAD',
      s.amzDate,
      s.scope,
      this.previousSignature,
      EMPTY_SHA256,
      dataSha256,
    ].join('\n');
    const expected = createHmac('sha256', s.signingKey).update(stringToSign).digest('hex');
    if (expected !== this.chunkSignature)
      throw new S3Error(
        'SignatureDoesNotMatch',
        403,
        'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
        { StringToSign: stringToSign },
      );
    this.previousSignature = expected;
  }

  private addTrailer(line: string): void {
    const colon = line.indexOf(':');
    if (colon <= 0) throw invalidChunk(`bad trailer "${line}"`);
    this.trailers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
}

function invalidChunk(detail: string): S3Error {
  return new S3Error('InvalidRequest', 400, `Invalid aws-chunked body: ${detail}`);
}

export function isAwsChunked(headers: Record<string, string | string[] | undefined>): boolean {
  const encoding = String(headers['content-encoding'] ?? '');
  const sha = String(headers['x-amz-content-sha256'] ?? '');
  // Content-Encoding alone is only a label the client may pass through: the framing is announced by the
  // streaming payload hash or by x-amz-decoded-content-length.
  const framed =
    encoding.split(',').some((e) => e.trim() === 'aws-chunked') &&
    headers['x-amz-decoded-content-length'] !== undefined;
  return framed || sha.startsWith('STREAMING-');
}
