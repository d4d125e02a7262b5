// Credentials must never reach a message, log line or stack. Two layers: patterns that look like
// credentials (userinfo in URLs, Authorization headers, token-ish query parameters), and the exact
// secret values Radlab resolved from config, registered here as they are read.

import { redactionJSON } from './shared.generated.js';

const MASK = redactionJSON.mask;
const knownSecrets = new Set<string>();

/** Registers a resolved secret so that every later redact() masks it wherever it appears. */
export function registerSecret(secret: string | undefined): void {
  // Very short values would mask ordinary words; they are still covered by the patterns.
  if (secret && secret.length >= 4) {
    knownSecrets.add(secret);
  }
}

// shared/redaction.json (Python's radlab/redact.py reads the same list); `$1`… are the groups.
const PATTERNS: ReadonlyArray<[RegExp, string]> = redactionJSON.patterns.map(p => [
  new RegExp(p.pattern, 'gi'),
  p.replacement
]);

export function redact(text: string): string;
export function redact(text: string | undefined): string | undefined;
export function redact(text: string | undefined): string | undefined {
  if (text === undefined || text === null) return text;
  let out = String(text);
  for (const secret of knownSecrets) {
    if (out.includes(secret)) out = out.split(secret).join(MASK);
  }
  for (const [re, replacement] of PATTERNS) {
    out = out.replace(re, replacement);
  }
  return out;
}

/** A URL fit for logs and errors: no userinfo, token-like query parameters masked. */
export function redactUrl(url: string): string {
  return redact(url);
}

/** For tests only. */
export function clearRegisteredSecrets(): void {
  knownSecrets.clear();
}
