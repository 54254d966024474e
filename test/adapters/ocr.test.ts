// The Ocr contract against each adapter: local tesseract, and Textract (real SDK client) over the kit's emulator.
import { createTesseractOcr } from '../../src/adapters/tesseract/ocr.js';
import { createTextractOcr } from '../../src/adapters/textract/ocr.js';
import { TesseractPool } from '../../src/emulators/textract/index.js';
import { ocrContract } from '../contracts/ocr.contract.js';
import { startTextractEdge } from '../emulators/textract-harness.js';

ocrContract('tesseract (local)', async () => {
  const pool = TesseractPool.create({ size: 1 });
  return { ocr: createTesseractOcr(pool), close: () => pool.close() };
});

ocrContract('textract over the Textract emulator', async () => {
  const edge = await startTextractEdge();
  return {
    ocr: createTextractOcr(edge.client),
    async putObject(bucket, key, bytes) {
      edge.objects.set(`${bucket}/${key}`, bytes);
    },
    close: () => edge.close(),
  };
});
