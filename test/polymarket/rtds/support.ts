/** Helpers for RTDS tests: a log capture and metric reads. */
import { Writable } from 'node:stream';
import type { Counter } from 'prom-client';
import { createLogger, type Logger } from '../../../src/core/logger.ts';

export interface LogCapture {
  logger: Logger;
  lines: Record<string, unknown>[];
  messages(msg: string): Record<string, unknown>[];
}

export function captureLogs(): LogCapture {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      callback();
    },
  });
  return {
    logger: createLogger({ level: 'debug', format: 'json', destination }),
    lines,
    messages: (msg) => lines.filter((l) => l.msg === msg),
  };
}

/** A counter's value for one `source` label. */
export async function counterValue(counter: Counter<'source'>, source = 'rtds'): Promise<number> {
  const metric = await counter.get();
  return metric.values.find((v) => v.labels.source === source)?.value ?? 0;
}

/** Lets real socket I/O happen while a ManualClock stands still. */
export function ioTurn(ms = 30): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
