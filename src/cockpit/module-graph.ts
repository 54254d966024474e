import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

// Static imports and re-exports with a relative specifier; `import type` is erased and so is not a dependency.
const IMPORT = /(?:^|[;\n])\s*(?:import|export)\s+(?!type\s)(?:[^'";]*?\sfrom\s*)?['"](\.{1,2}\/[^'"]+)['"]/g;

/** The project files a module imports statically (relative specifiers, `.js` mapped to the `.ts` source). */
export function localImports(file: string, source: string): string[] {
  const out = new Set<string>();
  for (const match of source.matchAll(IMPORT)) {
    const target = resolve(dirname(file), match[1]);
    out.add(target.endsWith('.js') ? `${target.slice(0, -3)}.ts` : target);
  }
  return [...out];
}

/** Every project file reachable from `roots` through static imports (roots included). */
export class ModuleGraph {
  private readonly imports = new Map<string, string[]>();

  /** Forgets what a changed file imported. */
  invalidate(file: string): void {
    this.imports.delete(file);
  }

  closure(root: string): Set<string> {
    const seen = new Set<string>();
    const stack = [root];
    while (stack.length > 0) {
      const file = stack.pop() as string;
      if (seen.has(file)) continue;
      seen.add(file);
      stack.push(...this.importsOf(file));
    }
    return seen;
  }

  private importsOf(file: string): string[] {
    let found = this.imports.get(file);
    if (!found) {
      try {
        found = localImports(file, readFileSync(file, 'utf8'));
      } catch {
        found = [];
      }
      this.imports.set(file, found);
    }
    return found;
  }
}
