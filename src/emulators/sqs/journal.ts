// One queue's messages on disk: an append-only log of sends, receives and deletes, written before the request is
// answered, replayed and compacted on start. A torn last line belonged to a request that never got its answer.
import { type FileHandle, open, readFile, rename, writeFile } from 'node:fs/promises';
import type { MessageAttributeValue } from './md5.js';

export interface StoredMessage {
  id: string;
  body: string;
  attributes: Record<string, MessageAttributeValue>;
  /** epoch ms */
  sentAt: number;
  /** epoch ms before which the message is not delivered (delay, or visibility timeout after a receive) */
  visibleAt: number;
  receiveCount: number;
  firstReceiveAt?: number;
  /** Nonce of the latest receipt handle. */
  receipt?: string;
  senderId: string;
}

type Entry =
  | { o: 's'; m: StoredMessage }
  | { o: 'r'; i: string; n: number; f: number; v: number; h: string }
  | { o: 'v'; i: string; v: number }
  | { o: 'd'; i: string };

export class QueueJournal {
  private chain: Promise<unknown> = Promise.resolve();
  private entries = 0;

  private constructor(
    private readonly file: string,
    private handle: FileHandle,
  ) {}

  /** Replays the log into messages (in send order), rewrites it compacted, and opens it for appending. */
  static async open(file: string): Promise<{ journal: QueueJournal; messages: Map<string, StoredMessage> }> {
    const messages = new Map<string, StoredMessage>();
    let text = '';
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    for (const line of text.split('\n')) {
      if (!line) continue;
      let entry: Entry;
      try {
        entry = JSON.parse(line) as Entry;
      } catch {
        continue;
      }
      apply(messages, entry);
    }
    await writeCompacted(file, messages);
    const journal = new QueueJournal(file, await open(file, 'a'));
    journal.entries = messages.size;
    return { journal, messages };
  }

  sent(message: StoredMessage): Promise<void> {
    return this.append({ o: 's', m: message });
  }

  received(message: StoredMessage): Promise<void> {
    return this.append({
      o: 'r',
      i: message.id,
      n: message.receiveCount,
      f: message.firstReceiveAt ?? message.sentAt,
      v: message.visibleAt,
      h: message.receipt ?? '',
    });
  }

  visibility(message: StoredMessage): Promise<void> {
    return this.append({ o: 'v', i: message.id, v: message.visibleAt });
  }

  deleted(id: string): Promise<void> {
    return this.append({ o: 'd', i: id });
  }

  /** Rewrites the log with just the live messages once it is mostly dead entries. */
  async compactIfLarge(messages: Map<string, StoredMessage>): Promise<void> {
    if (this.entries < 1000 || this.entries < messages.size * 4) return;
    await this.serial(async () => {
      await this.handle.close();
      await writeCompacted(this.file, messages);
      this.handle = await open(this.file, 'a');
      this.entries = messages.size;
    });
  }

  async truncate(): Promise<void> {
    await this.serial(async () => {
      await this.handle.truncate(0);
      this.entries = 0;
    });
  }

  async close(): Promise<void> {
    await this.serial(() => this.handle.close());
  }

  private append(entry: Entry): Promise<void> {
    this.entries++;
    return this.serial(() => this.handle.appendFile(`${JSON.stringify(entry)}\n`));
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const next = this.chain.then(task, task);
    this.chain = next.catch(() => undefined);
    return next;
  }
}

function apply(messages: Map<string, StoredMessage>, entry: Entry): void {
  switch (entry.o) {
    case 's':
      messages.set(entry.m.id, entry.m);
      break;
    case 'r': {
      const m = messages.get(entry.i);
      if (m) Object.assign(m, { receiveCount: entry.n, firstReceiveAt: entry.f, visibleAt: entry.v, receipt: entry.h });
      break;
    }
    case 'v': {
      const m = messages.get(entry.i);
      if (m) m.visibleAt = entry.v;
      break;
    }
    case 'd':
      messages.delete(entry.i);
      break;
  }
}

async function writeCompacted(file: string, messages: Map<string, StoredMessage>): Promise<void> {
  const lines = [...messages.values()].map((m) => `${JSON.stringify({ o: 's', m } satisfies Entry)}\n`);
  await writeFile(`${file}.tmp`, lines.join(''));
  await rename(`${file}.tmp`, file);
}
