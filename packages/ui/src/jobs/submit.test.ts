// @vitest-environment jsdom
import type { GpuJobTemplate } from '@radlab/core';
import { describe, expect, it, vi } from 'vitest';
import { splitCommand, SubmitJobForm } from './submit.js';

function form(over: Partial<ConstructorParameters<typeof SubmitJobForm>[1]> = {}) {
  const submit = vi.fn<(t: GpuJobTemplate, id: string) => Promise<void>>(async () => undefined);
  const f = new SubmitJobForm(document, {
    namespaces: ['mri', 'pet'],
    namespace: 'mri',
    owner: 'u-radlab',
    quota: async ns => ({
      namespace: ns,
      used: ns === 'pet' ? 2 : 2,
      allowed: ns === 'pet' ? 2 : 8
    }),
    submit,
    onCancel: () => undefined,
    ...over
  });
  document.body.append(f.node);
  return { f, submit };
}

function input(f: SubmitJobForm, name: string): HTMLInputElement {
  return f.node.querySelector<HTMLInputElement>(`[name="${name}"]`)!;
}

function type(f: SubmitJobForm, name: string, value: string): void {
  const i = input(f, name);
  i.value = value;
  i.dispatchEvent(new Event('input', { bubbles: true }));
}

describe('SubmitJobForm', () => {
  it('previews the exact YAML of the preset, with owner and request id, and the quota', async () => {
    const { f } = form();
    const yaml = f.node.querySelector('.rl-job-submit-yaml')!.textContent ?? '';
    expect(yaml).toContain('kind: Job');
    expect(yaml).toContain(`name: train-unet-${f.requestId.slice(0, 8)}`);
    expect(yaml).toContain('nvidia.com/gpu: "2"');
    expect(yaml).toContain('radlab.io/owner: u-radlab');
    await vi.waitFor(() =>
      expect(f.node.querySelector('.rl-job-submit-quota')?.textContent).toBe(
        'GPU quota of mri: 2 of 8 in use; this job asks for 2'
      )
    );
    type(f, 'gpus', '7');
    expect(f.node.querySelector('.rl-job-submit-quota')?.textContent).toContain(
      'over the quota: it will wait until 1 free up'
    );
    f.dispose();
  });

  it('names and marks a wrong field and sends nothing', () => {
    const { f, submit } = form();
    type(f, 'memory', '16 GB');
    expect(f.node.querySelector('[role="alert"]')?.textContent).toContain(
      'job template: memory "16 GB" is not a Kubernetes quantity'
    );
    expect(input(f, 'memory').getAttribute('aria-invalid')).toBe('true');
    const button = f.node.querySelector<HTMLButtonElement>('button[data-action="submit"]')!;
    expect(button.disabled).toBe(true);
    button.click();
    expect(submit).not.toHaveBeenCalled();
    type(f, 'memory', '16Gi');
    expect(input(f, 'memory').hasAttribute('aria-invalid')).toBe(false);
    expect(button.disabled).toBe(false);
    f.dispose();
  });

  it('submits the fields as a template with the one request id of the dialog', async () => {
    const { f, submit } = form();
    type(f, 'command', 'python train.py --note "two words"');
    type(f, 'env', 'EPOCHS=3\nMODE=fast');
    f.node.querySelector<HTMLButtonElement>('button[data-action="submit"]')!.click();
    await vi.waitFor(() => expect(submit).toHaveBeenCalledTimes(1));
    const [t, id] = submit.mock.calls[0]!;
    expect(id).toBe(f.requestId);
    expect(t).toMatchObject({
      name: 'train-unet',
      namespace: 'mri',
      gpus: 2,
      owner: 'u-radlab',
      command: ['python', 'train.py', '--note', 'two words'],
      env: { EPOCHS: '3', MODE: 'fast' }
    });
    f.dispose();
  });

  it('splits a command line, quotes grouping words', () => {
    expect(splitCommand(`python -c 'print(1)' "a b"`)).toEqual(['python', '-c', 'print(1)', 'a b']);
  });
});
