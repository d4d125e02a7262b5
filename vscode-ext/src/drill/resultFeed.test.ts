import { describe, expect, it } from 'vitest';
import { ColumnarRows } from '@radlab/core';
import type { HostMessage } from '../webview/messages.js';
import { ResultFeed } from './resultFeed.js';

const COLUMNS = [
  { name: 'id', type: 'INT' },
  { name: 'day', type: 'DATE' }
];
const INFO = { version: 1 as const, columns: COLUMNS, rowCount: 0, truncated: false, limit: 10 };
const FETCH = { canFetchMore: true, maxRows: 1000 };

function raw(from: number, to: number): Array<Record<string, unknown>> {
  const out = [];
  for (let i = from; i < to; i++) out.push({ id: i, day: Date.UTC(2024, 0, 1 + i) });
  return out;
}

function setup(options = {}) {
  const posted: HostMessage[] = [];
  let clock = 0;
  const feed = new ResultFeed(m => posted.push(m), {
    batchRows: 4,
    intervalMs: 100,
    now: () => clock,
    ...options
  });
  return {
    feed,
    posted,
    tick: (ms: number) => (clock += ms),
    types: () => posted.map(m => m.type),
    sentRows: () => posted.flatMap(m => (m.type === 'rows' ? m.rows : []))
  };
}

describe('ResultFeed', () => {
  it('streams the rows of a result in batches: the first at once, then by size or time', () => {
    const { feed, posted, tick, types, sentRows } = setup();
    feed.setReady(true);
    feed.running('local', 'SELECT 1');
    const rows = new ColumnarRows(COLUMNS);
    rows.appendRaw(raw(0, 2));
    feed.start(INFO, rows, FETCH);
    feed.added();
    expect(types()).toEqual(['running', 'result', 'rows']);
    rows.appendRaw(raw(2, 4));
    feed.added(); // 2 waiting, < 4, no time passed: wait
    expect(types()).toHaveLength(3);
    tick(150);
    feed.added(); // waited long enough
    expect(types()).toHaveLength(4);
    rows.appendRaw(raw(4, 13));
    feed.added(); // 9 waiting: sent in batches of at most 4
    expect(posted.slice(4).map(m => (m.type === 'rows' ? m.rows.length : 0))).toEqual([4, 4, 1]);
    rows.appendRaw(raw(13, 14));
    feed.finish({ rowCount: 14, truncated: true, elapsedMs: 5, queryId: 'q' });
    expect(posted.at(-1)).toEqual({
      type: 'done',
      rowCount: 14,
      truncated: true,
      elapsedMs: 5,
      queryId: 'q'
    });
    expect(sentRows()).toEqual(rows.rows());
    expect(sentRows()[13]).toEqual([13, '2024-01-14']);
  });

  it('replays the whole state to a webview that (re)loads', () => {
    const { feed, posted, types, sentRows } = setup();
    // nothing is posted before the webview is ready
    feed.running('local', 'SELECT 1');
    const rows = new ColumnarRows(COLUMNS);
    feed.start(INFO, rows, FETCH);
    rows.appendRaw(raw(0, 6));
    feed.added();
    feed.finish({ rowCount: 6, truncated: false });
    expect(posted).toEqual([]);
    feed.setReady(true);
    expect(types()).toEqual(['result', 'rows', 'rows', 'done']);
    expect(sentRows()).toHaveLength(6);
    posted.length = 0;
    feed.setReady(false);
    feed.setReady(true);
    expect(types()).toEqual(['result', 'rows', 'rows', 'done']);
  });

  it('keeps a result being fetched again until the new one starts; an error replaces it', () => {
    const { feed, posted, types } = setup();
    feed.setReady(true);
    const rows = new ColumnarRows(COLUMNS);
    rows.appendRaw(raw(0, 3));
    feed.start(INFO, rows, FETCH);
    feed.finish({ rowCount: 3, truncated: true });
    feed.running('local', 'SELECT 1', 100);
    expect(posted.at(-1)).toEqual({
      type: 'running',
      connection: 'local',
      sql: 'SELECT 1',
      limit: 100
    });
    posted.length = 0;
    // a webview that reloads meanwhile: the result, then that a query runs
    feed.setReady(true);
    expect(types()).toEqual(['result', 'rows', 'done', 'running']);
    const next = new ColumnarRows(COLUMNS);
    feed.start(INFO, next, FETCH);
    posted.length = 0;
    feed.setReady(true);
    expect(types()).toEqual(['result']);
    feed.error('query cancelled');
    posted.length = 0;
    feed.setReady(true);
    expect(posted).toEqual([{ type: 'error', message: 'query cancelled' }]);
    expect(feed.current).toBeUndefined();
  });

  it("keeps Drill's state, id and profile of the last query; a new run clears them", () => {
    const { feed, posted, types } = setup();
    const profile = 'http://drill:8047/profiles/q1';
    feed.running('local', 'SELECT 1');
    feed.drill({ state: 'RUNNING', queryId: 'q1', profile });
    expect(posted).toEqual([]); // not before the webview is ready
    feed.setReady(true);
    expect(posted).toEqual([
      { type: 'running', connection: 'local', sql: 'SELECT 1' },
      { type: 'drill', state: 'RUNNING', queryId: 'q1', profile }
    ]);
    const rows = new ColumnarRows(COLUMNS);
    feed.start(INFO, rows, FETCH);
    feed.finish({ rowCount: 0, truncated: false, queryId: 'q1' });
    feed.drill({ state: 'COMPLETED', queryId: 'q1', profile });
    posted.length = 0;
    // after the query, a reloaded webview still shows where its profile is
    feed.setReady(true);
    expect(types()).toEqual(['result', 'done', 'drill']);
    expect(posted.at(-1)).toEqual({ type: 'drill', state: 'COMPLETED', queryId: 'q1', profile });
    feed.running('local', 'SELECT 2');
    posted.length = 0;
    feed.setReady(true);
    expect(types()).toEqual(['result', 'done', 'running']);
  });
});
