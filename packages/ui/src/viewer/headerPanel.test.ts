// @vitest-environment jsdom
import { PHI_MASK, parseDicom, type DicomImage } from '@radlab/imaging';
import { describe, expect, it, vi } from 'vitest';
import { HeaderPanel } from './headerPanel.js';
import type { ImageFile } from './source.js';
import { vector } from './testing/vectors.js';

const file = (name: string): ImageFile => ({ name, read: async () => new Uint8Array() });

function panel(readUnmasked: (f: ImageFile) => Promise<DicomImage>) {
  const onError = vi.fn();
  const p = new HeaderPanel(
    document,
    { readUnmasked: f => readUnmasked(f), onError },
    new AbortController().signal
  );
  document.body.replaceChildren(p.node);
  const cell = (name: string): string =>
    [...p.node.querySelectorAll('tr')]
      .find(tr => tr.querySelector('th')?.textContent === name)
      ?.querySelector('td')?.textContent ?? '';
  return { p, onError, cell };
}

describe('HeaderPanel', () => {
  const bytes = vector('dicom/u8_explicit_le.dcm');
  const masked = parseDicom(bytes).header;
  const unmasked = parseDicom(bytes, { revealPhi: true }).header;

  it('shows the slice rows above the file and hides when there is nothing', () => {
    const { p, cell } = panel(async () => unmasked);
    p.show({ kind: 'dicom', file: file('IM1'), header: { ...masked, instanceNumber: 7 } }, [
      { name: 'Slice', value: '3 / 9' }
    ]);
    expect(p.node.hidden).toBe(false);
    expect(cell('Slice')).toBe('3 / 9');
    expect(cell('Instance Number')).toBe('7');
    expect(
      [...p.node.querySelectorAll('.rl-Viewer-headerSection')].map(s => s.textContent)
    ).toEqual(['Displayed slice', 'File IM1']);
    p.show(undefined);
    expect(p.node.hidden).toBe(true);
  });

  it("reads each file's header unmasked while patient data is shown", async () => {
    const reads: string[] = [];
    const { p, cell } = panel(async f => {
      reads.push(f.name);
      return { ...unmasked, instanceNumber: Number(f.name.slice(2)) };
    });
    p.show({ kind: 'dicom', file: file('IM1'), header: masked });
    expect(cell("Patient's Name")).toBe(PHI_MASK);
    (p.node.querySelector('.rl-Viewer-reveal') as HTMLButtonElement).click();
    await vi.waitFor(() => expect(cell("Patient's Name")).toBe('Doe^Jane'));
    // scrolling on: the next file's header is read unmasked too
    p.show({ kind: 'dicom', file: file('IM2'), header: masked });
    await vi.waitFor(() => expect(cell('Instance Number')).toBe('2'));
    expect(cell("Patient's Name")).toBe('Doe^Jane');
    expect(reads).toEqual(['IM1', 'IM2']);
    (p.node.querySelector('.rl-Viewer-reveal') as HTMLButtonElement).click();
    expect(cell("Patient's Name")).toBe(PHI_MASK);
  });

  it('says when the unmasked header cannot be read, and stays masked', async () => {
    const { p, onError, cell } = panel(() => Promise.reject(new Error('gone')));
    p.show({ kind: 'dicom', file: file('IM1'), header: masked });
    (p.node.querySelector('.rl-Viewer-reveal') as HTMLButtonElement).click();
    await vi.waitFor(() => expect(onError).toHaveBeenCalledTimes(1));
    expect(cell("Patient's Name")).toBe(PHI_MASK);
    expect(p.isRevealed).toBe(false);
  });
});
