import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MAX_BATCH_BYTES } from '../../domain/cloudsearch-limits.js';
import { type DomainSchema, loadDomainSchema } from '../../domain/cloudsearch-schema.js';
import { sendJson } from '../../lib/http.js';
import { logger } from '../../lib/logger.js';
import { TOPOLOGY } from '../../topology/index.js';
import type { EdgeService } from '../edge/service.js';
import { handleConfigRequest } from './config-api.js';
import { applyBatch } from './documents.js';
import { DomainRegistry } from './domain-registry.js';
import type { CloudSearchEngine } from './engine.js';
import {
  CloudSearchError,
  documentError,
  internalError,
  searchError,
  sendConfigApiError,
  sendDomainApiError,
} from './errors.js';
import { runSearch } from './search.js';

export interface CloudSearchServiceOptions {
  engine: CloudSearchEngine;
  /** Domain schema file (`--cloudsearch-schema`); by default the topology's `resources.cloudSearchDomain.schema`. */
  schemaFile?: string;
  /** Where domains created through the configuration API are remembered (documents persist in the engine). */
  dataDir?: string;
}

const MAX_DRAIN_BYTES = 64 * 1024 * 1024;

/** The topology's domain schema file (a path relative to the project root). */
export function topologySchemaFile(): string {
  return fileURLToPath(new URL(TOPOLOGY.resources.cloudSearchDomain.schema, new URL('../../../', import.meta.url)));
}

/** Reads up to `limit` bytes; a larger body is drained (so the client sees our answer, not a reset) and rejected. */
async function readLimited(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size <= limit) chunks.push(chunk as Buffer);
    else if (size > MAX_DRAIN_BYTES) {
      req.destroy();
      return undefined;
    }
  }
  return size <= limit ? Buffer.concat(chunks) : undefined;
}

export function createCloudSearchService(opts: CloudSearchServiceOptions): EdgeService {
  const registry = new DomainRegistry(
    opts.engine,
    opts.dataDir ? join(opts.dataDir, 'cloudsearch-domains.json') : undefined,
  );
  // A schema file that cannot be read fails here, at start-up, with the file named.
  const ready = registry.start(loadDomainSchema(opts.schemaFile ?? topologySchemaFile()));
  ready.catch((err) => logger.error({ err }, 'cloudsearch domain setup failed'));

  async function documentBatch(req: IncomingMessage, res: ServerResponse, schema: DomainSchema): Promise<void> {
    if (req.method !== 'POST') throw documentError(['documents/batch only accepts POST'], 405);
    const contentType = String(req.headers['content-type'] ?? 'application/json');
    const body = await readLimited(req, MAX_BATCH_BYTES);
    if (body === undefined) {
      throw documentError([`Request size exceeded the maximum batch size of ${MAX_BATCH_BYTES} bytes`], 413);
    }
    if (!contentType.includes('json') && !contentType.includes('xml')) {
      throw documentError([`Invalid Content-Type '${contentType}': use application/json or application/xml`]);
    }
    sendJson(res, 200, await applyBatch(opts.engine, schema, body, contentType));
  }

  async function search(req: IncomingMessage, res: ServerResponse, schema: DomainSchema, url: URL): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'POST') throw searchError('search accepts GET and POST', 405);
    // POST search sends the parameters form-encoded in the body.
    let params = url.searchParams;
    if (req.method === 'POST') {
      const body = await readLimited(req, MAX_BATCH_BYTES);
      if (body === undefined) throw searchError(`Search request body exceeds ${MAX_BATCH_BYTES} bytes`, 413);
      params = new URLSearchParams(body.toString('utf8'));
      for (const [k, v] of url.searchParams) if (!params.has(k)) params.set(k, v);
    }
    sendJson(res, 200, await runSearch(opts.engine, schema, params));
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    let path = url.pathname.replace(/\/+$/, '');
    // Local endpoints name their domain in the path: /cloudsearch/<domain>/2013-01-01/... (see DescribeDomains).
    const scoped = /^\/cloudsearch\/([a-z0-9][a-z0-9-]*)(\/.*)?$/.exec(path);
    if (scoped) path = scoped[2] ?? '';
    const api = path === '/2013-01-01/documents/batch' ? 'document' : 'search';
    const notFound = (message: string) =>
      api === 'document' ? documentError([message], 404) : searchError(message, 404);
    try {
      await ready;
      if (req.method === 'POST' && path === '') return await handleConfigRequest(req, res, registry);
      const schema = scoped ? registry.domains.get(scoped[1])?.schema : registry.forHost(req.headers.host);
      if (!schema)
        throw notFound(scoped ? `No CloudSearch domain named ${scoped[1]}` : 'No CloudSearch domain is configured');
      if (path === '/2013-01-01/documents/batch') return await documentBatch(req, res, schema);
      if (path === '/2013-01-01/search') return await search(req, res, schema, url);
      if (path === '/2013-01-01/suggest') throw searchError('No suggesters are configured for this domain');
      throw notFound(`Unknown CloudSearch resource ${url.pathname}`);
    } catch (err) {
      if (!(err instanceof CloudSearchError) || !err.senderFault)
        logger.error({ err, path }, 'cloudsearch request failed');
      sendDomainApiError(res, err instanceof CloudSearchError ? err : internalError(api, err));
    }
  }

  return {
    name: 'cloudsearch',
    signingNames: ['cloudsearch'],
    pathPrefixes: ['/2013-01-01/', '/cloudsearch/'],
    handle,
    writeError(req, res, err) {
      const error =
        err instanceof CloudSearchError ? err : new CloudSearchError(err.code, err.message, { status: err.status });
      if (req.method === 'POST' && /^\/?(\?|$)/.test(req.url ?? '/')) sendConfigApiError(res, error, randomUUID());
      else sendDomainApiError(res, error);
    },
  };
}
