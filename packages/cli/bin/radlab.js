#!/usr/bin/env node
import process from 'node:process';

// `radlab harvest …` starts without the other commands' modules (packages/cli/src/harvest-command.ts)
const io = {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env
};
if (process.argv[2] === 'harvest')
  import('../lib/harvest-command.js')
    .then(({ runHarvestCommand }) => runHarvestCommand(process.argv, io))
    .then(code => (process.exitCode = code));
else import('../lib/main.js').then(({ run }) => run());
