// The tesseract pool and the image work around it (decoding, evening out, splitting, re-reading) on a thread of
// their own. That work allocates several page-sized buffers a card; on the thread that also runs the emulators and
// the functions, each burst of them started a full garbage collection of that thread's much larger heap (about one
// every two cards, 30-40 ms each, plus the collector's own threads). Here they only churn a small heap of their own.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ImageDecodeError, type OcrPage } from './ocr-page.js';
import type { PageReader, RecognizeOptions, TesseractPoolOptions } from './tesseract-pool.js';

/** What the thread is asked (see ocr-thread-main.ts). */
export type OcrThreadRequest =
  | { id: number; op: 'warmUp' }
  | { id: number; op: 'recognize'; image: Uint8Array; opts: RecognizeOptions }
  | { id: number; op: 'close' };

/** What it answers: the request's value, or its error by kind. */
export type OcrThreadReply =
  | { id: number; value: unknown }
  | { id: number; error: { decode: boolean; message: string; stack?: string } };

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/** Its young generation kept small: what it allocates is mostly page buffers outside the heap. */
const HOST_LIMITS = { maxYoungGenerationSizeMb: 8 };

/**
 * The thread: the built JavaScript module beside this one, or, run from the TypeScript source (tsx, vitest), that
 * source behind tsx's loader (a worker's entry module is loaded before any --import of its own could register it).
 */
function startThread(workerData: unknown): Worker {
  if (!import.meta.url.endsWith('.ts'))
    return new Worker(new URL('./ocr-thread-main.js', import.meta.url), { workerData, resourceLimits: HOST_LIMITS });
  const main = new URL('./ocr-thread-main.ts', import.meta.url).href;
  const tsx = pathToFileURL(
    createRequire(import.meta.url)
      .resolve('tsx/esm/api')
      .replace(/\.cjs$/, '.mjs'),
  ).href;
  const code = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(main)}); });`;
  return new Worker(code, { eval: true, workerData, resourceLimits: HOST_LIMITS });
}

export class OcrThread implements PageReader {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private closed = false;
  private warming: Promise<{ ms: number }> | undefined;

  constructor(private readonly options: TesseractPoolOptions) {}

  /** Starts the thread and its workers once (again after the thread stopped); resolves with the model's load time. */
  warmUp(): Promise<{ ms: number }> {
    this.warming ??= this.ask({ id: 0, op: 'warmUp' }) as Promise<{ ms: number }>;
    return this.warming;
  }

  recognize(image: Uint8Array, opts: RecognizeOptions = {}): Promise<OcrPage> {
    // a copy crosses over, so a caller's buffer is never detached
    const copy = new Uint8Array(image);
    return this.ask({ id: 0, op: 'recognize', image: copy, opts }, [copy.buffer]) as Promise<OcrPage>;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const worker = this.worker;
    if (!worker) return;
    await this.send(worker, { id: 0, op: 'close' }).catch(() => undefined);
    await worker.terminate();
  }

  private ask(request: OcrThreadRequest, transfer: ArrayBuffer[] = []): Promise<unknown> {
    if (this.closed) return Promise.reject(new Error('TesseractPool is closed'));
    this.worker ??= this.start();
    return this.send(this.worker, request, transfer);
  }

  private send(worker: Worker, request: OcrThreadRequest, transfer: ArrayBuffer[] = []): Promise<unknown> {
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ ...request, id }, transfer);
    });
  }

  private start(): Worker {
    const { ownThread: _, ...settings } = this.options;
    const worker = startThread(settings);
    worker.on('message', (reply: OcrThreadReply) => {
      const pending = this.pending.get(reply.id);
      if (!pending) return;
      this.pending.delete(reply.id);
      if ('value' in reply) pending.resolve(reply.value);
      else {
        const error = reply.error.decode ? new ImageDecodeError(reply.error.message) : new Error(reply.error.message);
        if (reply.error.stack) error.stack = reply.error.stack;
        pending.reject(error);
      }
    });
    // A thread that stops (a crash, or terminate()) fails what it was asked; the next request starts a new one.
    const stopped = (error: Error) => {
      if (this.worker === worker) {
        this.worker = undefined;
        this.warming = undefined;
      }
      for (const [id, pending] of this.pending) {
        this.pending.delete(id);
        pending.reject(error);
      }
    };
    worker.on('error', (error) => stopped(error));
    worker.on('exit', (code) => stopped(new Error(`the OCR thread stopped (exit code ${code})`)));
    return worker;
  }
}
