/**
 * Creates (or updates) the CloudSearch domain described by the schema file, since CloudFormation has no
 * CloudSearch resource: CreateDomain, DefineIndexField per field, IndexDocuments, wait until active, print endpoints.
 *
 *   npx tsx scripts/provision-cloudsearch.ts [--schema FILE] [--dry-run] [--no-wait] [--timeout-minutes N]
 *
 * Region and credentials come from the SDK's standard variables; AWS_ENDPOINT_URL points it at the local edge.
 */
import { pathToFileURL } from 'node:url';
import {
  CloudSearchClient,
  CreateDomainCommand,
  DefineIndexFieldCommand,
  DescribeDomainsCommand,
  type DomainStatus,
  IndexDocumentsCommand,
} from '@aws-sdk/client-cloudsearch';
import { Command } from 'commander';
import { type DomainSchema, definitionOrder, loadDomainSchema } from '../src/domain/cloudsearch-schema.js';
import { topologySchemaFile } from '../src/emulators/cloudsearch/index.js';

export interface ProvisionCall {
  action: 'CreateDomain' | 'DefineIndexField' | 'IndexDocuments' | 'DescribeDomains';
  input: Record<string, unknown>;
}

/** The configuration API calls that bring a domain in line with the schema, in order. */
export function provisioningCalls(schema: DomainSchema): ProvisionCall[] {
  return [
    { action: 'CreateDomain', input: { DomainName: schema.domainName } },
    ...definitionOrder(schema).map((field) => ({
      action: 'DefineIndexField' as const,
      input: { DomainName: schema.domainName, IndexField: field },
    })),
    { action: 'IndexDocuments', input: { DomainName: schema.domainName } },
  ];
}

export interface ProvisionResult {
  domainName: string;
  documentEndpoint?: string;
  searchEndpoint?: string;
  status?: DomainStatus;
}

export async function provisionDomain(
  client: CloudSearchClient,
  schema: DomainSchema,
  options: { wait?: boolean; timeoutMs?: number; pollMs?: number; log?: (line: string) => void } = {},
): Promise<ProvisionResult> {
  const log = options.log ?? (() => {});
  for (const call of provisioningCalls(schema)) {
    log(`${call.action} ${JSON.stringify(call.input)}`);
    if (call.action === 'CreateDomain') await client.send(new CreateDomainCommand(call.input as never));
    else if (call.action === 'DefineIndexField') await client.send(new DefineIndexFieldCommand(call.input as never));
    else await client.send(new IndexDocumentsCommand(call.input as never));
  }
  const deadline = Date.now() + (options.timeoutMs ?? 45 * 60_000);
  for (;;) {
    const out = await client.send(new DescribeDomainsCommand({ DomainNames: [schema.domainName] }));
    const status = out.DomainStatusList?.[0];
    const active =
      status?.Created && !status.Processing && !status.RequiresIndexDocuments && status.SearchService?.Endpoint;
    if (active || !options.wait) {
      return {
        domainName: schema.domainName,
        documentEndpoint: status?.DocService?.Endpoint,
        searchEndpoint: status?.SearchService?.Endpoint,
        status,
      };
    }
    if (Date.now() > deadline) throw new Error(`domain ${schema.domainName} did not become active in time`);
    log(
      `waiting for ${schema.domainName} (processing=${status?.Processing}, requiresIndexDocuments=${status?.RequiresIndexDocuments})`,
    );
    await new Promise((r) => setTimeout(r, options.pollMs ?? 30_000));
  }
}

async function main(argv: string[]): Promise<void> {
  const program = new Command()
    .name('provision-cloudsearch')
    .option('--schema <file>', "domain schema file (default: the topology's)", topologySchemaFile())
    .option('--dry-run', 'print the configuration API calls without sending them')
    .option('--no-wait', 'do not wait for the domain to become active')
    .option('--timeout-minutes <n>', 'how long to wait for the domain', '45')
    .parse(argv);
  const opts = program.opts<{ schema: string; dryRun?: boolean; wait: boolean; timeoutMinutes: string }>();
  const schema = loadDomainSchema(opts.schema);
  if (opts.dryRun) {
    for (const call of provisioningCalls(schema)) console.log(JSON.stringify(call));
    return;
  }
  const client = new CloudSearchClient({});
  try {
    const result = await provisionDomain(client, schema, {
      wait: opts.wait,
      timeoutMs: Number(opts.timeoutMinutes) * 60_000,
      log: (line) => console.error(line),
    });
    console.log(
      JSON.stringify(
        { domain: result.domainName, documentEndpoint: result.documentEndpoint, searchEndpoint: result.searchEndpoint },
        null,
        2,
      ),
    );
  } finally {
    client.destroy();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv).catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  });
}
