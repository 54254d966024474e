import { Transform, type TransformCallback } from 'node:stream';
import { S3Error } from './errors.js';

/**
 * Decodes an `aws-chunked` body (STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]):
 * `hex-size[;chunk-signature=..]\r\n data \r\n ... 0[;..]\r\n [trailer:value\r\n]* \r\n`.
 * Chunk signatures are not verified (the emulator accepts any credentials). Trailers are exposed after 'end'.
 */
export class AwsChunkedDecoder extends Transform {
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
          this.push(chunk.subarray(i, i + take));
          i += take;
          this.remaining -= take;
          if (this.remaining === 0) {
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
    const sizeText = line.split(';')[0].trim();
    if (!/^[0-9a-fA-F]+$/.test(sizeText)) throw invalidChunk(`bad chunk size "${sizeText}"`);
    const size = Number.parseInt(sizeText, 16);
    if (size === 0) this.state = 'trailer';
    else {
      this.remaining = size;
      this.state = 'data';
    }
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
