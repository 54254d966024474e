// The kit's Redis endpoint: a proxy in front of redis-server that applies the chaos configuration per command (an
// error reply such as `-BUSY ...` instead of the command, latency, or a dropped connection) and cuts connections that
// speak HTTP (a browser page aiming at the Redis port). Replies are piped back as they come: an injected error is
// answered by redis-server itself in the command's place, so replies stay in command order without being parsed.
import net from 'node:net';
import { listenOnFreePort } from '../../lib/listen.js';
import { logger } from '../../lib/logger.js';
import { type Chaos, type InjectedFault, sharedChaos } from '../chaos/chaos.js';

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

/** Commands that end a transaction: never faulted alone (the server would stay inside MULTI). */
const TRANSACTION_ENDS = new Set(['EXEC', 'DISCARD']);

/** Commands after which the server pushes replies nobody asked for: no more chaos on the connection from then on. */
const PUSH_MODE = new Set(['SUBSCRIBE', 'PSUBSCRIBE', 'SSUBSCRIBE', 'MONITOR']);
/** What a browser sends first: HTTP on the Redis port is cut off at once. */
const HTTP_WORDS = new Set(['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'HEAD', 'HOST:']);
/** First letters (either case) of the PUSH_MODE commands: only those commands' names are read while chaos is off. */
const PUSH_INITIALS = new Set([0x53, 0x50, 0x4d, 0x73, 0x70, 0x6d]);

/**
 * End offset of the request starting at `start` (-1 while incomplete): the usual array of bulk strings read from the
 * bytes alone, anything else (inline commands) by `respEnd`.
 */
export function requestEnd(buf: Buffer, start: number): number {
  if (buf[start] !== 0x2a /* * */) return respEnd(buf, start);
  let at = start + 1;
  let count = 0;
  while (at < buf.length && buf[at] !== 0x0d) count = count * 10 + buf[at++] - 0x30;
  if (at + 1 >= buf.length) return -1;
  at += 2;
  for (let i = 0; i < count; i++) {
    if (at >= buf.length) return -1;
    if (buf[at] !== 0x24 /* $ */) return respEnd(buf, start);
    let length = 0;
    at++;
    while (at < buf.length && buf[at] !== 0x0d) length = length * 10 + buf[at++] - 0x30;
    at += 2 + length + 2;
    if (at > buf.length) return -1;
  }
  return at;
}

/** The first letter of a request's command name, read without decoding it (arrays of bulk strings only). */
function firstLetter(command: Buffer): number | undefined {
  const firstLine = command.indexOf(0x0a);
  const lengthLine = firstLine === -1 ? -1 : command.indexOf(0x0a, firstLine + 1);
  return lengthLine === -1 ? undefined : command[lengthLine + 1];
}

/**
 * An injected error reply, produced by redis-server itself in the faulted command's place (a script returning the
 * error), so it reaches the client in command order without the proxy reading a single reply.
 */
function errorReplyCommand(code: string, message: string): Buffer {
  const script = 'return redis.error_reply(ARGV[1])';
  const error = Buffer.from(`${code.replace(/\s+/g, '_')} ${message.replace(/[\r\n]+/g, ' ')}`);
  return Buffer.concat([
    Buffer.from(`*4\r\n$4\r\nEVAL\r\n$${script.length}\r\n${script}\r\n$1\r\n0\r\n$${error.length}\r\n`),
    error,
    CRLF,
  ]);
}

/**
 * One client connection. Replies are piped back untouched. Requests are forwarded as they arrive while chaos is off
 * (only their ends are found, so chaos turned on later starts at a command boundary); with chaos on, each command is
 * delayed, dropped or replaced by an error reply as the rules say.
 *
 * A transaction fails whole, as on a server that refuses it: a rule for MULTI (or EXEC) fires at the MULTI, and every
 * command up to its EXEC or DISCARD gets the same error, so none of them runs outside the transaction the client
 * asked for. A command faulted inside a transaction that did start becomes a runtime error in EXEC's replies.
 */
function proxyConnection(client: net.Socket, upstreamPort: number, upstreamHost: string, chaos: Chaos): void {
  const upstream = net.connect(upstreamPort, upstreamHost);
  /** Request bytes not yet known to end a command; the first `forwarded` of them are already upstream. */
  let requests: Buffer = Buffer.alloc(0);
  let forwarded = 0;
  let piped = false;
  /** Chunks waiting behind a chaos delay: later ones queue behind them even once chaos is off. */
  let queued = 0;
  /** The fault of a transaction refused at its MULTI, until its EXEC or DISCARD. */
  let refusedTransaction: InjectedFault | undefined;
  let work: Promise<void> = Promise.resolve();
  const close = () => {
    client.destroy();
    upstream.destroy();
  };
  client.on('error', close);
  upstream.on('error', close);
  client.on('close', close);
  upstream.on('close', close);
  upstream.pipe(client);

  /** Forwarded at once; only where the last complete command ends is looked for. */
  const passThrough = (chunk: Buffer) => {
    // A browser's request line is refused before redis-server sees any of it.
    const inlineStart = requests.length === 0 && chunk[0] !== 0x2a;
    if (inlineStart && HTTP_WORDS.has(commandName(chunk))) return refuseHttp();
    // a command begun while chaos was on is held until complete: what of it was held goes first
    if (requests.length > forwarded) upstream.write(requests.subarray(forwarded));
    upstream.write(chunk);
    requests = requests.length ? Buffer.concat([requests, chunk]) : chunk;
    forwarded = requests.length;
    let at = 0;
    for (let end = requestEnd(requests, at); end !== -1; end = requestEnd(requests, at)) {
      const command = requests.subarray(at, end);
      at = end;
      if (command[0] !== 0x2a) {
        if (HTTP_WORDS.has(commandName(command))) return refuseHttp();
      } else if (PUSH_INITIALS.has(firstLetter(command) ?? 0) && PUSH_MODE.has(commandName(command))) {
        piped = true;
        requests = Buffer.alloc(0);
        forwarded = 0;
        return;
      }
    }
    requests = requests.subarray(at);
    forwarded = requests.length;
  };

  const refuseHttp = () => {
    logger.warn('redis proxy: an HTTP request reached the Redis port (a browser page?); connection closed');
    close();
  };

  /** With chaos on: command by command, a command begun before chaos came on is finished as it was. */
  const withChaos = async (chunk: Buffer) => {
    requests = requests.length ? Buffer.concat([requests, chunk]) : chunk;
    let at = 0;
    for (let end = requestEnd(requests, at); end !== -1; end = requestEnd(requests, at)) {
      const command = requests.subarray(at, end);
      const begun = forwarded > at;
      at = end;
      if (begun) {
        upstream.write(command.subarray(forwarded - (end - command.length)));
        forwarded = 0;
        continue;
      }
      const name = commandName(command);
      if (command[0] !== 0x2a && HTTP_WORDS.has(name)) return refuseHttp();
      if (refusedTransaction) {
        upstream.write(errorReplyCommand(refusedTransaction.code, refusedTransaction.message));
        if (TRANSACTION_ENDS.has(name)) refusedTransaction = undefined;
        continue;
      }
      await chaos.delay();
      const fault = TRANSACTION_ENDS.has(name)
        ? undefined
        : chaos.faultFor({ service: 'redis', operation: name, aliases: name === 'MULTI' ? ['EXEC'] : [] });
      if (fault?.drop) return close();
      if (fault && name === 'MULTI') refusedTransaction = fault;
      upstream.write(fault ? errorReplyCommand(fault.code, fault.message) : command);
      if (PUSH_MODE.has(name)) {
        piped = true;
        if (at < requests.length) upstream.write(requests.subarray(at));
        requests = Buffer.alloc(0);
        return;
      }
    }
    requests = requests.subarray(at);
    if (forwarded > 0 && requests.length > forwarded) {
      // the command begun before chaos came on is still incomplete: what arrived of it goes on
      upstream.write(requests.subarray(forwarded));
      forwarded = requests.length;
    }
  };

  client.on('data', (chunk: Buffer) => {
    if (piped) {
      upstream.write(chunk);
      return;
    }
    if (queued === 0 && !chaos.active && !refusedTransaction) {
      passThrough(chunk);
      return;
    }
    queued++;
    work = work
      .then(() => (piped ? void upstream.write(chunk) : withChaos(chunk)))
      .catch(close)
      .finally(() => {
        queued--;
      });
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
