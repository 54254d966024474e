// Kept apart from the endpoint probing so that handler bundles (OCTEMBER_TARGET=containers) stay small.

/** The compose file's host ports. */
export const COMPOSE_DEFAULTS = {
  aws: 'http://127.0.0.1:4566',
  /** The kit's Textract + CloudSearch container (LocalStack's community image has neither). */
  kitEmulators: 'http://127.0.0.1:4577',
  opensearch: 'http://127.0.0.1:9200',
  gremlin: 'ws://127.0.0.1:8182/gremlin',
  redis: 'redis://127.0.0.1:6379',
} as const;
