// The `radlab livy` subcommands and their options (the work is in ./livy.ts).

import { LIVY_SESSION_KINDS, type LivySessionKind } from '@radlab/core';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { Io } from './connections.js';
import {
  livyBatch,
  livyKill,
  livyLog,
  livyRun,
  livySessions,
  livySql,
  livyStart,
  type LivyFlags
} from './livy.js';

function parseMs(value: string): number {
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms < 1)
    throw new InvalidArgumentError('expected milliseconds, an integer >= 1');
  return ms;
}

function parseLines(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidArgumentError('expected a number of lines >= 1');
  return n;
}

/** Code from the argument, or from standard input when it is `-`. */
async function codeOf(arg: string, io: Io): Promise<string> {
  if (arg !== '-' || !io.stdin) return arg;
  const decoder = new TextDecoder();
  let text = '';
  for await (const chunk of io.stdin) {
    text += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
  }
  return text + decoder.decode();
}

export function registerLivy(program: Command, io: Io, setExit: (code: number) => void): void {
  const livy = program.command('livy').description('Spark through Apache Livy');
  const common = (command: Command): Command =>
    command
      .option('-c, --connection <name>', 'livy connection (default: the first one configured)')
      .option('--json', 'print JSON');
  const flags = (options: LivyFlags): LivyFlags => ({
    ...options,
    config: program.opts<{ config?: string }>().config
  });
  const kind = (): Option =>
    new Option('-k, --kind <kind>', 'session or statement kind').choices([...LIVY_SESSION_KINDS]);

  common(livy.command('sessions').description('list the sessions on Livy')).action(
    async (options: LivyFlags) => setExit(await livySessions(flags(options), io))
  );
  common(
    livy
      .command('start')
      .description('start a session and wait until it is idle; prints its id')
      .addOption(kind().default('pyspark'))
      .option('-n, --name <name>', 'session name')
      .option('--conf <json>', 'Livy session conf, e.g. \'{"driverMemory": "2g"}\'')
      .option('--timeout <ms>', 'longest wait for the session to start', parseMs)
  ).action(async (options: LivyFlags) => setExit(await livyStart(flags(options), io)));
  common(
    livy
      .command('run')
      .description('run code in a session (a new one, deleted afterwards, when -s is not given)')
      .argument('<code>', 'the code, or - to read it from standard input')
      .option('-s, --session <id|name>', 'the session to run in')
      .addOption(kind())
      .option('--timeout <ms>', 'statement time limit (cancelled in Livy after it)', parseMs)
  ).action(async (code: string, options: LivyFlags & { kind?: LivySessionKind }) =>
    setExit(await livyRun(await codeOf(code, io), flags(options), io))
  );
  common(
    livy
      .command('sql')
      .description('run Spark SQL in a session and print the rows')
      .argument('<sql>', 'the SQL, or - to read it from standard input')
      .option('-s, --session <id|name>', 'the session to run in')
      .option('--timeout <ms>', 'statement time limit (cancelled in Livy after it)', parseMs)
  ).action(async (sql: string, options: LivyFlags) =>
    setExit(await livySql(await codeOf(sql, io), flags(options), io))
  );
  common(
    livy
      .command('kill')
      .description('delete a session (or with --batch, a batch): its Spark driver ends')
      .argument('<id>', 'session id or name, or batch id')
      .option('--batch', 'the id is a batch')
  ).action(async (id: string, options: LivyFlags) =>
    setExit(await livyKill(id, flags(options), io))
  );
  common(
    livy
      .command('batch')
      .description('submit a .py or .jar as a Livy batch (a path the Livy host can read)')
      .argument('<file>', 'the file')
      .argument('[args...]', 'arguments of the job')
      .option('--class <name>', 'main class of a .jar')
      .option('-n, --name <name>', 'batch name')
      .option('--conf <json>', 'Livy batch conf as JSON')
      .option('-f, --follow', 'follow its log until it ends (exit 0 on success)')
  ).action(async (file: string, args: string[], options: LivyFlags & { class?: string }) =>
    setExit(await livyBatch(file, flags({ ...options, className: options.class, args }), io))
  );
  common(
    livy
      .command('log')
      .description("print a session's (or with --batch, a batch's) last log lines")
      .argument('<id>', 'session id or name, or batch id')
      .option('--batch', 'the id is a batch')
      .option('-f, --follow', 'with --batch: follow until the batch ends')
      .option('-n, --lines <n>', 'how many of the last lines (default 100)', parseLines)
  ).action(async (id: string, options: LivyFlags) =>
    setExit(await livyLog(id, flags(options), io))
  );
}
