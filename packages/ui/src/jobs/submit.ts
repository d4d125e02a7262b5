// The submit dialog of a GPU job: start from a preset, change the fields, read the exact YAML that will
// be POSTed (it follows every keystroke) and the namespace's GPU quota as used/allowed, then submit.
// The request id is made once per dialog, so pressing Submit twice (or a retry) starts one job.
// A wrong field is named and marked; nothing is sent until the template is valid.
import {
  jobYaml,
  JOB_PRESETS,
  newRequestId,
  RadlabError,
  toErrorJSON,
  type GpuJobTemplate,
  type GpuQuota,
  type JobPreset
} from '@radlab/core';
import { el } from '../element.js';
import { quotaText } from './view.js';

export interface SubmitFormOptions {
  namespaces: string[];
  namespace?: string;
  /** radlab.io/owner of the job (the Kubernetes user). */
  owner?: string;
  /** radlab.io/source (e.g. the notebook the panel was opened from). */
  source?: string;
  presets?: readonly JobPreset[];
  /** The namespace's GPU quota (asked again when the namespace changes). */
  quota: (namespace: string) => Promise<GpuQuota>;
  /** Submits; a rejection is shown in the dialog, which stays open. */
  submit: (template: GpuJobTemplate, requestId: string) => Promise<void>;
  onCancel: () => void;
}

type Field =
  | 'name'
  | 'namespace'
  | 'image'
  | 'command'
  | 'gpus'
  | 'gpuProduct'
  | 'cpu'
  | 'memory'
  | 'env'
  | 'annotations'
  | 'backoffLimit'
  | 'activeDeadlineSeconds'
  | 'ttlSecondsAfterFinished';

const LABELS: Record<Field, string> = {
  name: 'Name',
  namespace: 'Namespace',
  image: 'Image',
  command: 'Command',
  gpus: 'GPUs',
  gpuProduct: 'GPU type',
  cpu: 'CPU',
  memory: 'Memory',
  env: 'Environment',
  annotations: 'Annotations',
  backoffLimit: 'Retries (backoffLimit)',
  activeDeadlineSeconds: 'Time limit, s',
  ttlSecondsAfterFinished: 'Keep after end, s'
};

/** Words of a command line; "…" and '…' group words with spaces. */
export function splitCommand(text: string): string[] {
  const words: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) words.push(m[1] ?? m[2] ?? m[3] ?? '');
  return words;
}

function quoteWord(w: string): string {
  return /\s/.test(w) || w === '' ? `"${w}"` : w;
}

/** "KEY=value" lines → a record (a line without "=" is a key with an empty value). */
function pairs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const at = line.indexOf('=');
    if (line.trim() && at > 0) out[line.slice(0, at).trim()] = line.slice(at + 1);
    else if (line.trim()) out[line.trim()] = '';
  }
  return out;
}

function pairsText(record: Record<string, string> | undefined): string {
  return Object.entries(record ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join('\n');
}

function optionalInt(text: string): number | undefined {
  return text.trim() === '' ? undefined : Number(text);
}

export class SubmitJobForm {
  readonly node: HTMLElement;
  readonly requestId = newRequestId();
  private readonly inputs = new Map<
    Field,
    HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement
  >();
  private readonly presetSelect: HTMLSelectElement;
  private readonly preview: HTMLPreElement;
  private readonly quotaNode: HTMLElement;
  private readonly errorNode: HTMLElement;
  private readonly submitButton: HTMLButtonElement;
  private quota: GpuQuota | undefined;
  private quotaAsked = 0;
  private busy = false;
  private readonly presets: readonly JobPreset[];
  private readonly onInput = (): void => {
    this.refresh();
  };
  private readonly onNamespace = (): void => void this.loadQuota();
  private readonly onPreset = (): void => this.applyPreset(this.presetSelect.value);
  private readonly onClick = (event: MouseEvent): void => {
    const action = (event.target as HTMLElement).closest<HTMLElement>('button[data-action]')
      ?.dataset['action'];
    if (action === 'cancel') this.options.onCancel();
    if (action === 'submit') void this.doSubmit();
  };
  private readonly onKey = (event: KeyboardEvent): void => {
    if (event.key === 'Escape') this.options.onCancel();
  };

  constructor(
    private readonly doc: Document,
    private readonly options: SubmitFormOptions
  ) {
    this.presets = options.presets ?? JOB_PRESETS;
    this.node = el(doc, 'div', 'rl-job-submit');
    this.node.setAttribute('role', 'dialog');
    this.node.setAttribute('aria-modal', 'true');
    this.node.setAttribute('aria-label', 'Submit a GPU job');
    const form = el(doc, 'div', 'rl-job-submit-form');
    const title = el(doc, 'h3', 'rl-job-submit-title', 'Submit a GPU job');
    this.presetSelect = el(doc, 'select');
    this.presetSelect.setAttribute('aria-label', 'Template');
    for (const p of this.presets) {
      const o = el(doc, 'option', undefined, p.label);
      o.value = p.id;
      this.presetSelect.append(o);
    }
    const fields = el(doc, 'div', 'rl-job-submit-fields');
    const presetLabel = el(doc, 'label', 'rl-job-submit-field', 'Template');
    presetLabel.append(this.presetSelect);
    fields.append(presetLabel);
    for (const f of Object.keys(LABELS) as Field[]) fields.append(this.field(f));
    this.quotaNode = el(doc, 'div', 'rl-job-submit-quota');
    this.quotaNode.setAttribute('role', 'status');
    this.errorNode = el(doc, 'div', 'rl-job-submit-error');
    this.errorNode.setAttribute('role', 'alert');
    const actions = el(doc, 'div', 'rl-job-submit-actions');
    this.submitButton = el(doc, 'button', 'rl-Button rl-mod-accept', 'Submit');
    this.submitButton.dataset['action'] = 'submit';
    const cancel = el(doc, 'button', 'rl-Button', 'Cancel');
    cancel.dataset['action'] = 'cancel';
    actions.append(cancel, this.submitButton);
    form.append(title, fields, this.quotaNode, this.errorNode, actions);
    const side = el(doc, 'div', 'rl-job-submit-side');
    side.append(el(doc, 'div', 'rl-job-section', 'YAML to submit'));
    this.preview = el(doc, 'pre', 'rl-job-submit-yaml');
    this.preview.setAttribute('aria-label', 'YAML preview');
    side.append(this.preview);
    this.node.append(form, side);
    this.node.addEventListener('input', this.onInput);
    this.node.addEventListener('click', this.onClick);
    this.node.addEventListener('keydown', this.onKey);
    this.inputs.get('namespace')?.addEventListener('change', this.onNamespace);
    this.presetSelect.addEventListener('change', this.onPreset);
    this.applyPreset(this.presets[0]?.id ?? '');
    void this.loadQuota();
  }

  private field(f: Field): HTMLElement {
    const d = this.doc;
    const label = el(d, 'label', `rl-job-submit-field rl-field-${f}`, LABELS[f]);
    let input: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
    if (f === 'namespace') {
      const select = el(d, 'select');
      for (const ns of this.options.namespaces) {
        const o = el(d, 'option', undefined, ns);
        o.value = ns;
        select.append(o);
      }
      if (this.options.namespace) select.value = this.options.namespace;
      input = select;
    } else if (f === 'env' || f === 'annotations') {
      input = el(d, 'textarea');
      input.rows = 2;
      input.placeholder = f === 'env' ? 'KEY=value, one a line' : 'key=value, one a line';
    } else {
      input = el(d, 'input');
      if (
        ['gpus', 'backoffLimit', 'activeDeadlineSeconds', 'ttlSecondsAfterFinished'].includes(f)
      ) {
        input.type = 'number';
        input.min = '0';
      }
    }
    input.name = f;
    input.setAttribute('aria-label', LABELS[f]);
    label.append(input);
    this.inputs.set(f, input);
    return label;
  }

  private set(f: Field, value: string | number | undefined): void {
    const input = this.inputs.get(f);
    if (input) input.value = value === undefined ? '' : String(value);
  }

  private value(f: Field): string {
    return this.inputs.get(f)?.value ?? '';
  }

  applyPreset(id: string): void {
    const preset = this.presets.find(p => p.id === id);
    if (!preset) return;
    this.presetSelect.value = id;
    const t = preset.template;
    this.set('name', t.name);
    this.set('image', t.image);
    this.set('command', [...(t.command ?? []), ...(t.args ?? [])].map(quoteWord).join(' '));
    this.set('gpus', t.gpus);
    this.set('gpuProduct', t.gpuProduct);
    this.set('cpu', t.cpu);
    this.set('memory', t.memory);
    this.set('env', pairsText(t.env));
    this.set('annotations', pairsText(t.annotations));
    this.set('backoffLimit', t.backoffLimit);
    this.set('activeDeadlineSeconds', t.activeDeadlineSeconds);
    this.set('ttlSecondsAfterFinished', t.ttlSecondsAfterFinished);
    this.refresh();
  }

  /** The template the fields say (the preset's volumes and labels kept). */
  template(): GpuJobTemplate {
    const preset = this.presets.find(p => p.id === this.presetSelect.value)?.template;
    const env = pairs(this.value('env'));
    const annotations = pairs(this.value('annotations'));
    const words = splitCommand(this.value('command'));
    const t: GpuJobTemplate = {
      ...(preset?.volumes ? { volumes: preset.volumes } : {}),
      ...(preset?.labels ? { labels: preset.labels } : {}),
      name: this.value('name').trim(),
      namespace: this.value('namespace'),
      image: this.value('image').trim(),
      gpus: this.value('gpus').trim() === '' ? 0 : Number(this.value('gpus')),
      ...(words.length ? { command: words } : {}),
      ...(this.value('gpuProduct').trim() ? { gpuProduct: this.value('gpuProduct').trim() } : {}),
      ...(this.value('cpu').trim() ? { cpu: this.value('cpu').trim() } : {}),
      ...(this.value('memory').trim() ? { memory: this.value('memory').trim() } : {}),
      ...(Object.keys(env).length ? { env } : {}),
      ...(Object.keys(annotations).length ? { annotations } : {}),
      ...(this.options.owner ? { owner: this.options.owner } : {}),
      ...(this.options.source ? { source: this.options.source } : {})
    };
    for (const f of ['backoffLimit', 'activeDeadlineSeconds', 'ttlSecondsAfterFinished'] as const) {
      const n = optionalInt(this.value(f));
      if (n !== undefined) t[f] = n;
    }
    return t;
  }

  /** Preview, quota line and field marks from the current fields; the first wrong field, if any. */
  private refresh(): string | undefined {
    for (const input of this.inputs.values()) input.removeAttribute('aria-invalid');
    let wrong: string | undefined;
    try {
      this.preview.textContent = jobYaml(this.template(), this.requestId);
      this.errorNode.textContent = '';
    } catch (e) {
      const error = toErrorJSON(e, { service: 'kubernetes' });
      const field = RadlabError.isRadlabError(e) ? e.details?.['field'] : undefined;
      wrong = typeof field === 'string' ? field : 'template';
      const input = this.inputs.get(wrong.split(/[.[]/)[0] as Field);
      input?.setAttribute('aria-invalid', 'true');
      this.errorNode.textContent = `${error.message}${error.hint ? ` — ${error.hint}` : ''}`;
      this.preview.textContent = '';
    }
    this.showQuota();
    this.submitButton.disabled = this.busy || wrong !== undefined;
    return wrong;
  }

  private showQuota(): void {
    const q = this.quota;
    if (!q || q.namespace !== this.value('namespace')) {
      this.quotaNode.textContent = 'GPU quota: …';
      this.quotaNode.dataset['over'] = 'false';
      return;
    }
    const gpus = Number(this.value('gpus')) || 0;
    const over = q.allowed !== undefined && q.used + gpus > q.allowed;
    this.quotaNode.textContent = `${quotaText(q)}; this job asks for ${gpus}${
      over
        ? ` — over the quota: it will wait until ${q.used + gpus - (q.allowed ?? 0)} free up`
        : ''
    }`;
    this.quotaNode.dataset['over'] = String(over);
  }

  private async loadQuota(): Promise<void> {
    const namespace = this.value('namespace');
    const asked = ++this.quotaAsked;
    this.refresh();
    if (!namespace) return;
    try {
      const q = await this.options.quota(namespace);
      if (asked !== this.quotaAsked) return;
      this.quota = q;
    } catch (e) {
      if (asked !== this.quotaAsked) return;
      this.quota = undefined;
      this.quotaNode.textContent = `GPU quota of ${namespace} unknown: ${toErrorJSON(e, { service: 'kubernetes' }).message}`;
      return;
    }
    this.refresh();
  }

  private async doSubmit(): Promise<void> {
    if (this.busy || this.refresh() !== undefined) return;
    this.busy = true;
    this.submitButton.disabled = true;
    this.submitButton.textContent = 'Submitting…';
    try {
      await this.options.submit(this.template(), this.requestId);
    } catch (e) {
      const error = toErrorJSON(e, { service: 'kubernetes' });
      this.errorNode.textContent = `${error.message}${error.hint ? ` — ${error.hint}` : ''}`;
    } finally {
      this.busy = false;
      this.submitButton.textContent = 'Submit';
      this.submitButton.disabled = false;
    }
  }

  focus(): void {
    this.inputs.get('name')?.focus();
  }

  dispose(): void {
    this.node.removeEventListener('input', this.onInput);
    this.node.removeEventListener('click', this.onClick);
    this.node.removeEventListener('keydown', this.onKey);
    this.inputs.get('namespace')?.removeEventListener('change', this.onNamespace);
    this.presetSelect.removeEventListener('change', this.onPreset);
    this.node.remove();
  }
}
