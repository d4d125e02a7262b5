// dicom-parser is a UMD bundle: ESM importers see it under `default` in Node, flat in bundlers.
import * as ns from 'dicom-parser';

type DicomParserModule = typeof ns;
const mod = ns as DicomParserModule & { default?: DicomParserModule };

export const dicomParser: DicomParserModule = mod.default ?? mod;
export type { DataSet, Element } from 'dicom-parser';
