import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip as gzipCb } from 'node:zlib';
import type { Logger } from '../../lib/logger.js';
import type { DeliveryStreamDefinition } from './definition.js';
import { type BufferedRecord, type KinesisRecordMetadata, RecordLog, type Segment } from './record-log.js';
import { errorObjectKey, objectKey } from './s3-keys.js';
import { type FailedRecord, runTransform } from './transform.js';

const gzip = promisify(gzipCb);
const MiB = 1024 * 1024;
const PUT_ATTEMPTS = 3;

export interface DeliverySink {
  putObject(bucket: string, key: string, body: Buffer): Promise<void>;
  invokeLambda(functionName: string, event: unknown): Promise<unknown>;
}

export interface IncomingRecord {
  data: Buffer;
  kinesis?: KinesisRecordMetadata;
}

const ID_PREFIX = randomBytes(10).toString('hex');
let idCounter = 0;
/** Opaque, unique record ids (Firehose's are long base64-looking strings). */
const nextRecordId = () => `${ID_PREFIX}${Date.now().toString(16)}${(idCounter++).toString(16).padStart(10, '0')}`;

/** One delivery stream at run time: buffer (in the write-ahead log) → optional Lambda transform → S3. */
export class DeliveryStreamRuntime {
  private sealed: Segment[];
  private timer?: NodeJS.Timeout;
  private chain: Promise<void> = Promise.resolve();
  private flushQueued = false;
  private closed = false;

  private constructor(
    readonly def: DeliveryStreamDefinition,
    private readonly log: RecordLog,
    recovered: Segment[],
    private readonly ctx: { sink: () => DeliverySink | undefined; region: string; logger: Logger },
  ) {
    this.sealed = recovered;
  }

  static async open(
    def: DeliveryStreamDefinition,
    dir: string,
    ctx: { sink: () => DeliverySink | undefined; region: string; logger: Logger },
  ): Promise<DeliveryStreamRuntime> {
    const { log, recovered } = await RecordLog.open(dir);
    return new DeliveryStreamRuntime(def, log, recovered, ctx);
  }

  get pendingRecords(): number {
    return this.log.openCount + this.sealed.reduce((n, s) => n + s.records.length, 0);
  }

  /** Appends to the write-ahead log; resolves with the record ids once the records are durable. */
  async accept(incoming: IncomingRecord[]): Promise<string[]> {
    if (this.closed) throw new Error(`delivery stream ${this.def.name} is closed`);
    const now = Date.now();
    const records: BufferedRecord[] = incoming.map((r) => ({
      id: nextRecordId(),
      arrival: now,
      data: r.data,
      ...(r.kinesis ? { kinesis: r.kinesis } : {}),
    }));
    if (records.length === 0) return [];
    await this.log.append(records);
    this.scheduleAfterAppend();
    return records.map((r) => r.id);
  }

  /** Called when deliveries become possible (the sink attached) to deliver what an earlier run left. */
  resume(): void {
    if (this.sealed.length > 0 || this.log.openCount > 0) this.armTimer(0);
  }

  private scheduleAfterAppend(): void {
    if (this.log.openBytes >= this.def.destination.sizeInMBs * MiB) {
      this.queueFlush();
    } else {
      this.armTimer(this.def.destination.intervalInSeconds * 1000);
    }
  }

  private armTimer(ms: number): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.queueFlush();
    }, ms);
    this.timer.unref?.();
  }

  private queueFlush(): void {
    if (this.flushQueued || this.closed) return;
    this.flushQueued = true;
    this.flush().catch((err) => {
      this.ctx.logger.warn({ err, deliveryStream: this.def.name }, 'firehose delivery failed; will retry');
      this.armTimer(Math.max(1000, this.def.destination.intervalInSeconds * 1000));
    });
  }

  /** Seals the buffer and delivers everything not yet delivered (sequentially with other flushes). */
  flush(): Promise<void> {
    const run = this.chain.then(async () => {
      this.flushQueued = false;
      if (this.timer) {
        clearTimeout(this.timer);
        this.timer = undefined;
      }
      const segment = await this.log.seal();
      if (segment) this.sealed.push(segment);
      const sink = this.ctx.sink();
      if (!sink) return;
      while (this.sealed.length > 0) {
        if (this.closed) return;
        const next = this.sealed[0];
        await this.deliver(next.records, sink);
        await this.log.remove(next);
        this.sealed.shift();
      }
    });
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async put(sink: DeliverySink, key: string, body: Buffer): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await sink.putObject(this.def.destination.bucket, key, body);
        return;
      } catch (err) {
        if (attempt >= PUT_ATTEMPTS || this.closed) throw err;
        await new Promise((r) => setTimeout(r, 200 * attempt));
      }
    }
  }

  private async deliver(records: BufferedRecord[], sink: DeliverySink): Promise<void> {
    const d = this.def.destination;
    let ok: Buffer[];
    let failed: FailedRecord[] = [];
    if (d.processor) {
      const result = await runTransform(this.def, d.processor, this.ctx.region, records, sink.invokeLambda);
      ok = result.ok;
      failed = result.failed;
    } else {
      ok = records.map((r) => r.data);
    }
    const oldest = new Date(records.reduce((min, r) => Math.min(min, r.arrival), Number.POSITIVE_INFINITY));
    if (ok.length > 0) {
      let body = Buffer.concat(ok);
      if (body.length > 0) {
        if (d.compression === 'GZIP') body = await gzip(body);
        const key = objectKey({
          prefix: d.prefix,
          streamName: this.def.name,
          version: this.def.versionId,
          date: oldest,
          extension: d.compression === 'GZIP' ? '.gz' : '',
        });
        await this.put(sink, key, body);
      }
    }
    if (failed.length > 0) {
      const lines = failed
        .map((f) =>
          JSON.stringify({
            attemptsMade: f.attemptsMade,
            arrivalTimestamp: f.record.kinesis?.approximateArrivalTimestamp ?? f.record.arrival,
            errorCode: f.errorCode,
            errorMessage: f.errorMessage,
            attemptEndingTimestamp: f.attemptEndingTimestamp,
            rawData: f.record.data.toString('base64'),
            lambdaArn: d.processor?.lambdaArn,
          }),
        )
        .join('\n');
      const key = errorObjectKey({
        prefix: d.prefix,
        errorOutputPrefix: d.errorOutputPrefix,
        errorOutputType: 'processing-failed',
        streamName: this.def.name,
        version: this.def.versionId,
        date: oldest,
      });
      await this.put(sink, key, Buffer.from(`${lines}\n`));
      this.ctx.logger.warn(
        { deliveryStream: this.def.name, failed: failed.length, key, errorCode: failed[0].errorCode },
        'firehose: records failed processing; written to the error output prefix',
      );
    }
  }

  /** Stops timers; undelivered records stay in the log for the next run. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.chain;
    await this.log.close();
  }
}
