import { z } from 'zod';
import type { Interaction } from '../ports/recommender.js';

export const MAX_EVENTS_PER_REQUEST = 500;
/** Epoch seconds beyond this are almost certainly milliseconds (year 5138). */
const MAX_EPOCH_SECONDS = 1e11;

const required = (expected: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? 'is required' : `must be ${expected}`;

const id = z
  .string({ error: required('a string') })
  .trim()
  .min(1, 'must be a non-empty string')
  .max(256, 'must be at most 256 characters');

/** `{user_id, item_id, event_type, timestamp}`; timestamp in epoch seconds or ISO 8601 (stored as epoch seconds). */
export const interactionEventSchema = z.object({
  user_id: id,
  item_id: id,
  event_type: id,
  timestamp: z.union(
    [
      z
        .number()
        .int('must be whole epoch seconds')
        .nonnegative()
        .max(MAX_EPOCH_SECONDS, 'must be epoch seconds, not milliseconds'),
      z.iso.datetime({ offset: true }),
    ],
    { error: required('epoch seconds or an ISO 8601 date-time') },
  ),
});

export interface EventValidationError {
  index: number;
  field: string;
  message: string;
}

export type ParsedEvents =
  | { ok: true; events: Interaction[]; batch: boolean }
  | { ok: false; message: string; errors?: EventValidationError[] };

/** Validates a POST /v1/events body (one event object or an array of up to 500); every bad event is named. */
export function parseInteractionEvents(body: unknown): ParsedEvents {
  const batch = Array.isArray(body);
  const list = batch ? (body as unknown[]) : [body];
  if (batch && list.length === 0) return { ok: false, message: 'the event array is empty' };
  if (list.length > MAX_EVENTS_PER_REQUEST) {
    return { ok: false, message: `at most ${MAX_EVENTS_PER_REQUEST} events per request, got ${list.length}` };
  }
  const events: Interaction[] = [];
  const errors: EventValidationError[] = [];
  list.forEach((item, index) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      errors.push({ index, field: '', message: 'must be a JSON object' });
      return;
    }
    const parsed = interactionEventSchema.safeParse(item);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        errors.push({ index, field: issue.path.join('.'), message: issue.message });
      }
      return;
    }
    const { timestamp, ...rest } = parsed.data;
    events.push({
      ...rest,
      timestamp: typeof timestamp === 'number' ? timestamp : Math.floor(Date.parse(timestamp) / 1000),
    });
  });
  if (errors.length > 0) {
    const first = errors[0];
    const where = batch ? `event ${first.index}` : 'event';
    return {
      ok: false,
      message: `${where}: ${first.field ? `${first.field} ` : ''}${first.message}${errors.length > 1 ? ` (and ${errors.length - 1} more errors)` : ''}`,
      errors,
    };
  }
  return { ok: true, events, batch };
}
