import { logger } from './logger.js';

/** Runs every closer in order; one that fails is logged and the rest still run (shutdown must not stop halfway). */
export async function closeAll(closers: (() => Promise<void>)[]): Promise<void> {
  for (const close of closers) {
    try {
      await close();
    } catch (error) {
      logger.warn({ err: error }, 'error during shutdown');
    }
  }
}
