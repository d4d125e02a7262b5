// The grid's quick-chart panel: X, Y and kind pickers over the result's columns and the area chart.ts
// draws into (uPlot, disposed before each redraw and with the panel). It reads the rows in view through
// the accessors it is given, so it follows sort and filter.

import { el } from '../element.js';
import { QuickChart, type ChartKind } from './chart.js';
import type { ColumnKind, DrillResultColumn } from './model.js';

/** The rows in view, for the chart: how many, and a cell by view position and column. */
export interface ChartSource {
  count: number;
  value(position: number, column: number): unknown;
}

export class ChartPanel {
  readonly node: HTMLElement;
  readonly x: HTMLSelectElement;
  readonly y: HTMLSelectElement;
  readonly kind: HTMLSelectElement;
  private readonly area: HTMLElement;
  private columns: DrillResultColumn[] = [];
  private chart?: QuickChart;

  constructor(private readonly doc: Document) {
    this.node = el(doc, 'div', 'rl-Grid-chart');
    this.node.hidden = true;
    const controls = el(doc, 'div', 'rl-Grid-chartControls');
    this.x = el(doc, 'select', 'rl-Grid-select rl-Grid-chartX');
    this.x.setAttribute('aria-label', 'Chart X column');
    this.y = el(doc, 'select', 'rl-Grid-select rl-Grid-chartY');
    this.y.setAttribute('aria-label', 'Chart Y column');
    this.kind = el(doc, 'select', 'rl-Grid-select rl-Grid-chartKind');
    this.kind.setAttribute('aria-label', 'Chart type');
    for (const kind of ['bar', 'line']) {
      const option = el(doc, 'option', undefined, kind);
      option.value = kind;
      this.kind.appendChild(option);
    }
    controls.append(
      el(doc, 'span', 'rl-Grid-label', 'X'),
      this.x,
      el(doc, 'span', 'rl-Grid-label', 'Y'),
      this.y,
      this.kind
    );
    this.area = el(doc, 'div', 'rl-Grid-chartArea');
    this.node.append(controls, this.area);
  }

  /** The pickers for new columns: X any column but JSON, Y numbers and booleans. False: nothing to plot. */
  setColumns(columns: DrillResultColumn[], kinds: readonly ColumnKind[]): boolean {
    this.columns = columns;
    fillColumns(this.doc, this.x, columns, kinds, undefined);
    fillColumns(this.doc, this.y, columns, kinds, undefined, ['number', 'boolean']);
    const firstNumber = kinds.findIndex(k => k === 'number');
    const firstOther = kinds.findIndex((k, i) => i !== firstNumber && k !== 'json');
    if (firstOther >= 0) this.x.value = String(firstOther);
    if (firstNumber >= 0) this.y.value = String(firstNumber);
    return firstNumber >= 0;
  }

  get open(): boolean {
    return !this.node.hidden;
  }

  /** Shows or hides the panel; returns whether it is open now. */
  toggle(source: ChartSource): boolean {
    this.node.hidden = !this.node.hidden;
    if (this.open) this.render(source);
    else this.clear();
    return this.open;
  }

  /** The chart drawn now, if any (its spec says what it plots). */
  get drawn(): QuickChart | undefined {
    return this.chart;
  }

  render(source: ChartSource): void {
    this.clear();
    const x = Number(this.x.value);
    const y = Number(this.y.value);
    if (this.x.value === '' || this.y.value === '' || !this.columns[x] || !this.columns[y]) {
      this.area.replaceChildren(
        el(this.doc, 'p', 'rl-Grid-chartEmpty', 'Pick a numeric column for Y.')
      );
      return;
    }
    this.chart = new QuickChart(this.area, {
      kind: this.kind.value as ChartKind,
      xName: this.columns[x].name,
      yName: this.columns[y].name,
      count: source.count,
      x: i => source.value(i, x),
      y: i => source.value(i, y)
    });
  }

  private clear(): void {
    this.chart?.dispose();
    this.chart = undefined;
    this.area.replaceChildren();
  }

  dispose(): void {
    this.clear();
  }
}

/** Fills a column picker: an optional first "all" entry, then the columns (of `only` kinds). */
export function fillColumns(
  doc: Document,
  select: HTMLSelectElement,
  columns: readonly DrillResultColumn[],
  kinds: readonly ColumnKind[],
  first: string | undefined,
  only?: ColumnKind[]
): void {
  select.replaceChildren();
  if (first !== undefined) {
    const all = el(doc, 'option', undefined, first);
    all.value = '';
    select.appendChild(all);
  }
  columns.forEach((column, i) => {
    if (only && !only.includes(kinds[i]!)) return;
    const option = el(doc, 'option', undefined, column.name);
    option.value = String(i);
    select.appendChild(option);
  });
}
