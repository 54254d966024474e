import type { APIGatewayProxyEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createMemoryEventStream } from '../../src/adapters/memory/event-stream.js';
import { deaggregate, isAggregated } from '../../src/domain/kpl.js';
import { EVENTS_STREAM } from '../../src/domain/names.js';
import { createEventsApi } from '../../src/handlers/events-api.js';

const post = (body: unknown, raw = false) =>
  ({ body: raw ? (body as string) : JSON.stringify(body), isBase64Encoded: false }) as APIGatewayProxyEvent;
const ev = (i: number) => ({
  user_id: `u${i % 3}`,
  item_id: `item-${i}`,
  event_type: 'click',
  timestamp: 1_700_000_000 + i,
});

describe('events-api (POST /v1/events)', () => {
  it('puts a single event as one plain JSON line partitioned by user', async () => {
    const streams = createMemoryEventStream();
    const res = await createEventsApi({ streams })(post({ ...ev(1), timestamp: '2024-01-01T00:00:00Z' }));
    expect(res.statusCode).toBe(202);
    expect(JSON.parse(res.body)).toEqual({ accepted: 1, records: 1 });
    expect(streams.puts).toHaveLength(1);
    expect(streams.puts[0]).toMatchObject({ stream: EVENTS_STREAM, partitionKey: 'u1' });
    const text = Buffer.from(streams.puts[0].data).toString();
    expect(text.endsWith('\n')).toBe(true);
    expect(JSON.parse(text)).toEqual({
      user_id: 'u1',
      item_id: 'item-1',
      event_type: 'click',
      timestamp: 1_704_067_200,
    });
  });

  it('aggregates a batch in KPL format without losing or reordering events', async () => {
    const streams = createMemoryEventStream();
    const batch = Array.from({ length: 500 }, (_, i) => ev(i));
    const res = await createEventsApi({ streams })(post(batch));
    expect(res.statusCode).toBe(202);
    const body = JSON.parse(res.body);
    expect(body.accepted).toBe(500);
    expect(body.records).toBe(streams.puts.length);
    expect(streams.puts.length).toBeLessThan(500);
    const users = streams.puts.flatMap((p) =>
      isAggregated(p.data) ? deaggregate(p.data) : [{ partitionKey: p.partitionKey, data: Buffer.from(p.data) }],
    );
    expect(users.map((u) => JSON.parse(u.data.toString()))).toEqual(batch);
    expect(users.map((u) => u.partitionKey)).toEqual(batch.map((e) => e.user_id));
  });

  it.each([
    ['a body that is not JSON', '{nope', true, /not valid JSON/],
    ['an empty array', [], false, /empty/],
    ['more than 500 events', Array.from({ length: 501 }, (_, i) => ev(i)), false, /at most 500/],
    ['a missing field', { user_id: 'u', item_id: 'i', event_type: 'click' }, false, /^event: timestamp is required/],
    [
      'a bad event inside a batch',
      [ev(0), ev(1), { ...ev(2), item_id: 42 }],
      false,
      /^event 2: item_id must be a string/,
    ],
    ['milliseconds for seconds', { ...ev(0), timestamp: Date.now() }, false, /^event: timestamp/],
  ])('answers 400 for %s', async (_label, body, raw, message) => {
    const streams = createMemoryEventStream();
    const res = await createEventsApi({ streams })(post(body, raw as boolean));
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body).message).toMatch(message as RegExp);
    expect(streams.puts).toHaveLength(0);
  });

  it('lists every bad event with index and field', async () => {
    const streams = createMemoryEventStream();
    const res = await createEventsApi({ streams })(
      post([{ ...ev(0), user_id: '' }, ev(1), { ...ev(2), event_type: null }]),
    );
    const body = JSON.parse(res.body);
    expect(body.errors.map((e: { index: number; field: string }) => [e.index, e.field])).toEqual([
      [0, 'user_id'],
      [2, 'event_type'],
    ]);
  });

  it('retries refused records once and answers 503 when the stream keeps refusing', async () => {
    const streams = createMemoryEventStream();
    let refusals = 1;
    streams.refuse = () => refusals-- > 0;
    const ok = await createEventsApi({ streams })(post(ev(5)));
    expect(ok.statusCode).toBe(202);
    expect(streams.puts).toHaveLength(1);
    streams.refuse = () => true;
    const res = await createEventsApi({ streams })(post([ev(1), ev(2)]));
    expect(res.statusCode).toBe(503);
    expect(JSON.parse(res.body)).toMatchObject({ accepted: 0, failed: 2 });
  });
});
