import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { sendJson } from '../shared/http';
import { repoRoot } from '../shared/paths';
import type { GatewayRoute } from './route';

/** Where `npm run build` writes the console (GraphiQL and its editors, bundled from npm). */
export const CONSOLE_DIR = join(repoRoot, 'dist', 'console');

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.ttf': 'font/ttf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/**
 * Everything the console loads comes from this gateway (closed networks have no CDN). Monaco
 * needs inline styles and its own web workers; nothing else is allowed to run or be fetched.
 */
const PAGE_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; worker-src 'self'; style-src 'self' 'unsafe-inline'; font-src 'self' data:; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(dir, join(prefix, e.name)) : [join(prefix, e.name)],
  );
}

function fileRoute(file: string): GatewayRoute {
  const type = CONTENT_TYPES[extname(file)] ?? 'application/octet-stream';
  return async (req, res) => {
    // Read on each request: a rebuild while the hub runs is picked up on reload.
    const body = readFileSync(file);
    res.writeHead(200, { ...PAGE_HEADERS, 'content-type': type, 'content-length': body.length });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
}

/**
 * The console's routes: the page at `/`, its bundled files under `/console/`, and
 * `/console/settings` telling the page whether this gateway hands out dev tokens. Each built
 * file is one exact route, so no request path ever reaches the file system.
 */
export function consoleRoutes(opts: { devTokens: boolean }): Record<string, GatewayRoute> {
  const settings: GatewayRoute = async (_req, res) =>
    sendJson(res, 200, { devTokens: opts.devTokens, graphqlPath: '/graphql' }, { 'cache-control': 'no-store' });
  if (!existsSync(join(CONSOLE_DIR, 'index.html'))) {
    const notBuilt: GatewayRoute = async (_req, res) => {
      const text = 'The console is not built: run `npm run build` (npm start does it), then reload.\n';
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    };
    return { '/': notBuilt, '/console/settings': settings };
  }
  const routes: Record<string, GatewayRoute> = { '/console/settings': settings };
  for (const file of listFiles(CONSOLE_DIR)) routes[`/console/${file.split('\\').join('/')}`] = fileRoute(join(CONSOLE_DIR, file));
  routes['/'] = fileRoute(join(CONSOLE_DIR, 'index.html'));
  return routes;
}
