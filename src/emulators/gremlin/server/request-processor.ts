// One request message in, the response messages out: op dispatch (bytecode / eval), dialect checks, execution,
// batching into 206 partial responses, and Gremlin Server's status codes and messages for failures.
import { createRequire } from 'node:module';
import { GremlinEngineError } from '../engine/graph.js';
import { type BytecodeLike, isBytecode } from '../engine/structure.js';
import { GremlinSyntaxError } from '../language/lexer.js';
import { checkNeptuneBytecode, type GremlinDialect, malformedQuery, mutatesGraph, NeptuneError } from './dialect.js';
import { GremlinServerError, type RequestMessage, type ResponseMessage, Status } from './protocol.js';
import type { PropertyResolver } from './wire-values.js';

const require = createRequire(import.meta.url);
const { Traverser } = require('gremlin').process as {
  Traverser: new (object: unknown, bulk: number) => { object: unknown; bulk: number };
};

/** What the server needs from the parser and engine. */
export interface GremlinEngine {
  execute(bytecode: BytecodeLike, options: { deadline: number }): unknown[];
  parse(script: string, bindings: Record<string, unknown> | undefined): BytecodeLike;
  /** stored properties of elements returned as references (Gremlin Server materializes them by default) */
  properties?: PropertyResolver;
}

export interface ProcessorOptions {
  engine: GremlinEngine;
  dialect: GremlinDialect;
  defaultBatchSize?: number;
  defaultEvaluationTimeoutMs?: number;
  onMutation?: () => void;
}

const SCRIPT_LANGUAGES = new Set(['gremlin-groovy', 'gremlin-lang']);

export class RequestProcessor {
  constructor(private readonly opts: ProcessorOptions) {}

  /** Handles a request; never throws (failures become error responses). */
  process(request: RequestMessage): ResponseMessage[] {
    const started = Date.now();
    try {
      const timeout = this.timeoutOf(request.args);
      if (request.op === 'close' && request.processor === 'session') return this.batches(request, []);
      const { bytecode, asTraversers } = this.prepare(request);
      const timedOut = () =>
        new GremlinServerError(
          Status.SERVER_ERROR_TIMEOUT,
          `A timeout occurred during traversal evaluation of [RequestMessage{, requestId=${request.requestId}, op='${request.op}', processor='${request.processor}', args=${summarizeArgs(request.args)}}] - consider increasing the limit given to evaluationTimeout`,
          ['java.util.concurrent.TimeoutException'],
        );
      let results: unknown[];
      try {
        results = this.opts.engine.execute(bytecode, {
          deadline: timeout > 0 ? started + timeout : Number.POSITIVE_INFINITY,
        });
      } catch (err) {
        // the engine checks the deadline between steps and gives up with a TraversalTimeoutError
        if (err instanceof Error && err.name === 'TraversalTimeoutError') throw timedOut();
        throw err;
      } finally {
        if (mutatesGraph(bytecode)) this.opts.onMutation?.();
      }
      if (timeout > 0 && Date.now() - started > timeout) throw timedOut();
      const data = asTraversers ? results.map((r) => new Traverser(r, 1)) : results;
      return this.batches(request, data);
    } catch (err) {
      return [this.errorResponse(request.requestId, err)];
    }
  }

  /**
   * The one writer of the server's failures: a request error keeps its status (498, 499, 598, ...), an evaluation
   * error of the traversal or the script (the engine's, the parser's) is a 597, and anything else is the emulator's
   * own bug: 500 SERVER_ERROR (Neptune: InternalFailureException), never a client error. The Neptune dialect puts
   * Neptune's `{requestId, code, detailedMessage}` envelope in the status message.
   */
  errorResponse(requestId: string | null, err: unknown): ResponseMessage {
    let code: number;
    let message: string;
    let exceptions: string[] = [];
    const neptune = this.opts.dialect === 'neptune';
    const detail = err instanceof Error ? err.message : String(err);
    if (err instanceof NeptuneError) {
      code = err.code;
      message = err.envelope(requestId);
    } else if (err instanceof GremlinServerError) {
      code = err.code;
      message = err.message;
      exceptions = err.exceptions;
    } else if (isEvaluationError(err)) {
      code = Status.SERVER_ERROR_EVALUATION;
      message = neptune ? neptuneEnvelope(requestId, 'InternalFailureException', detail) : detail;
      exceptions = neptune ? [] : [err.name];
    } else {
      code = Status.SERVER_ERROR;
      message = neptune ? neptuneEnvelope(requestId, 'InternalFailureException', detail) : detail;
      exceptions = neptune ? [] : ['java.lang.IllegalStateException'];
    }
    const attributes = new Map<string, unknown>([
      ['exceptions', exceptions],
      ['stackTrace', message],
    ]);
    return { requestId, status: { code, message, attributes }, result: { data: null, meta: new Map() } };
  }

  private timeoutOf(args: Record<string, unknown>): number {
    const raw = args.evaluationTimeout ?? args.scriptEvaluationTimeout;
    if (raw === undefined || raw === null) return this.opts.defaultEvaluationTimeoutMs ?? 30_000;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < 0) {
      throw new GremlinServerError(
        Status.INVALID_REQUEST_ARGUMENTS,
        `The evaluationTimeout argument must be a positive number: ${String(raw)}`,
      );
    }
    return n;
  }

  private prepare(request: RequestMessage): { bytecode: BytecodeLike; asTraversers: boolean } {
    const { op, processor, args } = request;
    if (op === 'bytecode') {
      if (processor !== 'traversal' && processor !== 'session') {
        throw new GremlinServerError(Status.INVALID_REQUEST_ARGUMENTS, `Invalid OpProcessor requested [${processor}]`);
      }
      if (!isBytecode(args.gremlin)) {
        throw new GremlinServerError(
          Status.INVALID_REQUEST_ARGUMENTS,
          'A message with a [bytecode] op code requires a [gremlin] argument.',
        );
      }
      this.checkAliases(args.aliases, true);
      if (this.opts.dialect === 'neptune') checkNeptuneBytecode(args.gremlin);
      return { bytecode: args.gremlin, asTraversers: true };
    }
    if (op === 'eval') {
      if (processor !== '' && processor !== 'session') {
        throw new GremlinServerError(Status.INVALID_REQUEST_ARGUMENTS, `Invalid OpProcessor requested [${processor}]`);
      }
      if (typeof args.gremlin !== 'string') {
        throw new GremlinServerError(
          Status.INVALID_REQUEST_ARGUMENTS,
          'A message with an [eval] op code requires a [gremlin] argument.',
        );
      }
      const language = (args.language as string | undefined) ?? 'gremlin-groovy';
      if (!SCRIPT_LANGUAGES.has(language)) {
        throw new GremlinServerError(Status.INVALID_REQUEST_ARGUMENTS, `Language [${language}] is not supported`);
      }
      this.checkAliases(args.aliases, false);
      return {
        bytecode: this.parseScript(args.gremlin, args.bindings as Record<string, unknown> | undefined),
        asTraversers: false,
      };
    }
    throw new GremlinServerError(Status.INVALID_REQUEST_ARGUMENTS, `Message with op code [${op}] is not recognized.`);
  }

  private checkAliases(aliases: unknown, required: boolean): void {
    if (aliases === undefined || aliases === null) {
      if (!required) return;
      throw new GremlinServerError(
        Status.INVALID_REQUEST_ARGUMENTS,
        "A message with [bytecode] op code requires the [aliases] argument to be a Map containing one alias assignment named 'g'.",
      );
    }
    const entries = aliases instanceof Map ? [...aliases] : Object.entries(aliases as Record<string, unknown>);
    for (const [alias, source] of entries) {
      if (source !== 'g') {
        throw new GremlinServerError(
          Status.INVALID_REQUEST_ARGUMENTS,
          `The traversal source [${String(source)}] for alias [${String(alias)}] is not configured on the server.`,
        );
      }
    }
  }

  private parseScript(script: string, bindings: Record<string, unknown> | undefined): BytecodeLike {
    const { engine, dialect } = this.opts;
    let bytecode: BytecodeLike;
    try {
      // Neptune's gremlin-lang evaluation has no script variables: bindings are not applied there.
      bytecode = engine.parse(script, dialect === 'neptune' ? undefined : bindings);
    } catch (err) {
      const detail = err instanceof Error ? err.message : String(err);
      if (dialect === 'neptune') throw malformedQuery(`Failed to interpret Gremlin query: ${detail}`);
      throw new GremlinServerError(Status.SERVER_ERROR_EVALUATION, detail, [
        'org.apache.tinkerpop.gremlin.language.grammar.GremlinParserException',
      ]);
    }
    if (dialect === 'neptune') checkNeptuneBytecode(bytecode);
    return bytecode;
  }

  private batches(request: RequestMessage, data: unknown[]): ResponseMessage[] {
    const meta = new Map<string, unknown>();
    const ok = (code: number, chunk: unknown): ResponseMessage => ({
      requestId: request.requestId,
      status: { code, message: '', attributes: new Map() },
      result: { data: chunk, meta },
    });
    if (data.length === 0) return [ok(Status.NO_CONTENT, null)];
    const raw = Number(request.args.batchSize ?? this.opts.defaultBatchSize ?? 64);
    const size = Number.isFinite(raw) && raw > 0 ? Math.floor(raw) : 64;
    const out: ResponseMessage[] = [];
    for (let i = 0; i < data.length; i += size) {
      const last = i + size >= data.length;
      out.push(ok(last ? Status.SUCCESS : Status.PARTIAL_CONTENT, data.slice(i, i + size)));
    }
    return out;
  }
}

/** A failure of the traversal or the script itself (what Gremlin Server answers with 597), not of the emulator. */
function isEvaluationError(err: unknown): err is Error {
  return err instanceof GremlinEngineError || err instanceof GremlinSyntaxError;
}

const neptuneEnvelope = (requestId: string | null, code: string, detailedMessage: string) =>
  JSON.stringify({ requestId, code, detailedMessage });

function summarizeArgs(args: Record<string, unknown>): string {
  const gremlin = typeof args.gremlin === 'string' ? args.gremlin : String(args.gremlin);
  return `{gremlin=${gremlin}}`;
}
