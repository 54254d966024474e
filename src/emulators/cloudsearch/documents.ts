import { DocumentBatchError, type ValidatedOperation, validateBatch } from '../../domain/cloudsearch-documents.js';
import type { DomainSchema } from '../../domain/cloudsearch-schema.js';
import { xmlBatchToJson } from '../../domain/cloudsearch-xml-batch.js';
import type { BulkOperation } from '../search-engine/types.js';
import { type CloudSearchEngine, domainIndexName } from './engine.js';

export interface BatchResult {
  status: 'success';
  adds: number;
  deletes: number;
}

/** Validates a JSON batch (all or nothing, like CloudSearch) and applies it to the domain's engine index. */
export async function applyBatch(
  engine: CloudSearchEngine,
  schema: DomainSchema,
  body: Buffer,
  contentType = 'application/json',
): Promise<BatchResult> {
  const ops = validateBatch(
    schema,
    contentType.includes('xml') ? JSON.stringify(xmlBatchToJson(body.toString('utf8'))) : body,
  );
  const index = domainIndexName(schema.domainName);
  const result = (await engine.bulk(ops.map((op) => toBulk(index, op)))) as
    | { errors?: boolean; items?: Record<string, { _id?: string; error?: { reason?: string } }>[] }
    | undefined;
  if (result?.errors) {
    const failed = (result.items ?? []).flatMap((item) => Object.values(item)).filter((r) => r.error);
    await engine.refresh(index);
    throw new DocumentBatchError(failed.map((r) => `Document '${r._id}': ${r.error?.reason ?? 'indexing failed'}`));
  }
  // CloudSearch makes updates searchable within seconds; the emulator makes them visible at once.
  await engine.refresh(index);
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
