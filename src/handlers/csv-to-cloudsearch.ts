import type { S3Event } from 'aws-lambda';
import { parse } from 'csv-parse';
import { catalogue } from '../composition/ports/catalogue.js';
import { objects } from '../composition/ports/objects.js';
import { MAX_BATCH_BYTES } from '../domain/cloudsearch-documents.js';
import { buildDomainSchema, type DomainSchema, loadDomainSchema } from '../domain/cloudsearch-schema.js';
import {
  BatchBuilder,
  type CatalogueOperation,
  DocumentTooLargeError,
  documentId,
  isStrictCsvRecord,
  LineCounter,
  planColumns,
  rowToFields,
} from '../domain/csv-items.js';
import { decodeS3EventKey } from '../domain/image-key.js';
import { ITEMS_ERRORS_PREFIX, ITEMS_MANIFEST_PREFIX, ITEMS_PREFIX } from '../domain/names.js';
import schemaFile from '../infra/cloudsearch-schema.json' with { type: 'json' };
import { logger } from '../lib/logger.js';
import type { CatalogueIndex } from '../ports/catalogue.js';
import { ObjectNotFoundError, type ObjectStore } from '../ports/object-store.js';
import { lambdaEntry } from './entry.js';

/** Detailed bad-row entries kept per object (the total is always counted); bounds memory on very bad files. */
const MAX_REPORTED_ERRORS = 1000;

export interface CsvToCloudSearchDeps {
  objects: ObjectStore;
  catalogue: CatalogueIndex;
}

export interface CsvToCloudSearchOptions {
  schema?: DomainSchema;
  maxBatchBytes?: number;
}

export interface ItemsManifest {
  bucket: string;
  key: string;
  /** Data rows seen: the object's ids are documentId(bucket, key, 1..rows). */
  rows: number;
  indexedAt: string;
}

export interface RowError {
  line: number;
  row: number;
  reason: string;
}

export interface IndexReport {
  bucket: string;
  key: string;
  action: 'indexed' | 'removed' | 'skipped';
  rows: number;
  added: number;
  deleted: number;
  badRows: number;
  errors: RowError[];
  ignoredColumns: string[];
  batches: number;
}

const manifestKey = (key: string) => `${ITEMS_MANIFEST_PREFIX}${key}.json`;
const errorsKey = (key: string) => `${ITEMS_ERRORS_PREFIX}${key}.json`;

function isItemsCsv(key: string): boolean {
  return key.startsWith(ITEMS_PREFIX) && key.toLowerCase().endsWith('.csv');
}

export function createCsvToCloudSearch(deps: CsvToCloudSearchDeps, options: CsvToCloudSearchOptions = {}) {
  const schema = options.schema ?? loadDomainSchema();
  const maxBatchBytes = options.maxBatchBytes ?? MAX_BATCH_BYTES;

  async function readManifest(bucket: string, key: string): Promise<ItemsManifest | undefined> {
    try {
      const { body } = await deps.objects.get(bucket, manifestKey(key));
      return JSON.parse(Buffer.from(body).toString('utf8')) as ItemsManifest;
    } catch (err) {
      if (err instanceof ObjectNotFoundError) return undefined;
      throw err;
    }
  }

  /** Sends batches as they fill, so at most one batch of documents is held at a time. */
  function batchSender(report: IndexReport) {
    const builder = new BatchBuilder(maxBatchBytes);
    const send = async (batch: string | undefined) => {
      if (!batch) return;
      const result = await deps.catalogue.uploadDocuments(batch);
      report.added += result.adds;
      report.deleted += result.deletes;
      report.batches++;
      for (const warning of result.warnings) logger.warn({ key: report.key, warning }, 'cloudsearch batch warning');
    };
    return {
      push: async (op: CatalogueOperation) => send(builder.add(op)),
      flush: async () => send(builder.take()),
    };
  }

  async function indexObject(bucket: string, key: string): Promise<IndexReport> {
    const report = emptyReport(bucket, key, 'indexed');
    const badRow = (line: number, row: number, reason: string) => {
      report.badRows++;
      if (report.errors.length < MAX_REPORTED_ERRORS) report.errors.push({ line, row, reason });
    };
    const previous = await readManifest(bucket, key);
    const sender = batchSender(report);
    const lines = new LineCounter();
    // Lenient parsing (ragged rows, stray quotes) keeps every later row readable; strictness is checked per
    // record below. An unterminated quote is skipped rather than thrown, so buffered good rows are not lost.
    const skipped: Error[] = [];
    const parser = parse({
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      relax_quotes: true,
      raw: true,
      skip_records_with_error: true,
      on_skip: (err) => {
        if (err) skipped.push(err);
      },
    });
    const source = await deps.objects.getStream(bucket, key);
    source.on('error', (err) => parser.destroy(err));
    source.pipe(parser);

    let headers: string[] | undefined;
    let plan: ReturnType<typeof planColumns>['fields'] = [];
    let row = 0;
    const rejectRow = async (line: number, reason: string) => {
      badRow(line, row, reason);
      // A bad row must not leave the document an earlier version of this object put at the same row.
      if (previous && row <= previous.rows) await sender.push({ type: 'delete', id: documentId(bucket, key, row) });
    };
    for await (const { record, raw } of parser as AsyncIterable<{ record: string[]; raw: string }>) {
      const line = lines.advance(raw);
      if (!headers) {
        headers = record;
        const planned = planColumns(schema, headers);
        plan = planned.fields;
        report.ignoredColumns = planned.ignored;
        if (planned.ignored.length > 0) {
          logger.warn(
            { key, columns: planned.ignored },
            'CSV columns without a CloudSearch index field are not indexed',
          );
        }
        continue;
      }
      row++;
      let reason: string | undefined;
      if (!isStrictCsvRecord(raw)) reason = 'malformed quoting (RFC 4180: quotes only around whole fields, "" inside)';
      else if (record.length !== headers.length)
        reason = `has ${record.length} fields, the header has ${headers.length}`;
      if (!reason) {
        const result = rowToFields(schema, plan, record, { bucket, key, row });
        if (result.ok) {
          try {
            await sender.push({ type: 'add', id: documentId(bucket, key, row), fields: result.fields });
            continue;
          } catch (err) {
            if (!(err instanceof DocumentTooLargeError)) throw err;
            reason = err.message;
          }
        } else reason = result.reason;
      }
      await rejectRow(line, reason);
    }
    for (const err of skipped) {
      // With relaxed quotes the only skip left is an unterminated quote: the rest of the file is one broken field.
      row++;
      const unterminated = (err as { code?: string }).code === 'CSV_QUOTE_NOT_CLOSED';
      await rejectRow(
        unterminated ? lines.current : ((err as { lines?: number }).lines ?? lines.current),
        unterminated ? 'quote not closed: the rest of the file is inside one unterminated field' : err.message,
      );
    }
    report.rows = row;
    for (let stale = row + 1; previous && stale <= previous.rows; stale++) {
      await sender.push({ type: 'delete', id: documentId(bucket, key, stale) });
    }
    await sender.flush();

    const manifest: ItemsManifest = { bucket, key, rows: Math.max(row, 0), indexedAt: new Date().toISOString() };
    await deps.objects.put(bucket, manifestKey(key), JSON.stringify(manifest), { contentType: 'application/json' });
    if (report.badRows > 0 || report.ignoredColumns.length > 0) {
      await deps.objects.put(bucket, errorsKey(key), JSON.stringify(report, null, 2), {
        contentType: 'application/json',
      });
      logger.warn({ key, badRows: report.badRows, first: report.errors.slice(0, 5) }, 'CSV rows not indexed');
    } else {
      await deps.objects.delete(bucket, errorsKey(key));
    }
    logger.info(
      { key, rows: row, added: report.added, deleted: report.deleted, batches: report.batches },
      'items CSV indexed',
    );
    return report;
  }

  async function removeObject(bucket: string, key: string): Promise<IndexReport> {
    const report = emptyReport(bucket, key, 'removed');
    const manifest = await readManifest(bucket, key);
    if (!manifest) {
      logger.warn({ bucket, key }, 'removed CSV has no manifest: it was never indexed, nothing to delete');
      report.action = 'skipped';
      return report;
    }
    const sender = batchSender(report);
    for (let r = 1; r <= manifest.rows; r++) await sender.push({ type: 'delete', id: documentId(bucket, key, r) });
    await sender.flush();
    report.rows = manifest.rows;
    await deps.objects.delete(bucket, manifestKey(key));
    await deps.objects.delete(bucket, errorsKey(key));
    logger.info({ key, deleted: report.deleted }, 'items CSV documents deleted');
    return report;
  }

  return async (event: S3Event): Promise<{ reports: IndexReport[] }> => {
    const reports: IndexReport[] = [];
    for (const record of event.Records ?? []) {
      const bucket = record.s3.bucket.name;
      const key = decodeS3EventKey(record.s3.object.key);
      if (!isItemsCsv(key)) {
        logger.debug({ key }, 'not an items CSV, ignored');
        continue;
      }
      if (record.eventName.startsWith('ObjectCreated')) reports.push(await indexObject(bucket, key));
      else if (record.eventName.startsWith('ObjectRemoved')) reports.push(await removeObject(bucket, key));
    }
    return { reports };
  };
}

// The schema travels inside the bundle: a Lambda has no project tree to read it from.
export const handler = lambdaEntry('csv-to-cloudsearch', { objects, catalogue }, (ports) =>
  createCsvToCloudSearch(ports, { schema: buildDomainSchema(schemaFile) }),
);

function emptyReport(bucket: string, key: string, action: IndexReport['action']): IndexReport {
  return { bucket, key, action, rows: 0, added: 0, deleted: 0, badRows: 0, errors: [], ignoredColumns: [], batches: 0 };
}
