import { resolve } from 'node:path';

/** `--chaos FILE`: loads the rules before anything starts; returns the summary line (undefined without a file). */
export async function loadChaosFile(file: string | undefined): Promise<string | undefined> {
  if (!file) return undefined;
  // Loaded only for a file: the chaos rules' schemas (zod) would otherwise delay every start.
  const { sharedChaos } = await import('../emulators/chaos/chaos.js');
  const chaos = sharedChaos();
  try {
    chaos.loadFile(resolve(file));
  } catch (err) {
    throw new Error(`--chaos ${file}: ${(err as Error).message}`);
  }
  const latency = chaos.getEffects().latency;
  return `${chaos.getFaults().length} fault rule(s)${latency ? `, ${latency} ms latency` : ''} from ${file} (live: /_localstack/chaos/faults)`;
}
