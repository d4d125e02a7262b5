// A job's pods (phase, node, restarts, why a container waits or ended) and its events (newest last),
// as `kubectl describe` shows them, for an opened row of the jobs list. Text only.
import { ageText, podContainersText, type JobDetails } from '@radlab/core';
import { el } from '../element.js';
import { eventAgeText, groupEvents } from './events.js';

export function renderDetails(doc: Document, details: JobDetails, now: number): HTMLElement {
  const box = el(doc, 'div', 'rl-job-details');
  const pods = el(doc, 'table', 'rl-job-pods');
  pods.setAttribute('aria-label', 'Pods');
  const head = el(doc, 'tr');
  for (const h of ['Pod', 'Phase', 'Node', 'Containers', 'Age']) head.append(el(doc, 'th', '', h));
  pods.append(head);
  for (const pod of details.pods) {
    const tr = el(doc, 'tr', 'rl-job-pod');
    tr.dataset['pod'] = pod.metadata.name;
    tr.append(
      el(doc, 'td', 'rl-pod-name', pod.metadata.name),
      el(doc, 'td', 'rl-pod-phase', pod.status?.phase ?? ''),
      el(doc, 'td', 'rl-pod-node', pod.spec.nodeName ?? ''),
      el(doc, 'td', 'rl-pod-containers', podContainersText(pod)),
      el(doc, 'td', 'rl-pod-age', ageText(pod.metadata.creationTimestamp, now))
    );
    pods.append(tr);
  }
  if (details.pods.length === 0) {
    const tr = el(doc, 'tr');
    const td = el(doc, 'td', 'rl-job-none', 'No pod yet.');
    td.colSpan = 5;
    tr.append(td);
    pods.append(tr);
  }
  const events = el(doc, 'ul', 'rl-job-events');
  events.setAttribute('aria-label', 'Events');
  // repeats of one event (five FailedCreate while the quota is used up) are one row with a count
  const groups = groupEvents(details.events);
  for (const g of groups) {
    const li = el(doc, 'li', `rl-job-event rl-event-${g.type.toLowerCase()}`);
    if (g.count > 1) li.dataset['count'] = String(g.count);
    li.append(
      el(
        doc,
        'span',
        'rl-event-age',
        eventAgeText(g, iso => ageText(iso, now))
      ),
      el(doc, 'span', 'rl-event-reason', g.reason),
      el(doc, 'span', 'rl-event-object', g.object),
      el(doc, 'span', 'rl-event-message', g.message)
    );
    events.append(li);
  }
  if (groups.length === 0) events.append(el(doc, 'li', 'rl-job-none', 'No events.'));
  box.append(
    el(doc, 'div', 'rl-job-section', 'Pods'),
    pods,
    el(doc, 'div', 'rl-job-section', 'Events'),
    events
  );
  return box;
}
