// Names (and colours) of a label map's values, from the colour tables the field's viewers read:
// FreeSurfer's LUT and 3D Slicer's .ctbl ("1 Left-Thalamus 0 118 14 0"), ITK-SNAP's label
// description file ('1 255 0 0 1 1 1 "Liver"'), NiiVue's label colormap JSON
// ({R, G, B, I, labels}), a plain JSON map ({"1": "liver"}) and BIDS's dseg.tsv (index, name, color).

export interface LabelEntry {
  name?: string;
  color?: [number, number, number];
}

export type LabelTable = Map<number, LabelEntry>;

/** Sidecar names tried beside `name.nii(.gz)`, best first; the header's aux_file comes before them. */
export function sidecarNames(imageName: string, auxFile?: string): string[] {
  const stem = imageName.replace(/\.nii(\.gz)?$/i, '');
  const names = [
    `${stem}.label.json`,
    `${stem}.json`,
    `${stem}.txt`,
    `${stem}.lut`,
    `${stem}.ctbl`,
    `${stem}.label`,
    `${stem}.tsv`
  ];
  const aux = auxFile?.trim();
  // aux_file names the colour table (FSL, FreeSurfer): a bare file name only, never a path out
  if (aux && /^[\w.-]+$/.test(aux) && !/^\.+$/.test(aux)) names.unshift(aux);
  return names;
}

const byte = (v: unknown): number | undefined => {
  const n = Number(v);
  return Number.isFinite(n) && n >= 0 && n <= 255 ? Math.round(n) : undefined;
};

function rgb(r: unknown, g: unknown, b: unknown): [number, number, number] | undefined {
  const c = [byte(r), byte(g), byte(b)];
  return c.every(v => v !== undefined) ? (c as [number, number, number]) : undefined;
}

function hexColor(s: string | undefined): [number, number, number] | undefined {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(s?.trim() ?? '');
  return m ? [parseInt(m[1], 16), parseInt(m[2], 16), parseInt(m[3], 16)] : undefined;
}

function put(table: LabelTable, value: number, entry: LabelEntry): void {
  if (!Number.isInteger(value) || value < 0) return;
  const name = entry.name?.trim();
  table.set(value, { ...(name ? { name } : {}), ...(entry.color ? { color: entry.color } : {}) });
}

function parseJson(text: string): LabelTable | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) return undefined;
  const o = json as Record<string, unknown>;
  const table: LabelTable = new Map();
  if (Array.isArray(o.R) && Array.isArray(o.G) && Array.isArray(o.B)) {
    // NiiVue: parallel arrays; I gives the label values (default 0, 1, 2, …)
    const [r, g, b] = [o.R, o.G, o.B] as unknown[][];
    const labels: unknown[] = Array.isArray(o.labels) ? o.labels : [];
    const values: unknown[] = Array.isArray(o.I) ? o.I : r.map((_, i) => i);
    values.forEach((v, i) => {
      const name = labels[i];
      put(table, Number(v), {
        name: typeof name === 'string' ? name : undefined,
        color: rgb(r[i], g[i], b[i])
      });
    });
    return table;
  }
  for (const [k, v] of Object.entries(o)) {
    if (!/^\d+$/.test(k)) continue;
    if (typeof v === 'string') put(table, Number(k), { name: v });
    else if (v && typeof v === 'object') {
      const e = v as Record<string, unknown>;
      const c = Array.isArray(e.color) ? rgb(e.color[0], e.color[1], e.color[2]) : undefined;
      put(table, Number(k), {
        name: typeof e.name === 'string' ? e.name : undefined,
        color: c ?? (typeof e.color === 'string' ? hexColor(e.color) : undefined)
      });
    }
  }
  return table.size ? table : undefined;
}

function parseTsv(lines: string[]): LabelTable | undefined {
  const head = lines[0].split('\t').map(h => h.trim().toLowerCase());
  const index = head.indexOf('index');
  const name = head.indexOf('name');
  if (index < 0 || name < 0) return undefined;
  const color = head.indexOf('color');
  const table: LabelTable = new Map();
  for (const line of lines.slice(1)) {
    const cells = line.split('\t');
    put(table, Number(cells[index]), {
      name: cells[name],
      color: color >= 0 ? hexColor(cells[color]) : undefined
    });
  }
  return table;
}

const ITK_SNAP = /^(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+[\d.]+\s+\d+\s+\d+\s+"(.*)"$/;
const LUT = /^(\d+)\s+(\S+)\s+(\d+)\s+(\d+)\s+(\d+)(?:\s+\d+)?$/;

/** The label table in `text` (any of the formats above), or undefined when it is none of them. */
export function parseLabelTable(text: string): LabelTable | undefined {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (trimmed.startsWith('{')) return parseJson(trimmed);
  const lines = trimmed.split(/\r?\n/).filter(l => l.trim() !== '' && !/^\s*#/.test(l));
  if (!lines.length) return undefined;
  if (lines[0].includes('\t') && /\bindex\b/i.test(lines[0])) return parseTsv(lines);
  const table: LabelTable = new Map();
  for (const raw of lines) {
    const line = raw.trim();
    const itk = ITK_SNAP.exec(line);
    if (itk) {
      put(table, Number(itk[1]), { name: itk[5], color: rgb(itk[2], itk[3], itk[4]) });
      continue;
    }
    const lut = LUT.exec(line);
    if (lut) {
      put(table, Number(lut[1]), { name: lut[2], color: rgb(lut[3], lut[4], lut[5]) });
      continue;
    }
    // a line of neither kind: this is not a colour table (a README that shares the stem)
    return undefined;
  }
  return table.size ? table : undefined;
}
