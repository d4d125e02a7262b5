// Credentials must never reach a message, log line or stack. Two layers: patterns that look like
// credentials (userinfo in URLs, Authorization headers, token-ish query parameters), and the exact
// secret values Radlab resolved from config, registered here as they are read.

const MASK = '***';
const knownSecrets = new Set<string>();

/** Registers a resolved secret so that every later redact() masks it wherever it appears. */
export function registerSecret(secret: string | undefined): void {
  // Very short values would mask ordinary words; they are still covered by the patterns.
  if (secret && secret.length >= 4) {
    knownSecrets.add(secret);
  }
}

const PATTERNS: Array<[RegExp, string]> = [
  // scheme://user:pass@host
  [/([a-z][a-z0-9+.-]*:\/\/)[^\s/@:]*:[^\s/@]*@/gi, `$1${MASK}@`],
  // Authorization: Basic xxx / Bearer xxx
  [
    /\b(authorization|proxy-authorization)(["']?\s*[:=]\s*["']?)(basic|bearer|token)?\s*[^\s"',}]+/gi,
    `$1$2$3 ${MASK}`
  ],
  [/\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, `$1 ${MASK}`],
  // ?token=... &password=... &delegation=... (WebHDFS delegation tokens)
  [
    /([?&;](?:access_token|token|password|passwd|pwd|secret|api_key|apikey|delegation|sig)=)[^&\s"']+/gi,
    `$1${MASK}`
  ],
  // "password": "..." / token: ... in JSON or YAML
  [
    /(["']?(?:password|passwd|token|secret|client-key-data|client_key_data)["']?\s*[:=]\s*["']?)[^"'\s,}]+/gi,
    `$1${MASK}`
  ]
];

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
