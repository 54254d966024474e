// The OCR thread (see ocr-thread.ts): one TesseractEngine, answering its parent's requests.
import { parentPort, workerData } from 'node:worker_threads';
import { ImageDecodeError } from './ocr-page.js';
import type { OcrThreadReply, OcrThreadRequest } from './ocr-thread.js';
import { TesseractEngine, type TesseractPoolOptions } from './tesseract-pool.js';

const port = parentPort;
if (!port) throw new Error('ocr-thread-main runs as a worker thread (see ocr-thread.ts)');
const engine = TesseractEngine.create(workerData as TesseractPoolOptions);

port.on('message', async (request: OcrThreadRequest) => {
  let reply: OcrThreadReply;
  try {
    const value =
      request.op === 'warmUp'
        ? await engine.warmUp()
        : request.op === 'recognize'
          ? await engine.recognize(request.image, request.opts)
          : await engine.close();
    reply = { id: request.id, value };
  } catch (error) {
    const { message, stack } = error as Error;
    reply = { id: request.id, error: { decode: error instanceof ImageDecodeError, message: String(message), stack } };
  }
  port.postMessage(reply);
});
