// The `radlab files` subcommands and their options (the work is in ./files.ts).

import { Command, InvalidArgumentError } from 'commander';
import type { Io } from './connections.js';
import {
  filesCat,
  filesDu,
  filesGet,
  filesLs,
  filesMkdir,
  filesMv,
  filesPut,
  filesRm,
  filesStat,
  type FilesFlags
} from './files.js';

function parseCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected an integer >= 0');
  return n;
}

const URI_HELP =
  'maprfs:///path, maprfs://CONNECTION/path, hdfs://CONNECTION/path, /mapr/CLUSTER/path, /path, or a path under the home folder';

export function registerFiles(program: Command, io: Io, setExit: (code: number) => void): void {
  const files = program
    .command('files')
    .description(`MapR/HDFS files (HttpFS, WebHDFS, a /mapr mount). URI: ${URI_HELP}`);
  const sub = (name: string, description: string): Command =>
    files
      .command(name)
      .description(description)
      .option('-c, --connection <name>', 'files connection (default: the first one configured)');
  const flags = (options: FilesFlags): FilesFlags => ({
    ...options,
    config: program.opts<{ config?: string }>().config
  });
  const done = (code: Promise<number>): Promise<void> => code.then(setExit);

  sub('ls', 'list a folder, page by page (names; -l for details)')
    .argument('[uri]', 'the folder (default: home)')
    .option('-l, --long', 'mode, owner, group, size, modified, name')
    .option('--json', 'one JSON status per line')
    .option('--limit <n>', 'at most n entries', parseCount)
    .action((uri: string | undefined, o: FilesFlags) => done(filesLs(uri, flags(o), io)));
  sub('stat', 'the status of a file or folder')
    .argument('<uri>')
    .option('--json', 'print JSON')
    .action((uri: string, o: FilesFlags) => done(filesStat(uri, flags(o), io)));
  sub('cat', 'write a file (or a byte range of it) to standard output')
    .argument('<uri>')
    .option('--offset <bytes>', 'start at this byte', parseCount)
    .option('--length <bytes>', 'at most this many bytes', parseCount)
    .action((uri: string, o: FilesFlags) => done(filesCat(uri, flags(o), io)));
  sub('get', 'download a file (streamed; a progress bar on a terminal)')
    .argument('<uri>')
    .argument('[local]', 'the local file or folder (default: the name, here)')
    .option('-f, --force', 'replace an existing local file')
    .action((uri: string, local: string | undefined, o: FilesFlags) =>
      done(filesGet(uri, local, flags(o), io))
    );
  sub('put', 'upload a file (streamed, resumable: run it again after an interruption)')
    .argument('<local>')
    .argument('<uri>', 'the target file, or a folder (ending in / or existing)')
    .option('-f, --force', 'replace an existing file')
    .action((local: string, uri: string, o: FilesFlags) =>
      done(filesPut(local, uri, flags(o), io))
    );
  sub('mkdir', 'make a folder (and its parents)')
    .argument('<uri>')
    .action((uri: string, o: FilesFlags) => done(filesMkdir(uri, flags(o), io)));
  sub('mv', 'rename or move within one file system (into a folder when the target is one)')
    .argument('<from>')
    .argument('<to>')
    .option('-f, --force', 'replace an existing target')
    .action((from: string, to: string, o: FilesFlags) => done(filesMv(from, to, flags(o), io)));
  sub('rm', 'remove a file, or a folder with -r')
    .argument('<uri>')
    .option('-r, --recursive', 'remove a folder and everything in it')
    .action((uri: string, o: FilesFlags) => done(filesRm(uri, flags(o), io)));
  sub('du', 'bytes, files and folders below a path, with its quotas')
    .argument('[uri]', 'default: home')
    .option('--json', 'print JSON')
    .action((uri: string | undefined, o: FilesFlags) => done(filesDu(uri, flags(o), io)));
}
