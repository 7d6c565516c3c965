import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { askHidden, askLine, type PromptInput } from '../../src/keys/index.ts';

/** A stand-in terminal: records raw mode and what was echoed. */
function fakeTerminal() {
  const input = new PassThrough() as PassThrough & PromptInput;
  const modes: boolean[] = [];
  input.isTTY = true;
  input.isRaw = false;
  input.setRawMode = (mode: boolean) => {
    modes.push(mode);
    input.isRaw = mode;
    return input;
  };
  let written = '';
  const output = { write: (text: string) => (written += text) };
  return { input, output, modes, written: () => written };
}

describe('askHidden', () => {
  it('reads a line in raw mode without echoing it, then restores the terminal', async () => {
    const t = fakeTerminal();
    const answer = askHidden('Passphrase: ', t.input, t.output);
    t.input.write('s3cret pass');
    t.input.write('\r');
    expect(await answer).toBe('s3cret pass');
    expect(t.written()).toBe('Passphrase: \n');
    expect(t.modes).toEqual([true, false]);
  });

  it('edits with backspace, ignores arrow keys, and takes a paste in one chunk', async () => {
    const t = fakeTerminal();
    const answer = askHidden('Key: ', t.input, t.output);
    t.input.write('abX\u007fc\u001b[D\u001bOAd\n');
    expect(await answer).toBe('abcd');
    expect(t.written()).not.toContain('abcd');
  });

  it('cancels on Ctrl-C', async () => {
    const t = fakeTerminal();
    const answer = askHidden('Key: ', t.input, t.output);
    t.input.write('abc\u0003');
    await expect(answer).rejects.toThrow('cancelled');
    expect(t.modes).toEqual([true, false]);
  });
});

describe('askLine', () => {
  it('reads one trimmed visible line', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    const answer = askLine('Remove? [y/N] ', input, output);
    input.write(' yes \n');
    expect(await answer).toBe('yes');
  });
});
