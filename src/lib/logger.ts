import pino from 'pino';

/** One JSON line per event on stderr; OCTEMBER_LOG_LEVEL=silent in tests keeps the output clean. */
export const logger = pino(
  { level: process.env.OCTEMBER_LOG_LEVEL ?? (process.env.VITEST ? 'silent' : 'info'), base: undefined },
  pino.destination(2),
);

export type Logger = typeof logger;
