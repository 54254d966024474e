// The memory adapters: every port contract they implement, plus what only they offer (test hooks).
import { describe, expect, it } from 'vitest';
import {
  createMemoryCache,
  createMemoryEventStream,
  createMemoryObjectStore,
  createMemoryStatusStore,
} from '../../src/adapters/memory/index.js';
import { createMemoryInteractionGraph } from '../../src/adapters/memory/interaction-graph.js';
import { cacheContract } from '../contracts/cache.contract.js';
import { eventStreamContract } from '../contracts/event-stream.contract.js';
import { interactionGraphContract } from '../contracts/interaction-graph.contract.js';
import { objectStoreContract } from '../contracts/object-store.contract.js';
import { statusStoreContract } from '../contracts/status-store.contract.js';

objectStoreContract('memory', async () => ({ store: createMemoryObjectStore(), buckets: ['a', 'b'] }));

eventStreamContract('memory', async () => {
  const stream = createMemoryEventStream();
  return {
    stream,
    createStream: async () => undefined,
    read: async (name) =>
      stream.puts
        .filter((put) => put.stream === name)
        .map((put) => ({ partitionKey: put.partitionKey, data: Buffer.from(put.data) })),
  };
});

cacheContract('memory', async () => ({ cache: createMemoryCache() }));

statusStoreContract('memory', async () => ({ status: createMemoryStatusStore() }));

interactionGraphContract('memory', async () => {
  const graph = createMemoryInteractionGraph();
  return {
    graph,
    edges: async (user) =>
      [...(graph.edges.get(user) ?? new Map())].flatMap(([item, types]) =>
        [...types.values()].map((edge) => ({
          item,
          event_type: edge.event_type,
          count: edge.count,
          timestamp: edge.timestamp,
        })),
      ),
  };
});

describe('memory adapters: test hooks', () => {
  it('event stream: refuse makes put reject and putMany report the refused records', async () => {
    const stream = createMemoryEventStream();
    stream.refuse = (_name, record) => record.partitionKey === 'bad';
    await expect(stream.put('s', { partitionKey: 'bad', data: Buffer.from('{}') })).rejects.toThrow(/refused/);
    const result = await stream.putMany('s', [
      { partitionKey: 'ok', data: Buffer.from('{"n":3}') },
      { partitionKey: 'bad', data: Buffer.from('{"n":4}') },
    ]);
    expect(result.failed.map((failure) => failure.index)).toEqual([1]);
    expect(stream.json('s')).toEqual([{ n: 3 }]);
  });

  it('cache: expiry follows the injected clock', async () => {
    let now = 1_000_000;
    const cache = createMemoryCache({ now: () => now });
    await cache.set('k', 'v', 10);
    now += 9_999;
    expect(await cache.get('k')).toBe('v');
    now += 1;
    expect(await cache.get('k')).toBeUndefined();
  });

  it('object store: keys() lists a bucket, sorted', async () => {
    const store = createMemoryObjectStore();
    await store.put('b', 'z', 'x');
    await store.put('b', 'a', 'y');
    expect(store.keys('b')).toEqual(['a', 'z']);
    expect(store.keys('none')).toEqual([]);
  });
});
