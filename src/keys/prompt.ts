/**
 * Asking a person at a terminal: a hidden answer (passphrases, pasted keys) read in raw mode so
 * nothing is echoed, and a visible one-line answer (confirmations). Prompts go to stderr, keeping
 * stdout for what a script might capture.
 */
import { createInterface } from 'node:readline/promises';
import { ValidationError } from '../core/errors.ts';

/** What the prompts need of a terminal's input: a tty.ReadStream, or a fake in tests. */
export interface PromptInput extends NodeJS.ReadableStream {
  isTTY?: boolean;
  isRaw?: boolean;
  setRawMode(mode: boolean): unknown;
}

export interface PromptOutput {
  write(text: string): unknown;
}

const ENTER = new Set(['\r', '\n', '\u0004']); // Enter, or Ctrl-D to end the line
const CTRL_C = '\u0003';
const BACKSPACE = new Set(['\u007f', '\b']);
const ESC = '\u001b';

/**
 * Reads one line without echoing it. Backspace edits, Ctrl-C cancels (raw mode turns it into a
 * plain byte, so it is handled here), arrow keys and other escape sequences are ignored.
 */
export function askHidden(
  question: string,
  input: PromptInput = process.stdin as PromptInput,
  output: PromptOutput = process.stderr,
): Promise<string> {
  return new Promise((resolve, reject) => {
    let chars: string[] = [];
    // 0: typing; 1: just after ESC; 2: inside an ESC [ or ESC O sequence.
    let escState = 0;
    const wasRaw = input.isRaw === true;
    const finish = (error?: Error): void => {
      input.removeListener('data', onData);
      input.setRawMode(wasRaw);
      input.pause();
      output.write('\n');
      const answer = chars.join('');
      chars = [];
      if (error) reject(error);
      else resolve(answer);
    };
    const onData = (chunk: Buffer | string): void => {
      for (const ch of String(chunk)) {
        if (escState === 1) {
          escState = ch === '[' || ch === 'O' ? 2 : 0;
          continue;
        }
        if (escState === 2) {
          // A sequence ends with a letter or ~ (arrows: ESC [ A, Delete: ESC [ 3 ~).
          if (/[A-Za-z~]/.test(ch)) escState = 0;
          continue;
        }
        if (ENTER.has(ch)) {
          finish();
          return;
        }
        if (ch === CTRL_C) {
          finish(new ValidationError('cancelled'));
          return;
        }
        if (ch === ESC) escState = 1;
        else if (BACKSPACE.has(ch)) chars.pop();
        else if (ch >= ' ') chars.push(ch);
      }
    };
    output.write(question);
    input.setRawMode(true);
    input.setEncoding('utf8');
    input.on('data', onData);
    input.resume();
  });
}

/** Reads one visible line (trimmed). */
export async function askLine(
  question: string,
  input: NodeJS.ReadableStream = process.stdin,
  output: NodeJS.WritableStream = process.stderr,
): Promise<string> {
  const rl = createInterface({ input, output, terminal: false });
  try {
    return (await rl.question(question)).trim();
  } finally {
    rl.close();
  }
}
