// `radlab harvest`'s command line, apart from its work (harvest.ts, loaded when the command runs), so
// that neither the other commands nor a harvest's start-up load more than they use: bin/radlab.js
// builds a program of this command alone for `radlab harvest …` (no @radlab/core, ~0.3 s sooner).
import type { Command } from 'commander';
import type { Io } from './connections.js';
import type { HarvestFlags } from './harvest.js';

export function registerHarvest(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('harvest')
    .description(
      'DICOM headers of a folder or a PACS → a de-identified Parquet catalog (studies, series, instances, quality)'
    )
    .argument(
      '<source>',
      'a local or /mapr folder, or pacs:<connection> (a dicomweb connection: QIDO-RS/WADO-RS metadata)'
    )
    .requiredOption('--into <dest>', 'the catalog folder')
    .option('--profile <name>', 'de-identification: basic (dates shifted) or retain-dates', 'basic')
    .option('--retain-uids', "keep the files' UIDs (PS3.15 Retain UIDs Option)")
    .option('--concurrency <n>', 'files read at once', v => parseInt(v, 10))
    .option('--json', 'print the summary as JSON')
    .option('--progress <format>', 'json: progress as JSON lines on stderr (for programs)')
    .action(async (source: string, o: HarvestFlags) => {
      const { runHarvest } = await import('./harvest.js');
      setExit(await runHarvest(source, o, io));
    });
}

/** `radlab harvest …` alone (bin/radlab.js's fast path); the same exit codes as main's. */
export async function runHarvestCommand(argv: string[], io: Io): Promise<number> {
  const { Command, CommanderError } = await import('commander');
  let exitCode = 0;
  const program = new Command('radlab').exitOverride();
  program.configureOutput({
    writeOut: s => io.stdout.write(s),
    writeErr: s => io.stderr.write(s)
  });
  registerHarvest(program, io, code => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    io.stderr.write(`radlab: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  return exitCode;
}
