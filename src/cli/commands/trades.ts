/** `polyhunter trades tail`: leader trades as they are stored, with each source's lag. */
import { formatMicro } from '../../core/decimal.ts';
import { ValidationError } from '../../core/errors.ts';
import { type LeaderTradeView, leaderTradesRepo, migrateToLatest, openStore } from '../../store/index.ts';
import {
  type GlobalOptions,
  loadFromOptions,
  type Output,
  printWarnings,
  resolvedDatabaseUrl,
} from '../context.ts';

export interface TradesTailOptions {
  limit: string;
  follow?: boolean;
  json?: boolean;
}

/** A source's lag behind the trade's time, e.g. "+1.2s", or "-" when it has not seen it. */
function lag(seenAt: number | null, tradeAt: number): string {
  return seenAt === null ? '-' : `+${((seenAt - tradeAt) / 1000).toFixed(1)}s`;
}

export function formatTradeLine(t: LeaderTradeView): string {
  const flags = [t.isBackfill ? 'backfill' : '', t.retracted ? 'RETRACTED' : ''].filter(Boolean).join(',');
  return [
    new Date(t.tradeAt).toISOString().replace('T', ' ').slice(0, 19),
    t.leader.slice(0, 10),
    t.side.padEnd(4),
    `${formatMicro(t.size)} ${t.outcome ?? t.tokenId.slice(0, 8)}`.padEnd(22),
    `@ ${formatMicro(t.price)}`.padEnd(10),
    `api ${lag(t.seen.api, t.tradeAt)}`.padEnd(12),
    `rtds ${lag(t.seen.rtds, t.tradeAt)}`.padEnd(13),
    `chain ${lag(t.seen.chain, t.tradeAt)}`.padEnd(14),
    `first ${t.firstSource}`,
    flags,
  ]
    .join('  ')
    .trimEnd();
}

export async function runTradesTail(
  global: GlobalOptions,
  options: TradesTailOptions,
  output: Output,
): Promise<void> {
  const limit = Number(options.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) {
    throw new ValidationError(`--limit must be an integer from 1 to 10000, got "${options.limit}"`);
  }
  const loaded = loadFromOptions(global);
  printWarnings(loaded, output);
  const store = await openStore(resolvedDatabaseUrl(loaded));
  const print = (t: LeaderTradeView) => output.out(options.json ? JSON.stringify(t) : formatTradeLine(t));
  try {
    await migrateToLatest(store);
    const repo = leaderTradesRepo(store.db);
    const first = await repo.tail(limit);
    for (const t of first) print(t);
    if (!options.follow) return;
    let last = first.at(-1)?.id ?? 0;
    let stop = false;
    const onSignal = () => {
      stop = true;
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    while (!stop) {
      await new Promise((r) => setTimeout(r, 500));
      for (const t of await repo.tail(1000, last)) {
        print(t);
        last = t.id;
      }
    }
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  } finally {
    await store.close();
  }
}
