/**
 * The dashboard's files (web/ at the repository root), served by the API's own server: GET / is
 * index.html, GET /<path> a file under web/. No bundler, no build step: the files are read as
 * they are. Only the page's own kinds of file are served (not web/tsconfig.json, say); an unknown
 * extension, a dotfile, a directory or a path that climbs out of web/ is a 404 like any unknown
 * endpoint. The files carry no version in their names, so the browser may
 * keep them but must revalidate each time (`no-cache` with an ETag: a 304 costs a round trip,
 * never a stale page after an upgrade).
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** web/ beside src/: this file is src/server/http/static.ts. */
export const WEB_ROOT = resolve(import.meta.dirname, '../../../web');

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/**
 * The page may load only its own files and talk only to this server; nothing may frame it (the
 * reset and settings buttons must not be clickable through someone else's page).
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** A path segment a request may name: no dotfiles or parent steps, no separators or NULs inside. */
const SAFE_SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

export interface StaticFilesOptions {
  /** Default: the repository's web/. */
  root?: string;
}

interface StaticFile {
  body: Buffer;
  type: string;
  etag: string;
}

/**
 * Mounts the files in their own fastify context: its onSend hook runs after the server's (which
 * marks every API answer `no-store`) and sets the caching that suits files.
 */
export async function registerStaticFiles(
  app: FastifyInstance,
  options: StaticFilesOptions = {},
): Promise<void> {
  const root = resolve(options.root ?? WEB_ROOT);
  await app.register(async (files) => {
    files.addHook('onSend', async (_request, reply, payload) => {
      void reply.headers({ 'cache-control': 'no-cache' });
      if (String(reply.getHeader('content-type') ?? '').startsWith('text/html')) {
        void reply.headers({ 'content-security-policy': CONTENT_SECURITY_POLICY, 'x-frame-options': 'DENY' });
      }
      return payload;
    });
    const serve = async (request: FastifyRequest, reply: FastifyReply, path: string) => {
      const file = await fileAt(root, path);
      if (file === null) return reply.callNotFound();
      void reply.header('etag', file.etag);
      if (etagMatches(request.headers['if-none-match'], file.etag)) return reply.code(304).send();
      return reply.type(file.type).send(file.body);
    };
    files.get('/', (request, reply) => serve(request, reply, 'index.html'));
    files.get('/*', (request, reply) => serve(request, reply, (request.params as { '*': string })['*']));
  });
}

/** The file a request path names under `root`, or null when it may not be served or is not there. */
export async function fileAt(root: string, path: string): Promise<StaticFile | null> {
  const relative = relativePathOf(path);
  if (relative === null) return null;
  const type = CONTENT_TYPES[extname(relative).toLowerCase()];
  if (type === undefined) return null;
  const full = resolve(root, relative);
  // Belt and braces: the segment check already rules out climbing out.
  if (!full.startsWith(root + sep)) return null;
  try {
    const info = await stat(full);
    if (!info.isFile()) return null;
    const body = await readFile(full);
    const etag = `"${createHash('sha1').update(body).digest('base64url').slice(0, 20)}"`;
    return { body, type, etag };
  } catch {
    return null;
  }
}

/**
 * The path's segments, percent-decoded once, joined with "/", or null when a segment is empty,
 * hidden, a parent step or carries a separator once decoded (`%2e%2e`, `%2f`, `%5c`, `%00`).
 */
export function relativePathOf(path: string): string | null {
  const withoutQuery = path.split('?', 1)[0] ?? '';
  const segments = withoutQuery.split('/');
  const decoded: string[] = [];
  for (const segment of segments) {
    let text: string;
    try {
      text = decodeURIComponent(segment);
    } catch {
      return null;
    }
    if (!SAFE_SEGMENT.test(text) || text.includes('..')) return null;
    decoded.push(text);
  }
  return decoded.length === 0 ? null : decoded.join('/');
}

function etagMatches(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  return header
    .split(',')
    .map((t) => t.trim().replace(/^W\//, ''))
    .some((t) => t === etag || t === '*');
}
