import { randomBytes, randomUUID } from 'node:crypto';
import { type QueueSettings, settingsOf } from './attributes.js';
import { sqsErrors } from './errors.js';
import type { QueueJournal, StoredMessage } from './journal.js';
import type { MessageAttributeValue } from './md5.js';

export interface QueueDefinition {
  name: string;
  arn: string;
  attributes: Record<string, string>;
  tags: Record<string, string>;
  /** epoch seconds */
  createdAt: number;
  lastModifiedAt: number;
}

/** Receipt handles name their queue and message, so a delete still finds its message after a restart. */
export function receiptHandle(queue: string, message: StoredMessage): string {
  return Buffer.from(JSON.stringify([queue, message.id, message.receipt])).toString('base64url');
}

export function parseReceiptHandle(handle: unknown): { queue: string; id: string; nonce: string } {
  if (typeof handle !== 'string' || handle === '') throw sqsErrors.missingParameter('ReceiptHandle');
  try {
    const [queue, id, nonce] = JSON.parse(Buffer.from(handle, 'base64url').toString('utf8')) as unknown[];
    if (typeof queue === 'string' && typeof id === 'string' && typeof nonce === 'string') return { queue, id, nonce };
  } catch {
    // falls through
  }
  throw sqsErrors.receiptHandleIsInvalid(handle);
}

/** One standard queue: messages in send order, visibility timeouts, long-poll waiters, its journal. */
export class Queue {
  settings: QueueSettings;
  private waiters = new Set<() => void>();
  private wakeTimer: NodeJS.Timeout | undefined;
  lastPurgeAt = 0;

  constructor(
    readonly definition: QueueDefinition,
    readonly messages: Map<string, StoredMessage>,
    private readonly journal: QueueJournal,
  ) {
    this.settings = settingsOf(definition.attributes);
  }

  get name(): string {
    return this.definition.name;
  }

  setAttributes(attributes: Record<string, string>): void {
    this.definition.attributes = { ...this.definition.attributes, ...attributes };
    this.definition.lastModifiedAt = Math.floor(Date.now() / 1000);
    this.settings = settingsOf(this.definition.attributes);
  }

  async send(
    body: string,
    attributes: Record<string, MessageAttributeValue>,
    delaySeconds: number | undefined,
  ): Promise<StoredMessage> {
    const now = Date.now();
    const message: StoredMessage = {
      id: randomUUID(),
      body,
      attributes,
      sentAt: now,
      visibleAt: now + (delaySeconds ?? this.settings.delaySeconds) * 1000,
      receiveCount: 0,
      senderId: 'AIDAIT2UOQQY3AUEKVGXU',
    };
    await this.journal.sent(message);
    this.messages.set(message.id, message);
    this.wake();
    return message;
  }

  /** Adds a message moved here from another queue's redrive, keeping its id, send time and receive count. */
  async adopt(message: StoredMessage): Promise<void> {
    const moved = { ...message, visibleAt: Date.now() };
    await this.journal.sent(moved);
    this.messages.set(moved.id, moved);
    this.wake();
  }

  /**
   * Up to `max` visible messages, made invisible for `visibilityTimeout` seconds. Messages received more often than
   * the redrive policy allows go to `deadLetter` instead of being returned.
   */
  async receive(
    max: number,
    visibilityTimeout: number | undefined,
    deadLetter: (message: StoredMessage) => Promise<boolean>,
  ): Promise<StoredMessage[]> {
    const now = Date.now();
    await this.expire(now);
    const out: StoredMessage[] = [];
    const redrive = this.settings.redrivePolicy;
    for (const message of this.messages.values()) {
      if (out.length >= max) break;
      if (message.visibleAt > now) continue;
      if (redrive && message.receiveCount >= redrive.maxReceiveCount && (await deadLetter(message))) {
        this.messages.delete(message.id);
        await this.journal.deleted(message.id);
        continue;
      }
      message.receiveCount++;
      message.firstReceiveAt ??= now;
      message.receipt = randomBytes(12).toString('base64url');
      message.visibleAt = now + (visibilityTimeout ?? this.settings.visibilityTimeout) * 1000;
      await this.journal.received(message);
      out.push(message);
    }
    if (out.length > 0) this.scheduleWake();
    await this.journal.compactIfLarge(this.messages);
    return out;
  }

  /** Resolves when a message may have become visible, or after `ms`. */
  waitForMessages(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
      this.waiters.add(done);
      this.scheduleWake();
    });
  }

  async delete(id: string): Promise<void> {
    if (!this.messages.delete(id)) return;
    await this.journal.deleted(id);
  }

  async changeVisibility(id: string, nonce: string, timeoutSeconds: number): Promise<void> {
    const message = this.messages.get(id);
    const now = Date.now();
    if (!message || message.receiveCount === 0 || message.visibleAt <= now || message.receipt !== nonce) {
      throw sqsErrors.messageNotInflight();
    }
    message.visibleAt = now + timeoutSeconds * 1000;
    await this.journal.visibility(message);
    if (timeoutSeconds === 0) this.wake();
    else this.scheduleWake();
  }

  async purge(): Promise<void> {
    this.messages.clear();
    await this.journal.truncate();
  }

  counts(now = Date.now()): { visible: number; inFlight: number; delayed: number } {
    let visible = 0;
    let inFlight = 0;
    let delayed = 0;
    for (const m of this.messages.values()) {
      if (m.visibleAt <= now) visible++;
      else if (m.receiveCount > 0) inFlight++;
      else delayed++;
    }
    return { visible, inFlight, delayed };
  }

  async close(): Promise<void> {
    clearTimeout(this.wakeTimer);
    for (const waiter of [...this.waiters]) waiter();
    await this.journal.close();
  }

  private async expire(now: number): Promise<void> {
    const retentionMs = this.settings.messageRetentionPeriod * 1000;
    for (const message of this.messages.values()) {
      if (message.sentAt + retentionMs > now) continue;
      this.messages.delete(message.id);
      await this.journal.deleted(message.id);
    }
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  /** Wakes the long polls when the next invisible (delayed or in-flight) message becomes visible. */
  private scheduleWake(): void {
    if (this.waiters.size === 0) return;
    const now = Date.now();
    let next = Number.POSITIVE_INFINITY;
    for (const m of this.messages.values()) if (m.visibleAt > now && m.visibleAt < next) next = m.visibleAt;
    clearTimeout(this.wakeTimer);
    if (Number.isFinite(next)) this.wakeTimer = setTimeout(() => this.wake(), next - now + 1);
  }
}
