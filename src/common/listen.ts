import { createServer, type RequestListener, type Server } from 'node:http';

/** A port that is taken, named with the environment variable that sets it. */
export class PortInUseError extends Error {
  constructor(
    readonly host: string,
    readonly port: number,
    readonly envVar: string,
  ) {
    super(`port ${port} on ${host} is already in use: stop whatever holds it, or set ${envVar} to another port`);
    this.name = 'PortInUseError';
  }
}

/** Listens, and turns EADDRINUSE into a PortInUseError that says which setting to change. */
export function listen(handler: RequestListener, host: string, port: number, envVar: string): Promise<Server> {
  const server = createServer(handler);
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      reject(err.code === 'EADDRINUSE' ? new PortInUseError(host, port, envVar) : err);
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve(server);
    });
  });
}
