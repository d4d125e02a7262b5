// The radlab command line. Exit codes: 0 all healthy (or degraded), 1 a connection is down,
// 2 a configuration or usage error.

import { RADLAB_VERSION } from '@radlab/core';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { checkConnections, EXIT_CONFIG, listConnections, type Io } from './connections.js';
import {
  drillColumns,
  drillQuery,
  drillSchemas,
  drillTables,
  readSql,
  type DrillFlags
} from './drill.js';
import { registerImaging } from './imaging/command.js';
import { registerFiles } from './files-command.js';
import { registerHarvest } from './harvest-command.js';
import { registerGpu } from './gpu-command.js';
import { registerJobs } from './jobs-command.js';
import { registerLivy } from './livy-command.js';

function parseLimit(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) {
    throw new InvalidArgumentError('expected a number of rows, an integer >= 0 (0: no limit)');
  }
  return n;
}

function collectOption(
  value: string,
  previous: Record<string, string> = {}
): Record<string, string> {
  const eq = value.indexOf('=');
  if (eq < 1)
    throw new InvalidArgumentError('expected name=value, e.g. planner.width.max_per_node=4');
  return { ...previous, [value.slice(0, eq).trim()]: value.slice(eq + 1).trim() };
}

function parseTimeout(value: string): number {
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms < 1 || ms > 600_000) {
    throw new InvalidArgumentError('expected milliseconds, an integer between 1 and 600000');
  }
  return ms;
}

export function buildProgram(io: Io, setExit: (code: number) => void): Command {
  const program = new Command('radlab')
    .description(
      'Radlab: the radiology ML data platform (Drill, Livy, MapR/WebHDFS, Kubernetes, Prometheus).'
    )
    .version(RADLAB_VERSION)
    .option(
      '-c, --config <file>',
      'connections file (default: $RADLAB_CONFIG or ~/.config/radlab/connections.json)'
    )
    // program options only before the subcommand: `radlab drill query -c NAME` is the connection
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({
      writeOut: text => io.stdout.write(text),
      writeErr: text => io.stderr.write(text)
    });

  const connections = program.command('connections').description('configured service connections');
  connections
    .command('list')
    .description('list the configured connections (no secrets)')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      setExit(await listConnections({ ...program.opts<{ config?: string }>(), ...options }, io));
    });
  connections
    .command('check')
    .description('check the health of connections, all in parallel')
    .argument('[name...]', 'connections to check (default: all)')
    .option('--json', 'print JSON: {connections: HealthResult[], errors: [...]}')
    .option('--timeout <ms>', 'per-request timeout in milliseconds', parseTimeout)
    .action(async (names: string[], options: { json?: boolean; timeout?: number }) => {
      setExit(
        await checkConnections(names, { ...program.opts<{ config?: string }>(), ...options }, io)
      );
    });

  const drill = program.command('drill').description('SQL on Apache Drill');
  const drillOptions = (command: Command): Command =>
    command
      .option('-c, --connection <name>', 'drill connection (default: the first one configured)')
      .option('--json', 'print JSON')
      .option('--csv', 'print CSV');
  const flags = (options: DrillFlags): DrillFlags => ({
    ...options,
    config: program.opts<{ config?: string }>().config
  });
  drillOptions(
    drill
      .command('query')
      .description(
        'run SQL: each statement in turn (Ctrl-C cancels on Drill; a terminal shows the live state)'
      )
      .argument('[sql]', 'the SQL text, or - to read it from standard input')
      .option('-f, --file <file>', 'read the SQL from a file')
  )
    .option('--limit <rows>', 'at most this many rows, 0 for all (default 1000)', parseLimit)
    .option('--timeout <ms>', 'query time limit in milliseconds', parseTimeout)
    .option(
      '-o, --option <name=value>',
      'Drill session option for this query (repeatable)',
      collectOption
    )
    .action(async (sql: string | undefined, options: DrillFlags & { file?: string }) => {
      const { file, ...rest } = options;
      const text = await readSql(sql, file, io);
      setExit(typeof text === 'number' ? text : await drillQuery(text, flags(rest), io));
    });
  drillOptions(drill.command('schemas').description('list schemas')).action(
    async (options: DrillFlags) => {
      setExit(await drillSchemas(flags(options), io));
    }
  );
  drillOptions(
    drill.command('tables').description('list tables (and files) of a schema').argument('<schema>')
  ).action(async (schema: string, options: DrillFlags) => {
    setExit(await drillTables(schema, flags(options), io));
  });
  drillOptions(
    drill
      .command('columns')
      .description('list the columns of a table with their types')
      .argument('<schema>')
      .argument('<table>')
  ).action(async (schema: string, table: string, options: DrillFlags) => {
    setExit(await drillColumns(schema, table, flags(options), io));
  });
  registerLivy(program, io, setExit);
  registerJobs(program, io, setExit);
  registerGpu(program, io, setExit);
  registerFiles(program, io, setExit);
  registerHarvest(program, io, setExit);
  registerImaging(program, io, setExit);
  return program;
}

/** Runs the CLI; resolves to the exit code. */
export async function main(argv: string[], io: Io): Promise<number> {
  let exitCode = 0;
  const program = buildProgram(io, code => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version "fail" with exit code 0
      return e.exitCode === 0 ? 0 : EXIT_CONFIG;
    }
    io.stderr.write(`radlab: ${e instanceof Error ? e.message : String(e)}\n`);
    return EXIT_CONFIG;
  }
  return exitCode;
}

/** Entry point of bin/radlab.js. */
export async function run(): Promise<void> {
  process.exitCode = await main(process.argv, {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env
  });
}
