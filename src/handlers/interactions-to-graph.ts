import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { interactions } from '../composition/ports/interactions.js';
import { interactionEventSchema } from '../domain/interaction-events.js';
import { decodeKinesisRecords, recordJson } from '../domain/kinesis-records.js';
import { logger } from '../lib/logger.js';
import type { Interaction, InteractionGraph } from '../ports/recommender.js';
import { lambdaEntry } from './entry.js';

export interface InteractionsToGraphDeps {
  interactions: InteractionGraph;
}

/**
 * Events stream → interaction graph (`user -interacted-> item` with event_type, latest timestamp and count).
 * Records are deaggregated by the shared helper; malformed events are logged and skipped (retrying cannot help);
 * a graph failure reports the carrying Kinesis record as a batch item failure so the mapping retries it
 * (idempotent writes make the redelivered events harmless).
 */
export function createInteractionsToGraph(deps: InteractionsToGraphDeps) {
  return async (event: KinesisStreamEvent): Promise<KinesisStreamBatchResponse> => {
    const bySequence = new Map<string, Interaction[]>();
    for (const record of decodeKinesisRecords(event)) {
      let parsed: ReturnType<typeof interactionEventSchema.safeParse>;
      try {
        parsed = interactionEventSchema.safeParse(recordJson(record));
      } catch (err) {
        logger.error(
          { sequenceNumber: record.sequenceNumber, err },
          'interactions-to-graph: record is not JSON; skipped',
        );
        continue;
      }
      if (!parsed.success) {
        logger.error(
          { sequenceNumber: record.sequenceNumber, issues: parsed.error.issues },
          'interactions-to-graph: not an interaction event; skipped',
        );
        continue;
      }
      const { timestamp, ...rest } = parsed.data;
      const interaction = {
        ...rest,
        timestamp: typeof timestamp === 'number' ? timestamp : Math.floor(Date.parse(timestamp) / 1000),
      };
      const list = bySequence.get(record.sequenceNumber) ?? [];
      list.push(interaction);
      bySequence.set(record.sequenceNumber, list);
    }
    const batchItemFailures: { itemIdentifier: string }[] = [];
    for (const [sequenceNumber, interactions] of bySequence) {
      if (batchItemFailures.length > 0) {
        // after a failure everything later is retried too (the mapping restarts from the first failure)
        batchItemFailures.push({ itemIdentifier: sequenceNumber });
        continue;
      }
      try {
        await deps.interactions.recordInteractions(interactions);
      } catch (err) {
        logger.warn({ sequenceNumber, err }, 'interactions-to-graph: graph write failed');
        batchItemFailures.push({ itemIdentifier: sequenceNumber });
      }
    }
    return { batchItemFailures };
  };
}

export const handler = lambdaEntry('interactions-to-graph', { interactions }, createInteractionsToGraph);
