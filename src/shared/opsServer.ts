import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sendJson } from './http';
import { logger } from './logger';
import { countHttpRequest, sendMetrics } from './metrics';

export type OpsRoute = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

export interface OpsServer {
  /** `http://host:port`, without a path (add `/readyz`, `/metrics`, `/healthz`). */
  url: string;
  stop(): Promise<void>;
}

/**
 * The operations port of one process (`OPS_PORT`): readiness (with what is wrong), Prometheus
 * metrics and liveness, for probes and the scraper. Kept off the public port because what it tells
 * (service names, per-department state, operation names in the metrics) is for operators, not
 * callers; it needs no token, so it must be reachable only from inside (docs/security.md).
 */
export async function startOpsServer(service: string, host: string, port: number, readiness: OpsRoute, draining: () => boolean): Promise<OpsServer> {
  const routes: Record<string, OpsRoute> = {
    '/healthz': async (_req, res) => sendJson(res, 200, { status: 'ok', service }),
    // While the public port drains (SIGTERM), not ready: probes and load balancers stop sending work at once.
    '/readyz': async (req, res) => (draining() ? sendJson(res, 503, { status: 'shutting down', service }) : readiness(req, res)),
    '/metrics': async (_req, res) => sendMetrics(res),
  };
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const route = Object.hasOwn(routes, path) ? routes[path] : undefined;
    countHttpRequest(service, route ? `ops ${path}` : 'ops unknown', res);
    if (!route) {
      sendJson(res, 404, { error: 'not found' });
      return;
    }
    route(req, res).catch((err: unknown) => {
      logger.error({ err, role: service, path }, 'operations request failed');
      if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const { port: bound } = server.address() as AddressInfo;
  const url = `http://${host}:${bound}`;
  logger.info({ role: service, url }, 'operations port listening (/readyz, /metrics, /healthz)');
  return {
    url,
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
