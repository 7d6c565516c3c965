/** `polyhunter sim`: run the Polymarket simulator on 127.0.0.1 until Ctrl-C. */
import { ValidationError } from '../../core/errors.ts';
import { type SimulatorPorts, startSimulator } from '../../sim/simulator.ts';
import { DEMO_SCENARIO_PATH, loadScenario } from '../../sim/traders/index.ts';
import { venueConfig } from '../../sim/venue-config.ts';
import type { Output } from '../context.ts';

export interface SimOptions {
  seed: string;
  speed: string;
  basePort?: string;
  chain: boolean;
  blockTime: string;
  dataLag: string;
  traders: boolean;
  takers?: boolean;
  scenario?: string;
}

function number(name: string, text: string, min: number, integer = true): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n < min || (integer && !Number.isInteger(n))) {
    throw new ValidationError(
      `--${name} must be ${integer ? 'an integer' : 'a number'} >= ${min}, got "${text}"`,
    );
  }
  return n;
}

/** Consecutive ports from `base`, in a fixed order so a config written once stays valid. */
function portsFrom(base: number | undefined): SimulatorPorts {
  if (base === undefined) return {};
  if (base + 6 > 65535) throw new ValidationError(`--base-port ${base} leaves no room for 7 ports`);
  return {
    gamma: base,
    clob: base + 1,
    clobWs: base + 2,
    dataApi: base + 3,
    rtds: base + 4,
    chain: base + 5,
    control: base + 6,
  };
}

export async function runSim(options: SimOptions, output: Output): Promise<void> {
  const seed = number('seed', options.seed, 0);
  const speed = number('speed', options.speed, Number.MIN_VALUE, false);
  const base = options.basePort === undefined ? undefined : number('base-port', options.basePort, 1);
  const scenario = options.scenario
    ? await loadScenario(options.scenario === 'demo' ? DEMO_SCENARIO_PATH : options.scenario)
    : undefined;
  if (scenario && !options.traders)
    throw new ValidationError('--scenario needs the traders; drop --no-traders');
  const sim = await startSimulator({
    seed,
    speed,
    ports: portsFrom(base),
    chain: options.chain,
    blockTimeMs: number('block-time', options.blockTime, 0),
    dataApiLagMs: number('data-lag', options.dataLag, 0),
    traders: options.traders ? { makers: true, takers: options.takers ?? false } : false,
    ...(scenario ? { scenario } : {}),
    onError: (err) => output.err(`simulator: ${String(err)}`),
  });
  output.out(`PolyHunter simulator (seed ${seed}, speed ${speed}x) on 127.0.0.1:`);
  if (scenario) output.out(`running scenario "${scenario.name}" (${scenario.steps.length} steps)`);
  for (const [name, url] of Object.entries(sim.urls)) if (url) output.out(`  ${name.padEnd(10)} ${url}`);
  output.out('');
  output.out('Put this in polyhunter.toml to trade against it (no keys, no network needed):');
  output.out('');
  output.out(venueConfig(sim));
  output.out('');
  output.out('Serving until Ctrl-C.');

  await new Promise<void>((resolve) => {
    const onSignal = () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  output.out('stopping the simulator');
  await sim.stop();
}
