import { createGremlinInteractionGraph } from '../../adapters/gremlin/interaction-graph.js';
import type { PortBuilder } from '../types.js';
import { lazyGremlinPort } from './gremlin-connection.js';

export const interactions: PortBuilder<'interactions'> = (context) =>
  context.shared(
    'interactions',
    () => lazyGremlinPort(context, createGremlinInteractionGraph, ['recordInteractions', 'recommend'] as const),
    (port) => port.close(),
  );
