// DICOMweb: a QIDO-RS search of one study (`GET /studies?limit=1`) must answer a DICOM JSON array (or
// 204 for an empty PACS). Orthanc also says its version in the `Server` header.

import { wrongShape, type Probe } from '../../health/probe.js';

export const checkDicomWeb: Probe = async context => {
  const { transport, signal } = context;
  const res = await transport.request<unknown>({
    path: '/studies',
    params: { limit: 1 },
    headers: { Accept: 'application/dicom+json' },
    signal
  });
  const details: Record<string, string> = {};
  const server = res.headers['server'];
  if (server) details['server'] = server;
  if (res.data !== undefined && !Array.isArray(res.data))
    return { details, degraded: wrongShape(context, '/studies', 'a DICOM JSON array') };
  const version = /orthanc\/?\s*([0-9][\w.]*)/i.exec(server ?? '')?.[1];
  return { version, details };
};
