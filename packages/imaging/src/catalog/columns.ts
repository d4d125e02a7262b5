// What each catalog column means (issue 17 item 6): shown by both hosts' schema browsers for the
// tables of the `dfs.catalog` workspace. Browser-safe (no Node): exported from @radlab/imaging.

const SHARED: Record<string, string> = {
  StudyInstanceUID:
    'Study Instance UID (remapped to 2.25.<keyed hash> unless harvested with --retain-uids)',
  SeriesInstanceUID:
    'Series Instance UID (remapped unless --retain-uids); Open in viewer opens the series',
  SOPInstanceUID: 'SOP Instance UID of the file (remapped unless --retain-uids)',
  PatientID:
    "Keyed pseudonym of the Patient ID (HMAC-SHA-256): one patient's rows join, the ID is not kept",
  AccessionNumber: 'Keyed pseudonym of the Accession Number',
  Modality: 'Modality (CT, MR, …); also the first partition folder, dir0',
  BodyPartExamined: 'Body Part Examined (as the scanner wrote it)',
  StudyDate: 'Study Date, shifted per patient by the basic profile (kept by retain-dates)',
  SeriesDate: 'Series Date, shifted like StudyDate',
  SeriesDescription:
    'Series Description, names, IDs and dates of the header taken out (Clean Descriptors)',
  Manufacturer: 'Manufacturer of the equipment',
  ManufacturerModelName: "Manufacturer's model name",
  Rows: 'Rows of each frame (pixels)',
  Columns: 'Columns of each frame (pixels)',
  SliceThickness: 'Slice Thickness, mm',
  PixelSpacingRow: 'Pixel Spacing between rows, mm',
  PixelSpacingColumn: 'Pixel Spacing between columns, mm',
  ImageOrientationPatient:
    'Row then column direction cosines: an array of 6 numbers (index from 0: [3] is the column x)',
  TransferSyntaxUID: 'Transfer syntax of the file (compression)',
  TotalSize: 'Bytes of all files',
  InstanceCount: 'Files (instances)',
  dir0: 'Partition folder: the modality (studies: the study year)',
  dir1: 'Partition folder: the study year'
};

const TABLES: Record<string, Record<string, string>> = {
  studies: {
    Modalities: 'The modalities of the study, backslash-separated',
    SeriesCount: 'Series of the study',
    dir0: 'Partition folder: the study year'
  },
  series: {
    FrameCount: 'Frames of all instances',
    SliceSpacing: 'Median distance between neighbouring slices along the slice normal, mm',
    UnevenSpacing: 'Slices are not evenly spaced (more than 1% from the median)',
    MissingSlices: 'Slices missing from the even spacing (gaps of whole spacings)',
    Folder:
      'Folder of the series, relative to the harvested folder (catalog.json: source); ~<hash> parts stand for de-identified names'
  },
  instances: {
    DicomFile:
      'File, relative to the harvested folder; a ~<hash> part stands for a folder or file named after a patient',
    FileSize: 'Bytes of the file',
    SOPClassUID: 'SOP Class UID (the kind of object: CT Image, MR Image, …)',
    NumberOfFrames: 'Frames in the file (1 for single-frame)',
    ImagePositionPatient: 'Centre of the first voxel, mm: an array of 3 numbers',
    InstanceNumber: 'Instance Number'
  },
  quality: {
    DicomFile: 'The file the finding is about (relative, de-identified like instances.DicomFile)',
    Issue:
      'notDicom, unreadable, headerTooLong, missingTag, duplicateSOPInstanceUID, inconsistentSeries',
    Detail: 'What is wrong (never a header value)',
    SeriesInstanceUID: 'The series concerned, when known'
  }
};

/** The workspace the local stack's Drill gives the catalog (scripts/services/drill). */
export const CATALOG_SCHEMA = 'dfs.catalog';

/**
 * The description of a column of a catalog table (`table` is the table's path in the schema:
 * `series`, or a partition of it, `series/MR/2020`), or undefined for other schemas and columns.
 */
export function catalogColumnDescription(
  schema: string,
  table: string,
  column: string
): string | undefined {
  if (schema.toLowerCase() !== CATALOG_SCHEMA) return undefined;
  const name = table.replace(/^\/+/, '').split('/')[0]!.toLowerCase();
  const own = TABLES[name];
  if (!own) return undefined;
  return own[column] ?? SHARED[column];
}
