/**
 * Runs the real `polyhunter` command as a child process on the project's Node, with an environment
 * free of the caller's POLYHUNTER_* variables.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
const NODE = resolve(ROOT, 'node_modules/.bin/node');
const MAIN = resolve(ROOT, 'src/cli/main.ts');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd: string;
  env?: Record<string, string>;
}

function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('POLYHUNTER_')) env[k] = v;
  return { ...env, ...extra };
}

export function runCli(args: string[], options: CliOptions): Promise<CliResult> {
  return new Promise((done) => {
    execFile(
      NODE,
      [MAIN, ...args],
      { cwd: options.cwd, env: cleanEnv(options.env), timeout: 30_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        done({ code, stdout, stderr });
      },
    );
  });
}

export interface RunningCli {
  child: ChildProcess;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** Resolves when the output matches `pattern`; rejects after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Resolves with the exit code. */
  exited: Promise<number>;
}

export function startCli(args: string[], options: CliOptions): RunningCli {
  // Long-running test processes run side by side: each dashboard server takes a free port unless
  // the test names one.
  const env = cleanEnv({ POLYHUNTER_SERVER__PORT: '0', ...options.env });
  const child = spawn(NODE, [MAIN, ...args], { cwd: options.cwd, env });
  let text = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    text += chunk.toString();
    for (const l of listeners) l();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise<number>((res) =>
    child.on('exit', (code, signal) => {
      if (signal) text += `\n[killed by ${signal}]`;
      res(code ?? 128);
    }),
  );
  return {
    child,
    output: () => text,
    exited,
    waitFor(pattern, timeoutMs = 15_000) {
      return new Promise((res, rej) => {
        const check = () => {
          if (pattern.test(text)) {
            listeners.delete(check);
            clearTimeout(timer);
            res();
          }
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          rej(new Error(`timed out waiting for ${pattern}; output so far:\n${text}`));
        }, timeoutMs);
        listeners.add(check);
        check();
      });
    },
  };
}
