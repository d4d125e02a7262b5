// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { smallVolume } from './testing/volumes.js';
import { renderNotes, volumeNotes } from './volumeNotes.js';

describe('volumeNotes', () => {
  it('lists warnings, the first ten skipped files and what is lost without orientation', () => {
    const v = smallVolume({ warnings: ['The images have no orientation; axes assumed.', 'Gap'] });
    const skipped = Array.from({ length: 12 }, (_, i) => `f${i}: bad`);
    const notes = volumeNotes(v, skipped, { geometry: false, dicom: true });
    expect(notes[0]).toBe('Gap');
    expect(notes[1]).toBe('12 file(s) skipped:');
    expect(notes).toContain('… and 2 more');
    expect(notes.at(-1)).toContain('No Image Orientation (Patient)');
    expect(volumeNotes(v, [], { geometry: true, dicom: true })).toHaveLength(2);
    const list = document.createElement('ul');
    renderNotes(list, notes);
    expect(list.children).toHaveLength(notes.length);
    renderNotes(list, []);
    expect(list.hidden).toBe(true);
  });
});
