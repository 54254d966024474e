import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { MAX_DOMAINS, MAX_INDEX_FIELDS } from '../../domain/cloudsearch-limits.js';
import {
  buildDomainSchema,
  type DomainSchema,
  DomainSchemaError,
  type IndexFieldDefinition,
} from '../../domain/cloudsearch-schema.js';
import { BodyTooLargeError, readBody } from '../../lib/http.js';
import { logger } from '../../lib/logger.js';
import type { DomainEntry, DomainRegistry } from './domain-registry.js';
import { CloudSearchError, configErrors, internalError, sendConfigApiError } from './errors.js';
import { parseQueryForm, type QueryForm, type QueryValue, sendQueryResult } from './query-protocol.js';

/**
 * The configuration API (`@aws-sdk/client-cloudsearch`, AWS query protocol): enough of it for the provisioning
 * script, for csv-to-cloudsearch to read a domain's fields, and for DescribeDomains to hand out the local endpoint.
 */
const MAX_FORM_BYTES = 1024 * 1024;
const DOMAIN_NAME = /^[a-z0-9][a-z0-9-]{2,27}$/;

export async function handleConfigRequest(
  req: IncomingMessage,
  res: ServerResponse,
  registry: DomainRegistry,
): Promise<void> {
  const requestId = randomUUID();
  try {
    const form = parseQueryForm((await readForm(req)).toString('utf8'));
    const action = stringParam(form, 'Action') ?? '';
    const result = await runAction(action, form, registry, req.headers.host ?? '127.0.0.1');
    sendQueryResult(res, action, result, requestId);
  } catch (err) {
    if (!(err instanceof CloudSearchError)) logger.error({ err }, 'cloudsearch configuration request failed');
    sendConfigApiError(res, err instanceof CloudSearchError ? err : internalError('configuration', err), requestId);
  }
}

async function readForm(req: IncomingMessage): Promise<Buffer> {
  try {
    return await readBody(req, MAX_FORM_BYTES);
  } catch (err) {
    if (!(err instanceof BodyTooLargeError)) throw err;
    req.resume();
    throw new CloudSearchError('ValidationException', `Request body exceeds ${MAX_FORM_BYTES} bytes`, { status: 413 });
  }
}

function stringParam(form: QueryForm, name: string): string | undefined {
  const value = form[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw configErrors.validation(`Parameter '${name}' must be a single value`);
  return value;
}

function listParam(form: QueryForm, name: string): string[] | undefined {
  const value = form[name];
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string'))
    throw configErrors.validation(`Parameter '${name}' must be a list (${name}.member.N)`);
  return value as string[];
}

function domainNameParam(form: QueryForm): string {
  const name = stringParam(form, 'DomainName');
  if (name === undefined) throw configErrors.validation('DomainName is required');
  if (!DOMAIN_NAME.test(name)) {
    throw configErrors.validation(
      `Value '${name}' at 'domainName' failed to satisfy constraint: 3-28 characters a-z, 0-9 and -, starting with a letter or digit`,
    );
  }
  return name;
}

/** A schema change refused with the code AWS gives it. */
function schemaOrError(raw: unknown): DomainSchema {
  try {
    return buildDomainSchema(raw);
  } catch (err) {
    if (!(err instanceof DomainSchemaError)) throw err;
    if (err.problem === 'too-many-fields') throw configErrors.limitExceeded(err.message);
    if (err.problem === 'invalid-type') throw configErrors.invalidType(err.message);
    throw configErrors.validation(err.message);
  }
}

const BOOLEAN_OPTIONS = new Set(['FacetEnabled', 'ReturnEnabled', 'SearchEnabled', 'SortEnabled', 'HighlightEnabled']);

/** `IndexField.*` form parameters → an IndexField definition (the schema check validates it further). */
function indexFieldParam(form: QueryForm): IndexFieldDefinition {
  const raw = form.IndexField;
  if (raw === undefined) throw configErrors.validation('IndexField is required');
  if (typeof raw !== 'object' || Array.isArray(raw)) throw configErrors.validation('IndexField must be a structure');
  const def: Record<string, unknown> = {
    IndexFieldName: stringParam(raw, 'IndexFieldName'),
    IndexFieldType: stringParam(raw, 'IndexFieldType'),
  };
  for (const [key, value] of Object.entries(raw)) {
    if (key === 'IndexFieldName' || key === 'IndexFieldType') continue;
    if (!key.endsWith('Options') || value === undefined || typeof value !== 'object' || Array.isArray(value))
      throw configErrors.validation(`Unknown parameter IndexField.${key}`);
    def[key] = optionsParam(key, value);
  }
  return def as IndexFieldDefinition;
}

function optionsParam(key: string, options: QueryForm): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(options as Record<string, QueryValue>)) {
    if (typeof value !== 'string') throw configErrors.validation(`IndexField.${key}.${name} must be a single value`);
    if (BOOLEAN_OPTIONS.has(name)) {
      if (value !== 'true' && value !== 'false')
        throw configErrors.validation(`IndexField.${key}.${name} must be true or false, got '${value}'`);
      out[name] = value === 'true';
    } else out[name] = value;
  }
  return out;
}

function domainStatus(entry: DomainEntry, host: string) {
  const name = entry.schema.domainName;
  return {
    DomainId: `123456789012/${name}`,
    DomainName: name,
    ARN: `arn:aws:cloudsearch:us-east-1:123456789012:domain/${name}`,
    Created: true,
    Deleted: false,
    DocService: { Endpoint: `${host}/cloudsearch/${name}` },
    SearchService: { Endpoint: `${host}/cloudsearch/${name}` },
    RequiresIndexDocuments: false,
    Processing: false,
    SearchInstanceType: 'search.small',
    SearchPartitionCount: 1,
    SearchInstanceCount: 1,
  };
}

function fieldStatus(def: IndexFieldDefinition, created: Date) {
  return {
    Options: def,
    Status: {
      CreationDate: created,
      UpdateDate: new Date(),
      UpdateVersion: 1,
      State: 'Active',
      PendingDeletion: false,
    },
  };
}

async function runAction(action: string, form: QueryForm, registry: DomainRegistry, host: string): Promise<unknown> {
  const existing = (name: string): DomainEntry => {
    const entry = registry.domains.get(name);
    if (!entry) throw configErrors.notFound(`Domain not found: ${name}`);
    return entry;
  };
  switch (action) {
    case 'ListDomainNames':
      return { DomainNames: new Map([...registry.domains.keys()].map((name) => [name, '2013-01-01'])) };
    case 'DescribeDomains': {
      const wanted = listParam(form, 'DomainNames') ?? [...registry.domains.keys()];
      return {
        DomainStatusList: wanted.flatMap((name) => {
          const entry = registry.domains.get(name);
          return entry ? [domainStatus(entry, host)] : [];
        }),
      };
    }
    case 'CreateDomain': {
      const name = domainNameParam(form);
      if (!registry.domains.has(name)) {
        if (registry.domains.size >= MAX_DOMAINS)
          throw configErrors.limitExceeded(`An account can have at most ${MAX_DOMAINS} search domains`);
        await registry.add(schemaOrError({ DomainName: name, IndexFields: [] }));
      }
      return { DomainStatus: domainStatus(existing(name), host) };
    }
    case 'DeleteDomain': {
      const name = domainNameParam(form);
      const entry = registry.domains.get(name);
      if (entry) await registry.remove(name);
      return { DomainStatus: entry ? { ...domainStatus(entry, host), Deleted: true } : undefined };
    }
    case 'DefineIndexField': {
      const entry = existing(domainNameParam(form));
      const def = indexFieldParam(form);
      const others = entry.schema.definitions.filter((f) => f.IndexFieldName !== def.IndexFieldName);
      if (others.length >= MAX_INDEX_FIELDS) {
        throw configErrors.limitExceeded(
          `Domain ${entry.schema.domainName} already has ${MAX_INDEX_FIELDS} index fields, the limit`,
        );
      }
      const schema = schemaOrError({ DomainName: entry.schema.domainName, IndexFields: [...others, def] });
      await registry.add(schema);
      const defined = schema.definitions.find((f) => f.IndexFieldName === def.IndexFieldName) as IndexFieldDefinition;
      return { IndexField: fieldStatus(defined, entry.created) };
    }
    case 'DeleteIndexField': {
      const entry = existing(domainNameParam(form));
      const name = stringParam(form, 'IndexFieldName');
      const def = entry.schema.definitions.find((f) => f.IndexFieldName === name);
      if (!def) throw configErrors.notFound(`Index field not found: ${name ?? '(none)'}`);
      const remaining = entry.schema.definitions.filter((f) => f !== def);
      await registry.add(schemaOrError({ DomainName: entry.schema.domainName, IndexFields: remaining }));
      return { IndexField: fieldStatus(def, entry.created) };
    }
    case 'DescribeIndexFields': {
      const entry = existing(domainNameParam(form));
      const names = listParam(form, 'FieldNames');
      const defs = names
        ? entry.schema.definitions.filter((f) => names.includes(f.IndexFieldName))
        : entry.schema.definitions;
      return { IndexFields: defs.map((f) => fieldStatus(f, entry.created)) };
    }
    case 'IndexDocuments':
      return { FieldNames: existing(domainNameParam(form)).schema.definitions.map((f) => f.IndexFieldName) };
    default:
      throw configErrors.invalidAction(
        `The action ${action || '(none)'} is not supported by the local CloudSearch emulator`,
      );
  }
}
