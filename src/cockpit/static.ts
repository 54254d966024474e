import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/** The dashboard's files: `src/cockpit/ui/` beside this module, or in the package when running from `dist/`. */
export function uiRoot(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, 'ui'), join(here, '..', '..', '..', 'src', 'cockpit', 'ui')];
  return candidates.find((dir) => existsSync(join(dir, 'index.html'))) ?? candidates[0];
}

/** A file under the UI root (no `..`, no hidden files), or undefined. */
export async function readUiFile(root: string, path: string): Promise<{ type: string; body: Buffer } | undefined> {
  const relative = normalize(path).replace(/^([/\\])+/, '');
  if (relative.split(sep).some((part) => part.startsWith('.') || part === '')) return undefined;
  const type = TYPES[extname(relative)];
  if (!type) return undefined;
  try {
    return { type, body: await readFile(join(root, relative)) };
  } catch {
    return undefined;
  }
}
