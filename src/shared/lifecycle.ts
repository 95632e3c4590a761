import { createServer, type RequestListener, type Server } from 'node:http';

export interface DrainableServer {
  server: Server;
  /** True once a drain has begun: new requests on kept-alive connections get 503 and `connection: close`. */
  readonly draining: boolean;
  /** Requests whose response has not finished. */
  readonly inFlight: number;
  /**
   * Runs work that reached the service without HTTP (an in-process call from the gateway) as one
   * of its in-flight requests, so a drain waits for it too; undefined once a drain has begun.
   */
  track<T>(work: () => Promise<T>): Promise<T> | undefined;
  /**
   * Stops accepting connections, lets in-flight requests finish for up to `timeoutMs`, then closes
   * every connection. Resolves with the number of requests cut off (0 when all finished).
   */
  drain(timeoutMs: number): Promise<number>;
}

/**
 * An HTTP server that tracks its in-flight requests so that stopping it is graceful and bounded:
 * what a SIGTERM (a rolling deploy, `docker stop`) should do.
 */
export function drainableServer(handler: RequestListener): DrainableServer {
  let inFlight = 0;
  let draining = false;
  let onIdle: (() => void) | null = null;
  const server = createServer((req, res) => {
    if (draining) {
      // A kept-alive connection may still bring a request after close(): refuse it cleanly.
      res.shouldKeepAlive = false;
      res.writeHead(503, { 'content-type': 'application/json', connection: 'close', 'retry-after': '1' });
      res.end(JSON.stringify({ errors: [{ message: 'shutting down', extensions: { code: 'SHUTTING_DOWN' } }] }));
      req.resume();
      return;
    }
    inFlight++;
    res.once('close', () => {
      inFlight--;
      if (inFlight === 0) onIdle?.();
    });
    handler(req, res);
  });
  return {
    server,
    get draining() {
      return draining;
    },
    get inFlight() {
      return inFlight;
    },
    track(work) {
      if (draining) return undefined;
      inFlight++;
      return work().finally(() => {
        inFlight--;
        if (inFlight === 0) onIdle?.();
      });
    },
    async drain(timeoutMs: number): Promise<number> {
      draining = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      let timer: NodeJS.Timeout | undefined;
      if (inFlight > 0) {
        await new Promise<void>((resolve) => {
          onIdle = resolve;
          timer = setTimeout(resolve, timeoutMs);
        });
      }
      clearTimeout(timer);
      const cutOff = inFlight;
      server.closeAllConnections();
      await closed;
      return cutOff;
    },
  };
}
