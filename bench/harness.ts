/**
 * A thin layer over tinybench: every hot path gets a floor it must beat, printed beside the figure.
 *
 * A floor is set well below what this machine (2 cores) measures, so that a regression of an order
 * of magnitude fails `npm run bench` while ordinary noise does not.
 */
import { Bench } from 'tinybench';

export interface BenchCase {
  name: string;
  fn: () => unknown;
  /** The run fails when the measured mean throughput is below this. */
  minOpsPerSec: number;
  /** Called before every run of fn (untimed), e.g. to reset state. */
  beforeEach?: () => void | Promise<void>;
}

export interface SuiteResult {
  suite: string;
  name: string;
  opsPerSec: number;
  meanUs: number;
  p50Us: number;
  p99Us: number;
  minOpsPerSec: number;
  ok: boolean;
}

export const results: SuiteResult[] = [];

/** Runs each case for about `timeMs` and records its figures against its floor. */
export async function suite(title: string, cases: BenchCase[], timeMs = 300): Promise<void> {
  const bench = new Bench({ name: title, time: timeMs, warmup: true });
  for (const c of cases) {
    bench.add(c.name, c.fn, c.beforeEach ? { beforeEach: c.beforeEach } : {});
  }
  await bench.run();
  console.log(`\n${title}`);
  for (const task of bench.tasks) {
    const c = cases.find((x) => x.name === task.name)!;
    const r = task.result;
    if (r.state !== 'completed') {
      const reason = r.state === 'errored' ? String(r.error) : r.state;
      console.log(`  FAIL ${task.name}: ${reason}`);
      results.push({
        suite: title,
        name: task.name,
        opsPerSec: 0,
        meanUs: 0,
        p50Us: 0,
        p99Us: 0,
        minOpsPerSec: c.minOpsPerSec,
        ok: false,
      });
      continue;
    }
    const opsPerSec = r.throughput.mean;
    const meanUs = r.latency.mean * 1000;
    const p50Us = r.latency.p50 * 1000;
    const p99Us = r.latency.p99 * 1000;
    const ok = opsPerSec >= c.minOpsPerSec;
    results.push({
      suite: title,
      name: task.name,
      opsPerSec,
      meanUs,
      p50Us,
      p99Us,
      minOpsPerSec: c.minOpsPerSec,
      ok,
    });
    console.log(
      `  ${ok ? 'ok  ' : 'FAIL'} ${task.name.padEnd(44)} ${fmt(opsPerSec).padStart(12)} ops/s` +
        `  mean ${meanUs.toFixed(1).padStart(8)} µs  p50 ${p50Us.toFixed(1).padStart(8)} µs  p99 ${p99Us.toFixed(1).padStart(8)} µs` +
        `  (floor ${fmt(c.minOpsPerSec)} ops/s)`,
    );
  }
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
