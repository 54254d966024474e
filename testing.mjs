// `octember-kit/testing` for plain Node and test runners: the compiled module when `npm run build` produced it and
// OCTEMBER_USE_DIST=1, else the TypeScript source through tsx (as bin/octember.mjs does).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const root = dirname(fileURLToPath(import.meta.url));
const compiled = join(root, 'dist', 'testing', 'index.js');
let testing;
if (process.env.OCTEMBER_USE_DIST === '1' && existsSync(compiled)) {
  testing = await import(pathToFileURL(compiled).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  testing = await import(pathToFileURL(join(root, 'src', 'testing', 'index.ts')).href);
}

export const startStack = testing.startStack;
