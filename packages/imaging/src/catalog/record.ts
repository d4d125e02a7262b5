// One DICOM file's header → the catalog's instance record (de-identified) or the reason it is not one.
// Reads only what parseDicom gives from the header bytes (untilPixelData); never throws for bad input.
import { ImagingError } from '../errors.js';
import { hasDicomPreamble } from '../dicom/head.js';
import { parseDicom } from '../dicom/parse.js';
import { str } from '../dicom/values.js';
import { identifyingWords, type Deidentifier } from './deid.js';

/** An instance as the catalog keeps it: every identifying value already replaced. */
export interface InstanceRecord {
  /**
   * The file, relative to the harvested folder, de-identified (deid.ts catalogPath). Not named
   * FilePath: Drill's implicit `filepath` column (the Parquet file's folder) would shadow it.
   */
  DicomFile: string;
  FileSize: number;
  SOPInstanceUID: string;
  SeriesInstanceUID: string;
  StudyInstanceUID: string;
  SOPClassUID?: string;
  PatientID?: string;
  AccessionNumber?: string;
  Modality?: string;
  BodyPartExamined?: string;
  /** Days since 1970-01-01 (shifted per profile). */
  StudyDate?: number;
  SeriesDate?: number;
  SeriesDescription?: string;
  Manufacturer?: string;
  ManufacturerModelName?: string;
  Rows: number;
  Columns: number;
  NumberOfFrames: number;
  SliceThickness?: number;
  PixelSpacingRow?: number;
  PixelSpacingColumn?: number;
  /** Row then column direction cosines (6 numbers). */
  ImageOrientationPatient?: number[];
  /** The first voxel's centre, mm (3 numbers). */
  ImagePositionPatient?: number[];
  InstanceNumber?: number;
  TransferSyntaxUID: string;
}

export type QualityCode =
  | 'notDicom'
  | 'unreadable'
  | 'headerTooLong'
  | 'missingTag'
  | 'duplicateSOPInstanceUID'
  | 'inconsistentSeries';

export interface QualityRecord {
  DicomFile: string;
  Issue: QualityCode;
  /** What is wrong, never a header value that could identify anyone. */
  Detail: string;
  SeriesInstanceUID?: string;
}

export type RecordResult =
  | { record: InstanceRecord; quality: QualityRecord[]; words: string[] }
  | { record?: undefined; quality: QualityRecord[]; words?: string[] };

/** DICOM DA "YYYYMMDD" → days since the epoch, or undefined. */
export function daFromString(value: string | undefined): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})/.exec(value?.trim() ?? '');
  if (!m) return undefined;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return Number.isFinite(t) ? Math.round(t / 86_400_000) : undefined;
}

const REQUIRED: [
  tag: string,
  keyword: 'SOPInstanceUID' | 'SeriesInstanceUID' | 'StudyInstanceUID'
][] = [
  ['x00080018', 'SOPInstanceUID'],
  ['x0020000e', 'SeriesInstanceUID'],
  ['x0020000d', 'StudyInstanceUID']
];

function cleanCode(value: string | undefined): string | undefined {
  // code strings (CS) and model names: printable, no backslash runs, as short as DICOM allows
  const v = value?.replace(/[^\x20-\x7e]/g, '').trim();
  return v ? v.slice(0, 64) : undefined;
}

/** The header of one file → its record, with the quality findings of that file alone. */
export function instanceRecord(
  bytes: Uint8Array,
  file: { path: string; size: number },
  deid: Deidentifier
): RecordResult {
  const at = (Issue: QualityCode, Detail: string): RecordResult => ({
    quality: [{ DicomFile: file.path, Issue, Detail }]
  });
  if (!hasDicomPreamble(bytes))
    return at('notDicom', 'No DICM prefix at byte 128: not a DICOM Part 10 file.');
  let parsed;
  try {
    parsed = parseDicom(bytes, { untilPixelData: true, revealPhi: true });
  } catch (e) {
    // ImagingError messages name tags and sizes, never values
    return at('unreadable', e instanceof ImagingError ? e.message : 'The header does not parse.');
  }
  const { header: h, dataSet: ds } = parsed;
  const quality: QualityRecord[] = [];
  const uids: Partial<Record<(typeof REQUIRED)[number][1], string>> = {};
  for (const [tag, keyword] of REQUIRED) {
    const v = str(ds, tag)?.trim();
    if (v) uids[keyword] = v;
    else
      quality.push({ DicomFile: file.path, Issue: 'missingTag', Detail: `${keyword} is missing.` });
  }
  if (!uids.SOPInstanceUID || !uids.SeriesInstanceUID || !uids.StudyInstanceUID)
    return { quality, words: identifyingWords(h.phi, deid) };
  if (!h.modality)
    quality.push({ DicomFile: file.path, Issue: 'missingTag', Detail: 'Modality is missing.' });
  const phi = h.phi;
  const patient = phi.PatientID ?? '';
  const iop = h.imageOrientationPatient;
  const ipp = h.imagePositionPatient;
  const record: InstanceRecord = {
    DicomFile: file.path,
    FileSize: file.size,
    SOPInstanceUID: deid.uid(uids.SOPInstanceUID),
    SeriesInstanceUID: deid.uid(uids.SeriesInstanceUID),
    StudyInstanceUID: deid.uid(uids.StudyInstanceUID),
    SOPClassUID: str(ds, 'x00080016')?.trim(),
    PatientID: phi.PatientID ? deid.pseudonym('PatientID', phi.PatientID) : undefined,
    AccessionNumber: phi.AccessionNumber
      ? deid.pseudonym('AccessionNumber', phi.AccessionNumber)
      : undefined,
    Modality: cleanCode(h.modality),
    BodyPartExamined: cleanCode(str(ds, 'x00180015')),
    StudyDate: deid.date(patient, daFromString(phi.StudyDate)),
    SeriesDate: deid.date(patient, daFromString(phi.SeriesDate)),
    SeriesDescription: deid.descriptor(phi.SeriesDescription, phi),
    Manufacturer: cleanCode(str(ds, 'x00080070')),
    ManufacturerModelName: cleanCode(str(ds, 'x00081090')),
    Rows: h.rows,
    Columns: h.columns,
    NumberOfFrames: h.numberOfFrames,
    SliceThickness: h.sliceThickness,
    PixelSpacingRow: h.pixelSpacing?.[0],
    PixelSpacingColumn: h.pixelSpacing?.[1],
    ImageOrientationPatient: iop?.length === 6 && iop.every(Number.isFinite) ? [...iop] : undefined,
    ImagePositionPatient: ipp?.length === 3 && ipp.every(Number.isFinite) ? [...ipp] : undefined,
    InstanceNumber: h.instanceNumber,
    TransferSyntaxUID: h.transferSyntaxUID
  };
  return { record, quality, words: identifyingWords(phi, deid) };
}
