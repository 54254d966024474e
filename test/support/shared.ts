// ../shared, beside the project checkout: the conformance suites (TinkerPop, OpenSearch, S3) and the real fixtures
// (card photos, Textract responses). Tests that read it fail with the missing path named, never skip: without it
// they could not vouch for anything.
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const sharedRoot = resolve(projectRoot, '..', 'shared');

/** A path under ../shared; throws (failing the test file at collection) when it does not exist. */
export function sharedPath(...segments: string[]): string {
  const path = resolve(sharedRoot, ...segments);
  if (!existsSync(path)) {
    throw new Error(
      `${path} is missing: this test reads ../shared (conformance suites and fixtures checked out beside the project)`,
    );
  }
  return path;
}
