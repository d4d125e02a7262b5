// DICOMweb (a PACS: QIDO-RS, WADO-RS; the local stack's Orthanc). The client is in ./client.ts;
// ./api.ts is what @radlab/core exports of it.

import type { ServiceDefinition } from '../definition.js';
import { DicomWebClient, type DicomWebClientOptions } from './client.js';
import { checkDicomWeb } from './health.js';

export const dicomweb: ServiceDefinition<DicomWebClient, DicomWebClientOptions> = {
  kind: 'dicomweb',
  title: 'DICOMweb',
  probe: checkDicomWeb,
  createClient: (transport, _connection, options) => new DicomWebClient(transport, options),
  hints: {
    unreachable:
      'Check that the PACS is running (the local stack: scripts/services/orthanc start) and that the URL and port are right.',
    notFound:
      'Point the connection URL at the DICOMweb root of the PACS (Orthanc: http://host:8042/dicom-web), and check the UIDs.',
    badRequest:
      'The PACS refused the request. For WADO-RS metadata ask for application/dicom+json (Orthanc refuses multipart/related with 400).'
  }
};
