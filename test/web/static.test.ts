/**
 * The dashboard's files as the real API server serves them: content types, caching that makes the
 * browser revalidate, the page's security headers, every module the page imports present, and no
 * way out of web/ however the path is spelled.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileAt, relativePathOf, WEB_ROOT } from '../../src/server/http/static.ts';
import { api, startTestServer, type TestServer } from '../server/http/support.ts';

/** A GET with the path sent exactly as written (fetch would resolve "..", so it is not used). */
function rawGet(base: string, path: string): Promise<{ status: number; body: string }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the dashboard files on the API server', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer('sqlite');
  });
  afterAll(async () => {
    await t.dispose();
  });

  it('serves the page at / with its security headers, revalidated on every load', async () => {
    const r = await api(t.url, '/');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(r.headers.get('cache-control')).toBe('no-cache');
    expect(r.headers.get('etag')).toMatch(/^"[\w-]+"$/);
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('x-frame-options')).toBe('DENY');
    const csp = r.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(r.text).toContain('<script type="module" src="/js/main.js"></script>');
    expect(r.text).toBe(readFileSync(join(WEB_ROOT, 'index.html'), 'utf8'));
  });

  it('answers a matching If-None-Match with 304 and no body', async () => {
    const first = await api(t.url, '/app.css');
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('text/css; charset=utf-8');
    const etag = first.headers.get('etag')!;
    const again = await api(t.url, '/app.css', { headers: { 'if-none-match': `W/${etag}` } });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    const changed = await api(t.url, '/app.css', { headers: { 'if-none-match': '"something-else"' } });
    expect(changed.status).toBe(200);
  });

  it('serves every module the page imports, as JavaScript', async () => {
    const seen = new Set<string>();
    const queue = ['/js/main.js'];
    while (queue.length > 0) {
      const path = queue.shift()!;
      if (seen.has(path)) continue;
      seen.add(path);
      const r = await api(t.url, path);
      expect(r.status, path).toBe(200);
      expect(r.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      for (const m of r.text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+'(\.{1,2}\/[^']+)'/gm)) {
        queue.push(posix.join(posix.dirname(path), m[1]!));
      }
    }
    // main.js, the shared modules and the seven pages.
    expect(seen.size).toBeGreaterThanOrEqual(17);
    expect([...seen].filter((p) => p.startsWith('/js/pages/'))).toHaveLength(7);
  });

  it('never leaves web/, however the path is spelled', async () => {
    const attempts = [
      '/../package.json',
      '/js/../../package.json',
      '/%2e%2e/package.json',
      '/js/%2e%2e/%2e%2e/src/server/http/static.ts',
      '/..%2fpackage.json',
      '/js%2f..%2f..%2fpackage.json',
      '/%2e%2e%5cpackage.json',
      '/index.html%00.js',
      '/%252e%252e/package.json',
      '//etc/passwd',
    ];
    for (const path of attempts) {
      const r = await rawGet(t.url, path);
      expect(r.status, path).toBe(404);
      expect(r.body, path).not.toContain('"name": "polyhunter"');
      expect(r.body, path).not.toContain('root:');
    }
  });

  it('serves only the page’s kinds of file; unknown paths stay the API’s JSON 404', async () => {
    for (const path of ['/tsconfig.json', '/js', '/js/', '/nothing.js', '/.gitignore']) {
      const r = await api(t.url, path);
      expect(r.status, path).toBe(404);
      expect(r.body?.error?.code, path).toBe('NOT_FOUND');
    }
    const apiMiss = await api(t.url, '/api/nothing');
    expect(apiMiss.status).toBe(404);
    expect(apiMiss.body).toEqual({
      error: { code: 'NOT_FOUND', message: 'no such endpoint: GET /api/nothing' },
    });
    // The API keeps its own caching: nothing it answers is stored.
    expect((await api(t.url, '/api/status')).headers.get('cache-control')).toBe('no-store');
  });
});

describe('relativePathOf', () => {
  it.each([
    ['index.html', 'index.html'],
    ['js/pages/feed.js', 'js/pages/feed.js'],
    ['js/main.js?v=2', 'js/main.js'],
    ['a%20b.js', null],
    ['', null],
    ['js//main.js', null],
    ['../package.json', null],
    ['js/../index.html', null],
    ['%2e%2e/package.json', null],
    ['js%2fmain.js', null],
    ['js%5cmain.js', null],
    ['.env', null],
    ['js/.hidden.js', null],
    ['index.html%00', null],
    ['%E0%A4%A', null],
  ])('%j -> %j', (path, expected) => {
    expect(relativePathOf(path)).toBe(expected);
  });
});

describe('fileAt', () => {
  let dir: string;
  let root: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'polyhunter-static-'));
    root = join(dir, 'web');
    for (const [path, text] of [
      ['web/index.html', '<!doctype html>'],
      ['web/js/a.js', 'export {};'],
      ['web/notes.md', '# not served'],
      // A sibling whose name starts with the root's: a prefix check alone would let it through.
      ['web-private/secret.js', 'secret'],
    ] as const) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a file under the root with its type and a content hash as ETag', async () => {
    const file = await fileAt(root, 'js/a.js');
    expect(file?.type).toBe('text/javascript; charset=utf-8');
    expect(file?.body.toString()).toBe('export {};');
    const again = await fileAt(root, 'js/a.js');
    expect(again?.etag).toBe(file?.etag);
    writeFileSync(join(root, 'js/a.js'), 'export const changed = 1;');
    expect((await fileAt(root, 'js/a.js'))?.etag).not.toBe(file?.etag);
  });

  it('refuses directories, unknown kinds, missing files and anything outside the root', async () => {
    expect(await fileAt(root, 'js')).toBeNull();
    expect(await fileAt(root, 'notes.md')).toBeNull();
    expect(await fileAt(root, 'missing.js')).toBeNull();
    expect(await fileAt(root, '../web-private/secret.js')).toBeNull();
    expect(await fileAt(root, '%2e%2e/web-private/secret.js')).toBeNull();
  });
});
