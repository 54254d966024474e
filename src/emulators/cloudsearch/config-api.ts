import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { buildDomainSchema, type IndexFieldDefinition } from '../../domain/cloudsearch-schema.js';
import { readBody } from '../../lib/http.js';
import type { DomainRegistry } from './service.js';

/**
 * The configuration API (`@aws-sdk/client-cloudsearch`, AWS query protocol): enough of it for the provisioning
 * script and for DescribeDomains to hand out the local endpoint.
 */
const NS = 'http://cloudsearch.amazonaws.com/doc/2013-01-01/';

class ConfigError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** `IndexField.LiteralOptions.FacetEnabled=true`, `DomainNames.member.1=x` → nested objects and arrays. */
export function parseQueryForm(body: string): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const parts = key.split('.');
    let node: Record<string, unknown> = root;
    for (let i = 0; i < parts.length - 1; i++) {
      const part = parts[i];
      if (parts[i + 1] === 'member') {
        const list = (node[part] as unknown[] | undefined) ?? [];
        node[part] = list;
        const index = Number(parts[i + 2]) - 1;
        if (i + 3 === parts.length) {
          list[index] = value;
          node = {};
          break;
        }
        list[index] ??= {};
        node = list[index] as Record<string, unknown>;
        i += 2;
        continue;
      }
      node[part] ??= {};
      node = node[part] as Record<string, unknown>;
    }
    const last = parts[parts.length - 1];
    if (parts[parts.length - 2] !== 'member') node[last] = value;
  }
  return root;
}

function escapeXml(text: string): string {
  return text.replace(
    /[<>&'"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] as string,
  );
}

function toXml(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => `<member>${toXml(v)}</member>`).join('');
  if (value instanceof Map) {
    return [...value]
      .map(([k, v]) => `<entry><key>${escapeXml(String(k))}</key><value>${toXml(v)}</value></entry>`)
      .join('');
  }
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `<${k}>${toXml(v)}</${k}>`)
      .join('');
  }
  return escapeXml(String(value));
}

function sendXml(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function coerceOptions(options: unknown): Record<string, unknown> | undefined {
  if (!options || typeof options !== 'object') return undefined;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options as Record<string, string>)) {
    out[k] = v === 'true' ? true : v === 'false' ? false : v;
  }
  return out;
}

export async function handleConfigRequest(
  req: IncomingMessage,
  res: ServerResponse,
  registry: DomainRegistry,
): Promise<void> {
  const form = parseQueryForm((await readBody(req, 1024 * 1024)).toString('utf8'));
  const action = String(form.Action ?? '');
  const requestId = randomUUID();
  const host = req.headers.host ?? '127.0.0.1';
  try {
    const result = await runAction(action, form, registry, host);
    sendXml(
      res,
      200,
      `<${action}Response xmlns="${NS}"><${action}Result>${toXml(result)}</${action}Result><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`,
    );
  } catch (err) {
    const e = err instanceof ConfigError ? err : new ConfigError(400, 'ValidationError', (err as Error).message);
    sendXml(
      res,
      e.status,
      `<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>${e.code}</Code><Message>${escapeXml(e.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
    );
  }
}

async function runAction(
  action: string,
  form: Record<string, unknown>,
  registry: DomainRegistry,
  host: string,
): Promise<unknown> {
  const domainName = form.DomainName as string | undefined;
  const domain = () => {
    const d = domainName ? registry.domains.get(domainName) : undefined;
    if (!d) throw new ConfigError(409, 'ResourceNotFound', `Domain not found: ${domainName ?? '(none)'}`);
    return d;
  };
  const status = (name: string) => {
    const d = registry.domains.get(name);
    if (!d) return undefined;
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
  };
  const fieldStatus = (def: IndexFieldDefinition, created: Date) => ({
    Options: def,
    Status: {
      CreationDate: created,
      UpdateDate: new Date(),
      UpdateVersion: 1,
      State: 'Active',
      PendingDeletion: false,
    },
  });
  switch (action) {
    case 'ListDomainNames':
      return { DomainNames: new Map([...registry.domains.keys()].map((name) => [name, '2013-01-01'])) };
    case 'DescribeDomains': {
      const wanted = (form.DomainNames as string[] | undefined) ?? [...registry.domains.keys()];
      return { DomainStatusList: wanted.map(status).filter(Boolean) };
    }
    case 'CreateDomain': {
      if (!domainName) throw new ConfigError(400, 'ValidationError', 'DomainName is required');
      if (!registry.domains.has(domainName))
        await registry.add(buildDomainSchema({ DomainName: domainName, IndexFields: [] }));
      return { DomainStatus: status(domainName) };
    }
    case 'DeleteDomain': {
      const before = status(domainName ?? '');
      if (domainName) await registry.remove(domainName);
      return { DomainStatus: before ? { ...before, Deleted: true } : undefined };
    }
    case 'DefineIndexField': {
      const d = domain();
      const raw = form.IndexField as Record<string, unknown> | undefined;
      if (!raw) throw new ConfigError(400, 'ValidationError', 'IndexField is required');
      const def: Record<string, unknown> = { IndexFieldName: raw.IndexFieldName, IndexFieldType: raw.IndexFieldType };
      for (const [k, v] of Object.entries(raw)) if (k.endsWith('Options')) def[k] = coerceOptions(v);
      const others = d.schema.definitions.filter((f) => f.IndexFieldName !== def.IndexFieldName);
      const schema = buildDomainSchema({ DomainName: d.schema.domainName, IndexFields: [...others, def] });
      await registry.add(schema);
      const defined = schema.definitions.find((f) => f.IndexFieldName === def.IndexFieldName) as IndexFieldDefinition;
      return { IndexField: fieldStatus(defined, d.created) };
    }
    case 'DeleteIndexField': {
      const d = domain();
      const name = form.IndexFieldName as string;
      const def = d.schema.definitions.find((f) => f.IndexFieldName === name);
      if (!def) throw new ConfigError(409, 'ResourceNotFound', `Index field not found: ${name}`);
      await registry.add(
        buildDomainSchema({
          DomainName: d.schema.domainName,
          IndexFields: d.schema.definitions.filter((f) => f !== def),
        }),
      );
      return { IndexField: fieldStatus(def, d.created) };
    }
    case 'DescribeIndexFields': {
      const d = domain();
      const names = form.FieldNames as string[] | undefined;
      const defs = names ? d.schema.definitions.filter((f) => names.includes(f.IndexFieldName)) : d.schema.definitions;
      return { IndexFields: defs.map((f) => fieldStatus(f, d.created)) };
    }
    case 'IndexDocuments':
      return { FieldNames: domain().schema.definitions.map((f) => f.IndexFieldName) };
    default:
      throw new ConfigError(
        400,
        'InvalidAction',
        `The action ${action || '(none)'} is not supported by the local CloudSearch emulator`,
      );
  }
}
