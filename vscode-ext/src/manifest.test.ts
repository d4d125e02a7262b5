// The contributions in package.json: narrow activation, every command of the command table
// (shared/commands.json) contributed, menus keyed by viewItem.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  COMMANDS_PATH,
  PACKAGE_JSON_PATH,
  type CommandTable
} from '../scripts/gen-contributes.mjs';

interface Manifest {
  main: string;
  activationEvents: string[];
  contributes: {
    commands: Array<{ command: string; title: string; category: string; icon: string }>;
    views: Record<string, Array<{ id: string }>>;
    viewsContainers: { activitybar: Array<{ id: string; icon: string }> };
    menus: Record<string, Array<{ command: string; when: string }>>;
  };
}

const manifest = JSON.parse(readFileSync(PACKAGE_JSON_PATH, 'utf8')) as Manifest;
const table = JSON.parse(readFileSync(COMMANDS_PATH, 'utf8')) as CommandTable;
const commandsOf = (feature: string): string[] =>
  (table.features[feature]?.vscode ?? []).map(c => c.command);
const COMMANDS = commandsOf('connections');
const DRILL_COMMANDS = commandsOf('drill');
const IMAGING_COMMANDS = commandsOf('imaging');
const LIVY_COMMANDS = commandsOf('livy');
const FILES_COMMANDS = commandsOf('files');
const GPU_COMMANDS = commandsOf('gpu');
const JOBS_COMMANDS = commandsOf('jobs');
// every feature's (a new feature is checked without editing this file)
const ALL_COMMANDS = Object.keys(table.features).flatMap(commandsOf);

describe('package.json contributions', () => {
  it('the table has every feature and its commands (or this test proves nothing)', () => {
    // at least these (in any order: a new feature adds itself without editing this line)
    expect(Object.keys(table.features)).toEqual(
      expect.arrayContaining(['connections', 'drill', 'imaging', 'livy', 'gpu', 'files', 'jobs'])
    );
    expect(COMMANDS).toContain('radlab.addConnection');
    expect(DRILL_COMMANDS).toContain('radlab.drill.runQuery');
    expect(IMAGING_COMMANDS).toEqual(['radlab.openDicomFolder', 'radlab.catalog.harvest']);
    expect(LIVY_COMMANDS).toContain('radlab.livy.startSession');
    expect(FILES_COMMANDS).toContain('radlab.files.upload');
    expect(GPU_COMMANDS).toEqual([
      'radlab.gpu.openMetrics',
      'radlab.gpu.openJob',
      'radlab.gpu.selectJob'
    ]);
    expect(JOBS_COMMANDS).toContain('radlab.jobs.submit');
    expect(new Set(ALL_COMMANDS).size).toBe(ALL_COMMANDS.length);
  });

  it('activates only on the view and the commands', () => {
    expect(manifest.activationEvents).not.toContain('*');
    expect(manifest.activationEvents).not.toContain('onStartupFinished');
    expect([...manifest.activationEvents].sort()).toEqual(
      [
        'onView:radlab.connections',
        'onView:radlab.drillSchema',
        'onView:radlab.livy',
        'onView:radlab.jobs',
        'onLanguage:sql',
        'onNotebook:jupyter-notebook',
        'onCustomEditor:radlab.imageViewer',
        'onView:radlab.files',
        'onFileSystem:maprfs',
        ...ALL_COMMANDS.map(c => `onCommand:${c}`)
      ].sort()
    );
    expect(manifest.main).toBe('./dist/extension.cjs');
  });

  it('contributes every command with the Radlab category and an icon', () => {
    expect(manifest.contributes.commands.map(c => c.command).sort()).toEqual(
      [...ALL_COMMANDS].sort()
    );
    for (const c of manifest.contributes.commands) {
      expect(c.category).toBe('Radlab');
      expect(c.icon).toMatch(/^\$\([a-z-]+\)$/);
    }
  });

  it('has the Radlab view container with the Connections view', () => {
    expect(manifest.contributes.viewsContainers.activitybar[0]).toMatchObject({
      id: 'radlab',
      icon: 'media/radlab.svg'
    });
    expect(manifest.contributes.views.radlab.map(v => v.id)).toEqual([
      'radlab.connections',
      'radlab.drillSchema',
      'radlab.livy',
      'radlab.files',
      'radlab.jobs'
    ]);
  });

  it('keys item menus by viewItem and refers only to contributed commands', () => {
    for (const item of manifest.contributes.menus['view/item/context']) {
      expect(ALL_COMMANDS).toContain(item.command);
      if (DRILL_COMMANDS.includes(item.command))
        expect(item.when).toMatch(
          /^view == radlab\.drillSchema && viewItem (==|=~) \/?\^?radlab\\?\.drill\\?\./
        );
      else if (LIVY_COMMANDS.includes(item.command))
        expect(item.when).toMatch(
          /^view == radlab\.livy && viewItem (==|=~) \/?\^?radlab\\?\.livy\\?\./
        );
      else if (FILES_COMMANDS.includes(item.command))
        expect(item.when).toMatch(
          /^view == radlab\.files && viewItem (==|=~) \/?\^?radlab\\?\.files\\?\./
        );
      else if (JOBS_COMMANDS.includes(item.command))
        expect(item.when).toMatch(
          /^view == radlab\.jobs && viewItem (==|=~) \/?\^?radlab\\?\.jobs\\?\./
        );
      else expect(item.when).toMatch(/viewItem =~ \/\^radlab\\\.connection/);
    }
    for (const item of manifest.contributes.menus['view/title'])
      expect(ALL_COMMANDS).toContain(item.command);
  });
});

describe('the Drill result notebook renderer', () => {
  const pkg = JSON.parse(readFileSync(PACKAGE_JSON_PATH, 'utf8')) as {
    contributes: {
      notebookRenderer: Array<{ id: string; entrypoint: string; mimeTypes: string[] }>;
    };
  };
  const mimeTypes = JSON.parse(
    readFileSync(new URL('../../shared/mime-types.json', import.meta.url), 'utf8')
  ) as { drillResult: string };

  it('renders the drill MIME type from the browser bundle', () => {
    expect(pkg.contributes.notebookRenderer).toEqual([
      expect.objectContaining({
        id: 'radlab.drill-result',
        entrypoint: './dist/renderer.js',
        mimeTypes: [mimeTypes.drillResult]
      })
    ]);
  });

  it('ships the renderer bundle in the .vsix', () => {
    const ignore = readFileSync(new URL('../.vscodeignore', import.meta.url), 'utf8');
    expect(ignore.split('\n')).toContain('!dist/renderer.js');
  });
});
