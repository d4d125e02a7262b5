// PromQL built from a small typed vocabulary, never by pasting strings: a selector's label values are
// escaped (and regex-quoted for several values), functions and aggregations take expressions, and
// renderPromQL() writes the text. Enough for GPU dashboards; anything else can still be a raw string at the
// client's query().

export type MatchOp = '=' | '!=' | '=~' | '!~';

export interface Matcher {
  readonly label: string;
  readonly op: MatchOp;
  readonly value: string;
}

export type Expr =
  | { readonly type: 'selector'; readonly metric: string; readonly matchers: readonly Matcher[] }
  | { readonly type: 'range'; readonly expr: Expr; readonly seconds: number }
  | { readonly type: 'call'; readonly fn: PromFunction; readonly args: readonly Expr[] }
  | {
      readonly type: 'aggregate';
      readonly op: Aggregation;
      readonly expr: Expr;
      readonly by?: readonly string[];
    }
  | { readonly type: 'binary'; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr }
  | { readonly type: 'number'; readonly value: number };

export type Aggregation = 'sum' | 'avg' | 'max' | 'min' | 'count';
export type BinaryOp = '+' | '-' | '*' | '/' | '>' | '<' | '>=' | '<=';
export type PromFunction =
  'rate' | 'avg_over_time' | 'max_over_time' | 'min_over_time' | 'last_over_time' | 'abs';

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/** A label value in double quotes, escaped as PromQL strings are. */
export function quoteLabelValue(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** A literal for a RE2 regex (Prometheus anchors label regexes at both ends). */
export function regexLiteral(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Label matchers from a filter: one value is `=`, several are `=~"a|b"`; an empty list is a caller's bug. */
export function matchersOf(
  filter: Readonly<Record<string, string | readonly string[] | undefined>>
): Matcher[] {
  const out: Matcher[] = [];
  for (const [label, value] of Object.entries(filter)) {
    if (value === undefined) continue;
    if (typeof value === 'string') out.push({ label, op: '=', value });
    else if (value.length === 0) throw new TypeError(`no values to match for label ${label}`);
    else if (value.length === 1) out.push({ label, op: '=', value: value[0] as string });
    else out.push({ label, op: '=~', value: value.map(regexLiteral).join('|') });
  }
  return out;
}

export const promql = {
  selector(metric: string, matchers: readonly Matcher[] = []): Expr {
    if (!METRIC_NAME.test(metric)) throw new TypeError(`not a metric name: ${metric}`);
    for (const m of matchers)
      if (!LABEL_NAME.test(m.label)) throw new TypeError(`not a label name: ${m.label}`);
    return { type: 'selector', metric, matchers };
  },
  range(expr: Expr, seconds: number): Expr {
    if (expr.type !== 'selector') throw new TypeError('a range needs a selector');
    return { type: 'range', expr, seconds: Math.max(1, Math.round(seconds)) };
  },
  call(fn: PromFunction, ...args: Expr[]): Expr {
    return { type: 'call', fn, args };
  },
  aggregate(op: Aggregation, expr: Expr, by?: readonly string[]): Expr {
    for (const l of by ?? [])
      if (!LABEL_NAME.test(l)) throw new TypeError(`not a label name: ${l}`);
    return { type: 'aggregate', op, expr, by };
  },
  binary(op: BinaryOp, left: Expr, right: Expr): Expr {
    return { type: 'binary', op, left, right };
  },
  number(value: number): Expr {
    if (!Number.isFinite(value)) throw new TypeError(`not a finite number: ${value}`);
    return { type: 'number', value };
  }
};

/** PromQL durations are whole units; seconds are always accepted. */
function duration(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}

export function renderPromQL(expr: Expr): string {
  switch (expr.type) {
    case 'selector': {
      const inner = expr.matchers
        .map(m => `${m.label}${m.op}${quoteLabelValue(m.value)}`)
        .join(',');
      return inner ? `${expr.metric}{${inner}}` : expr.metric;
    }
    case 'range':
      return `${renderPromQL(expr.expr)}[${duration(expr.seconds)}]`;
    case 'call':
      return `${expr.fn}(${expr.args.map(renderPromQL).join(', ')})`;
    case 'aggregate':
      return `${expr.op}${expr.by ? ` by (${expr.by.join(', ')})` : ''} (${renderPromQL(expr.expr)})`;
    case 'binary': {
      const side = (e: Expr): string =>
        e.type === 'binary' ? `(${renderPromQL(e)})` : renderPromQL(e);
      return `${side(expr.left)} ${expr.op} ${side(expr.right)}`;
    }
    case 'number':
      return String(expr.value);
  }
}
