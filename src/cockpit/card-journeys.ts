import { decodeS3EventKey, isRawCardImageKey, parseImageKey } from '../domain/image-key.js';
import type { TracedInvocation } from './trace-store.js';

/** A stage of a card's trip through pipeline 1, as the invocations that handled it show it. */
export interface JourneyStage {
  stage: 'upload' | 'start' | 'ocr' | 'search' | 'graph';
  function: string;
  /** Epoch ms the invocation started. */
  at: number;
  durationMs: number;
  outcome: 'success' | 'error';
  traceId: number;
  error?: string;
}

export interface CardJourney {
  imageId: string;
  owner: string;
  bucket?: string;
  key?: string;
  /** START once the trigger queued it, END once OCR and extraction finished, FAILED when a stage failed for it. */
  status: 'UPLOADED' | 'START' | 'END' | 'FAILED';
  /** Extracted fields, from the text stream record the search and graph consumers got. */
  fields?: Record<string, unknown>;
  /** The stages of the latest trip (an upload of the same image again starts a new one). */
  stages: JourneyStage[];
  /** Trips this image made (uploads of the same key). */
  runs: number;
  firstAt: number;
  lastAt: number;
}

const STAGE_OF: Record<string, JourneyStage['stage']> = {
  'put-object-api': 'upload',
  'trigger-text-extract': 'start',
  'get-text-from-image': 'ocr',
  'upsert-to-search': 'search',
  'upsert-to-graph': 'graph',
};

interface CardRecordRef {
  key: string;
  bucket?: string;
  fields?: Record<string, unknown>;
  /** Kinesis sequence number, matched against batchItemFailures. */
  sequenceNumber?: string;
}

function kinesisJson(record: Record<string, unknown>): Record<string, unknown> | undefined {
  const data = (record.kinesis as { data?: string } | undefined)?.data;
  if (typeof data !== 'string') return undefined;
  try {
    return JSON.parse(Buffer.from(data, 'base64').toString('utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** The card images an invocation handled, read off its event. */
function cardsOf(trace: TracedInvocation): CardRecordRef[] {
  const event = trace.event as Record<string, unknown> | undefined;
  if (!event || typeof event !== 'object') return [];
  if (trace.source === 'api') {
    const params = event.pathParameters as { bucket?: string; object?: string } | null | undefined;
    return params?.object && isRawCardImageKey(params.object) ? [{ key: params.object, bucket: params.bucket }] : [];
  }
  const records = Array.isArray(event.Records) ? (event.Records as Record<string, unknown>[]) : [];
  const refs: CardRecordRef[] = [];
  for (const record of records) {
    if (trace.source === 's3') {
      const s3 = record.s3 as { bucket?: { name?: string }; object?: { key?: string } } | undefined;
      if (!s3?.object?.key) continue;
      const key = decodeS3EventKey(s3.object.key);
      if (isRawCardImageKey(key)) refs.push({ key, bucket: s3.bucket?.name });
    } else if (trace.source === 'kinesis') {
      const body = kinesisJson(record);
      if (typeof body?.s3_key !== 'string') continue;
      refs.push({
        key: body.s3_key,
        bucket: typeof body.s3_bucket === 'string' ? body.s3_bucket : undefined,
        fields: body.data && typeof body.data === 'object' ? (body.data as Record<string, unknown>) : undefined,
        sequenceNumber: (record.kinesis as { sequenceNumber?: string } | undefined)?.sequenceNumber,
      });
    }
  }
  return refs;
}

function failedSequenceNumbers(result: unknown): Set<string> {
  const failures = (result as { batchItemFailures?: { itemIdentifier?: string }[] } | undefined)?.batchItemFailures;
  return new Set((failures ?? []).map((f) => String(f.itemIdentifier)));
}

/**
 * An upload of an image already seen starts a new trip, and so does an S3 trigger's first attempt not preceded by
 * an upload through the API (a put straight to S3); replays and retries belong to the trip they repeat.
 */
function startsNewTrip(journey: CardJourney, stage: JourneyStage['stage'], trace: TracedInvocation): boolean {
  if (trace.replayOf || journey.stages.length === 0) return false;
  if (stage === 'upload') return true;
  return stage === 'start' && trace.attempt === 1 && journey.stages.at(-1)?.stage !== 'upload';
}

/** Card journeys built up from traced invocations, newest first; bounded (the oldest journeys are dropped). */
export class CardJourneys {
  private readonly journeys = new Map<string, CardJourney>();

  constructor(private readonly capacity = 500) {}

  /** Folds one invocation in; returns the journeys it changed. */
  add(trace: TracedInvocation): CardJourney[] {
    const stage = STAGE_OF[trace.function];
    if (!stage) return [];
    const failed = failedSequenceNumbers(trace.result);
    const changed: CardJourney[] = [];
    for (const ref of cardsOf(trace)) {
      const { imageId, owner } = parseImageKey(ref.key);
      let journey = this.journeys.get(imageId);
      if (!journey) {
        journey = {
          imageId,
          owner,
          status: 'UPLOADED',
          stages: [],
          runs: 1,
          firstAt: trace.startedAt,
          lastAt: trace.startedAt,
        };
        this.journeys.set(imageId, journey);
        while (this.journeys.size > this.capacity) {
          const oldest = this.journeys.keys().next().value;
          if (oldest === undefined) break;
          this.journeys.delete(oldest);
        }
      } else if (startsNewTrip(journey, stage, trace)) {
        journey.runs++;
        journey.stages = [];
        journey.fields = undefined;
        journey.status = 'UPLOADED';
        journey.firstAt = trace.startedAt;
        journey.lastAt = trace.startedAt;
      }
      journey.key = ref.key;
      journey.bucket = ref.bucket ?? journey.bucket;
      if (ref.fields) journey.fields = ref.fields;
      const recordFailed = ref.sequenceNumber !== undefined && failed.has(ref.sequenceNumber);
      const outcome = trace.outcome === 'error' || recordFailed ? 'error' : 'success';
      journey.stages.push({
        stage,
        function: trace.function,
        at: trace.startedAt,
        durationMs: trace.durationMs,
        outcome,
        traceId: trace.id,
        ...(outcome === 'error'
          ? { error: trace.error?.errorMessage ?? 'the record was reported as a batch item failure' }
          : {}),
      });
      journey.stages.sort((a, b) => a.at - b.at);
      journey.lastAt = Math.max(journey.lastAt, trace.startedAt + trace.durationMs);
      // The latest word wins: a retried stage that succeeds clears an earlier FAILED.
      if (outcome === 'error') journey.status = 'FAILED';
      else if (stage === 'ocr') journey.status = 'END';
      else if (stage === 'start' && journey.status !== 'END') journey.status = 'START';
      changed.push(journey);
    }
    return changed;
  }

  get(imageId: string): CardJourney | undefined {
    return this.journeys.get(imageId);
  }

  list(limit = 100): CardJourney[] {
    return [...this.journeys.values()].sort((a, b) => b.firstAt - a.firstAt).slice(0, limit);
  }

  clear(): void {
    this.journeys.clear();
  }
}
