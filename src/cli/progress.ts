/**
 * Progress of long work (a catalog sync, a backfill, a replay): on a terminal one line redrawn in
 * place (`\r`) with a bar, percent, count, rate and ETA; elsewhere (a log file, a pipe, CI) plain
 * lines every few percent or every few seconds, so a log is readable and not flooded.
 *
 * The text comes from pure functions of a snapshot (tested with tables); the writer only decides
 * when to write and where. It writes to the stream it is given (stderr, so `--json` on stdout
 * stays clean).
 */

export interface ProgressSnapshot {
  /** What is being done, e.g. "catalog sync". */
  label: string;
  done: number;
  /** Null when the amount of work is not known in advance. */
  total: number | null;
  elapsedMs: number;
  /** Plural noun of what is counted, e.g. "markets". */
  unit: string;
}

export interface ProgressFigures {
  /** 0..100, floored (100 only when done); null without a total. */
  percent: number | null;
  /** Items per second over the whole run; null before anything was done. */
  perSecond: number | null;
  /** Null without a total or a rate. */
  etaMs: number | null;
}

export function progressFigures(s: ProgressSnapshot): ProgressFigures {
  const percent =
    s.total === null
      ? null
      : s.total <= 0
        ? 100
        : Math.min(100, Math.floor((Math.min(s.done, s.total) * 100) / s.total));
  const perSecond = s.done > 0 && s.elapsedMs > 0 ? (s.done * 1000) / s.elapsedMs : null;
  const etaMs =
    s.total === null || perSecond === null
      ? null
      : Math.max(0, Math.round(((s.total - s.done) / perSecond) * 1000));
  return { percent, perSecond, etaMs };
}

/** 0.4s, 45s, 3m12s, 1h04m: as precise as a person reading it needs. */
export function formatDuration(ms: number): string {
  if (ms < 10_000) return `${(Math.max(0, ms) / 1000).toFixed(1)}s`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  const m = Math.round(s / 60);
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** 1234/s, 35.2/s, 0.42/s. */
export function formatRate(perSecond: number): string {
  if (perSecond >= 100) return `${Math.round(perSecond)}/s`;
  if (perSecond >= 1) return `${perSecond.toFixed(1)}/s`;
  return `${perSecond.toFixed(2)}/s`;
}

function countText(s: ProgressSnapshot): string {
  return s.total === null ? `${s.done} ${s.unit}` : `${s.done}/${s.total} ${s.unit}`;
}

/** The parts after the bar: "42%  420/1000 markets  35.2/s  ETA 16s". */
function figuresText(s: ProgressSnapshot, f: ProgressFigures): string[] {
  return [
    ...(f.percent === null ? [] : [`${String(f.percent).padStart(3)}%`]),
    countText(s),
    f.perSecond === null ? '-/s' : formatRate(f.perSecond),
    f.etaMs !== null ? `ETA ${formatDuration(f.etaMs)}` : `${formatDuration(s.elapsedMs)} elapsed`,
  ];
}

const BAR_MAX = 30;
const BAR_MIN = 10;

/**
 * The terminal line, without `\r`: "catalog sync [#########.........]  42%  420/1000 markets
 * 35.2/s  ETA 16s". Never wider than `columns - 1`, so redrawing in place cannot wrap.
 */
export function formatProgressBar(s: ProgressSnapshot, columns = 80): string {
  const f = progressFigures(s);
  const tail = figuresText(s, f).join('  ');
  const room = columns - 1 - s.label.length - tail.length - 5;
  let line: string;
  if (f.percent !== null && room >= BAR_MIN) {
    const width = Math.min(BAR_MAX, room);
    const full = Math.floor((f.percent * width) / 100);
    line = `${s.label} [${'#'.repeat(full)}${'.'.repeat(width - full)}]  ${tail}`;
  } else {
    line = `${s.label}  ${tail}`;
  }
  return line.length > columns - 1 ? `${line.slice(0, Math.max(0, columns - 2))}…` : line;
}

/** A plain line for logs: "catalog sync: 42% (420/1000 markets, 35.2/s, ETA 16s)". */
export function formatProgressLine(s: ProgressSnapshot): string {
  const f = progressFigures(s);
  const [first, ...rest] = figuresText(s, f);
  return `${s.label}: ${first!.trim()} (${rest.join(', ')})`;
}

/** The last line: "catalog sync: done, 1000 markets in 28s (35.2/s)". */
export function formatProgressDone(s: ProgressSnapshot): string {
  const f = progressFigures(s);
  const rate = f.perSecond === null ? '' : ` (${formatRate(f.perSecond)})`;
  return `${s.label}: done, ${s.done} ${s.unit} in ${formatDuration(s.elapsedMs)}${rate}`;
}

/** The last line of work that stopped early: "catalog sync: stopped at 420/1000 markets after 12s: why". */
export function formatProgressFailed(s: ProgressSnapshot, reason: string): string {
  return `${s.label}: stopped at ${countText(s)} after ${formatDuration(s.elapsedMs)}: ${reason}`;
}

// --- the writer ------------------------------------------------------------------------------------

/** Where progress goes: process.stderr, or anything with `write` in tests. */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface ProgressOptions {
  label: string;
  /** Omitted or null: the amount of work is not known (no percent, no ETA). */
  total?: number | null;
  /** Plural noun of what is counted; default "items". */
  unit?: string;
  stream: ProgressStream;
  /** Default: the stream's own `isTTY`. */
  isTTY?: boolean;
  /** Epoch ms; default Date.now. */
  now?: () => number;
  /** Not on a terminal: a line each time this many more percent are done; default 10. */
  everyPercent?: number;
  /** Not on a terminal: a line at least this often while work goes on; default 5000. */
  everyMs?: number;
  /** On a terminal: redraw at most this often; default 100. */
  redrawMs?: number;
}

export interface Progress {
  /** `n` more items done (default 1). */
  tick(n?: number): void;
  /** Sets how many items are done. */
  update(done: number): void;
  /** The amount of work became known (or changed). */
  setTotal(total: number | null): void;
  /** Writes the closing line; later calls do nothing. */
  finish(): void;
  /** Writes why the work stopped early; later calls do nothing. */
  fail(reason: string): void;
}

const CLEAR_TO_END = '\x1b[K';

export function startProgress(o: ProgressOptions): Progress {
  const now = o.now ?? Date.now;
  const tty = o.isTTY ?? o.stream.isTTY === true;
  const everyPercent = o.everyPercent ?? 10;
  const everyMs = o.everyMs ?? 5000;
  const redrawMs = o.redrawMs ?? 100;
  const unit = o.unit ?? 'items';
  const startedAt = now();
  let total = o.total ?? null;
  let done = 0;
  let ended = false;
  let lastWriteAt = startedAt;
  /** Plain mode: the percent step last reported. */
  let lastStep = 0;
  let drawn = false;

  const snapshot = (): ProgressSnapshot => ({
    label: o.label,
    done,
    total,
    elapsedMs: now() - startedAt,
    unit,
  });

  const draw = (force: boolean) => {
    const at = now();
    if (tty) {
      if (!force && drawn && at - lastWriteAt < redrawMs) return;
      o.stream.write(`\r${formatProgressBar(snapshot(), o.stream.columns ?? 80)}${CLEAR_TO_END}`);
      drawn = true;
      lastWriteAt = at;
      return;
    }
    const percent = progressFigures(snapshot()).percent;
    // 100% is said by the closing line.
    if (percent === 100) return;
    const step = percent === null ? lastStep : Math.floor(percent / everyPercent);
    if (step > lastStep || at - lastWriteAt >= everyMs) {
      lastStep = Math.max(lastStep, step);
      lastWriteAt = at;
      o.stream.write(`${formatProgressLine(snapshot())}\n`);
    }
  };

  const close = (line: string) => {
    if (ended) return;
    ended = true;
    o.stream.write(tty ? `\r${line}${CLEAR_TO_END}\n` : `${line}\n`);
  };

  if (tty) draw(true);
  return {
    tick(n = 1) {
      if (ended) return;
      done += n;
      draw(total !== null && done >= total);
    },
    update(value) {
      if (ended) return;
      done = value;
      draw(total !== null && done >= total);
    },
    setTotal(value) {
      if (ended) return;
      total = value;
      if (tty) draw(true);
      else {
        // Plain lines go on from the step reached, not one line for every step skipped.
        const percent = progressFigures(snapshot()).percent;
        if (percent !== null) lastStep = Math.floor(percent / everyPercent);
      }
    },
    finish() {
      close(formatProgressDone(snapshot()));
    },
    fail(reason) {
      close(formatProgressFailed(snapshot(), reason));
    },
  };
}
