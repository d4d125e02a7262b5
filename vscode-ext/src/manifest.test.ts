// The contributions in package.json: narrow activation, every command wired, menus keyed by viewItem.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PACKAGE_JSON_PATH } from '../scripts/gen-contributes.mjs';

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
const COMMANDS = [
  'radlab.addConnection',
  'radlab.editConnection',
  'radlab.removeConnection',
  'radlab.testConnection',
  'radlab.refreshConnections',
  'radlab.setSecret'
];

describe('package.json contributions', () => {
  it('activates only on the view and the commands', () => {
    expect(manifest.activationEvents).not.toContain('*');
    expect(manifest.activationEvents).not.toContain('onStartupFinished');
    expect([...manifest.activationEvents].sort()).toEqual(
      ['onView:radlab.connections', ...COMMANDS.map(c => `onCommand:${c}`)].sort()
    );
    expect(manifest.main).toBe('./dist/extension.cjs');
  });

  it('contributes every command with the Radlab category and an icon', () => {
    expect(manifest.contributes.commands.map(c => c.command).sort()).toEqual([...COMMANDS].sort());
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
    expect(manifest.contributes.views.radlab.map(v => v.id)).toEqual(['radlab.connections']);
  });

  it('keys item menus by viewItem and refers only to contributed commands', () => {
    for (const item of manifest.contributes.menus['view/item/context']) {
      expect(COMMANDS).toContain(item.command);
      expect(item.when).toMatch(/viewItem =~ \/\^radlab\\\.connection/);
    }
    for (const item of manifest.contributes.menus['view/title'])
      expect(COMMANDS).toContain(item.command);
  });
});
