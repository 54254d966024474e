import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { buildDomainSchema, type DomainSchema } from '../../domain/cloudsearch-schema.js';
import { logger } from '../../lib/logger.js';
import { type CloudSearchEngine, domainIndexName } from './engine.js';
import { engineMappings } from './mappings.js';

export interface DomainEntry {
  schema: DomainSchema;
  id: string;
  created: Date;
}

/** The domains the emulator serves, keyed by name; the first is the default for requests that name none. */
export class DomainRegistry {
  readonly domains = new Map<string, DomainEntry>();
  constructor(
    private readonly engine: CloudSearchEngine,
    /** JSON file listing the domains' schemas, rewritten on every change. */
    private readonly stateFile?: string,
  ) {}

  /**
   * The schema-file domain first (the default; the file always wins), then domains created in earlier runs. A state
   * file that cannot be read is set aside (renamed, reported), never silently dropped.
   */
  async start(fileSchema: DomainSchema): Promise<void> {
    await this.add(fileSchema, false);
    for (const raw of this.savedDomains()) {
      let schema: DomainSchema;
      try {
        schema = buildDomainSchema(raw);
      } catch (err) {
        logger.error({ err, stateFile: this.stateFile }, 'a saved CloudSearch domain is invalid and was not restored');
        continue;
      }
      if (!this.domains.has(schema.domainName)) await this.add(schema, false);
    }
    this.save();
  }

  private savedDomains(): unknown[] {
    if (!this.stateFile || !existsSync(this.stateFile)) return [];
    try {
      const saved = JSON.parse(readFileSync(this.stateFile, 'utf8')) as { domains?: unknown };
      if (!Array.isArray(saved.domains)) throw new Error('no domains list');
      return saved.domains;
    } catch (err) {
      const aside = `${this.stateFile}.unreadable-${Date.now()}`;
      renameSync(this.stateFile, aside);
      logger.error({ err, keptAs: aside }, 'CloudSearch domain list unreadable: set aside, domains not restored');
      return [];
    }
  }

  private save(): void {
    if (!this.stateFile) return;
    mkdirSync(dirname(this.stateFile), { recursive: true });
    const domains = [...this.domains.values()].map((d) => ({
      DomainName: d.schema.domainName,
      IndexFields: d.schema.definitions,
    }));
    const temp = `${this.stateFile}.tmp`;
    writeFileSync(temp, JSON.stringify({ domains }, null, 2));
    renameSync(temp, this.stateFile);
  }

  async add(schema: DomainSchema, persist = true): Promise<void> {
    const index = domainIndexName(schema.domainName);
    const mappings = engineMappings(schema);
    if (!(await this.engine.hasIndex(index))) await this.engine.createIndex(index, { mappings });
    else {
      try {
        await this.engine.putMapping?.(index, mappings);
      } catch (err) {
        // A field changed type: documents indexed under the old type cannot be kept (CloudSearch would need them
        // re-uploaded too). Start the domain's index afresh and say so.
        logger.error(
          { err, domain: schema.domainName },
          "CloudSearch field types changed: the domain's documents were dropped, upload them again",
        );
        await this.engine.deleteIndex(index);
        await this.engine.createIndex(index, { mappings });
      }
    }
    const existing = this.domains.get(schema.domainName);
    this.domains.set(schema.domainName, {
      schema,
      id: existing?.id ?? randomBytes(13).toString('hex').slice(0, 26),
      created: existing?.created ?? new Date(),
    });
    if (persist) this.save();
  }

  async remove(name: string): Promise<boolean> {
    if (!this.domains.delete(name)) return false;
    if (await this.engine.hasIndex(domainIndexName(name))) await this.engine.deleteIndex(domainIndexName(name));
    this.save();
    return true;
  }

  /** AWS endpoints look like `search-<domain>-<id>.<region>.cloudsearch.amazonaws.com`; otherwise the default domain. */
  forHost(host: string | undefined): DomainSchema | undefined {
    const m = /^(?:doc|search)-([a-z0-9][a-z0-9-]*?)-[a-z0-9]+\./.exec(host ?? '');
    if (m && this.domains.has(m[1])) return this.domains.get(m[1])?.schema;
    return this.domains.values().next().value?.schema;
  }
}
