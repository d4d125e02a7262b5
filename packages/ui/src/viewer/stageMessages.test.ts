// @vitest-environment jsdom
import { ImagingError } from '@radlab/imaging';
import { describe, expect, it } from 'vitest';
import { errorText, StageMessages } from './stageMessages.js';

describe('StageMessages', () => {
  it('shows an error as text (what, message, hint) and clears it for the next image', () => {
    const m = new StageMessages(document);
    m.showError('Cannot open <b>x</b>', new Error('<img src=x onerror=alert(1)>'));
    expect(m.errorBox.hidden).toBe(false);
    expect(m.errorBox.querySelector('img')).toBeNull();
    expect(m.errorBox.querySelector('.rl-Viewer-errorTitle')!.textContent).toBe(
      'Cannot open <b>x</b>'
    );
    m.setPending('Decoding…');
    expect([m.pending.hidden, m.pending.textContent]).toEqual([false, 'Decoding…']);
    m.clear();
    expect([m.errorBox.hidden, m.errorBox.childElementCount, m.pending.hidden]).toEqual([
      true,
      0,
      true
    ]);
    m.showProgress('Reading 3/64');
    expect(m.progress.textContent).toBe('Reading 3/64');
    m.hideProgress();
    expect(m.progress.hidden).toBe(true);
  });

  it("uses an ImagingError's own hint, a generic one otherwise", () => {
    const err = new ImagingError({ code: 'malformed', message: 'bad', hint: 'Do this.' });
    expect(errorText(err)).toEqual({ message: 'bad', hint: 'Do this.' });
    expect(errorText('boom').hint).toContain('DICOM or NIfTI');
  });
});
