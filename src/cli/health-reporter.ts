/**
 * Writes the running components' health to the database every few seconds, so `polyhunter status`
 * (another process, maybe on another machine with PostgreSQL) can show it. On stop it writes a
 * last row per component saying so, so status can tell "stopped" from "crashed" (a row that just
 * stopped being refreshed).
 */
import { hostname } from 'node:os';
import type { Clock } from '../core/clock.ts';
import { describeError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import { componentHealthRepo, type JsonValue, type Store } from '../store/index.ts';

export interface HealthRow {
  component: string;
  healthy: boolean;
  detail: JsonValue;
}

export interface HealthReporter {
  /** Writes now (also called on the interval). */
  report(): Promise<void>;
  stop(): Promise<void>;
}

export const HEALTH_REPORT_INTERVAL_MS = 2000;

export function startHealthReporter(options: {
  store: Store;
  clock: Clock;
  logger: Logger;
  collect: () => HealthRow[];
  intervalMs?: number;
}): HealthReporter {
  const repo = componentHealthRepo(options.store.db);
  const host = hostname();
  let last: HealthRow[] = [];
  const write = async (rows: HealthRow[]) => {
    try {
      await repo.report(
        rows.map((r) => ({ ...r, pid: process.pid, host })),
        options.clock.now(),
      );
    } catch (err) {
      options.logger.warn({ err: describeError(err) }, 'could not write component health');
    }
  };
  const report = async () => {
    last = options.collect();
    await write(last);
  };
  const timer = setInterval(() => void report(), options.intervalMs ?? HEALTH_REPORT_INTERVAL_MS);
  timer.unref();
  void report();
  return {
    report,
    async stop() {
      clearInterval(timer);
      await write(last.map((r) => ({ component: r.component, healthy: false, detail: { stopped: true } })));
    },
  };
}
