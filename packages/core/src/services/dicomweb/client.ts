// DicomWebClient: a PACS's DICOMweb API (PS3.18) on a Transport, the connection URL being its root
// (Orthanc: http://host:8042/dicom-web): QIDO-RS searches of studies, series and instances, WADO-RS
// metadata (DICOM JSON) and WADO-RS frames (multipart/related, one part per frame). Every failure is a
// RadlabError of service `dicomweb`; every call takes an AbortSignal.
//
// WADO-RS metadata is asked for as `Accept: application/dicom+json`: Orthanc's plugin answers
// `multipart/related; type="application/dicom+json"` with 400.

import { RadlabError } from '../../errors.js';
import type { Transport } from '../../transport/transport.js';
import { multipartBoundary, parseMultipart } from './multipart.js';
import type { DicomJsonDataset } from './types.js';

export type QidoValue = string | number | boolean | undefined;

/**
 * A QIDO-RS query: attribute matches by keyword or tag (`Modality: 'CT'`, `'00080060': 'CT'`, wildcards
 * and date ranges as PS3.18 says), plus the query's own parameters.
 */
export interface QidoQuery {
  match?: Record<string, QidoValue>;
  /** Attributes to return beyond the level's defaults (`all` for every one the PACS has). */
  includefield?: string[];
  limit?: number;
  offset?: number;
  fuzzymatching?: boolean;
}

export interface DicomWebCallOptions {
  signal?: AbortSignal;
}

export interface FramesOptions extends DicomWebCallOptions {
  /**
   * The transfer syntax to ask for: a UID, `*` (as stored: no transcoding, if the PACS allows it), or
   * undefined (the default of `application/octet-stream`: Explicit VR Little Endian, uncompressed).
   */
  transferSyntax?: string;
}

export interface DicomWebFrame {
  /** The part's Content-Type, e.g. `application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1`. */
  contentType: string;
  /** The transfer syntax the PACS says the frame is in, when it says. */
  transferSyntax?: string;
  data: Uint8Array;
}

export interface DicomWebClientOptions {
  /** Per-request timeout of frame and metadata requests (ms). Default: the transport's. */
  timeoutMs?: number;
}

const DICOM_JSON = 'application/dicom+json';
const UID = /^[0-9]+(\.[0-9]+)*$/;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export class DicomWebClient {
  constructor(
    private readonly transport: Transport,
    private readonly options: DicomWebClientOptions = {}
  ) {}

  /** QIDO-RS `GET /studies`. */
  async searchStudies(
    query: QidoQuery = {},
    options: DicomWebCallOptions = {}
  ): Promise<DicomJsonDataset[]> {
    return this.search('/studies', query, options);
  }

  /** QIDO-RS `GET /studies/{study}/series`, or `GET /series` (every study) without a study. */
  async searchSeries(
    study: string | undefined,
    query: QidoQuery = {},
    options: DicomWebCallOptions = {}
  ): Promise<DicomJsonDataset[]> {
    return this.search(study ? `/studies/${this.uid(study)}/series` : '/series', query, options);
  }

  /** QIDO-RS instances of a series, of a study, or of the whole PACS. */
  async searchInstances(
    study: string | undefined,
    series: string | undefined,
    query: QidoQuery = {},
    options: DicomWebCallOptions = {}
  ): Promise<DicomJsonDataset[]> {
    let path = '/instances';
    if (study && series) path = `/studies/${this.uid(study)}/series/${this.uid(series)}/instances`;
    else if (study) path = `/studies/${this.uid(study)}/instances`;
    else if (series)
      throw new RadlabError({
        code: 'badRequest',
        service: 'dicomweb',
        message: 'a search of a series’ instances needs its study too',
        hint: 'Give the StudyInstanceUID with the SeriesInstanceUID.'
      });
    return this.search(path, query, options);
  }

  /** Every page of a search (`limit` a page), for PACSs that cap their answers. */
  async *searchAll(
    search: (query: QidoQuery) => Promise<DicomJsonDataset[]>,
    query: QidoQuery = {},
    pageSize = 500
  ): AsyncIterable<DicomJsonDataset> {
    let offset = query.offset ?? 0;
    for (;;) {
      const page = await search({ ...query, limit: pageSize, offset });
      yield* page;
      if (page.length < pageSize) return;
      offset += page.length;
    }
  }

  /** WADO-RS metadata of every instance of a study. */
  async studyMetadata(
    study: string,
    options: DicomWebCallOptions = {}
  ): Promise<DicomJsonDataset[]> {
    return this.metadata(`/studies/${this.uid(study)}/metadata`, options);
  }

  /** WADO-RS metadata of every instance of a series (one request for the whole series). */
  async seriesMetadata(
    study: string,
    series: string,
    options: DicomWebCallOptions = {}
  ): Promise<DicomJsonDataset[]> {
    return this.metadata(
      `/studies/${this.uid(study)}/series/${this.uid(series)}/metadata`,
      options
    );
  }

  /** WADO-RS metadata of one instance. */
  async instanceMetadata(
    study: string,
    series: string,
    instance: string,
    options: DicomWebCallOptions = {}
  ): Promise<DicomJsonDataset> {
    const path = `/studies/${this.uid(study)}/series/${this.uid(series)}/instances/${this.uid(instance)}/metadata`;
    const all = await this.metadata(path, options);
    if (all.length !== 1) throw this.badResponse(path, `one data set (got ${all.length})`);
    return all[0];
  }

  /** WADO-RS frames (1-based numbers) of one instance: their pixel data, in the order asked. */
  async frames(
    study: string,
    series: string,
    instance: string,
    frames: number[],
    options: FramesOptions = {}
  ): Promise<DicomWebFrame[]> {
    if (!frames.length || frames.some(f => !Number.isInteger(f) || f < 1))
      throw new RadlabError({
        code: 'badRequest',
        service: 'dicomweb',
        message: `frame numbers start at 1 (got ${frames.join(',') || 'none'})`,
        hint: 'Ask for frames 1…NumberOfFrames.'
      });
    const path = `/studies/${this.uid(study)}/series/${this.uid(series)}/instances/${this.uid(instance)}/frames/${frames.join(',')}`;
    const type = options.transferSyntax
      ? `application/octet-stream; transfer-syntax=${options.transferSyntax}`
      : 'application/octet-stream';
    const res = await this.transport.request<ArrayBuffer>({
      path,
      responseType: 'arraybuffer',
      headers: { Accept: `multipart/related; type="${type}"` },
      signal: options.signal,
      timeoutMs: this.options.timeoutMs
    });
    const body = new Uint8Array(res.data ?? new ArrayBuffer(0));
    const contentType = res.headers['content-type'] ?? '';
    const boundary = multipartBoundary(contentType);
    if (!/^multipart\/related/i.test(contentType) || !boundary) {
      // a single-part answer (some PACSs send one frame as it is)
      if (frames.length === 1 && /^application\/octet-stream/i.test(contentType))
        return [{ contentType, transferSyntax: syntaxOf(contentType), data: body }];
      throw this.badResponse(
        path,
        `multipart/related frames (got ${contentType || 'no Content-Type'})`
      );
    }
    let parts;
    try {
      parts = parseMultipart(body, boundary);
    } catch (e) {
      throw this.badResponse(path, `a well-formed multipart body (${(e as Error).message})`);
    }
    if (parts.length !== frames.length)
      throw this.badResponse(path, `${frames.length} frame(s) (got ${parts.length})`);
    // the part's own type, else the one the body's type parameter names
    const outer = /type="([^"]+)"/i.exec(contentType)?.[1] ?? '';
    return parts.map(p => {
      const partType = p.headers['content-type'] ?? outer;
      return {
        contentType: partType,
        transferSyntax: syntaxOf(partType) ?? syntaxOf(outer),
        data: p.data
      };
    });
  }

  private async search(
    path: string,
    query: QidoQuery,
    options: DicomWebCallOptions
  ): Promise<DicomJsonDataset[]> {
    const params: Record<string, string | number | boolean | undefined> = {};
    for (const [k, v] of Object.entries(query.match ?? {})) if (v !== undefined) params[k] = v;
    if (query.limit !== undefined) params['limit'] = query.limit;
    if (query.offset !== undefined) params['offset'] = query.offset;
    if (query.fuzzymatching !== undefined) params['fuzzymatching'] = query.fuzzymatching;
    // includefield may repeat: a comma-separated list is PS3.18's other form, which Orthanc reads
    if (query.includefield?.length) params['includefield'] = query.includefield.join(',');
    const res = await this.transport.request<unknown>({
      path,
      params,
      headers: { Accept: DICOM_JSON },
      signal: options.signal
    });
    // 204 No Content: no match
    if (res.data === undefined) return [];
    return this.datasets(path, res.data);
  }

  private async metadata(path: string, options: DicomWebCallOptions): Promise<DicomJsonDataset[]> {
    const res = await this.transport.request<unknown>({
      path,
      headers: { Accept: DICOM_JSON },
      signal: options.signal,
      timeoutMs: this.options.timeoutMs
    });
    return this.datasets(path, res.data ?? []);
  }

  private datasets(path: string, data: unknown): DicomJsonDataset[] {
    if (!Array.isArray(data) || !data.every(isObject))
      throw this.badResponse(path, 'a DICOM JSON array (application/dicom+json)');
    return data as DicomJsonDataset[];
  }

  private uid(value: string): string {
    const v = value.trim();
    if (!UID.test(v) || v.length > 64)
      throw new RadlabError({
        code: 'badRequest',
        service: 'dicomweb',
        message: 'not a DICOM UID (digits and dots, at most 64 characters)',
        hint: 'Pass the StudyInstanceUID, SeriesInstanceUID or SOPInstanceUID as the PACS has it.'
      });
    return v;
  }

  private badResponse(path: string, expected: string): RadlabError {
    return new RadlabError({
      code: 'badResponse',
      service: 'dicomweb',
      message: `expected ${expected} from GET ${path.split('/').slice(0, 2).join('/')}…`,
      hint: 'Point the connection URL at the DICOMweb root of the PACS (Orthanc: http://host:8042/dicom-web).'
    });
  }
}

function syntaxOf(contentType: string): string | undefined {
  return /transfer-syntax=([0-9.]+)/i.exec(contentType)?.[1];
}
