import { readFileSync } from 'node:fs';
import type { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { ImageDecodeError, pageText, TesseractPool } from '../../src/emulators/textract/index.js';
import { edyCardPath } from './textract-harness.js';

describe('TesseractPool on its own thread', () => {
  const threaded = TesseractPool.create({ size: 1 });
  const inThread = TesseractPool.create({ size: 1, ownThread: false });
  afterAll(async () => {
    await threaded.close();
    await inThread.close();
  });

  it('reads a page as the pool on the calling thread does, and leaves the caller its buffer', async () => {
    const image = readFileSync(edyCardPath);
    const [there, here] = await Promise.all([threaded.recognize(image), inThread.recognize(image)]);
    expect(pageText(there)).toContain('edy@amazon.com');
    expect(there).toEqual(here);
    expect(image.byteLength).toBeGreaterThan(0); // not detached by the transfer
  });

  it('answers an undecodable image with ImageDecodeError', async () => {
    await expect(threaded.recognize(new Uint8Array([1, 2, 3]))).rejects.toBeInstanceOf(ImageDecodeError);
  });

  it('fails what a stopped thread was asked and starts a new thread for the next request', async () => {
    const image = readFileSync(edyCardPath);
    const asked = threaded.recognize(image);
    // the thread stops under the request (as a crash would)
    const { reader } = threaded as unknown as { reader: { worker?: Worker } };
    await reader.worker?.terminate();
    await expect(asked).rejects.toThrow(/OCR thread stopped/);
    expect(pageText(await threaded.recognize(image))).toContain('edy@amazon.com');
  });

  it('refuses work once closed', async () => {
    const pool = TesseractPool.create({ size: 1 });
    await pool.close();
    await expect(pool.recognize(readFileSync(edyCardPath))).rejects.toThrow(/closed/);
  });
});
