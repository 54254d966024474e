import { createGremlinGraphStore } from '../../adapters/gremlin/graph-store.js';
import type { PortBuilder } from '../types.js';
import { lazyGremlinPort } from './gremlin-connection.js';

export const graph: PortBuilder<'graph'> = (context) =>
  context.shared(
    'graph',
    () => lazyGremlinPort(context, createGremlinGraphStore, ['upsertContact', 'pymk'] as const),
    (port) => port.close(),
  );
