import { TextractClient } from '@aws-sdk/client-textract';
import { createTextractOcr } from '../../adapters/textract/ocr.js';
import type { CompositionContext, PortBuilder } from '../types.js';

export function textractClient(context: CompositionContext): TextractClient {
  const { forcePathStyle: _, ...config } = context.aws;
  return context.shared(
    'textract',
    () => new TextractClient(config),
    (c) => c.destroy(),
  );
}

export const ocr: PortBuilder<'ocr'> = (context) => createTextractOcr(textractClient(context));
