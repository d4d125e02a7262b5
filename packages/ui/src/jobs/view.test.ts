// @vitest-environment jsdom
import type { JobSummary } from '@radlab/core';
import { describe, expect, it, vi } from 'vitest';
import { JobsView, quotaText } from './view.js';

const now = Date.parse('2026-12-02T06:00:00Z');
const job = (over: Partial<JobSummary>): JobSummary => ({
  name: 'train-unet-1a2b3c4d',
  namespace: 'mri',
  phase: 'running',
  gpus: 2,
  gpuProduct: 'NVIDIA-A100-SXM4-80GB',
  owner: 'u-radlab',
  created: '2026-12-02T05:57:00Z',
  nodes: ['gpu-a100-0'],
  active: 1,
  succeeded: 0,
  failed: 0,
  ...over
});

describe('JobsView', () => {
  it('shows state, GPUs, node, age, owner and why a job waits; names stay text', () => {
    const view = new JobsView(document, { now: () => now });
    view.update({
      namespaces: ['mri', 'ct'],
      namespace: 'mri',
      quota: { namespace: 'mri', used: 2, allowed: 8 },
      jobs: [
        job({}),
        job({
          name: '<img src=x onerror=alert(1)>',
          phase: 'pending',
          gpus: 5,
          nodes: [],
          created: '2026-12-02T05:59:30Z',
          reason: 'waiting: no node has 5 free nvidia.com/gpu'
        })
      ]
    });
    const rows = [...view.node.querySelectorAll('li.rl-job')];
    expect(rows.map(r => r.querySelector('.rl-job-state')?.textContent)).toEqual([
      'Pending',
      'Running'
    ]);
    expect(rows[0]?.querySelector('.rl-job-name')?.textContent).toBe(
      '<img src=x onerror=alert(1)>'
    );
    expect(view.node.querySelector('img')).toBeNull();
    expect(rows[0]?.querySelector('.rl-job-reason')?.textContent).toBe(
      'waiting: no node has 5 free nvidia.com/gpu'
    );
    expect(rows[1]?.querySelector('.rl-job-gpus')?.textContent).toBe(
      '2 GPUs · NVIDIA-A100-SXM4-80GB'
    );
    expect(rows[1]?.querySelector('.rl-job-age')?.textContent).toBe('3m');
    expect(view.node.querySelector('.rl-jobs-quota')?.textContent).toBe(
      'GPU quota of mri: 2 of 8 in use'
    );
    view.dispose();
  });

  it('asks before deleting, and passes logs and namespace changes on', () => {
    const onDelete = vi.fn();
    const onLogs = vi.fn();
    const onNamespace = vi.fn();
    const confirm = vi.fn().mockReturnValueOnce(false).mockReturnValueOnce(true);
    const view = new JobsView(document, { onDelete, onLogs, onNamespace, confirm });
    document.body.append(view.node);
    view.update({ namespaces: ['mri', 'ct'], namespace: 'mri', jobs: [job({})] });
    const del = view.node.querySelector<HTMLButtonElement>('.rl-job-delete')!;
    del.click();
    expect(onDelete).not.toHaveBeenCalled();
    del.click();
    expect(confirm).toHaveBeenLastCalledWith('Delete job mri/train-unet-1a2b3c4d and its pods?');
    expect(onDelete).toHaveBeenCalledWith('train-unet-1a2b3c4d');
    view.node.querySelector<HTMLButtonElement>('.rl-job-logs')!.click();
    expect(onLogs).toHaveBeenCalledWith('train-unet-1a2b3c4d');
    const select = view.node.querySelector('select')!;
    select.value = 'ct';
    select.dispatchEvent(new Event('change'));
    expect(onNamespace).toHaveBeenCalledWith('ct');
    view.dispose();
    expect(document.body.contains(view.node)).toBe(false);
  });

  it('says when a namespace has no quota', () => {
    expect(quotaText({ namespace: 'default', used: 0 })).toBe(
      'GPUs in use in default: 0 (no quota)'
    );
  });
});
