#!/usr/bin/env node
import { runCli } from './run-cli.js';

// The `tessera` executable: the exit status is set, not forced, so pending output is flushed first.
void runCli(process.argv.slice(2)).then((code) => {
  if (code !== 0) process.exitCode = code;
});
