// @vitest-environment jsdom
import { describe, expect, it, vi } from 'vitest';
import { ViewerToolbar, type ToolbarActions } from './toolbar.js';

function toolbar(withOverlay = true) {
  const actions = {
    axis: vi.fn(),
    preset: vi.fn(),
    frame: vi.fn(),
    opacity: vi.fn(),
    removeOverlay: vi.fn(),
    reset: vi.fn(),
    ...(withOverlay ? { chooseOverlay: vi.fn() } : {})
  } satisfies ToolbarActions;
  const t = new ViewerToolbar(document, actions, new AbortController().signal);
  document.body.replaceChildren(t.node);
  const q = <T extends HTMLElement>(sel: string): T => t.node.querySelector<T>(sel)!;
  return { t, actions, q };
}

describe('ViewerToolbar', () => {
  it('says which plane, preset, frame and opacity the user chose', () => {
    const { t, actions, q } = toolbar();
    t.setAxes('axial', true);
    q<HTMLButtonElement>('[data-axis="sagittal"]').click();
    expect(actions.axis).toHaveBeenCalledWith('sagittal');
    expect(q('[data-axis="axial"]').getAttribute('aria-pressed')).toBe('true');
    t.setPresets(
      { file: [{ label: 'File: LUNG', window: { center: -600, width: 1500 } }], rgb: false },
      'file-0'
    );
    expect(t.preset).toBe('file-0');
    const select = q<HTMLSelectElement>('.rl-Viewer-preset');
    select.value = 'auto';
    select.dispatchEvent(new Event('change'));
    expect(actions.preset).toHaveBeenCalledWith('auto');
    t.setFrames(5, 2);
    expect(q('.rl-Viewer-frameLabel').textContent).toBe('Frame 3/5');
    expect(q('.rl-Viewer-frameBox').hidden).toBe(false);
    t.setFrames(1, 0);
    expect(q('.rl-Viewer-frameBox').hidden).toBe(true);
    t.setOverlay(true, 0.25);
    expect(q('.rl-Viewer-opacityLabel').textContent).toBe('Overlay 25%');
    q<HTMLButtonElement>('.rl-Viewer-removeOverlay').click();
    expect(actions.removeOverlay).toHaveBeenCalled();
  });

  it('offers Overlay… only with a host picker, and RGB has no presets', () => {
    expect(toolbar(false).t.overlayButton).toBeUndefined();
    const { t, actions } = toolbar();
    expect(t.overlayButton?.disabled).toBe(true);
    t.enableOverlayButton(true);
    t.overlayButton?.click();
    expect(actions.chooseOverlay).toHaveBeenCalled();
    t.setPresets({ file: [], rgb: true }, 'auto');
    expect(t.presetsEnabled).toBe(false);
    expect(t.presetSelect.textContent).toBe('RGB (no window)');
  });
});
