import { MAX_DOCUMENT_BYTES } from '../../domain/cloudsearch-limits.js';
import type { DomainSchema } from '../../domain/cloudsearch-schema.js';
import type { BulkOperation } from '../search-engine/types.js';
import { type ValidatedOperation, validateBatch, validateOperations } from './batch.js';
import { type CloudSearchEngine, domainIndexName } from './engine.js';
import { CloudSearchError } from './errors.js';
import { xmlBatchToJson } from './xml-batch.js';

export interface BatchResult {
  status: 'success';
  adds: number;
  deletes: number;
}

/** Validates a JSON or XML batch (all or nothing, like CloudSearch) and applies it to the domain's engine index. */
export async function applyBatch(
  engine: CloudSearchEngine,
  schema: DomainSchema,
  body: Buffer,
  contentType = 'application/json',
): Promise<BatchResult> {
  const ops = contentType.includes('xml')
    ? validateOperations(schema, xmlBatchToJson(body.toString('utf8')), body.length > MAX_DOCUMENT_BYTES)
    : validateBatch(schema, body);
  const index = domainIndexName(schema.domainName);
  const result = (await engine.bulk(ops.map((op) => toBulk(index, op)))) as
    | { errors?: boolean; items?: Record<string, { _id?: string; error?: { reason?: string } }>[] }
    | undefined;
  // CloudSearch makes updates searchable within seconds; the emulator makes them visible at once.
  await engine.refresh(index);
  if (result?.errors) {
    // Every value was validated above, so an engine refusal is the emulator's own failure, not the client's.
    const failed = (result.items ?? []).flatMap((item) => Object.values(item)).filter((r) => r.error);
    throw new CloudSearchError(
      'DocumentServiceException',
      `The local CloudSearch emulator failed to index ${failed.length} document(s): ${failed
        .slice(0, 5)
        .map((r) => `'${r._id}': ${r.error?.reason ?? 'indexing failed'}`)
        .join('; ')}`,
      { status: 500 },
    );
  }
  return {
    status: 'success',
    adds: ops.filter((o) => o.type === 'add').length,
    deletes: ops.filter((o) => o.type === 'delete').length,
  };
}

function toBulk(index: string, op: ValidatedOperation): BulkOperation {
  return op.type === 'add'
    ? { action: 'index', index, id: op.id, source: op.source }
    : { action: 'delete', index, id: op.id };
}
