import type { S3Event } from 'aws-lambda';
import { catalogue } from '../composition/ports/catalogue.js';
import { objects } from '../composition/ports/objects.js';
import { MAX_BATCH_BYTES } from '../domain/cloudsearch-limits.js';
import { buildDomainSchema, type DomainSchema, INDEX_FIELD_TYPES } from '../domain/cloudsearch-schema.js';
import {
  BatchBuilder,
  type CatalogueOperation,
  DocumentTooLargeError,
  documentId,
  planColumns,
  rowToFields,
} from '../domain/csv-items.js';
import { readCsvRecords } from '../domain/csv-records.js';
import { decodeS3EventKey } from '../domain/image-key.js';
import { ITEMS_ERRORS_PREFIX, ITEMS_MANIFEST_PREFIX, ITEMS_PREFIX } from '../domain/names.js';
import schemaFile from '../infra/cloudsearch-schema.json' with { type: 'json' };
import { logger } from '../lib/logger.js';
import type { CatalogueIndex } from '../ports/catalogue.js';
import { ObjectNotFoundError, type ObjectStore } from '../ports/object-store.js';
import { lambdaEntry } from './entry.js';

/** Rejected rows per page of the row report: the first page is in the report itself, later ones beside it. */
export const ERROR_PAGE_SIZE = 10_000;
/** How long the domain's described index fields are trusted before asking again. */
const SCHEMA_TTL_MS = 30_000;
/** The kit's default schema, imported so that it travels inside the bundle (a Lambda has no project tree). */
const DEFAULT_SCHEMA = buildDomainSchema(schemaFile);

export interface CsvToCloudSearchDeps {
  objects: ObjectStore;
  catalogue: CatalogueIndex;
}

export interface CsvToCloudSearchOptions {
  /** The domain's schema; by default the domain describes its own fields (DescribeIndexFields). */
  schema?: DomainSchema;
  maxBatchBytes?: number;
  errorPageSize?: number;
}

export interface ItemsManifest {
  bucket: string;
  key: string;
  /** Data rows seen: the object's ids are documentId(bucket, key, 1..rows). */
  rows: number;
  /** Pages of the row report (1 when every rejected row fits in the report itself). */
  errorPages?: number;
  indexedAt: string;
}

export interface RowError {
  line: number;
  /** Data row (1-based); 0 for the header. */
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
  /** The first page of rejected rows; `errorPages` > 1 means the rest are in `errorPageKeys`. */
  errors: RowError[];
  errorPages: number;
  errorPageKeys: string[];
  /** Rows indexed with a change: control characters, which CloudSearch refuses, removed (count, first 10 000). */
  alteredRows: number;
  altered: RowError[];
  ignoredColumns: string[];
  batches: number;
}

const manifestKey = (key: string) => `${ITEMS_MANIFEST_PREFIX}${key}.json`;
const errorsKey = (key: string) => `${ITEMS_ERRORS_PREFIX}${key}.json`;
/** Later pages of the row report: `items-errors/<key>.<n>.json` (never a report key: those end in `.csv.json`). */
export const errorPageKey = (key: string, page: number) => `${ITEMS_ERRORS_PREFIX}${key}.${page}.json`;

function isItemsCsv(key: string): boolean {
  return key.startsWith(ITEMS_PREFIX) && key.toLowerCase().endsWith('.csv');
}

/** Every rejected row with its reason; pages after the first are written as they fill, so memory stays bounded. */
class RowErrorLog {
  private page: RowError[] = [];
  private pages = 1;

  constructor(
    private readonly report: IndexReport,
    private readonly objects: ObjectStore,
    private readonly pageSize: number,
  ) {}

  async add(error: RowError): Promise<void> {
    this.report.badRows++;
    if (this.report.errors.length < this.pageSize) {
      this.report.errors.push(error);
      return;
    }
    this.page.push(error);
    if (this.page.length >= this.pageSize) await this.flush();
  }

  /** Writes the page being filled; returns how many pages the report has. */
  async flush(): Promise<number> {
    if (this.page.length === 0) return this.pages;
    this.pages++;
    const key = errorPageKey(this.report.key, this.pages);
    await this.objects.put(this.report.bucket, key, JSON.stringify({ page: this.pages, errors: this.page }, null, 2), {
      contentType: 'application/json',
    });
    this.report.errorPageKeys.push(key);
    this.page = [];
    return this.pages;
  }
}

export function createCsvToCloudSearch(deps: CsvToCloudSearchDeps, options: CsvToCloudSearchOptions = {}) {
  const maxBatchBytes = options.maxBatchBytes ?? MAX_BATCH_BYTES;
  const errorPageSize = options.errorPageSize ?? ERROR_PAGE_SIZE;
  let described: { schema: DomainSchema; at: number } | undefined;

  /** The schema documents are built for: given, else described by the domain, else the kit's default file. */
  async function currentSchema(): Promise<DomainSchema> {
    if (options.schema) return options.schema;
    if (described && Date.now() - described.at < SCHEMA_TTL_MS) return described.schema;
    let schema: DomainSchema;
    if (deps.catalogue.describeIndexFields) {
      try {
        const { domainName, indexFields } = await deps.catalogue.describeIndexFields();
        const known = indexFields.filter((f) => (INDEX_FIELD_TYPES as readonly string[]).includes(f.IndexFieldType));
        schema = buildDomainSchema({ DomainName: domainName, IndexFields: known });
      } catch (err) {
        logger.warn({ err }, "cannot describe the CloudSearch domain's index fields; using the default schema");
        schema = DEFAULT_SCHEMA;
      }
    } else {
      schema = DEFAULT_SCHEMA;
    }
    described = { schema, at: Date.now() };
    return schema;
  }

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

  /** Pages of the report an earlier run left beyond the ones this run wrote. */
  async function deleteErrorPages(bucket: string, key: string, from: number, through: number): Promise<void> {
    for (let page = from; page <= through; page++) await deps.objects.delete(bucket, errorPageKey(key, page));
  }

  async function indexObject(bucket: string, key: string): Promise<IndexReport> {
    const schema = await currentSchema();
    const report = emptyReport(bucket, key, 'indexed');
    const errors = new RowErrorLog(report, deps.objects, errorPageSize);
    const previous = await readManifest(bucket, key);
    const sender = batchSender(report);
    const source = await deps.objects.getStream(bucket, key);

    let headers: string[] | undefined;
    let plan: ReturnType<typeof planColumns>['fields'] = [];
    let row = 0;
    const rejectRow = async (line: number, reason: string) => {
      await errors.add({ line, row, reason });
      // A bad row must not leave the document an earlier version of this object put at the same row.
      if (previous && row <= previous.rows) await sender.push({ type: 'delete', id: documentId(bucket, key, row) });
    };
    for await (const record of readCsvRecords(source)) {
      if (!headers) {
        if (record.kind === 'broken') {
          await errors.add({ line: record.line, row: 0, reason: `header: ${record.reason}` });
          break;
        }
        headers = record.fields;
        if (record.invalidUtf8Field !== undefined) {
          await errors.add({
            line: record.line,
            row: 0,
            reason: `header: column ${record.invalidUtf8Field + 1} is not valid UTF-8`,
          });
        }
        const planned = planColumns(schema, headers);
        plan = planned.fields;
        report.ignoredColumns = planned.ignored;
        if (planned.ignored.length > 0) {
          logger.warn(
            { key, columns: planned.ignored, domain: schema.domainName },
            'CSV columns without a CloudSearch index field are not indexed',
          );
        }
        continue;
      }
      row++;
      if (record.kind === 'broken') {
        await rejectRow(record.line, record.reason);
        continue;
      }
      let reason: string | undefined;
      if (record.invalidUtf8Field !== undefined) {
        reason = `column '${headers[record.invalidUtf8Field] ?? record.invalidUtf8Field + 1}' is not valid UTF-8`;
      } else if (!record.strict) {
        reason = 'malformed quoting (RFC 4180: quotes only around whole fields, "" inside)';
      } else if (record.fields.length !== headers.length) {
        reason = `has ${record.fields.length} fields, the header has ${headers.length}`;
      }
      if (!reason) {
        const result = rowToFields(schema, plan, record.fields, { bucket, key, row });
        if (result.ok) {
          try {
            await sender.push({ type: 'add', id: documentId(bucket, key, row), fields: result.fields });
            if (result.altered) {
              report.alteredRows++;
              const reason = `control characters removed from ${result.altered.map((c) => `'${c}'`).join(', ')}`;
              if (report.altered.length < errorPageSize) report.altered.push({ line: record.line, row, reason });
            }
            continue;
          } catch (err) {
            if (!(err instanceof DocumentTooLargeError)) throw err;
            reason = err.message;
          }
        } else reason = result.reason;
      }
      await rejectRow(record.line, reason);
    }
    report.rows = row;
    for (let stale = row + 1; previous && stale <= previous.rows; stale++) {
      await sender.push({ type: 'delete', id: documentId(bucket, key, stale) });
    }
    await sender.flush();
    report.errorPages = await errors.flush();
    await deleteErrorPages(bucket, key, report.errorPages + 1, previous?.errorPages ?? 1);

    const manifest: ItemsManifest = {
      bucket,
      key,
      rows: row,
      errorPages: report.errorPages,
      indexedAt: new Date().toISOString(),
    };
    await deps.objects.put(bucket, manifestKey(key), JSON.stringify(manifest), { contentType: 'application/json' });
    if (report.badRows > 0 || report.alteredRows > 0 || report.ignoredColumns.length > 0) {
      await deps.objects.put(bucket, errorsKey(key), JSON.stringify(report, null, 2), {
        contentType: 'application/json',
      });
      if (report.badRows > 0)
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
    await deleteErrorPages(bucket, key, 2, manifest.errorPages ?? 1);
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

export const handler = lambdaEntry('csv-to-cloudsearch', { objects, catalogue }, (ports) =>
  createCsvToCloudSearch(ports),
);

function emptyReport(bucket: string, key: string, action: IndexReport['action']): IndexReport {
  return {
    bucket,
    key,
    action,
    rows: 0,
    added: 0,
    deleted: 0,
    badRows: 0,
    errors: [],
    errorPages: 1,
    errorPageKeys: [],
    alteredRows: 0,
    altered: [],
    ignoredColumns: [],
    batches: 0,
  };
}
