import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { streams } from '../composition/ports/streams.js';
import { parseInteractionEvents } from '../domain/interaction-events.js';
import { aggregateBatches } from '../domain/kpl.js';
import { EVENTS_STREAM } from '../domain/names.js';
import { logger } from '../lib/logger.js';
import type { EventStream, StreamRecordInput } from '../ports/event-stream.js';
import { lambdaEntry } from './entry.js';
import { jsonResponse } from './responses.js';

export interface EventsApiDeps {
  streams: EventStream;
}

/** Each event travels as one JSON line, so Firehose's concatenation in S3 is newline-delimited JSON. */
const line = (event: object) => Buffer.from(`${JSON.stringify(event)}\n`);

/**
 * `POST /v1/events`: one interaction event or a JSON array of up to 500 → Kinesis `octember-interactions`,
 * partitioned by user. A batch is KPL-aggregated (few Kinesis records, as the KPL would send them); a single
 * event goes as a plain record. 400 names the first bad event (index and field) and lists all of them.
 * Records the stream refuses are retried once; if some still fail the answer is 503 and nothing is half-reported.
 */
export function createEventsApi(deps: EventsApiDeps, options: { eventsStream?: string } = {}) {
  const eventsStream = options.eventsStream ?? EVENTS_STREAM;
  return async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
    if (!event.body)
      return jsonResponse(400, { message: 'request body is required: an event object or an array of events' });
    let body: unknown;
    try {
      body = JSON.parse(event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body);
    } catch {
      return jsonResponse(400, { message: 'request body is not valid JSON' });
    }
    const parsed = parseInteractionEvents(body);
    if (!parsed.ok)
      return jsonResponse(400, { message: parsed.message, ...(parsed.errors ? { errors: parsed.errors } : {}) });

    const users = parsed.events.map((e) => ({ partitionKey: e.user_id, data: line(e) }));
    const records: (StreamRecordInput & { count: number })[] = parsed.batch
      ? aggregateBatches(users)
      : users.map((u) => ({ ...u, count: 1 }));
    let pending = records;
    for (let attempt = 0; attempt < 2 && pending.length > 0; attempt++) {
      const { failed } = await deps.streams.putMany(eventsStream, pending);
      if (failed.length > 0)
        logger.warn({ failed: failed.length, first: failed[0] }, 'events-api: Kinesis refused records');
      pending = failed.map((f) => pending[f.index]);
    }
    if (pending.length > 0) {
      const lost = pending.reduce((n, r) => n + r.count, 0);
      return jsonResponse(503, {
        message: `the event stream refused ${lost} of ${parsed.events.length} events; retry them`,
        accepted: parsed.events.length - lost,
        failed: lost,
      });
    }
    return jsonResponse(202, { accepted: parsed.events.length, records: records.length });
  };
}

export const handler = lambdaEntry('events-api', { streams }, (ports, settings) =>
  createEventsApi(ports, { eventsStream: settings.OCTEMBER_EVENTS_STREAM }),
);
