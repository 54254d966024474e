// Graph state on disk: one JSON document, written atomically, debounced after changes and on close.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface GraphSnapshotSource {
  toJSON(): unknown;
}

export class GraphPersistence {
  readonly file: string;
  private timer: NodeJS.Timeout | undefined;
  private dirty = false;

  constructor(
    dataDir: string,
    private readonly graph: GraphSnapshotSource,
    private readonly debounceMs = 500,
  ) {
    this.file = join(dataDir, 'gremlin', 'graph.json');
  }

  /** The saved graph document, or undefined when there is none yet. */
  static read(dataDir: string): unknown {
    try {
      return JSON.parse(readFileSync(join(dataDir, 'gremlin', 'graph.json'), 'utf8'));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  markDirty(): void {
    this.dirty = true;
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, this.debounceMs);
    this.timer.unref();
  }

  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (!this.dirty) return;
    this.dirty = false;
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.graph.toJSON()));
    renameSync(tmp, this.file);
  }
}
