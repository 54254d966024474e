// Fault injection with LocalStack's Chaos API shape: `/_localstack/chaos/faults` holds rules
// `{service, region, operation, probability, error: {statusCode, code}}` (the first matching rule wins) and
// `/_localstack/chaos/effects` holds `{latency}` (ms added to every call). The kit applies them to every AWS API on
// the edge and, beyond LocalStack, to OpenSearch, Gremlin and Redis; a rule may also `drop` the connection.
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { readBody, sendJson } from '../../lib/http.js';
import { logger } from '../../lib/logger.js';

const RuleSchema = z
  .object({
    service: z.string().optional(),
    region: z.string().optional(),
    operation: z.string().optional(),
    probability: z.number().min(0).max(1).optional(),
    error: z
      .object({ statusCode: z.number().int().min(100).max(599).optional(), code: z.string().optional() })
      .optional(),
    /** The kit's extension: close the connection instead of answering. */
    drop: z.boolean().optional(),
  })
  .strict();
const RulesSchema = z.array(RuleSchema);
const EffectsSchema = z.object({ latency: z.number().int().min(0).max(600_000).optional() }).strict();
const ChaosFileSchema = z.union([
  RulesSchema,
  z.object({ faults: RulesSchema.optional(), effects: EffectsSchema.optional() }).strict(),
]);

export type FaultRule = z.infer<typeof RuleSchema>;
export type ChaosEffects = z.infer<typeof EffectsSchema>;

/** What a request is, for matching: the service (s3, kinesis, opensearch, gremlin, redis, ...), region, operation. */
export interface ChaosTarget {
  service: string;
  region?: string;
  operation?: string;
  /** More operation names the request also answers to (gremlin: `write` / `read` beside `bytecode` / `eval`). */
  aliases?: readonly string[];
}

export interface InjectedFault {
  statusCode: number;
  code: string;
  drop: boolean;
  message: string;
}

export interface ChaosStats {
  injected: Record<string, number>;
}

const matches = (wanted: string | undefined, actual: string | undefined, aliases: readonly string[] = []) =>
  wanted === undefined ||
  wanted === '*' ||
  (actual !== undefined && wanted.toLowerCase() === actual.toLowerCase()) ||
  aliases.some((a) => a.toLowerCase() === wanted.toLowerCase());

export class Chaos {
  private rules: FaultRule[] = [];
  private effects: ChaosEffects = {};
  private readonly counts = new Map<string, number>();

  constructor(private readonly random: () => number = Math.random) {}

  getFaults(): FaultRule[] {
    return this.rules.map((r) => ({ ...r }));
  }

  /** POST: replaces every rule. */
  setFaults(rules: FaultRule[]): FaultRule[] {
    this.rules = RulesSchema.parse(rules);
    return this.getFaults();
  }

  /** PATCH: adds rules after the present ones. */
  addFaults(rules: FaultRule[]): FaultRule[] {
    this.rules.push(...RulesSchema.parse(rules));
    return this.getFaults();
  }

  /** DELETE: removes the rules equal to the given ones. */
  removeFaults(rules: FaultRule[]): FaultRule[] {
    const gone = RulesSchema.parse(rules).map((r) => JSON.stringify(sortKeys(r)));
    this.rules = this.rules.filter((r) => !gone.includes(JSON.stringify(sortKeys(r))));
    return this.getFaults();
  }

  getEffects(): ChaosEffects {
    return { ...this.effects };
  }

  setEffects(effects: ChaosEffects): ChaosEffects {
    this.effects = EffectsSchema.parse(effects);
    return this.getEffects();
  }

  get active(): boolean {
    return this.rules.length > 0 || (this.effects.latency ?? 0) > 0;
  }

  /** Faults injected so far, by `service:operation:code`. */
  stats(): ChaosStats {
    return { injected: Object.fromEntries(this.counts) };
  }

  /** Waits the configured latency (nothing when there is none). */
  async delay(): Promise<void> {
    const ms = this.effects.latency ?? 0;
    if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
  }

  /** The fault to inject for this request, if the first matching rule fires. */
  faultFor(target: ChaosTarget): InjectedFault | undefined {
    for (const rule of this.rules) {
      if (!matches(rule.service, target.service)) continue;
      if (!matches(rule.region, target.region)) continue;
      if (!matches(rule.operation, target.operation, target.aliases)) continue;
      // first match wins: its probability decides, later rules are not consulted
      if (this.random() >= (rule.probability ?? 1)) return undefined;
      const code = rule.error?.code ?? 'ServiceUnavailable';
      const key = `${target.service}:${target.operation ?? '*'}:${rule.drop ? 'drop' : code}`;
      this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
      return {
        statusCode: rule.error?.statusCode ?? 503,
        code,
        drop: rule.drop === true,
        message: `Failing as the chaos configuration says (${code}, ${target.service}${target.operation ? ` ${target.operation}` : ''})`,
      };
    }
    return undefined;
  }

  /** `octember dev --chaos FILE`: a JSON rule array, or `{faults, effects}`. */
  loadFile(file: string): void {
    const parsed = ChaosFileSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
    if (Array.isArray(parsed)) this.setFaults(parsed);
    else {
      this.setFaults(parsed.faults ?? []);
      this.setEffects(parsed.effects ?? {});
    }
  }
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  return value;
}

let shared: Chaos | undefined;

/** The process's chaos configuration: the edge's API edits it; every emulator of the process consults it. */
export function sharedChaos(): Chaos {
  shared ??= new Chaos();
  return shared;
}

export const CHAOS_PATHS = ['/_localstack/chaos/faults', '/_localstack/chaos/effects'] as const;

/** Serves the Chaos API; false when the path is none of its own. */
export async function handleChaosApi(chaos: Chaos, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  const path = (req.url ?? '/').split('?')[0].replace(/\/+$/, '');
  if (!(CHAOS_PATHS as readonly string[]).includes(path)) return false;
  const method = req.method ?? 'GET';
  try {
    const text = (await readBody(req, 1024 * 1024)).toString('utf8').trim();
    const input: unknown = text ? JSON.parse(text) : undefined;
    if (path.endsWith('/effects')) {
      if (method === 'GET') sendJson(res, 200, chaos.getEffects());
      else if (method === 'POST' || method === 'PUT') sendJson(res, 200, chaos.setEffects(input as ChaosEffects));
      else if (method === 'DELETE') sendJson(res, 200, chaos.setEffects({}));
      else sendJson(res, 405, { message: `${method} is not supported on ${path}` });
      return true;
    }
    const rules = (input ?? []) as FaultRule[];
    if (method === 'GET') sendJson(res, 200, chaos.getFaults());
    else if (method === 'POST' || method === 'PUT') sendJson(res, 200, chaos.setFaults(rules));
    else if (method === 'PATCH') sendJson(res, 200, chaos.addFaults(rules));
    else if (method === 'DELETE')
      sendJson(res, 200, input === undefined ? chaos.setFaults([]) : chaos.removeFaults(rules));
    else sendJson(res, 405, { message: `${method} is not supported on ${path}` });
  } catch (err) {
    const message =
      err instanceof z.ZodError
        ? `invalid chaos configuration: ${err.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`
        : `invalid chaos configuration: ${(err as Error).message}`;
    sendJson(res, 400, { message });
  }
  logger.info({ faults: chaos.getFaults(), effects: chaos.getEffects() }, 'chaos configuration');
  return true;
}
