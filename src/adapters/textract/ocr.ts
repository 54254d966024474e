import { DetectDocumentTextCommand, type TextractClient } from '@aws-sdk/client-textract';
import { OCR_LANGUAGE_HEADER } from '../../lib/ocr-language-header.js';
import type { Ocr, OcrLanguage } from '../../ports/index.js';
import { linesOfBlocks } from './lines.js';

/** Ocr over Textract DetectDocumentText (synchronous; documents by S3 reference or inline bytes). */
export function createTextractOcr(client: TextractClient): Ocr {
  return {
    async detectText(document, { language } = {}) {
      const command = new DetectDocumentTextCommand({
        Document:
          'bytes' in document
            ? { Bytes: document.bytes }
            : { S3Object: { Bucket: document.s3.bucket, Name: document.s3.key } },
      });
      if (language) withLanguageHint(command, language);
      const out = await client.send(command);
      const blocks = out.Blocks ?? [];
      return {
        lines: linesOfBlocks(blocks),
        pages: out.DocumentMetadata?.Pages ?? blocks.filter((block) => block.BlockType === 'PAGE').length,
      };
    },
  };
}

/** The text's language in the header the emulator reads, added after signing (see lib/ocr-language-header.ts). */
function withLanguageHint(command: DetectDocumentTextCommand, language: OcrLanguage): void {
  command.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { headers?: Record<string, string> };
      if (request.headers) request.headers[OCR_LANGUAGE_HEADER] = language;
      return next(args);
    },
    { step: 'finalizeRequest', priority: 'low', name: 'octemberOcrLanguageHint' },
  );
}
