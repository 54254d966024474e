import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const realCardsDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../shared/fixtures/bizcards/real');

/** The 12 real card photos of ../shared, or undefined when that folder is not beside the project. */
export function loadRealCards(): Buffer[] | undefined {
  if (!existsSync(realCardsDir)) return undefined;
  return readdirSync(realCardsDir)
    .filter((f) => f.endsWith('.jpg'))
    .map((f) => readFileSync(resolve(realCardsDir, f)));
}

/** Other processes on the machine skew OCR figures; the load average says by how much. */
export function machineLoadNote(cores = availableParallelism()): string {
  return `load avg ${loadavg()[0].toFixed(1)} on ${cores} cores at start`;
}
