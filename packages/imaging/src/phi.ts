// Identifying attributes from the DICOM PS3.15 Annex E Basic Application Level Confidentiality
// Profile (Table E.1-1), as far as a previewer shows them. Every view renders headers through
// maskPhi(); parseDicom() already returns masked headers unless the caller opts in to reveal.

export interface PhiAttribute {
  /** DICOM tag as (gggg,eeee). */
  tag: string;
  keyword: string;
  name: string;
}

function a(tag: string, keyword: string, name: string): PhiAttribute {
  return { tag, keyword, name };
}

export const PHI_ATTRIBUTES: readonly PhiAttribute[] = [
  a('(0010,0010)', 'PatientName', "Patient's Name"),
  a('(0010,0020)', 'PatientID', 'Patient ID'),
  a('(0010,0021)', 'IssuerOfPatientID', 'Issuer of Patient ID'),
  a('(0010,0030)', 'PatientBirthDate', "Patient's Birth Date"),
  a('(0010,0032)', 'PatientBirthTime', "Patient's Birth Time"),
  a('(0010,0040)', 'PatientSex', "Patient's Sex"),
  a('(0010,1000)', 'OtherPatientIDs', 'Other Patient IDs'),
  a('(0010,1001)', 'OtherPatientNames', 'Other Patient Names'),
  a('(0010,1005)', 'PatientBirthName', "Patient's Birth Name"),
  a('(0010,1010)', 'PatientAge', "Patient's Age"),
  a('(0010,1020)', 'PatientSize', "Patient's Size"),
  a('(0010,1030)', 'PatientWeight', "Patient's Weight"),
  a('(0010,1040)', 'PatientAddress', "Patient's Address"),
  a('(0010,1060)', 'PatientMotherBirthName', "Patient's Mother's Birth Name"),
  a('(0010,1090)', 'MedicalRecordLocator', 'Medical Record Locator'),
  a('(0010,2154)', 'PatientTelephoneNumbers', "Patient's Telephone Numbers"),
  a('(0010,2160)', 'EthnicGroup', 'Ethnic Group'),
  a('(0010,2180)', 'Occupation', 'Occupation'),
  a('(0010,21B0)', 'AdditionalPatientHistory', 'Additional Patient History'),
  a('(0010,4000)', 'PatientComments', "Patient's Comments"),
  a('(0008,0050)', 'AccessionNumber', 'Accession Number'),
  a('(0008,0080)', 'InstitutionName', 'Institution Name'),
  a('(0008,0081)', 'InstitutionAddress', 'Institution Address'),
  a('(0008,0090)', 'ReferringPhysicianName', "Referring Physician's Name"),
  a('(0008,0092)', 'ReferringPhysicianAddress', "Referring Physician's Address"),
  a('(0008,0094)', 'ReferringPhysicianTelephoneNumbers', "Referring Physician's Telephone Numbers"),
  a('(0008,1010)', 'StationName', 'Station Name'),
  a('(0008,1040)', 'InstitutionalDepartmentName', 'Institutional Department Name'),
  a('(0008,1048)', 'PhysiciansOfRecord', 'Physician(s) of Record'),
  a('(0008,1050)', 'PerformingPhysicianName', "Performing Physician's Name"),
  a('(0008,1060)', 'NameOfPhysiciansReadingStudy', 'Name of Physician(s) Reading Study'),
  a('(0008,1070)', 'OperatorsName', "Operators' Name"),
  a('(0008,0020)', 'StudyDate', 'Study Date'),
  a('(0008,0030)', 'StudyTime', 'Study Time'),
  a('(0008,0021)', 'SeriesDate', 'Series Date'),
  a('(0008,0022)', 'AcquisitionDate', 'Acquisition Date'),
  a('(0008,0023)', 'ContentDate', 'Content Date'),
  a('(0008,1030)', 'StudyDescription', 'Study Description'),
  a('(0008,103E)', 'SeriesDescription', 'Series Description'),
  a('(0020,0010)', 'StudyID', 'Study ID'),
  a('(0018,1000)', 'DeviceSerialNumber', 'Device Serial Number'),
  a('(0032,1032)', 'RequestingPhysician', 'Requesting Physician'),
  a('(0038,0010)', 'AdmissionID', 'Admission ID'),
  a('(0038,0300)', 'CurrentPatientLocation', 'Current Patient Location'),
  a('(0040,0006)', 'ScheduledPerformingPhysicianName', "Scheduled Performing Physician's Name"),
  a('(0040,0253)', 'PerformedProcedureStepID', 'Performed Procedure Step ID'),
  a('(0040,A123)', 'PersonName', 'Person Name')
];

/** What a masked value is shown as. */
export const PHI_MASK = '***';

export interface PhiCarrier {
  /** Identifying values by keyword (only those present in the file). */
  phi: Record<string, string>;
  /** True when `phi` holds masks, not the real values. */
  phiMasked: boolean;
}

/** A copy of `header` with every identifying value replaced by PHI_MASK. */
export function maskPhi<T extends PhiCarrier>(header: T): T {
  const phi: Record<string, string> = {};
  for (const key of Object.keys(header.phi)) phi[key] = PHI_MASK;
  return { ...header, phi, phiMasked: true };
}

/** dicom-parser tag key ("x00100010") for each attribute. */
export function phiTagKey(attribute: PhiAttribute): string {
  return 'x' + attribute.tag.replace(/[(),]/g, '').toLowerCase();
}
