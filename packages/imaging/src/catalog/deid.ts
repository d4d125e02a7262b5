// De-identification of catalog records, after DICOM PS3.15 Annex E (Basic Application Level
// Confidentiality Profile): names, birth date, addresses and free text never reach a record; PatientID
// and AccessionNumber become keyed pseudonyms (HMAC-SHA-256 with a key the caller keeps secret), so one
// patient's studies still join; dates are shifted per patient (a whole number of days from the same key)
// unless the profile retains them; UIDs are remapped to 2.25.<HMAC> unless retained. Same key, same
// output: a re-run and an incremental run agree with the first.
import { createHmac } from 'node:crypto';

export type ProfileName = 'basic' | 'retain-dates';

export interface DeidProfile {
  name: ProfileName;
  /** Bumped whenever any output of the same key and input would change. */
  version: string;
  /** PS3.15 options applied (Table E.1-1 column names). */
  options: string[];
  retainDates: boolean;
  retainUids: boolean;
}

export function deidProfile(name: ProfileName, retainUids = false): DeidProfile {
  const options = ['Clean Descriptors Option'];
  options.push(
    name === 'retain-dates'
      ? 'Retain Longitudinal Temporal Information With Full Dates Option'
      : 'Retain Longitudinal Temporal Information With Modified Dates Option'
  );
  if (retainUids) options.push('Retain UIDs Option');
  return {
    name,
    version: 'radlab-deid-1',
    options,
    retainDates: name === 'retain-dates',
    retainUids
  };
}

export interface Deidentifier {
  readonly profile: DeidProfile;
  pseudonym(kind: 'PatientID' | 'AccessionNumber', value: string): string;
  uid(uid: string): string;
  /** Days since the epoch, shifted by the patient's offset (or kept). */
  date(patientId: string, days: number | undefined): number | undefined;
  /** A free-text descriptor with every identifying value of the same header taken out. */
  descriptor(text: string | undefined, phi: Record<string, string>): string | undefined;
}

/** Most days a date moves back (about 10 years). */
const MAX_SHIFT_DAYS = 3650;

export function createDeidentifier(key: Uint8Array, profile: DeidProfile): Deidentifier {
  if (key.length < 16) throw new Error('The de-identification key is shorter than 16 bytes.');
  const mac = (purpose: string, value: string): Buffer =>
    createHmac('sha256', key).update(`${purpose}\0${value}`).digest();
  const shifts = new Map<string, number>();
  return {
    profile,
    pseudonym: (kind, value) => mac(kind, value.trim()).toString('hex').slice(0, 24),
    uid: uid => {
      if (profile.retainUids) return uid;
      // 2.25 + a 128-bit integer (PS3.5 B.2): at most 44 characters, within UI's 64
      return `2.25.${BigInt('0x' + mac('uid', uid).subarray(0, 16).toString('hex')).toString()}`;
    },
    date: (patientId, days) => {
      if (days === undefined || profile.retainDates) return days;
      let shift = shifts.get(patientId);
      if (shift === undefined) {
        shift = 1 + (mac('date-shift', patientId.trim()).readUInt32BE(0) % MAX_SHIFT_DAYS);
        shifts.set(patientId, shift);
      }
      return days - shift;
    },
    descriptor: (text, phi) => cleanDescriptor(text, phi)
  };
}

/** Values of the header that must not survive in a descriptor: names (and their parts) and IDs. */
function identifyingParts(phi: Record<string, string>): string[] {
  const parts: string[] = [];
  for (const [keyword, value] of Object.entries(phi)) {
    if (keyword.endsWith('Description') || keyword.endsWith('Date') || keyword.endsWith('Time'))
      continue;
    for (const p of value.split(/[\^\\=]/)) {
      const t = p.trim();
      if (t.length >= 2) parts.push(t);
    }
    if (value.trim().length >= 2) parts.push(value.trim());
  }
  return parts.sort((a, b) => b.length - a.length);
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * PS3.15's Clean Descriptors Option: a descriptor (SeriesDescription) is kept for what it says
 * about the acquisition, with every name part, ID and date-like run of digits of the same header
 * replaced by "X", non-printable characters dropped, at most 64 characters.
 */
export function cleanDescriptor(
  text: string | undefined,
  phi: Record<string, string>
): string | undefined {
  if (!text) return undefined;
  let out = text.replace(/[^\x20-\x7e]/g, ' ');
  for (const part of identifyingParts(phi)) out = out.replace(new RegExp(escape(part), 'gi'), 'X');
  // dates and long numbers (birth dates, phone numbers, MRNs typed in by hand)
  out = out.replace(/\d{5,}/g, 'X').replace(/\d{1,4}[./-]\d{1,2}[./-]\d{1,4}/g, 'X');
  out = out.replace(/\s+/g, ' ').trim().slice(0, 64);
  return out || undefined;
}
