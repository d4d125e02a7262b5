import { describe, expect, it } from 'vitest';
import { renderStatus } from './statusLine.js';

describe('renderStatus', () => {
  const view = {
    state: 'RUNNING',
    elapsedMs: 2345,
    rows: 0,
    queryId: '14f07d16-70b6-d00e-0a23-3c0266cf6117',
    profile: 'http://127.0.0.1:8047/profiles/14f07d16-70b6-d00e-0a23-3c0266cf6117'
  };
  it('shows state, elapsed time, rows, id and profile link', () => {
    expect(renderStatus({ ...view, rows: 12 }, 200)).toBe(
      `RUNNING · 2.3 s · 12 rows  query ${view.queryId}  ${view.profile}  (Ctrl-C cancels)`
    );
    expect(renderStatus({ state: 'SUBMITTED', elapsedMs: 61_000, rows: 0 }, 80)).toBe(
      'SUBMITTED · 1 min 1 s  (Ctrl-C cancels)'
    );
  });
  it('fits a narrow terminal: the note, then the link, then the id give way', () => {
    expect(renderStatus(view, 60)).toBe(`RUNNING · 2.3 s  query ${view.queryId}`);
    expect(renderStatus(view, 20)).toBe('RUNNING · 2.3 s');
    expect(renderStatus(view, 8)).toBe('RUNNING');
  });
});
