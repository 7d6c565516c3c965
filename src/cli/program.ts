/**
 * The `polyhunter` command line: every command, its help and its examples. Actions load what they
 * need lazily so that `--help` stays instant.
 */
import { Command, CommanderError } from 'commander';
import pkg from '../../package.json' with { type: 'json' };
import { describeError, PolyHunterError } from '../core/errors.ts';
import { registerAuditCommands } from './commands/audit.ts';
import { registerCatalogCommands } from './commands/catalog.ts';
import { registerDoctorCommands } from './commands/doctor.ts';
import { registerFollowCommands } from './commands/follow.ts';
import { registerKeysCommands } from './commands/keys.ts';
import { registerLeadersCommands } from './commands/leaders.ts';
import { registerPortfolioCommands } from './commands/portfolio.ts';
import { registerStatusTopCommands } from './commands/status-top.ts';
import type { GlobalOptions, Output } from './context.ts';

function examples(...lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
}

export function buildProgram(output: Output): Command {
  const program = new Command('polyhunter')
    .description(
      'PolyHunter: a self-hosted Polymarket copy-trading and market-data system.\nPaper mode unless live trading is configured and confirmed.',
    )
    .version(pkg.version)
    .option('-c, --config <file>', 'config file (default: $POLYHUNTER_CONFIG or ./polyhunter.toml)')
    .option(
      '--secrets <file>',
      'secrets file (default: $POLYHUNTER_SECRETS or secrets.toml beside the config)',
    )
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (s) => output.out(s.trimEnd()), writeErr: (s) => output.err(s.trimEnd()) })
    .exitOverride()
    .addHelpText(
      'after',
      examples(
        'polyhunter init',
        'polyhunter config show',
        'polyhunter start',
        'polyhunter --config /etc/polyhunter.toml db migrate',
      ),
    );
  const globals = (): GlobalOptions => program.opts<GlobalOptions>();

  program
    .command('init')
    .description(
      'Write a commented starter polyhunter.toml and a secrets.toml with a random dashboard token.',
    )
    .option('--dir <dir>', 'folder to write into', '.')
    .option('--force', 'overwrite an existing polyhunter.toml (secrets.toml is never overwritten)')
    .addHelpText('after', examples('polyhunter init', 'polyhunter init --dir ~/polyhunter'))
    .action(async (options: { dir?: string; force?: boolean }) => {
      const { runInit } = await import('./commands/init.ts');
      runInit(globals(), options, output);
    });

  const config = program
    .command('config')
    .description('Show the effective configuration or change a runtime setting.')
    .addHelpText(
      'after',
      examples('polyhunter config show', 'polyhunter config set trading.max_live_lag_sec 45'),
    );
  config
    .command('show')
    .description(
      'Print every setting with its effective value and where it came from (default, file, env, database). Secrets are never printed.',
    )
    .option('--json', 'print JSON instead of a table')
    .addHelpText('after', examples('polyhunter config show', 'polyhunter config show --json | jq .settings'))
    .action(async (options: { json?: boolean }) => {
      const { runConfigShow } = await import('./commands/config.ts');
      await runConfigShow(globals(), options, output);
    });
  config
    .command('set')
    .description(
      'Change a runtime setting (a trading.* key) in the database; it is validated first and audited.',
    )
    .argument('<key>', 'dotted key, e.g. trading.catch_up_buy_max_age_sec')
    .argument('<value>', 'new value; arrays as JSON, e.g. \'["api","chain"]\'')
    .addHelpText(
      'after',
      examples(
        'polyhunter config set trading.startup_mode warm',
        'polyhunter config set trading.trigger_sources \'["api","rtds","chain"]\'',
      ),
    )
    .action(async (key: string, value: string) => {
      const { runConfigSet } = await import('./commands/config.ts');
      await runConfigSet(globals(), key, value, output);
    });

  const db = program
    .command('db')
    .description('Database maintenance: schema migrations on SQLite or PostgreSQL.')
    .addHelpText('after', examples('polyhunter db migrate', 'polyhunter db migrate --status'));
  db.command('migrate')
    .description('Apply pending schema migrations (also done at every start). Each runs in a transaction.')
    .option('--status', 'list applied and pending migrations without applying anything')
    .addHelpText(
      'after',
      examples(
        'polyhunter db migrate',
        'polyhunter db migrate --status',
        'POLYHUNTER_DATABASE__URL=postgres://polyhunter@127.0.0.1/polyhunter polyhunter db migrate',
      ),
    )
    .action(async (options: { status?: boolean }) => {
      const { runDbMigrate } = await import('./commands/db.ts');
      await runDbMigrate(globals(), options, output);
    });

  const trades = program
    .command('trades')
    .description('Leader trades as detected and stored.')
    .addHelpText('after', examples('polyhunter trades tail -f'));
  trades
    .command('tail')
    .description(
      "Print the latest leader trades with each source's lag behind the trade (api, rtds, chain) and which saw it first; -f keeps printing new ones.",
    )
    .option('-n, --limit <n>', 'how many of the latest trades to print first', '20')
    .option('-f, --follow', 'keep printing trades as they arrive, until Ctrl-C')
    .option('--json', 'one JSON object per line')
    .addHelpText(
      'after',
      examples('polyhunter trades tail', 'polyhunter trades tail -f', 'polyhunter trades tail -n 100 --json'),
    )
    .action(async (options: import('./commands/trades.ts').TradesTailOptions) => {
      const { runTradesTail } = await import('./commands/trades.ts');
      await runTradesTail(globals(), options, output);
    });

  program
    .command('sim')
    .description(
      'Run the Polymarket simulator on 127.0.0.1: Gamma, Data API, RTDS and a local Polygon chain around a simulated venue. Prints the URLs to put in polyhunter.toml and serves until Ctrl-C.',
    )
    .option('--seed <n>', 'same seed, same markets and trades', '1')
    .option('--speed <x>', 'simulated time runs this many times faster', '1')
    .option('--base-port <port>', 'use consecutive ports from here (default: any free ports)')
    .option('--no-chain', 'run without the local EVM chain')
    .option('--block-time <ms>', 'simulated milliseconds between blocks', '2000')
    .option('--data-lag <ms>', 'Data API indexing lag in simulated milliseconds', '3000')
    .option('--no-traders', 'no market makers (empty books until you trade)')
    .option('--takers', 'add background takers that trade small sizes at random')
    .option(
      '--scenario <file>',
      'run a scenario file (JSON or TOML) of leader trades and faults; "demo" for the built-in one',
    )
    .addHelpText(
      'after',
      examples(
        'polyhunter sim',
        'polyhunter sim --seed 7 --speed 10',
        'polyhunter sim --base-port 18000 --no-chain',
      ),
    )
    .action(async (options: import('./commands/sim.ts').SimOptions) => {
      const { runSim } = await import('./commands/sim.ts');
      await runSim(options, output);
    });

  registerFollowCommands(program, globals, output);
  registerPortfolioCommands(program, globals, output);
  registerKeysCommands(program, globals, output);
  registerDoctorCommands(program, globals, output);
  registerLeadersCommands(program, globals, output);
  registerAuditCommands(program, globals, output);
  registerCatalogCommands(program, globals, output);

  program
    .command('status')
    .description(
      'Show what the running PolyHunter last reported: each trigger source (api, rtds, chain), whether trading is gated, and each leader’s cursor. Read from the database, so it works from any shell.',
    )
    .option('--json', 'print JSON')
    .option('-v, --verbose', "also print each component's whole reported detail, indented under its line")
    .addHelpText(
      'after',
      examples(
        'polyhunter status',
        'polyhunter status --verbose',
        'polyhunter status --json | jq .components',
      ),
    )
    .action(async (options: import('./commands/status.ts').StatusOptions) => {
      const { runStatus } = await import('./commands/status.ts');
      await runStatus(globals(), options, output);
    });
  registerStatusTopCommands(program, globals, output);

  program
    .command('demo')
    .description(
      'Watch the whole system work, offline: starts the simulator with market makers and two scripted leaders, then PolyHunter against it (paper mode, all three detection sources, two follows), and prints each leader trade, when each source saw it, each decision and fill, and a running PnL. Ctrl-C stops; the SQLite file stays.',
    )
    .option('--dir <dir>', 'folder for the demo’s config, database and log', 'polyhunter-demo')
    .option('--seed <n>', 'simulator seed: same seed, same markets', '1')
    .option('--exit-after <seconds>', 'stop by itself this long after the scenario ends')
    .addHelpText(
      'after',
      examples('polyhunter demo', 'npm run demo', 'polyhunter demo --dir /tmp/ph-demo --exit-after 20'),
    )
    .action(async (options: import('./commands/demo.ts').DemoOptions) => {
      const { runDemo } = await import('./commands/demo.ts');
      await runDemo(options, output);
    });

  program
    .command('start')
    .description(
      'Run PolyHunter: load the config, migrate the database, log the effective settings with their sources, and run until Ctrl-C.',
    )
    .option('--live', 'trade live (needs trading.mode = "live" in the config); asks once to confirm')
    .option('--yes-live', 'trade live without asking, for unattended runs (needs trading.mode = "live")')
    .option('--keystore <file>', 'keystore of the live accounts (default: keystore.json beside the config)')
    .addHelpText(
      'after',
      `
Paper mode (the default) needs no keys. Live mode needs trading.mode = "live" and [[accounts]] in
the config, each account's key in the keystore (\`polyhunter keys add <name>\`), and the keystore
passphrase from POLYHUNTER_KEYSTORE__PASSPHRASE, [keystore] passphrase in secrets.toml, or a prompt.
Before anything is sent, every order left PENDING or SUBMITTED is reconciled with the venue; on
Ctrl-C or SIGTERM every resting order is cancelled. Run \`polyhunter doctor\` first.
${examples('polyhunter start', 'polyhunter --config ./prod.toml start', 'polyhunter start --live', 'POLYHUNTER_KEYSTORE__PASSPHRASE=... polyhunter start --yes-live')}`,
    )
    .action(async (options: import('./commands/start.ts').StartOptions) => {
      const { runStart } = await import('./commands/start.ts');
      await runStart(globals(), options);
    });

  return program;
}

/** Runs the CLI and returns the process exit code: 0 success, 1 failure, 2 bad usage. */
export async function runCli(argv: readonly string[], output: Output): Promise<number> {
  const program = buildProgram(output);
  try {
    await program.parseAsync([...argv]);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version exit through here with code 0; anything else is a usage error.
      return err.exitCode === 0 ? 0 : 2;
    }
    if (err instanceof PolyHunterError) {
      output.err(`error: ${err.message}`);
    } else {
      output.err(`error: ${describeError(err)}`);
      if (process.env.POLYHUNTER_DEBUG) output.err(String((err as Error).stack));
    }
    return 1;
  }
}
