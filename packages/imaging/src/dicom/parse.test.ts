import { describe, expect, it } from 'vitest';
import { PHI_MASK } from '../phi.js';
import { vector } from '../testing/vectors.js';
import { parseDicom } from './parse.js';
import { decoderFor, lookupTransferSyntax } from './transferSyntax.js';

describe('parseDicom', () => {
  it('reads the typed header (pydicom-written file)', () => {
    const { header } = parseDicom(vector('dicom/u16_explicit_le.dcm'));
    expect(header).toMatchObject({
      rows: 64,
      columns: 64,
      bitsAllocated: 16,
      bitsStored: 12,
      highBit: 11,
      pixelRepresentation: 0,
      samplesPerPixel: 1,
      photometricInterpretation: 'MONOCHROME2',
      numberOfFrames: 1,
      rescaleSlope: 2,
      rescaleIntercept: -1024,
      windowCenters: [1000, 2000],
      windowWidths: [400, 800],
      imagePositionPatient: [-10.5, 20, 30.25],
      imageOrientationPatient: [1, 0, 0, 0, 1, 0],
      pixelSpacing: [0.5, 0.75],
      sliceThickness: 2.5,
      instanceNumber: 1,
      transferSyntaxUID: '1.2.840.10008.1.2.1'
    });
    expect(header.seriesInstanceUID).toMatch(/^[\d.]+$/);
    expect(header.sopInstanceUID).toMatch(/^[\d.]+$/);
  });

  it('masks PHI by default and reveals only on request', () => {
    const bytes = vector('dicom/u16_explicit_le.dcm');
    const masked = parseDicom(bytes).header;
    expect(masked.phiMasked).toBe(true);
    expect(masked.phi.PatientName).toBe(PHI_MASK);
    expect(JSON.stringify(masked)).not.toMatch(
      /Doe|RADLAB-0001|19700101|ACC123|Radlab General|House/
    );
    const revealed = parseDicom(bytes, { revealPhi: true }).header;
    expect(revealed.phi).toMatchObject({
      PatientName: 'Doe^Jane',
      PatientID: 'RADLAB-0001',
      PatientBirthDate: '19700101',
      AccessionNumber: 'ACC123',
      InstitutionName: 'Radlab General',
      ReferringPhysicianName: 'House^Gregory'
    });
  });

  it('rejects a non-DICOM buffer with ImagingError', () => {
    expect(() => parseDicom(new Uint8Array(10))).toThrow(/Not a readable DICOM file/);
  });
});

describe('transfer syntaxes', () => {
  it('maps decodable UIDs and names unsupported ones', () => {
    expect(decoderFor('1.2.840.10008.1.2.4.80\0')).toBe('jpegls');
    expect(lookupTransferSyntax('1.2.840.10008.1.2.5')?.name).toBe('RLE Lossless');
    expect(decoderFor('1.2.840.10008.1.2.4.201')).toBe('htj2k');
    expect(() => decoderFor('1.2.840.10008.1.2.4.110')).toThrow(/JPEG XL Lossless.*not supported/);
    expect(() => decoderFor('1.2.3')).toThrow(/unknown transfer syntax 1\.2\.3/);
  });
});
