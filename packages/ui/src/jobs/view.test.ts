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

  it('asks before deleting, and passes logs and namespace changes on', async () => {
    const onDelete = vi.fn();
    const onLogs = vi.fn();
    const onNamespace = vi.fn();
    const confirm = vi.fn().mockReturnValueOnce(false).mockReturnValueOnce(true);
    const view = new JobsView(document, { onDelete, onLogs, onNamespace, confirm });
    document.body.append(view.node);
    view.update({ namespaces: ['mri', 'ct'], namespace: 'mri', jobs: [job({})] });
    const del = view.node.querySelector<HTMLButtonElement>('.rl-job-delete')!;
    del.click();
    await Promise.resolve();
    expect(onDelete).not.toHaveBeenCalled();
    del.click();
    expect(confirm).toHaveBeenLastCalledWith('Delete job mri/train-unet-1a2b3c4d and its pods?');
    await vi.waitFor(() => expect(onDelete).toHaveBeenCalledWith('train-unet-1a2b3c4d'));
    view.node.querySelector<HTMLButtonElement>('.rl-job-logs')!.click();
    expect(onLogs).toHaveBeenCalledWith('train-unet-1a2b3c4d');
    const select = view.node.querySelector('select')!;
    select.value = 'ct';
    select.dispatchEvent(new Event('change'));
    expect(onNamespace).toHaveBeenCalledWith('ct');
    view.dispose();
    expect(document.body.contains(view.node)).toBe(false);
  });

  it('filters by owner and state; an opened row shows pods and events', () => {
    const onSelect = vi.fn();
    const view = new JobsView(document, { now: () => now, onSelect });
    document.body.append(view.node);
    view.update({
      namespaces: ['mri'],
      namespace: 'mri',
      jobs: [
        job({ name: 'a-1', owner: 'u-radlab' }),
        job({ name: 'b-1', owner: 'u-other', phase: 'succeeded' })
      ]
    });
    const names = (): string[] =>
      [...view.node.querySelectorAll('.rl-job-name')].map(n => n.textContent ?? '');
    const owner = view.node.querySelector<HTMLSelectElement>('select[aria-label="Owner"]')!;
    expect([...owner.options].map(o => o.value)).toEqual(['', 'u-other', 'u-radlab']);
    owner.value = 'u-other';
    owner.dispatchEvent(new Event('change'));
    expect(names()).toEqual(['b-1']);
    const state = view.node.querySelector<HTMLSelectElement>('select[aria-label="State"]')!;
    state.value = 'running';
    state.dispatchEvent(new Event('change'));
    expect(names()).toEqual([]);
    expect(view.node.querySelector('.rl-jobs-empty')?.textContent).toBe(
      'No job matches the filters.'
    );
    owner.value = '';
    owner.dispatchEvent(new Event('change'));
    expect(names()).toEqual(['a-1']);

    view.node.querySelector<HTMLButtonElement>('.rl-job-toggle')!.click();
    expect(onSelect).toHaveBeenCalledWith('a-1');
    expect(view.node.querySelector('.rl-job-loading')).not.toBeNull();
    view.showDetails({
      job: { metadata: { name: 'a-1' }, spec: { template: { spec: { containers: [] } } } },
      summary: job({ name: 'a-1' }),
      pods: [
        {
          metadata: { name: 'a-1-xyz', creationTimestamp: '2026-12-02T05:58:00Z' },
          spec: { containers: [], nodeName: 'gpu-a100-0' },
          status: {
            phase: 'Running',
            containerStatuses: [{ name: 'main', restartCount: 0, state: { running: {} } }]
          }
        }
      ],
      events: [
        {
          metadata: { name: 'e1' },
          involvedObject: { kind: 'Pod', name: 'a-1-xyz' },
          type: 'Normal',
          reason: 'Scheduled',
          message: 'Successfully assigned mri/a-1-xyz to gpu-a100-0',
          lastTimestamp: '2026-12-02T05:58:01Z'
        }
      ]
    });
    expect(view.node.querySelector('.rl-pod-node')?.textContent).toBe('gpu-a100-0');
    expect(view.node.querySelector('.rl-pod-containers')?.textContent).toBe('main running');
    expect(view.node.querySelector('.rl-event-message')?.textContent).toBe(
      'Successfully assigned mri/a-1-xyz to gpu-a100-0'
    );
    view.dispose();
  });

  it('says when a namespace has no quota', () => {
    expect(quotaText({ namespace: 'default', used: 0 })).toBe(
      'GPUs in use in default: 0 (no quota)'
    );
  });
});
