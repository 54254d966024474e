import { resolve } from 'node:path';
import { sharedChaos } from '../emulators/chaos/chaos.js';

/** `--chaos FILE`: loads the rules before anything starts; returns the summary line (undefined without a file). */
export function loadChaosFile(file: string | undefined): string | undefined {
  if (!file) return undefined;
  const chaos = sharedChaos();
  try {
    chaos.loadFile(resolve(file));
  } catch (err) {
    throw new Error(`--chaos ${file}: ${(err as Error).message}`);
  }
  const latency = chaos.getEffects().latency;
  return `${chaos.getFaults().length} fault rule(s)${latency ? `, ${latency} ms latency` : ''} from ${file} (live: /_localstack/chaos/faults)`;
}
