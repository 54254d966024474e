import { isUtf8 } from 'node:buffer';
import { Parser } from 'csv-parse';

/**
 * CSV records from a byte stream, read by csv-parse, that never lose the rows after a bad one:
 * - a record csv-parse gives up on (an unclosed quote, a record longer than {@link MAX_CSV_RECORD_BYTES}) is reported
 *   as broken at the line it starts on, and reading goes on from the next line;
 * - bytes are decoded as latin1 (one char per byte) and each field gets its own UTF-8 check: a field with invalid
 *   UTF-8 is reported, never silently replaced with U+FFFD;
 * - line numbers are physical lines (csv-parse's own counter drifts on CRLF inside quoted fields).
 */

/** Longest record read before it is given up (an unclosed quote would otherwise swallow the rest of the file). */
export const MAX_CSV_RECORD_BYTES = 8 * 1024 * 1024;

export interface CsvRecord {
  kind: 'record';
  /** Physical line the record starts on (1-based). */
  line: number;
  fields: string[];
  /** The raw text follows RFC 4180 quoting (the parser itself runs leniently to keep later rows). */
  strict: boolean;
  /** Index of the first field whose bytes are not valid UTF-8. */
  invalidUtf8Field?: number;
}

export interface BrokenCsvRecord {
  kind: 'broken';
  line: number;
  reason: string;
}

const RECORD = /^(?:"(?:[^"]|"")*"|[^",\r\n]*)(?:,(?:"(?:[^"]|"")*"|[^",\r\n]*))*$/;

/** True when a record's raw text follows RFC 4180 quoting. */
export function isStrictCsvRecord(raw: string): boolean {
  return RECORD.test(raw.replace(/^[\r\n]+|[\r\n]+$/g, ''));
}

/** Tracks physical line numbers from each record's raw text; leading line breaks in a raw record are skipped empty lines. */
export class LineCounter {
  constructor(private next = 1) {}

  /** Returns the line the record starts on and advances past it. */
  advance(raw: string): number {
    const start = this.next + countBreaks(raw.slice(0, leadingBreaks(raw)));
    this.next += countBreaks(raw);
    return start;
  }

  get current(): number {
    return this.next;
  }
}

function leadingBreaks(raw: string): number {
  let lead = 0;
  while (lead < raw.length && (raw.charCodeAt(lead) === 10 || raw.charCodeAt(lead) === 13)) lead++;
  return lead;
}

function countBreaks(text: string): number {
  let breaks = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) breaks++;
    else if (c === 13) {
      breaks++;
      if (text.charCodeAt(i + 1) === 10) i++;
    }
  }
  return breaks;
}

/** Latin1-decoded text holds a byte ≥ 0x80: the field needs UTF-8 decoding (and checking). */
const NON_ASCII = /[\u0080-\u00ff]/;
const CR = 13;
const LF = 10;

interface ParseFailure {
  code?: string;
  message: string;
  /** Records delivered before the failing one. */
  records: number;
}

/**
 * csv-parse's stream parser, with each record stamped with where it ends in the input (`info.bytes` at the moment
 * the record is emitted). Raw texts cannot tell it: they leave out the LF of a CRLF delimiter. (csv-parse's `info`
 * option would tell it too, at the cost of a second copy of the raw text and an object per record.)
 */
class EndStampingParser extends Parser {
  override push(chunk: unknown, encoding?: BufferEncoding): boolean {
    if (chunk !== null && typeof chunk === 'object') (chunk as { end?: number }).end = this.info.bytes;
    return super.push(chunk, encoding);
  }
}

/** One csv-parse run, from the start of the file or from the line after a broken record. */
class ParsePass {
  readonly lines: LineCounter;
  private readonly parser: EndStampingParser;
  /** Bytes written that no delivered record has consumed yet: where a broken record's bytes are found again. */
  private pending: Buffer[] = [];
  /** Offset (in bytes written to this pass) of pending[0], and of the end of the last record delivered. */
  private pendingStart = 0;
  private consumedTo = 0;
  private received = 0;
  private error: Error | undefined;
  /**
   * A CR ending a chunk waits for the next one: csv-parse would otherwise take a lone CR for the record delimiter
   * when it meets one at the end of a chunk.
   */
  private heldCr: Buffer | undefined;
  failure: ParseFailure | undefined;

  constructor(firstLine: number, maxRecordBytes: number) {
    this.lines = new LineCounter(firstLine);
    this.parser = new EndStampingParser({
      encoding: 'latin1',
      bom: false,
      skip_empty_lines: true,
      relax_column_count: true,
      relax_quotes: true,
      raw: true,
      max_record_size: maxRecordBytes,
      skip_records_with_error: true,
      on_skip: (err) => {
        if (!err || this.failure) return;
        const records = (err as { records?: number }).records ?? this.received;
        this.failure = { code: (err as { code?: string }).code, message: err.message, records };
      },
    });
    this.parser.on('error', (err) => {
      this.error ??= err;
    });
  }

  write(chunk: Buffer): CsvRecord[] {
    if (chunk.length === 0) return [];
    this.pending.push(chunk);
    let bytes = this.heldCr ? Buffer.concat([this.heldCr, chunk]) : chunk;
    this.heldCr = undefined;
    if (bytes[bytes.length - 1] === CR) {
      this.heldCr = bytes.subarray(bytes.length - 1);
      bytes = bytes.subarray(0, bytes.length - 1);
    }
    if (bytes.length > 0) this.parser.write(bytes);
    return this.drain();
  }

  async end(): Promise<CsvRecord[]> {
    if (this.heldCr) this.parser.write(this.heldCr);
    await new Promise<void>((resolve) => this.parser.end(resolve));
    return this.drain();
  }

  /** The bytes from the broken record's start (with the empty lines before it) to the last byte written. */
  unconsumed(): Buffer {
    return Buffer.concat(this.pending).subarray(this.consumedTo - this.pendingStart);
  }

  private drain(): CsvRecord[] {
    const out: CsvRecord[] = [];
    for (let r = this.parser.read(); r !== null; r = this.parser.read()) {
      // What csv-parse makes of the bytes after a failure is not a record of the file.
      if (this.failure && this.received >= this.failure.records) continue;
      this.received++;
      const { record, raw, end } = r as { record: string[]; raw: string; end: number };
      this.consume(end);
      out.push(toRecord(this.lines.advance(raw), record, raw));
    }
    if (this.error) throw this.error;
    return out;
  }

  private consume(to: number): void {
    this.consumedTo = to;
    while (this.pending.length > 0 && this.pendingStart + this.pending[0].length <= to) {
      this.pendingStart += this.pending[0].length;
      this.pending.shift();
    }
  }
}

function toRecord(line: number, latin1: string[], raw: string): CsvRecord {
  const record: CsvRecord = { kind: 'record', line, fields: latin1, strict: isStrictCsvRecord(raw) };
  if (!NON_ASCII.test(raw)) return record;
  record.fields = latin1.map((field, i) => {
    if (!NON_ASCII.test(field)) return field;
    const bytes = Buffer.from(field, 'latin1');
    if (record.invalidUtf8Field === undefined && !isUtf8(bytes)) record.invalidUtf8Field = i;
    return bytes.toString('utf8');
  });
  return record;
}

function describeFailure(failure: ParseFailure, maxRecordBytes: number): string {
  const rest = 'this row is skipped and reading goes on from the next line';
  if (failure.code === 'CSV_QUOTE_NOT_CLOSED') return `quote not closed: ${rest}`;
  if (failure.code === 'CSV_MAX_RECORD_SIZE')
    return `row longer than ${maxRecordBytes} bytes (a quote not closed?): ${rest}`;
  return `${failure.message}: ${rest}`;
}

/** Where a broken record starts, and the bytes after its first line. */
function afterBrokenLine(
  tail: Buffer,
  nextLine: number,
): { line: number; rest: Buffer; lineEnded: boolean; crAtEnd: boolean } {
  let i = 0;
  let line = nextLine;
  while (i < tail.length && (tail[i] === LF || tail[i] === CR)) {
    if (tail[i] === CR && tail[i + 1] === LF) i++;
    i++;
    line++;
  }
  for (let j = i; j < tail.length; j++) {
    if (tail[j] === LF) return { line, rest: tail.subarray(j + 1), lineEnded: true, crAtEnd: false };
    if (tail[j] === CR) {
      if (j + 1 === tail.length) return { line, rest: tail.subarray(j + 1), lineEnded: true, crAtEnd: true };
      return { line, rest: tail.subarray(tail[j + 1] === LF ? j + 2 : j + 1), lineEnded: true, crAtEnd: false };
    }
  }
  return { line, rest: Buffer.alloc(0), lineEnded: false, crAtEnd: false };
}

/** Strips a UTF-8 byte order mark however the first bytes are chunked. */
async function* withoutBom(source: AsyncIterable<Uint8Array>): AsyncGenerator<Buffer> {
  let head: Buffer | undefined = Buffer.alloc(0);
  for await (const chunk of source) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (head === undefined) {
      yield buf;
      continue;
    }
    head = Buffer.concat([head, buf]);
    if (head.length < 3 && head.equals(BOM.subarray(0, head.length))) continue;
    yield head.subarray(0, 3).equals(BOM) ? head.subarray(3) : head;
    head = undefined;
  }
  // A file shorter than a BOM, or just part of one: its bytes are data (the parser reports what they are).
  if (head !== undefined && head.length > 0) yield head;
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

export async function* readCsvRecords(
  source: AsyncIterable<Uint8Array>,
  options: { maxRecordBytes?: number } = {},
): AsyncGenerator<CsvRecord | BrokenCsvRecord> {
  const maxRecordBytes = options.maxRecordBytes ?? MAX_CSV_RECORD_BYTES;
  const chunks = withoutBom(source)[Symbol.asyncIterator]();
  let sourceDone = false;
  let carry: Buffer | undefined;
  let line = 1;
  /** Still inside the first line of a broken record (it went on past the bytes the failed pass had). */
  let skipBrokenLine = false;
  /** A CR ended the broken line right at a chunk's end; an LF that follows belongs to it. */
  let skipLf = false;

  const skipRestOfBrokenLine = (buf: Buffer): Buffer => {
    let from = 0;
    if (skipLf) {
      skipLf = false;
      if (buf[0] === LF) from = 1;
    }
    if (!skipBrokenLine) return buf.subarray(from);
    for (let j = from; j < buf.length; j++) {
      if (buf[j] !== LF && buf[j] !== CR) continue;
      skipBrokenLine = false;
      if (buf[j] === CR && j + 1 === buf.length) skipLf = true;
      return buf.subarray(buf[j] === CR && buf[j + 1] === LF ? j + 2 : j + 1);
    }
    return buf.subarray(buf.length);
  };

  for (;;) {
    const pass = new ParsePass(line, maxRecordBytes);
    if (carry) yield* pass.write(carry);
    carry = undefined;
    while (!pass.failure && !sourceDone) {
      const next = await chunks.next();
      if (next.done) sourceDone = true;
      else yield* pass.write(skipRestOfBrokenLine(next.value));
    }
    if (!pass.failure) yield* await pass.end();
    if (!pass.failure) return;
    const broken = afterBrokenLine(pass.unconsumed(), pass.lines.current);
    yield { kind: 'broken', line: broken.line, reason: describeFailure(pass.failure, maxRecordBytes) };
    line = broken.line + 1;
    carry = broken.rest;
    skipBrokenLine = !broken.lineEnded;
    skipLf = broken.crAtEnd;
  }
}
