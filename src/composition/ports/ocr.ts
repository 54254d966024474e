import { TextractClient } from '@aws-sdk/client-textract';
import { createTextractOcr } from '../../adapters/textract/ocr.js';
import { serviceClientConfig } from '../service-client-config.js';
import type { CompositionContext, PortBuilder } from '../types.js';

export function textractClient(context: CompositionContext): TextractClient {
  return context.shared(
    'textract',
    () => new TextractClient(serviceClientConfig(context.aws, 'textract')),
    (c) => c.destroy(),
  );
}

export const ocr: PortBuilder<'ocr'> = (context) => createTextractOcr(textractClient(context));
