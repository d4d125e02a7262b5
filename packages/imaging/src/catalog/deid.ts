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
  /** A keyed hash (hex) of a word, case-insensitive: identifying words are kept only this way. */
  word(token: string): string;
  /** The stand-in of one path component that carries an identifying word: `~<hash>[.ext]`. */
  pathComponent(component: string): string;
}

/** Most days a date moves back (about 10 years). */
const MAX_SHIFT_DAYS = 3650;

export function createDeidentifier(key: Uint8Array, profile: DeidProfile): Deidentifier {
  if (key.length < 16) throw new Error('The de-identification key is shorter than 16 bytes.');
  const mac = (purpose: string, value: string): Buffer =>
    createHmac('sha256', key).update(`${purpose}\0${value}`).digest();
  const shifts = new Map<string, number>();
  const wordCache = new Map<string, string>();
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
    descriptor: (text, phi) => cleanDescriptor(text, phi),
    word: token => {
      // the same words come back file after file (a series' folder, a patient's name)
      const t = token.toLowerCase();
      let w = wordCache.get(t);
      if (w === undefined) {
        w = mac('word', t).toString('hex').slice(0, 16);
        if (wordCache.size < 100_000) wordCache.set(t, w);
      }
      return w;
    },
    pathComponent: component => {
      const ext = /(\.[A-Za-z][A-Za-z0-9]{0,4})+$/.exec(component)?.[0] ?? '';
      return `~${mac('path', component).toString('hex').slice(0, 16)}${ext}`;
    }
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

/** The words of a path component or value: runs of letters or digits, camelCase split, >= 2 long. */
export function words(text: string): string[] {
  return text
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+|(?<=[A-Za-z])(?=[0-9])|(?<=[0-9])(?=[A-Za-z])/)
    .filter(w => w.length >= 2);
}

/**
 * The identifying words of a header (name parts, IDs, birth date, address…), as keyed hashes: what
 * the harvest keeps of them to find a folder named after a patient, never the words themselves.
 */
export function identifyingWords(phi: Record<string, string>, deid: Deidentifier): string[] {
  const out = new Set<string>();
  for (const [keyword, value] of Object.entries(phi)) {
    if (!PERSON.test(keyword)) continue;
    const whole = value.replace(/[^A-Za-z0-9]/g, '');
    if (whole.length >= 2) out.add(deid.word(whole));
    for (const w of words(value)) out.add(deid.word(w));
  }
  return [...out];
}

/**
 * The attributes whose words name or number a person (names, IDs, birth date, addresses, phone
 * numbers, accession): free text (comments, history) and acquisition values (age, size, dates)
 * would turn ordinary folder names into stand-ins.
 */
const PERSON =
  /(Name|Names|ID|IDs|Address|TelephoneNumbers|BirthDate|AccessionNumber|Locator|PhysiciansOfRecord|RequestingPhysician)$/;

/**
 * A path as the catalog keeps it (decided in issue 17): relative to the harvested folder, and every
 * component that holds an identifying word of any file of the run (a word of a patient's name, an
 * ID, a birth date; whole or as one of its words) replaced by `~<keyed hash>` with its extension
 * kept. The same component always gets the same stand-in, so a folder's files still group, and
 * `resolveCatalogPath` finds the real one again with the key. Names run together in one word
 * ("johndoe") are not caught.
 */
export function catalogPath(
  path: string,
  identifying: ReadonlySet<string>,
  deid: Deidentifier
): string {
  return path
    .split('/')
    .map(c => {
      const base = c.replace(/(\.[A-Za-z][A-Za-z0-9]{0,4})+$/, '');
      const all = [base.replace(/[^A-Za-z0-9]/g, ''), ...words(base)];
      return all.some(w => w.length >= 2 && identifying.has(deid.word(w)))
        ? deid.pathComponent(c)
        : c;
    })
    .join('/');
}
