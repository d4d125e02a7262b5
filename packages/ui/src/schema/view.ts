// The Drill schema browser's DOM: a connection picker, a filter box, Refresh, and a tree (schemas →
// tables/files → columns with types) with "Insert name" and "Preview 100 rows" actions. Host-neutral;
// every name comes from Drill, so text is only set through textContent / attributes.
import { emptySchemaHint, type RadlabErrorJSON } from '@radlab/core';
import type { SchemaBrowserModel, SchemaNode } from './model.js';
import { el } from '../element.js';

export interface SchemaBrowserViewOptions {
  onInsert?: (node: SchemaNode) => void;
  onPreview?: (node: SchemaNode) => void;
}

function button(doc: Document, className: string, text: string, label: string): HTMLButtonElement {
  const b = el(doc, 'button', `rl-Schema-button ${className}`, text);
  b.type = 'button';
  b.title = label;
  b.setAttribute('aria-label', label);
  return b;
}

const KIND_BADGE: Record<string, string> = {
  schema: 'S',
  TABLE: 'T',
  VIEW: 'V',
  FILE: 'F',
  DIRECTORY: 'D',
  SYSTEM_TABLE: 'T'
};

export function errorBlock(doc: Document, error: RadlabErrorJSON, className: string): HTMLElement {
  const box = el(doc, 'div', `rl-Schema-error ${className}`);
  box.setAttribute('role', 'alert');
  box.dataset.code = error.code;
  box.append(el(doc, 'div', 'rl-Schema-errorMessage', error.message));
  if (error.hint) box.append(el(doc, 'div', 'rl-Schema-errorHint', error.hint));
  return box;
}

export class SchemaBrowserView {
  readonly node: HTMLElement;
  private readonly doc: Document;
  private readonly select: HTMLSelectElement;
  private readonly filter: HTMLInputElement;
  private readonly refreshButton: HTMLButtonElement;
  private readonly status: HTMLElement;
  private readonly tree: HTMLElement;
  private readonly unsubscribe: () => void;
  private focusedId: string | undefined;

  constructor(
    host: HTMLElement,
    private readonly model: SchemaBrowserModel,
    private readonly options: SchemaBrowserViewOptions = {}
  ) {
    this.doc = host.ownerDocument;
    const doc = this.doc;
    this.node = el(doc, 'div', 'rl-Schema');
    const header = el(doc, 'div', 'rl-Schema-header');
    header.append(el(doc, 'h2', 'rl-Schema-title', 'Drill schemas'));
    this.refreshButton = button(doc, 'rl-Schema-refresh', '⟳', 'Refresh schemas');
    header.append(this.refreshButton);
    const controls = el(doc, 'div', 'rl-Schema-controls');
    this.select = el(doc, 'select', 'rl-Schema-connection');
    this.select.setAttribute('aria-label', 'Drill connection');
    this.filter = el(doc, 'input', 'rl-Schema-filter');
    this.filter.type = 'search';
    this.filter.placeholder = 'Filter names';
    this.filter.setAttribute('aria-label', 'Filter schemas, tables and columns');
    controls.append(this.select, this.filter);
    this.status = el(doc, 'div', 'rl-Schema-status');
    this.status.setAttribute('aria-live', 'polite');
    this.tree = el(doc, 'ul', 'rl-Schema-tree');
    this.tree.setAttribute('role', 'tree');
    this.tree.setAttribute('aria-label', 'Drill schemas');
    this.node.append(header, controls, this.status, this.tree);
    host.append(this.node);

    this.select.addEventListener('change', () => void model.setConnection(this.select.value));
    this.filter.addEventListener('input', () => model.setFilter(this.filter.value));
    this.refreshButton.addEventListener('click', () => void model.refresh());
    this.tree.addEventListener('click', this.onClick);
    this.tree.addEventListener('keydown', this.onKeyDown);
    this.unsubscribe = model.onChange(() => this.render());
    this.render();
  }

  dispose(): void {
    this.unsubscribe();
    this.tree.removeEventListener('click', this.onClick);
    this.tree.removeEventListener('keydown', this.onKeyDown);
    this.node.remove();
  }

  private nodeOf(target: EventTarget | null): { node: SchemaNode; item: HTMLElement } | undefined {
    const item = (target as HTMLElement | null)?.closest?.<HTMLElement>('.rl-Schema-item');
    const id = item?.dataset.id;
    const node = id ? this.model.find(id) : undefined;
    return node && item ? { node, item } : undefined;
  }

  private readonly onClick = (event: Event): void => {
    const hit = this.nodeOf(event.target);
    if (!hit) return;
    const action = (event.target as HTMLElement).closest<HTMLElement>('[data-action]')?.dataset
      .action;
    this.focusedId = hit.node.id;
    if (action === 'insert') this.options.onInsert?.(hit.node);
    else if (action === 'preview') this.options.onPreview?.(hit.node);
    else void this.model.toggle(hit.node.id);
  };

  private readonly onKeyDown = (event: KeyboardEvent): void => {
    const hit = this.nodeOf(event.target);
    if (!hit || (event.target as HTMLElement).closest('button')) return;
    const items = [...this.tree.querySelectorAll<HTMLElement>('.rl-Schema-item')];
    const index = items.indexOf(hit.item);
    const move = (i: number): void => {
      const target = items[Math.max(0, Math.min(items.length - 1, i))];
      if (target) {
        this.focusedId = target.dataset.id;
        target.focus();
      }
    };
    switch (event.key) {
      case 'ArrowDown':
        move(index + 1);
        break;
      case 'ArrowUp':
        move(index - 1);
        break;
      case 'ArrowRight':
        if (!hit.node.expanded) void this.model.toggle(hit.node.id);
        break;
      case 'ArrowLeft':
        if (hit.node.expanded) void this.model.toggle(hit.node.id);
        break;
      case 'Enter':
        void this.model.toggle(hit.node.id);
        break;
      default:
        return;
    }
    event.preventDefault();
  };

  render(): void {
    const doc = this.doc;
    const model = this.model;
    // connection picker
    const names = model.connections;
    if (
      this.select.options.length !== names.length ||
      [...this.select.options].some((o, i) => o.value !== names[i])
    ) {
      this.select.replaceChildren(
        ...names.map(n => {
          const o = el(doc, 'option', undefined, n);
          o.value = n;
          return o;
        })
      );
    }
    this.select.value = model.connection ?? '';
    this.select.disabled = names.length === 0;
    if (this.filter.value !== model.filter) this.filter.value = model.filter;

    this.status.replaceChildren();
    this.node.setAttribute('aria-busy', String(model.loading));
    if (names.length === 0) {
      this.status.append(el(doc, 'div', 'rl-Schema-empty', 'No Drill connection is configured.'));
    } else if (model.loading) {
      this.status.append(el(doc, 'div', 'rl-Schema-loading', 'Loading schemas…'));
    } else if (model.error) {
      this.status.append(errorBlock(doc, model.error, 'rl-mod-root'));
    }

    const rows = model.rows();
    const items: HTMLElement[] = [];
    for (const { node, depth } of rows) {
      const item = el(doc, 'li', 'rl-Schema-item');
      item.setAttribute('role', 'treeitem');
      item.setAttribute('aria-level', String(depth + 1));
      item.setAttribute('aria-label', node.name);
      item.dataset.id = node.id;
      item.dataset.kind = node.kind;
      item.tabIndex = node.id === this.focusedId ? 0 : -1;
      if (node.kind !== 'column') item.setAttribute('aria-expanded', String(node.expanded));
      item.style.setProperty('--rl-depth', String(depth));
      const row = el(doc, 'div', 'rl-Schema-row');
      const twisty = el(
        doc,
        'span',
        'rl-Schema-twisty',
        node.kind === 'column' ? '' : node.expanded ? '▾' : '▸'
      );
      twisty.setAttribute('aria-hidden', 'true');
      const badge = el(
        doc,
        'span',
        'rl-Schema-badge',
        node.kind === 'column'
          ? '·'
          : (KIND_BADGE[node.kind === 'schema' ? 'schema' : (node.type ?? 'TABLE')] ?? 'T')
      );
      badge.setAttribute('aria-hidden', 'true');
      badge.title =
        node.kind === 'schema' ? `schema${node.type ? ` (${node.type})` : ''}` : (node.type ?? '');
      const name = el(doc, 'span', 'rl-Schema-name', node.name);
      if (node.description) name.title = `${node.name}: ${node.description}`;
      row.append(twisty, badge, name);
      if (node.kind === 'column' && node.type) {
        row.append(el(doc, 'span', 'rl-Schema-type', node.type.toLowerCase()));
      }
      if (node.loading) row.append(el(doc, 'span', 'rl-Schema-spinner', 'loading…'));
      const actions = el(doc, 'span', 'rl-Schema-actions');
      const insert = button(doc, 'rl-Schema-insert', 'Insert', `Insert name of ${node.name}`);
      insert.dataset.action = 'insert';
      actions.append(insert);
      if (node.kind === 'table') {
        const preview = button(
          doc,
          'rl-Schema-preview',
          'Preview',
          `Preview 100 rows of ${node.name}`
        );
        preview.dataset.action = 'preview';
        actions.append(preview);
      }
      row.append(actions);
      item.append(row);
      if (node.error && node.expanded) item.append(errorBlock(doc, node.error, 'rl-mod-node'));
      else if (node.expanded && node.children && node.children.length === 0) {
        item.append(
          el(
            doc,
            'div',
            'rl-Schema-none',
            node.kind === 'schema'
              ? (emptySchemaHint(node.schema, node.type) ?? 'no tables')
              : node.type === 'DIRECTORY'
                ? 'empty folder'
                : 'no columns'
          )
        );
      }
      items.push(item);
    }
    if (items.length > 0 && !items.some(i => i.tabIndex === 0)) items[0]!.tabIndex = 0;
    const hadFocus = this.tree.contains(doc.activeElement);
    this.tree.replaceChildren(...items);
    if (hadFocus) items.find(i => i.tabIndex === 0)?.focus();
    if (!model.loading && !model.error && model.roots && rows.length === 0 && model.filter) {
      this.status.append(el(doc, 'div', 'rl-Schema-empty', 'Nothing matches the filter.'));
    }
  }
}
