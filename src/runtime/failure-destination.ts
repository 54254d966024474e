import { randomUUID } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * A function's on-failure destination on a local target: `<dataDir>/failures/<function>/`, for asynchronous invokes
 * and stream mappings alike (where the dashboard lists and replays them).
 */
export function failureDestinationDir(dataDir: string, functionName: string): string {
  return join(dataDir, 'failures', functionName);
}

/** Writes one on-failure destination record as a JSON file (atomically: temp file + rename) and returns its path. */
export async function writeFailureRecord(dir: string, label: string, record: unknown): Promise<string> {
  await mkdir(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const file = join(dir, `${stamp}-${label.replace(/[^A-Za-z0-9_.-]/g, '_')}.json`);
  const temp = `${file}.${randomUUID()}.tmp`;
  await writeFile(temp, `${JSON.stringify(record, null, 2)}\n`);
  await rename(temp, file);
  return file;
}

export function describeError(error: unknown): { errorType: string; errorMessage: string; trace?: string[] } {
  if (error instanceof Error) {
    return { errorType: error.name, errorMessage: error.message, trace: error.stack?.split('\n') };
  }
  return { errorType: 'Error', errorMessage: String(error) };
}
