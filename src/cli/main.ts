#!/usr/bin/env node
/** Entry point of the `polyhunter` command. */
import { stdio } from './context.ts';
import { runCli } from './program.ts';

process.exitCode = await runCli(process.argv, stdio);
