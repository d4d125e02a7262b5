// @vitest-environment jsdom
import type { JobDetails, KubeEvent } from '@radlab/core';
import { describe, expect, it } from 'vitest';
import { renderDetails } from './details.js';
import { eventAgeText, eventMessageKey, groupEvents } from './events.js';

// the Job controller's refusal: each retry names a new generated pod
const quota = (pod: string): string =>
  `Error creating: pods "${pod}" is forbidden: exceeded quota: gpu, requested: limits.nvidia.com/gpu=2, used: limits.nvidia.com/gpu=4, limited: limits.nvidia.com/gpu=4`;
const QUOTA = quota('t-1-x7k2q');

const event = (name: string, at: string, over: Partial<KubeEvent> = {}): KubeEvent => ({
  metadata: { name, creationTimestamp: at },
  involvedObject: { kind: 'Job', name: 't-1' },
  type: 'Warning',
  reason: 'FailedCreate',
  message: QUOTA,
  firstTimestamp: at,
  lastTimestamp: at,
  ...over
});

// five refusals while the quota was used up (one with a count of its own), then the pod's start
const EVENTS: KubeEvent[] = [
  event('e3', '2026-12-02T06:00:20Z', { message: quota('t-1-bcd2f') }),
  event('e1', '2026-12-02T06:00:00Z', { message: quota('t-1-zz9wk') }),
  event('e2', '2026-12-02T06:00:10Z', {
    count: 2,
    lastTimestamp: '2026-12-02T06:00:15Z',
    message: quota('t-1-hj4mn')
  }),
  event('e4', '2026-12-02T06:00:40Z'),
  event('e5', '2026-12-02T06:01:00Z', {
    type: 'Normal',
    reason: 'SuccessfulCreate',
    message: 'Created pod: t-1-xyz12'
  }),
  event('e6', '2026-12-02T06:01:01Z', {
    type: 'Normal',
    reason: 'Scheduled',
    involvedObject: { kind: 'Pod', name: 't-1-xyz12' },
    message: 'Successfully assigned ct/t-1-xyz12 to gpu-a100-0',
    firstTimestamp: undefined,
    lastTimestamp: undefined,
    eventTime: '2026-12-02T06:01:01.123456Z',
    series: { count: 3, lastObservedTime: '2026-12-02T06:01:05.000000Z' }
  })
];

describe('groupEvents', () => {
  it('makes repeats of one event one row with their count, first and last time, oldest first', () => {
    const groups = groupEvents(EVENTS);
    expect(groups.map(g => [g.reason, g.count])).toEqual([
      ['FailedCreate', 5],
      ['SuccessfulCreate', 1],
      ['Scheduled', 3]
    ]);
    expect(groups[0]).toMatchObject({
      type: 'Warning',
      object: 'Job/t-1',
      message: QUOTA,
      first: '2026-12-02T06:00:00Z',
      last: '2026-12-02T06:00:40Z'
    });
    expect(groups[2]?.last).toBe('2026-12-02T06:01:05.000000Z');
  });

  it('masks generated pod names only', () => {
    expect(eventMessageKey(quota('vs-train-23f3c587-jjwrc'))).toBe(quota('vs-train-23f3c587-*'));
    expect(eventMessageKey('Created pod: colleague-ct')).toBe('Created pod: colleague-ct');
    expect(eventMessageKey('Job completed')).toBe('Job completed');
  });

  it('keeps events apart that differ in message, reason or object', () => {
    const groups = groupEvents([
      event('a', '2026-12-02T06:00:00Z'),
      event('b', '2026-12-02T06:00:01Z', { message: 'another' }),
      event('c', '2026-12-02T06:00:02Z', { reason: 'FailedDelete' }),
      event('d', '2026-12-02T06:00:03Z', { involvedObject: { kind: 'Job', name: 't-2' } })
    ]);
    expect(groups.map(g => g.count)).toEqual([1, 1, 1, 1]);
  });

  it('writes the age as kubectl describe does', () => {
    const age = (iso: string | undefined): string =>
      iso ? `${(Date.parse('2026-12-02T06:02:00Z') - Date.parse(iso)) / 1000}s` : '';
    const [quota, created] = groupEvents(EVENTS);
    expect(eventAgeText(quota!, age)).toBe('80s (x5 over 120s)');
    expect(eventAgeText(created!, age)).toBe('60s');
  });
});

describe('renderDetails', () => {
  it('lists the five quota refusals as one row with their count', () => {
    const details: JobDetails = {
      job: { metadata: { name: 't-1' }, spec: { template: { spec: { containers: [] } } } },
      summary: {
        name: 't-1',
        namespace: 'ct',
        phase: 'pending',
        gpus: 2,
        created: '2026-12-02T06:00:00Z',
        nodes: [],
        active: 0,
        succeeded: 0,
        failed: 0
      },
      pods: [],
      events: EVENTS
    };
    const box = renderDetails(document, details, Date.parse('2026-12-02T06:02:00Z'));
    const rows = [...box.querySelectorAll('.rl-job-event')];
    expect(rows).toHaveLength(3);
    expect(rows[0]?.getAttribute('data-count')).toBe('5');
    expect(rows[0]?.querySelector('.rl-event-age')?.textContent).toBe('80s (x5 over 2m)');
    expect(rows[0]?.querySelector('.rl-event-message')?.textContent).toBe(QUOTA);
    expect(rows[1]?.hasAttribute('data-count')).toBe(false);
  });
});
