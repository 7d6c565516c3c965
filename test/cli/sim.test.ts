import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.ts';
import { runCli, startCli } from '../support/cli.ts';

const cwd = () => mkdtempSync(join(tmpdir(), 'ph-sim-'));

describe('polyhunter sim', () => {
  it('prints a [venue] block PolyHunter accepts, serves it, and stops on SIGINT', async () => {
    const sim = startCli(['sim', '--seed', '5', '--block-time', '200'], { cwd: cwd() });
    await sim.waitFor(/Serving until Ctrl-C/, 20_000);
    const block = /\[venue\][\s\S]*?chain_id = 137/.exec(sim.output())?.[0];
    expect(block).toBeDefined();
    const venue = (parseToml(block!) as { venue: Record<string, unknown> }).venue;
    // The printed block validates against the config schema as it is.
    expect(configSchema.parse({ venue }).venue.gamma_url).toBe(venue.gamma_url);

    const markets = (await (await fetch(`${venue.gamma_url}/markets`)).json()) as unknown[];
    expect(markets.length).toBeGreaterThan(0);
    const activity = await fetch(
      `${venue.data_api_url}/activity?user=0x0000000000000000000000000000000000000001`,
    );
    expect(activity.status).toBe(200);

    sim.child.kill('SIGINT');
    expect(await sim.exited, sim.output()).toBe(0);
  });

  it('rejects a bad option with one clear message', async () => {
    const r = await runCli(['sim', '--speed', 'fast'], { cwd: cwd() });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: --speed must be a number >= .*, got "fast"$/m);
  });
});
