// DICOM JSON (PS3.18 F.2), as QIDO-RS answers and WADO-RS metadata carry it: one object per data set,
// keyed by the tag's eight upper-case hex digits, each element `{vr, Value?, BulkDataURI?, InlineBinary?}`.

export interface DicomJsonPersonName {
  Alphabetic?: string;
  Ideographic?: string;
  Phonetic?: string;
}

export type DicomJsonValue = string | number | DicomJsonPersonName | DicomJsonDataset | null;

export interface DicomJsonElement {
  vr: string;
  Value?: DicomJsonValue[];
  BulkDataURI?: string;
  InlineBinary?: string;
}

export type DicomJsonDataset = Record<string, DicomJsonElement>;

/** A tag as DICOM JSON keys it: `0020000D` from `0020000d`, `(0020,000D)` or `x0020000d`. */
export function dicomJsonTag(tag: string): string {
  return tag.replace(/[^0-9a-fA-F]/g, '').toUpperCase();
}

/** Every value of an element as text (person names: their alphabetic form); [] when absent. */
export function dicomJsonStrings(ds: DicomJsonDataset | undefined, tag: string): string[] {
  const values = ds?.[dicomJsonTag(tag)]?.Value ?? [];
  const out: string[] = [];
  for (const v of values) {
    if (v === null || v === undefined) out.push('');
    else if (typeof v === 'string') out.push(v);
    else if (typeof v === 'number') out.push(String(v));
    else if (typeof v === 'object' && 'Alphabetic' in v)
      out.push(String((v as DicomJsonPersonName).Alphabetic ?? ''));
  }
  return out;
}

/** The first value as text, or undefined. */
export function dicomJsonString(ds: DicomJsonDataset | undefined, tag: string): string | undefined {
  return dicomJsonStrings(ds, tag)[0];
}

/** Every value as a number (DS and IS may come as strings); non-numbers dropped. */
export function dicomJsonNumbers(ds: DicomJsonDataset | undefined, tag: string): number[] {
  return dicomJsonStrings(ds, tag)
    .map(v => (v.trim() === '' ? NaN : Number(v)))
    .filter(n => Number.isFinite(n));
}

export function dicomJsonNumber(ds: DicomJsonDataset | undefined, tag: string): number | undefined {
  return dicomJsonNumbers(ds, tag)[0];
}

/** Tags the DICOMweb layer names often. */
export const DICOMWEB_TAGS = {
  StudyInstanceUID: '0020000D',
  SeriesInstanceUID: '0020000E',
  SOPInstanceUID: '00080018',
  SOPClassUID: '00080016',
  Modality: '00080060',
  ModalitiesInStudy: '00080061',
  NumberOfSeriesRelatedInstances: '00201209',
  NumberOfStudyRelatedInstances: '00201208',
  InstanceNumber: '00200013',
  NumberOfFrames: '00280008',
  TransferSyntaxUID: '00020010',
  AvailableTransferSyntaxUID: '00083002'
} as const;
