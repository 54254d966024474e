import type { Server } from 'node:net';

/**
 * Listens on `port`, or on the next free one when it is taken, trying at most `attempts` ports
 * (port 0 picks any free port). Resolves with the port actually bound.
 */
export async function listenOnFreePort(server: Server, port: number, host: string, attempts = 50): Promise<number> {
  for (let candidate = port, tried = 1; ; candidate++, tried++) {
    try {
      await new Promise<void>((resolve, reject) => {
        const onError = (error: Error) => {
          server.off('listening', onListening);
          reject(error);
        };
        const onListening = () => {
          server.off('error', onError);
          resolve();
        };
        server.once('error', onError);
        server.once('listening', onListening);
        server.listen(candidate, host);
      });
      const address = server.address();
      return typeof address === 'object' && address ? address.port : candidate;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || port === 0 || tried >= attempts) throw error;
    }
  }
}
