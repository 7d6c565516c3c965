import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { startCli } from '../support/cli.ts';
import { deadPort } from '../support/ports.ts';

it('start with the venue unreachable says so plainly, keeps retrying, and stops cleanly', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ph-offline-'));
  const [gamma, clob, data, ws] = [await deadPort(), await deadPort(), await deadPort(), await deadPort()];
  writeFileSync(
    join(dir, 'polyhunter.toml'),
    [
      '[log]',
      'format = "json"',
      '[venue]',
      `gamma_url = "http://127.0.0.1:${gamma}"`,
      `clob_url = "http://127.0.0.1:${clob}"`,
      `data_api_url = "http://127.0.0.1:${data}"`,
      `clob_ws_url = "ws://127.0.0.1:${ws}"`,
      `rtds_url = "ws://127.0.0.1:${ws}"`,
      '[[leaders]]',
      'address = "0x1eade20000000000000000000000000000000c09"',
    ].join('\n'),
  );
  const app = startCli(['start'], { cwd: dir });
  try {
    await app.waitFor(/cannot reach 127\.0\.0\.1:\d+ \(ECONNREFUSED\).*keeps retrying with backoff/, 15_000);
    // The sources go on retrying: the API poller fails again and again, the sockets reconnect.
    await app.waitFor(/"msg":"api poll failed"[\s\S]*"msg":"api poll failed"/, 15_000);
    await app.waitFor(/"msg":"rtds: reconnecting"/, 15_000);
  } finally {
    app.child.kill('SIGINT');
  }
  expect(await app.exited, app.output()).toBe(0);
}, 60_000);
