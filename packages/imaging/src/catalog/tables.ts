// Instance records → the catalog's four tables: studies, series (with geometry checks), instances
// and quality (duplicates, inconsistent series, plus what each file reported).
import type { ColumnSpec } from './parquet.js';
import type { InstanceRecord, QualityRecord } from './record.js';

/** What a series shares with its instances, as the instance record holds it. */
type SeriesFields =
  | 'SeriesInstanceUID'
  | 'StudyInstanceUID'
  | 'PatientID'
  | 'Modality'
  | 'BodyPartExamined'
  | 'StudyDate'
  | 'SeriesDate'
  | 'SeriesDescription'
  | 'Manufacturer'
  | 'ManufacturerModelName'
  | 'Rows'
  | 'Columns'
  | 'SliceThickness'
  | 'PixelSpacingRow'
  | 'PixelSpacingColumn'
  | 'ImageOrientationPatient'
  | 'TransferSyntaxUID';

export interface SeriesRow extends Pick<InstanceRecord, SeriesFields> {
  InstanceCount: number;
  FrameCount: number;
  /** Median distance between neighbouring slices along the normal, mm. */
  SliceSpacing?: number;
  UnevenSpacing: boolean;
  MissingSlices: number;
  Folder: string;
  TotalSize: number;
}

export interface StudyRow {
  StudyInstanceUID: string;
  PatientID?: string;
  AccessionNumber?: string;
  StudyDate?: number;
  Modalities: string;
  SeriesCount: number;
  InstanceCount: number;
  TotalSize: number;
}

export interface CatalogTables {
  studies: StudyRow[];
  series: SeriesRow[];
  instances: InstanceRecord[];
  quality: QualityRecord[];
}

/** The columns series and instances both describe themselves with, in the same order. */
const DESCRIPTION_COLUMNS: ColumnSpec = [
  ['Modality', 'string'],
  ['BodyPartExamined', 'string'],
  ['StudyDate', 'date'],
  ['SeriesDate', 'date'],
  ['SeriesDescription', 'string'],
  ['Manufacturer', 'string'],
  ['ManufacturerModelName', 'string'],
  ['Rows', 'int'],
  ['Columns', 'int']
];

export const TABLE_COLUMNS: Record<keyof CatalogTables, ColumnSpec> = {
  studies: [
    ['StudyInstanceUID', 'string'],
    ['PatientID', 'string'],
    ['AccessionNumber', 'string'],
    ['StudyDate', 'date'],
    ['Modalities', 'string'],
    ['SeriesCount', 'int'],
    ['InstanceCount', 'int'],
    ['TotalSize', 'bigint']
  ],
  series: [
    ['SeriesInstanceUID', 'string'],
    ['StudyInstanceUID', 'string'],
    ['PatientID', 'string'],
    ...DESCRIPTION_COLUMNS,
    ['SliceThickness', 'double'],
    ['PixelSpacingRow', 'double'],
    ['PixelSpacingColumn', 'double'],
    ['ImageOrientationPatient', 'doubleList'],
    ['TransferSyntaxUID', 'string'],
    ['InstanceCount', 'int'],
    ['FrameCount', 'int'],
    ['SliceSpacing', 'double'],
    ['UnevenSpacing', 'bool'],
    ['MissingSlices', 'int'],
    ['Folder', 'string'],
    ['TotalSize', 'bigint']
  ],
  instances: [
    ['DicomFile', 'string'],
    ['FileSize', 'bigint'],
    ['SOPInstanceUID', 'string'],
    ['SeriesInstanceUID', 'string'],
    ['StudyInstanceUID', 'string'],
    ['SOPClassUID', 'string'],
    ['PatientID', 'string'],
    ['AccessionNumber', 'string'],
    ...DESCRIPTION_COLUMNS,
    ['NumberOfFrames', 'int'],
    ['SliceThickness', 'double'],
    ['PixelSpacingRow', 'double'],
    ['PixelSpacingColumn', 'double'],
    ['ImageOrientationPatient', 'doubleList'],
    ['ImagePositionPatient', 'doubleList'],
    ['InstanceNumber', 'int'],
    ['TransferSyntaxUID', 'string']
  ],
  quality: [
    ['DicomFile', 'string'],
    ['Issue', 'string'],
    ['Detail', 'string'],
    ['SeriesInstanceUID', 'string']
  ]
};

const year = (days: number | undefined): string =>
  days === undefined ? 'unknown' : String(new Date(days * 86_400_000).getUTCFullYear());

const folderName = (s: string | undefined): string =>
  s && /^[A-Za-z0-9_-]+$/.test(s) ? s : 'unknown';

/** The partition folder of a row: <Modality>/<study year> (Drill's dir0, dir1), studies by year. */
export function partitionOf(table: keyof CatalogTables, row: unknown): string {
  const r = (row ?? {}) as { Modality?: string; StudyDate?: number };
  if (table === 'quality') return '.';
  if (table === 'studies') return year(r.StudyDate);
  return `${folderName(r.Modality)}/${year(r.StudyDate)}`;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Spacing and gaps along the slice normal of one series' single-frame instances. */
export function seriesGeometry(
  instances: InstanceRecord[]
): Pick<SeriesRow, 'SliceSpacing' | 'UnevenSpacing' | 'MissingSlices'> {
  const iop = instances[0]?.ImageOrientationPatient;
  const positions = instances
    .map(i => i.ImagePositionPatient)
    .filter((p): p is number[] => p?.length === 3 && p.every(Number.isFinite));
  if (!iop || iop.length !== 6 || positions.length < 3 || positions.length !== instances.length)
    return { UnevenSpacing: false, MissingSlices: 0 };
  const n = [
    iop[1] * iop[5] - iop[2] * iop[4],
    iop[2] * iop[3] - iop[0] * iop[5],
    iop[0] * iop[4] - iop[1] * iop[3]
  ];
  const along = positions.map(p => p[0] * n[0] + p[1] * n[1] + p[2] * n[2]).sort((a, b) => a - b);
  const gaps = along
    .slice(1)
    .map((v, i) => v - along[i])
    .filter(g => g > 1e-4);
  if (gaps.length === 0) return { UnevenSpacing: false, MissingSlices: 0 };
  const m = median(gaps);
  const tolerance = Math.max(0.01 * m, 1e-3);
  const uneven = gaps.some(g => Math.abs(g - m) > tolerance);
  const missing = gaps.reduce((k, g) => k + Math.max(0, Math.round(g / m) - 1), 0);
  return { SliceSpacing: Math.round(m * 1e6) / 1e6, UnevenSpacing: uneven, MissingSlices: missing };
}

const CONSISTENT = [
  'StudyInstanceUID',
  'Modality',
  'Rows',
  'Columns',
  'ImageOrientationPatient'
] as const;

export function buildTables(
  records: InstanceRecord[],
  fileQuality: QualityRecord[]
): CatalogTables {
  const quality = [...fileQuality];
  const sorted = [...records].sort((a, b) => (a.DicomFile < b.DicomFile ? -1 : 1));
  const seen = new Set<string>();
  const instances: InstanceRecord[] = [];
  for (const r of sorted) {
    if (seen.has(r.SOPInstanceUID)) {
      quality.push({
        DicomFile: r.DicomFile,
        Issue: 'duplicateSOPInstanceUID',
        Detail: 'Another file of the catalog has the same SOP Instance UID; this one is left out.',
        SeriesInstanceUID: r.SeriesInstanceUID
      });
      continue;
    }
    seen.add(r.SOPInstanceUID);
    instances.push(r);
  }
  const bySeries = new Map<string, InstanceRecord[]>();
  for (const r of instances) {
    const list = bySeries.get(r.SeriesInstanceUID) ?? [];
    list.push(r);
    bySeries.set(r.SeriesInstanceUID, list);
  }
  const series: SeriesRow[] = [];
  for (const [uid, list] of bySeries) {
    const first = list[0];
    for (const r of list.slice(1))
      for (const k of CONSISTENT)
        if (
          k === 'ImageOrientationPatient'
            ? !sameOrientation(r[k], first[k]) && (r[k] !== undefined || first[k] !== undefined)
            : r[k] !== first[k]
        )
          quality.push({
            DicomFile: r.DicomFile,
            Issue: 'inconsistentSeries',
            Detail: `${k} differs from the series' first file.`,
            SeriesInstanceUID: uid
          });
    const dirs = list.map(r => r.DicomFile.split('/').slice(0, -1));
    let common = dirs[0];
    for (const d of dirs) {
      let i = 0;
      while (i < common.length && d[i] === common[i]) i++;
      common = common.slice(0, i);
    }
    series.push({
      SeriesInstanceUID: uid,
      StudyInstanceUID: first.StudyInstanceUID,
      PatientID: first.PatientID,
      Modality: first.Modality,
      BodyPartExamined: first.BodyPartExamined,
      StudyDate: first.StudyDate,
      SeriesDate: first.SeriesDate,
      SeriesDescription: first.SeriesDescription,
      Manufacturer: first.Manufacturer,
      ManufacturerModelName: first.ManufacturerModelName,
      Rows: first.Rows,
      Columns: first.Columns,
      SliceThickness: first.SliceThickness,
      PixelSpacingRow: first.PixelSpacingRow,
      PixelSpacingColumn: first.PixelSpacingColumn,
      ImageOrientationPatient: first.ImageOrientationPatient,
      TransferSyntaxUID: first.TransferSyntaxUID,
      InstanceCount: list.length,
      FrameCount: list.reduce((n, r) => n + r.NumberOfFrames, 0),
      ...seriesGeometry(list),
      Folder: common.join('/'),
      TotalSize: list.reduce((n, r) => n + r.FileSize, 0)
    });
  }
  const byStudy = new Map<string, SeriesRow[]>();
  for (const s of series) {
    const list = byStudy.get(s.StudyInstanceUID) ?? [];
    list.push(s);
    byStudy.set(s.StudyInstanceUID, list);
  }
  const accession = new Map(instances.map(r => [r.StudyInstanceUID, r.AccessionNumber]));
  const studies: StudyRow[] = [...byStudy].map(([uid, list]) => ({
    StudyInstanceUID: uid,
    PatientID: list[0].PatientID,
    AccessionNumber: accession.get(uid),
    StudyDate: list[0].StudyDate,
    Modalities: [...new Set(list.map(s => s.Modality ?? ''))].filter(Boolean).sort().join('\\'),
    SeriesCount: list.length,
    InstanceCount: list.reduce((n, s) => n + s.InstanceCount, 0),
    TotalSize: list.reduce((n, s) => n + s.TotalSize, 0)
  }));
  return { studies, series, instances, quality };
}

function sameOrientation(x: number[] | undefined, y: number[] | undefined): boolean {
  return !!x && !!y && x.length === y.length && x.every((v, i) => Math.abs(v - y[i]) < 1e-4);
}
