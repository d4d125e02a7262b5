// Test support: the local stack's Orthanc (scripts/services/orthanc; RADLAB_ORTHANC_PORT, default 8042),
// seeded with the imaging UI tests' CT phantom (ui-tests/fixtures/make_imaging.py), whose headers carry
// fake patient data.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, startService } from './service.js';

export const ORTHANC_PORT = process.env['RADLAB_ORTHANC_PORT'] ?? '8042';
export const ORTHANC_URL = `http://127.0.0.1:${ORTHANC_PORT}`;
export const DICOMWEB_URL = `${ORTHANC_URL}/dicom-web`;

/** What make_imaging.py writes into every phantom header (and so must never reach an output). */
export const PHANTOM = {
  patientName: 'Radlabtest^Visible^Q',
  patientId: 'UI-PHI-4711',
  birthDate: '19610412',
  accession: 'ACC-UI-0042',
  institution: 'Radlab Test Hospital',
  referrer: 'Referrer^Rita',
  studyDescription: 'UI test phantom',
  slices: 24,
  rows: 96,
  columns: 96
} as const;

/** Starts Orthanc (idempotent); undefined when it runs, else why not (for a skip). */
export function startOrthanc(): string | undefined {
  return startService('orthanc', 120_000);
}

/** The seeded files (the script keeps them in .radlab/cache/orthanc-seed/ct-series). */
export function phantomFiles(): { name: string; bytes: Uint8Array }[] {
  const dir = join(REPO_ROOT, '.radlab/cache/orthanc-seed/ct-series');
  return readdirSync(dir)
    .filter(n => n.endsWith('.dcm'))
    .sort()
    .map(name => ({ name, bytes: new Uint8Array(readFileSync(join(dir, name))) }));
}
