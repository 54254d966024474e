import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  type KinesisClient,
  ListShardsCommand,
} from '@aws-sdk/client-kinesis';
import { checkpointsDir, mappingId, openCheckpointStore } from '../runtime/checkpoint-store.js';
import type { FunctionDef, PortName, Topology } from '../topology/index.js';
import type { FunctionStats } from './trace-store.js';

export type NodeKind = 'api' | 'bucket' | 'function' | 'stream' | 'delivery' | 'store' | 'failures';

export interface PipelineNode {
  id: string;
  kind: NodeKind;
  label: string;
  /** Left-to-right position: 0 entry points, 1 first functions, 2 streams, 3 stream consumers, 4 stores. */
  column: number;
  detail?: string;
}

export interface PipelineEdge {
  from: string;
  to: string;
  label?: string;
  kind: 'trigger' | 'writes' | 'reads';
}

export interface PipelineGraph {
  nodes: PipelineNode[];
  edges: PipelineEdge[];
}

const STORE_OF_PORT: Partial<Record<PortName, { id: string; label: string }>> = {
  ocr: { id: 'store:textract', label: 'Textract' },
  search: { id: 'store:opensearch', label: 'OpenSearch' },
  graph: { id: 'store:graph', label: 'Graph (Gremlin)' },
  interactions: { id: 'store:graph', label: 'Graph (Gremlin)' },
  recommender: { id: 'store:graph', label: 'Graph (Gremlin)' },
  cache: { id: 'store:redis', label: 'Redis' },
  status: { id: 'store:redis', label: 'Redis' },
  catalogue: { id: 'store:cloudsearch', label: 'CloudSearch' },
};

const STREAM_ENV: Record<string, number> = {
  OCTEMBER_IMAGE_STREAM: 0,
  OCTEMBER_TEXT_STREAM: 1,
  OCTEMBER_EVENTS_STREAM: 2,
};

/** The topology as a graph to draw: who triggers which function, and what each function writes to. */
export function pipelineGraph(topology: Topology): PipelineGraph {
  const nodes = new Map<string, PipelineNode>();
  const edges: PipelineEdge[] = [];
  const add = (node: PipelineNode) => {
    if (!nodes.has(node.id)) nodes.set(node.id, node);
  };
  const bucket = topology.resources.bucket.name;
  add({ id: 'api', kind: 'api', label: 'API Gateway', column: 0, detail: `/${topology.api.stage}` });
  add({ id: `bucket:${bucket}`, kind: 'bucket', label: `S3 ${bucket}`, column: 0 });
  for (const stream of topology.resources.streams) {
    add({
      id: `stream:${stream.name}`,
      kind: 'stream',
      label: stream.name,
      column: 2,
      detail: `${stream.shards} shard`,
    });
  }
  const triggeredByStream = new Set(topology.streamMappings.map((m) => m.function));
  const transforms = new Set(topology.deliveryStreams.flatMap((d) => (d.transform ? [d.transform.function] : [])));
  for (const fn of topology.functions) {
    const column = triggeredByStream.has(fn.name) || transforms.has(fn.name) ? 3 : 1;
    add({ id: `fn:${fn.name}`, kind: 'function', label: fn.name, column, detail: fn.description });
  }
  for (const route of topology.api.routes) {
    edges.push({ from: 'api', to: `fn:${route.function}`, label: `${route.method} ${route.path}`, kind: 'trigger' });
  }
  for (const trigger of topology.s3Triggers) {
    edges.push({ from: `bucket:${bucket}`, to: `fn:${trigger.function}`, label: trigger.prefix, kind: 'trigger' });
  }
  for (const mapping of topology.streamMappings) {
    edges.push({ from: `stream:${mapping.stream}`, to: `fn:${mapping.function}`, kind: 'trigger' });
  }
  for (const delivery of topology.deliveryStreams) {
    add({
      id: `delivery:${delivery.name}`,
      kind: 'delivery',
      label: delivery.name,
      column: 3,
      detail: delivery.prefix,
    });
    edges.push({ from: `stream:${delivery.source}`, to: `delivery:${delivery.name}`, kind: 'trigger' });
    if (delivery.transform) {
      edges.push({
        from: `delivery:${delivery.name}`,
        to: `fn:${delivery.transform.function}`,
        label: 'transform',
        kind: 'trigger',
      });
    }
    edges.push({
      from: `delivery:${delivery.name}`,
      to: `bucket:${bucket}`,
      label: delivery.prefix.split('!{')[0],
      kind: 'writes',
    });
  }
  for (const fn of topology.functions) writesOf(fn, topology, bucket, add, edges);
  if (topology.resources.failureDestinations.length > 0) {
    add({ id: 'failures', kind: 'failures', label: 'on-failure destination', column: 4 });
    for (const mapping of topology.streamMappings) {
      edges.push({ from: `fn:${mapping.function}`, to: 'failures', kind: 'writes' });
    }
  }
  return { nodes: [...nodes.values()], edges: dedupe(edges) };
}

function writesOf(
  fn: FunctionDef,
  topology: Topology,
  bucket: string,
  add: (node: PipelineNode) => void,
  edges: PipelineEdge[],
) {
  const from = `fn:${fn.name}`;
  for (const port of fn.ports) {
    if (port === 'objects') edges.push({ from, to: `bucket:${bucket}`, kind: 'writes' });
    else if (port === 'streams') {
      for (const variable of fn.environment) {
        const stream = topology.resources.streams[STREAM_ENV[variable] ?? -1];
        if (stream) edges.push({ from, to: `stream:${stream.name}`, kind: 'writes' });
      }
    } else if (port !== 'images') {
      const store = STORE_OF_PORT[port];
      if (!store) continue;
      add({ id: store.id, kind: 'store', label: store.label, column: 4 });
      edges.push({ from, to: store.id, kind: 'writes' });
    }
  }
}

function dedupe(edges: PipelineEdge[]): PipelineEdge[] {
  const seen = new Set<string>();
  return edges.filter((e) => {
    const key = `${e.from}>${e.to}>${e.label ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export interface MappingLag {
  stream: string;
  function: string;
  /** Records not yet handled by the mapping (counted up to 10 000). */
  behind: number;
  millisBehindLatest?: number;
  /** Not measured yet (behind is -1): the measurement follows as a live event. */
  measuring?: true;
}

/** How far each stream mapping's checkpoint is behind its stream's end. */
export async function streamLag(topology: Topology, kinesis: KinesisClient, dataDir: string): Promise<MappingLag[]> {
  return Promise.all(
    topology.streamMappings.map(async (mapping): Promise<MappingLag> => {
      const checkpoints = await openCheckpointStore(
        checkpointsDir(dataDir),
        mappingId(mapping.stream, mapping.function),
      );
      let behind = 0;
      let millisBehindLatest: number | undefined;
      try {
        const shards = (await kinesis.send(new ListShardsCommand({ StreamName: mapping.stream }))).Shards ?? [];
        for (const shard of shards) {
          const checkpoint = checkpoints.get(shard.ShardId ?? '');
          if (checkpoint?.ended) continue;
          let iterator = (
            await kinesis.send(
              new GetShardIteratorCommand({
                StreamName: mapping.stream,
                ShardId: shard.ShardId,
                ...(checkpoint?.sequenceNumber
                  ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', StartingSequenceNumber: checkpoint.sequenceNumber }
                  : { ShardIteratorType: 'TRIM_HORIZON' }),
              }),
            )
          ).ShardIterator;
          for (let page = 0; iterator && page < 10; page++) {
            const out = await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
            const count = out.Records?.length ?? 0;
            behind += count;
            if (page === 0 && count > 0 && out.Records?.[0].ApproximateArrivalTimestamp) {
              millisBehindLatest = Math.max(
                millisBehindLatest ?? 0,
                Date.now() - out.Records[0].ApproximateArrivalTimestamp.getTime(),
              );
            }
            if (count === 0 || out.MillisBehindLatest === 0) break;
            iterator = out.NextShardIterator;
          }
        }
      } catch {
        return { stream: mapping.stream, function: mapping.function, behind: -1 };
      }
      return { stream: mapping.stream, function: mapping.function, behind, millisBehindLatest };
    }),
  );
}

export interface PipelineStatus extends PipelineGraph {
  functions: Record<string, FunctionStats & { failures: number }>;
  lag: MappingLag[];
}

/** What changes live on the drawing: per-function counts and the mappings' lag (the `pipeline` dashboard event). */
export type PipelineCounts = Pick<PipelineStatus, 'functions' | 'lag'>;

/**
 * The mappings' lag, measured in the background. The dashboard gets the last measurement at once (or waits for the
 * first one, so the page never draws an empty table) and a fresh one as a live event.
 */
export class LagMonitor {
  private last: MappingLag[] | undefined;
  private running: Promise<MappingLag[]> | undefined;

  constructor(
    private readonly measure: () => Promise<MappingLag[]>,
    private readonly mappings: readonly { stream: string; function: string }[],
  ) {}

  /** Starts a measurement unless one is under way; resolves with its result (the previous one if it failed). */
  refresh(): Promise<MappingLag[]> {
    // Cleared in the handlers (not a finally, a microtask later): a caller resuming on the result starts afresh.
    this.running ??= this.measure().then(
      (lag) => {
        this.running = undefined;
        this.last = lag;
        return lag;
      },
      () => {
        this.running = undefined;
        return this.last ?? [];
      },
    );
    return this.running;
  }

  /**
   * The last measurement without waiting (a new one starts behind it); the first time, the first measurement if it
   * takes at most `waitMs`, else every mapping marked as being measured.
   */
  latest(waitMs = 300): Promise<MappingLag[]> {
    const fresh = this.refresh();
    if (this.last) return Promise.resolve(this.last);
    const measuring = this.mappings.map((m) => ({
      stream: m.stream,
      function: m.function,
      behind: -1,
      measuring: true as const,
    }));
    return Promise.race([
      fresh,
      new Promise<MappingLag[]>((resolve) => setTimeout(() => resolve(measuring), waitMs).unref()),
    ]);
  }
}

/**
 * Runs `task` `delayMs` after the first call, never twice at once; calls arriving while it runs schedule one more
 * run. What keeps the live pipeline counts current under a stream of invocations without one status per invocation.
 */
export function coalesce(task: () => Promise<void>, delayMs: number): { trigger(): void; stop(): void } {
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let dirty = false;
  let stopped = false;
  const run = async () => {
    timer = undefined;
    running = true;
    dirty = false;
    try {
      await task();
    } catch {
      // The next trigger tries again.
    } finally {
      running = false;
      if (dirty && !stopped) trigger();
    }
  };
  const trigger = () => {
    if (stopped) return;
    if (running) dirty = true;
    else if (!timer) {
      timer = setTimeout(run, delayMs);
      timer.unref();
    }
  };
  return {
    trigger,
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
