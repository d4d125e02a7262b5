// A PACS as a harvest source: QIDO-RS lists the instances (studies → series → instances), WADO-RS
// metadata gives each series' headers as DICOM JSON in one request, and a record is made from them:
// no file, no pixel data is transferred. The client is any object with a DICOMweb client's four
// calls (@radlab/core's DicomWebClient; imaging does not depend on core).
//
// A listed instance's path is `studies/<uid>/series/<uid>/instances/<uid>` with the UIDs as the
// de-identifier maps them (the originals when the profile retains UIDs), so neither the catalog nor
// the state file holds a UID the profile replaces; the source keeps the originals in memory.
import { PHI_ATTRIBUTES } from '../phi.js';
import {
  daFromString,
  type InstanceRecord,
  type QualityRecord,
  type RecordResult
} from './record.js';
import { identifyingWords, type Deidentifier } from './deid.js';
import type { HarvestSource, SourceFile } from './harvest.js';

/** A DICOM JSON data set (PS3.18 F.2): tag (8 upper-case hex digits) → element. */
export type DicomJsonLike = Record<string, { vr?: string; Value?: unknown[] } | undefined>;

interface PageQuery {
  limit?: number;
  offset?: number;
}

/** What the PACS source asks of a DICOMweb client. */
export interface DicomWebCatalogClient {
  searchStudies(query?: PageQuery, options?: { signal?: AbortSignal }): Promise<DicomJsonLike[]>;
  searchSeries(
    study: string | undefined,
    query?: PageQuery,
    options?: { signal?: AbortSignal }
  ): Promise<DicomJsonLike[]>;
  searchInstances(
    study: string | undefined,
    series: string | undefined,
    query?: PageQuery,
    options?: { signal?: AbortSignal }
  ): Promise<DicomJsonLike[]>;
  seriesMetadata(
    study: string,
    series: string,
    options?: { signal?: AbortSignal }
  ): Promise<DicomJsonLike[]>;
}

export interface PacsSourceOptions {
  /** The de-identifier's UID mapping (the paths carry mapped UIDs). */
  uid: (uid: string) => string;
  /** QIDO-RS page size. Default 500. */
  pageSize?: number;
  signal?: AbortSignal;
}

/** A harvest source whose records come from the source itself (DICOM JSON), not from file bytes. */
export interface RecordSource extends HarvestSource {
  record(path: string, deid: Deidentifier): Promise<RecordResult>;
}

interface Located {
  study: string;
  series: string;
  instance: string;
}

/** Text values of an element (person names: their alphabetic form), DICOM's backslash-joined form. */
function text(ds: DicomJsonLike, tag: string): string | undefined {
  const values = ds[tag]?.Value;
  if (!values?.length) return undefined;
  const parts = values.map(v => {
    if (v === null || v === undefined) return '';
    if (typeof v === 'string' || typeof v === 'number') return String(v);
    if (typeof v === 'object' && 'Alphabetic' in v)
      return String((v as { Alphabetic?: unknown }).Alphabetic ?? '');
    return '';
  });
  return parts.join('\\');
}

function nums(ds: DicomJsonLike, tag: string): number[] {
  return (ds[tag]?.Value ?? [])
    .map(v =>
      typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN
    )
    .filter(n => Number.isFinite(n));
}

const num = (ds: DicomJsonLike, tag: string): number | undefined => nums(ds, tag)[0];

function cleanCode(value: string | undefined): string | undefined {
  const v = value?.replace(/[^\x20-\x7e]/g, '').trim();
  return v ? v.slice(0, 64) : undefined;
}

const JSON_TAG = (tag: string): string => tag.replace(/[(),]/g, '').toUpperCase();

/**
 * One instance's DICOM JSON → its catalog record, as instanceRecord makes it from a file's header:
 * the same de-identification, the same quality findings. DicomFile and FileSize (0: a PACS does not
 * say) are the caller's.
 */
export function jsonInstanceRecord(
  ds: DicomJsonLike,
  file: { path: string; size: number },
  deid: Deidentifier
): RecordResult {
  const phi: Record<string, string> = {};
  for (const a of PHI_ATTRIBUTES) {
    const key = JSON_TAG(a.tag);
    if (ds[key]) phi[a.keyword] = text(ds, key) ?? '';
  }
  const words = identifyingWords(phi, deid);
  const quality: QualityRecord[] = [];
  const missing = (keyword: string): void => {
    quality.push({ DicomFile: file.path, Issue: 'missingTag', Detail: `${keyword} is missing.` });
  };
  const sop = text(ds, '00080018')?.trim();
  const series = text(ds, '0020000E')?.trim();
  const study = text(ds, '0020000D')?.trim();
  if (!sop) missing('SOPInstanceUID');
  if (!series) missing('SeriesInstanceUID');
  if (!study) missing('StudyInstanceUID');
  if (!sop || !series || !study) return { quality, words };
  const rows = num(ds, '00280010');
  const columns = num(ds, '00280011');
  if (rows === undefined || columns === undefined)
    return {
      quality: [
        {
          DicomFile: file.path,
          Issue: 'unreadable',
          Detail: `DICOM image lacks ${rows === undefined ? 'Rows (0028,0010)' : 'Columns (0028,0011)'}.`
        }
      ],
      words
    };
  const modality = text(ds, '00080060');
  if (!modality) missing('Modality');
  const patient = phi['PatientID'] ?? '';
  const iop = nums(ds, '00200037');
  const ipp = nums(ds, '00200032');
  const spacing = nums(ds, '00280030');
  const record: InstanceRecord = {
    DicomFile: file.path,
    FileSize: file.size,
    SOPInstanceUID: deid.uid(sop),
    SeriesInstanceUID: deid.uid(series),
    StudyInstanceUID: deid.uid(study),
    SOPClassUID: text(ds, '00080016')?.trim(),
    PatientID: phi['PatientID'] ? deid.pseudonym('PatientID', phi['PatientID']) : undefined,
    AccessionNumber: phi['AccessionNumber']
      ? deid.pseudonym('AccessionNumber', phi['AccessionNumber'])
      : undefined,
    Modality: cleanCode(modality),
    BodyPartExamined: cleanCode(text(ds, '00180015')),
    StudyDate: deid.date(patient, daFromString(phi['StudyDate'])),
    SeriesDate: deid.date(patient, daFromString(phi['SeriesDate'])),
    SeriesDescription: deid.descriptor(phi['SeriesDescription'], phi),
    Manufacturer: cleanCode(text(ds, '00080070')),
    ManufacturerModelName: cleanCode(text(ds, '00081090')),
    Rows: rows,
    Columns: columns,
    NumberOfFrames: num(ds, '00280008') || 1,
    SliceThickness: num(ds, '00180050'),
    PixelSpacingRow: spacing.length === 2 ? spacing[0] : undefined,
    PixelSpacingColumn: spacing.length === 2 ? spacing[1] : undefined,
    ImageOrientationPatient: iop.length === 6 ? iop : undefined,
    ImagePositionPatient: ipp.length === 3 ? ipp : undefined,
    InstanceNumber: num(ds, '00200013'),
    // WADO-RS metadata may leave out group 0002; AvailableTransferSyntaxUID is QIDO's
    TransferSyntaxUID: (text(ds, '00020010') ?? text(ds, '00083002') ?? '').split('\\')[0].trim()
  };
  return { record, quality, words };
}

async function* pages(
  search: (q: PageQuery) => Promise<DicomJsonLike[]>,
  size: number
): AsyncIterable<DicomJsonLike> {
  for (let offset = 0; ;) {
    const page = await search({ limit: size, offset });
    yield* page;
    if (page.length < size) return;
    offset += page.length;
  }
}

/**
 * The instances of a PACS as a harvest source. `list` asks QIDO-RS only (a re-run with nothing new
 * costs one search per study and per series); `record` fetches a series' WADO-RS metadata the first
 * time one of its instances is needed, and forgets it once all of them are made.
 */
export function pacsSource(
  client: DicomWebCatalogClient,
  options: PacsSourceOptions
): RecordSource {
  const size = options.pageSize ?? 500;
  const signal = options.signal;
  const where = new Map<string, Located>();
  const remaining = new Map<string, number>();
  const metadata = new Map<string, Promise<Map<string, DicomJsonLike>>>();
  const uidOf = (ds: DicomJsonLike, tag: string): string | undefined =>
    text(ds, tag)?.trim() || undefined;

  async function* list(): AsyncIterable<SourceFile> {
    for await (const st of pages(q => client.searchStudies(q, { signal }), size)) {
      const study = uidOf(st, '0020000D');
      if (!study) continue;
      for await (const se of pages(q => client.searchSeries(study, q, { signal }), size)) {
        const series = uidOf(se, '0020000E');
        if (!series) continue;
        for await (const i of pages(
          q => client.searchInstances(study, series, q, { signal }),
          size
        )) {
          const instance = uidOf(i, '00080018');
          if (!instance) continue;
          const path = `studies/${options.uid(study)}/series/${options.uid(series)}/instances/${options.uid(instance)}`;
          where.set(path, { study, series, instance });
          yield { path, size: 0, mtimeMs: 0 };
        }
      }
    }
  }

  function seriesMetadata(at: Located): Promise<Map<string, DicomJsonLike>> {
    const key = `${at.study}/${at.series}`;
    let p = metadata.get(key);
    if (!p) {
      p = client.seriesMetadata(at.study, at.series, { signal }).then(all => {
        const bySop = new Map<string, DicomJsonLike>();
        for (const ds of all) {
          const sop = uidOf(ds, '00080018');
          if (sop) bySop.set(sop, ds);
        }
        return bySop;
      });
      metadata.set(key, p);
      let n = 0;
      for (const w of where.values()) if (w.study === at.study && w.series === at.series) n++;
      remaining.set(key, n);
    }
    return p;
  }

  return {
    list,
    read: () => Promise.reject(new Error('a PACS source reads WADO-RS metadata, never file bytes')),
    record: async (path, deid) => {
      const at = where.get(path);
      if (!at)
        return {
          quality: [{ DicomFile: '', Issue: 'unreadable', Detail: 'Not listed by the PACS.' }]
        };
      const key = `${at.study}/${at.series}`;
      try {
        const ds = (await seriesMetadata(at)).get(at.instance);
        if (!ds)
          return {
            quality: [
              {
                DicomFile: '',
                Issue: 'unreadable',
                Detail: 'The PACS listed the instance but its series metadata lacks it.'
              }
            ]
          };
        return jsonInstanceRecord(ds, { path: '', size: 0 }, deid);
      } finally {
        const left = (remaining.get(key) ?? 1) - 1;
        if (left <= 0) {
          remaining.delete(key);
          metadata.delete(key);
        } else remaining.set(key, left);
      }
    }
  };
}
