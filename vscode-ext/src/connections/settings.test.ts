import { describe, expect, it } from 'vitest';
import type { ConnectionConfig } from '@radlab/core';
import {
  hasInlineSecret,
  nameFromSecretKey,
  removeEntry,
  secretKey,
  toSettingsEntry,
  upsertEntry,
  validateName,
  validateUrl,
  secretValues,
  missingSecretHint
} from './settings.js';

const drill: ConnectionConfig = {
  name: 'prod-drill',
  kind: 'drill',
  url: 'http://drill:8047',
  auth: { type: 'basic', username: 'analyst', password: 'hunter22' }
};

describe('secrets never reach settings', () => {
  it('keys secrets by connection name', () => {
    expect(secretKey('prod-drill')).toBe('radlab.secret.prod-drill');
    expect(nameFromSecretKey('radlab.secret.prod-drill')).toBe('prod-drill');
    expect(nameFromSecretKey('other.key')).toBeUndefined();
  });

  it('strips password and token, leaves the rest', () => {
    const entry = toSettingsEntry(drill);
    expect(entry.auth).toEqual({ type: 'basic', username: 'analyst' });
    expect(drill.auth).toHaveProperty('password', 'hunter22'); // the input is not mutated
    const bearer = toSettingsEntry({
      name: 'k',
      kind: 'kubernetes',
      auth: { type: 'bearer', token: 't0ken', tokenFile: '/f' }
    });
    expect(bearer.auth).toEqual({ type: 'bearer', tokenFile: '/f' });
    expect(hasInlineSecret(drill)).toBe(true);
    expect(hasInlineSecret(entry)).toBe(false);
  });

  it('upsert adds, replaces, renames and scrubs inline secrets of other entries', () => {
    const existing = [
      { name: 'a', kind: 'prometheus', url: 'http://a', auth: { type: 'bearer', token: 'leak' } }
    ];
    const added = upsertEntry(existing, drill);
    expect(JSON.stringify(added)).not.toContain('hunter22');
    expect(JSON.stringify(added)).not.toContain('leak');
    expect(added.map(c => (c as { name: string }).name)).toEqual(['a', 'prod-drill']);

    const renamed = upsertEntry(added, { ...drill, name: 'drill2' }, 'prod-drill');
    expect(renamed.map(c => (c as { name: string }).name)).toEqual(['a', 'drill2']);
    expect(removeEntry(renamed, 'a').map(c => (c as { name: string }).name)).toEqual(['drill2']);
  });

  it('hands the stored secret to core as password or token, by auth type', () => {
    const noPw = toSettingsEntry(drill);
    expect(secretValues(noPw.auth, 's3cret')).toEqual({ password: 's3cret' });
    expect(secretValues({ type: 'bearer' }, 'tok')).toEqual({ token: 'tok' });
    expect(secretValues({ type: 'none' }, 'x')).toEqual({});
    expect(secretValues(noPw.auth, undefined)).toEqual({});
    expect(missingSecretHint(noPw.auth)).toMatch(/Radlab: Set Secret/);
    expect(missingSecretHint({ type: 'none' })).toBeUndefined();
  });
});

describe('input validation', () => {
  it('validates names like the schema, and uniqueness', () => {
    expect(validateName('ok-name_1.2', [])).toBeUndefined();
    expect(validateName('', [])).toBeDefined();
    expect(validateName('-bad', [])).toBeDefined();
    expect(validateName('has space', [])).toBeDefined();
    expect(validateName('taken', ['taken'])).toMatch(/already exists/);
  });

  it('validates URLs and refuses credentials in them', () => {
    expect(validateUrl('http://127.0.0.1:9090')).toBeUndefined();
    expect(validateUrl('https://host/path')).toBeUndefined();
    expect(validateUrl('ftp://host')).toBeDefined();
    expect(validateUrl('http://user:pw@host')).toMatch(/credentials/);
  });
});
