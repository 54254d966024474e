import { DetectDocumentTextCommand, type TextractClient } from '@aws-sdk/client-textract';
import type { Ocr } from '../../ports/index.js';
import { linesOfBlocks } from './lines.js';

/** Ocr over Textract DetectDocumentText (synchronous; documents by S3 reference or inline bytes). */
export function createTextractOcr(client: TextractClient): Ocr {
  return {
    async detectText(document) {
      const out = await client.send(
        new DetectDocumentTextCommand({
          Document:
            'bytes' in document
              ? { Bytes: document.bytes }
              : { S3Object: { Bucket: document.s3.bucket, Name: document.s3.key } },
        }),
      );
      const blocks = out.Blocks ?? [];
      return {
        lines: linesOfBlocks(blocks),
        pages: out.DocumentMetadata?.Pages ?? blocks.filter((block) => block.BlockType === 'PAGE').length,
      };
    },
  };
}
