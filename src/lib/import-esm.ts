/**
 * `import()` of a computed specifier that also works inside the CLI's CommonJS bundle: bin/octember.mjs runs it as a
 * script through V8's code cache, where a script's own import() has no loader to call, and lends its own instead.
 */
export function importEsm(specifier: string): Promise<unknown> {
  const fromBin = (globalThis as { __octemberImport?: (specifier: string) => Promise<unknown> }).__octemberImport;
  return fromBin ? fromBin(specifier) : import(/* @vite-ignore */ specifier);
}
