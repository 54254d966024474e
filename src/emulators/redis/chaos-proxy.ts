// The kit's Redis endpoint: a RESP-aware proxy in front of redis-server that applies the chaos configuration per
// command (an error reply such as `-BUSY ...` instead of forwarding, latency, or a dropped connection), keeps the
// replies in command order, and cuts connections that speak HTTP (a browser page aiming at the Redis port).
import net from 'node:net';
import { listenOnFreePort } from '../../lib/listen.js';
import { logger } from '../../lib/logger.js';
import { type Chaos, sharedChaos } from '../chaos/chaos.js';

const CRLF = Buffer.from('\r\n');

/** End offset of the RESP value starting at `start`, or -1 when the buffer does not hold all of it yet. */
export function respEnd(buf: Buffer, start: number): number {
  if (start >= buf.length) return -1;
  const lineEnd = buf.indexOf(CRLF, start);
  if (lineEnd === -1) return -1;
  const type = String.fromCharCode(buf[start]);
  const header = buf.toString('latin1', start + 1, lineEnd);
  switch (type) {
    case '+':
    case '-':
    case ':':
    case '_':
    case ',':
    case '#':
    case '(':
      return lineEnd + 2;
    case '$':
    case '!':
    case '=': {
      const length = Number(header);
      if (length < 0) return lineEnd + 2;
      const end = lineEnd + 2 + length + 2;
      return end <= buf.length ? end : -1;
    }
    case '*':
    case '~':
    case '>':
    case '%':
    case '|': {
      let count = Number(header);
      if (count < 0) return lineEnd + 2;
      if (type === '%' || type === '|') count *= 2;
      let at = lineEnd + 2;
      for (let i = 0; i < count; i++) {
        at = respEnd(buf, at);
        if (at === -1) return -1;
      }
      return at;
    }
    default:
      // an inline command (`PING\r\n`), as telnet or a confused HTTP client sends it
      return lineEnd + 2;
  }
}

/** The command name of a request (upper case): the first bulk string of an array, or the inline command's first word. */
export function commandName(command: Buffer): string {
  if (command[0] === 0x2a /* * */) {
    const firstLine = command.indexOf(CRLF);
    const lengthLine = command.indexOf(CRLF, firstLine + 2);
    if (firstLine === -1 || lengthLine === -1) return '';
    const length = Number(command.toString('latin1', firstLine + 3, lengthLine));
    return command.toString('latin1', lengthLine + 2, lengthLine + 2 + length).toUpperCase();
  }
  return command.toString('latin1', 0, command.indexOf(CRLF)).trim().split(/\s+/)[0]?.toUpperCase() ?? '';
}

/** Commands after which the server pushes replies nobody asked for: the connection is piped as it is from then on. */
const PUSH_MODE = new Set(['SUBSCRIBE', 'PSUBSCRIBE', 'SSUBSCRIBE', 'MONITOR']);
/** What a browser sends first: HTTP on the Redis port is cut off at once. */
const HTTP_WORDS = new Set(['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'HEAD', 'HOST:']);

type Slot = { reply: Buffer } | { upstream: true };

function proxyConnection(client: net.Socket, upstreamPort: number, upstreamHost: string, chaos: Chaos): void {
  const upstream = net.connect(upstreamPort, upstreamHost);
  let requests: Buffer = Buffer.alloc(0);
  let replies: Buffer = Buffer.alloc(0);
  const slots: Slot[] = [];
  const pendingReplies: Buffer[] = [];
  let piped = false;
  let work: Promise<void> = Promise.resolve();
  const close = () => {
    client.destroy();
    upstream.destroy();
  };
  client.on('error', close);
  upstream.on('error', close);
  client.on('close', close);
  upstream.on('close', close);

  /** Writes replies in command order: injected ones as soon as the replies before them went out. */
  const flush = () => {
    while (slots.length > 0) {
      const head = slots[0];
      if ('reply' in head) client.write(head.reply);
      else if (pendingReplies.length > 0) client.write(pendingReplies.shift() as Buffer);
      else break;
      slots.shift();
    }
  };

  const handleRequests = async (chunk: Buffer) => {
    if (piped) {
      upstream.write(chunk);
      return;
    }
    requests = requests.length ? Buffer.concat([requests, chunk]) : chunk;
    let at = 0;
    for (let end = respEnd(requests, at); end !== -1; end = respEnd(requests, at)) {
      const command = requests.subarray(at, end);
      at = end;
      const name = commandName(command);
      if (command[0] !== 0x2a && HTTP_WORDS.has(name)) {
        logger.warn('redis proxy: an HTTP request reached the Redis port (a browser page?); connection closed');
        close();
        return;
      }
      if (chaos.active) {
        await chaos.delay();
        const fault = chaos.faultFor({ service: 'redis', operation: name });
        if (fault?.drop) {
          close();
          return;
        }
        if (fault) {
          slots.push({
            reply: Buffer.from(`-${fault.code.replace(/\s+/g, '_')} ${fault.message.replace(/[\r\n]+/g, ' ')}\r\n`),
          });
          flush();
          continue;
        }
      }
      slots.push({ upstream: true });
      upstream.write(command);
      if (PUSH_MODE.has(name)) {
        piped = true;
        if (at < requests.length) upstream.write(requests.subarray(at));
        requests = Buffer.alloc(0);
        return;
      }
    }
    requests = requests.subarray(at);
  };

  client.on('data', (chunk: Buffer) => {
    work = work.then(() => handleRequests(chunk)).catch(close);
  });
  upstream.on('data', (chunk: Buffer) => {
    if (piped && slots.length === 0) {
      client.write(chunk);
      return;
    }
    replies = replies.length ? Buffer.concat([replies, chunk]) : chunk;
    let at = 0;
    for (let end = respEnd(replies, at); end !== -1; end = respEnd(replies, at)) {
      pendingReplies.push(replies.subarray(at, end));
      at = end;
    }
    replies = replies.subarray(at);
    flush();
    if (piped && slots.length === 0 && replies.length > 0) {
      client.write(replies);
      replies = Buffer.alloc(0);
    }
  });
}

export interface RedisProxy {
  port: number;
  url: string;
  close(): Promise<void>;
}

/** Listens on `port` (the next free one when taken) and forwards every connection to redis-server. */
export async function startRedisProxy(opts: {
  upstreamPort: number;
  upstreamHost?: string;
  port: number;
  host: string;
  portAttempts?: number;
  chaos?: Chaos;
}): Promise<RedisProxy> {
  const chaos = opts.chaos ?? sharedChaos();
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    proxyConnection(client, opts.upstreamPort, opts.upstreamHost ?? '127.0.0.1', chaos);
  });
  const port = await listenOnFreePort(server, opts.port, opts.host, opts.portAttempts ?? 50);
  return {
    port,
    url: `redis://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
