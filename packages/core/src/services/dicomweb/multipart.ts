// multipart/related bodies (RFC 2387), as WADO-RS answers frames and bulk data: the parts' bytes with
// their headers, found by the boundary of the Content-Type. Works on Uint8Array alone (browsers too).

export interface MultipartPart {
  /** Lower-case header names. */
  headers: Record<string, string>;
  data: Uint8Array;
}

/** The `boundary` parameter of a multipart Content-Type (quoted or not), or undefined. */
export function multipartBoundary(contentType: string | undefined): string | undefined {
  const m = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
  return m ? (m[1] ?? m[2]) : undefined;
}

function indexOf(hay: Uint8Array, needle: Uint8Array, from: number): number {
  const first = needle[0];
  const last = hay.length - needle.length;
  outer: for (let i = from; i <= last; i++) {
    if (hay[i] !== first) continue;
    for (let j = 1; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

const ascii = (s: string): Uint8Array => Uint8Array.from(s, c => c.charCodeAt(0) & 0xff);
const latin1 = (b: Uint8Array): string => {
  let s = '';
  for (let i = 0; i < b.length; i += 8192)
    s += String.fromCharCode(...b.subarray(i, Math.min(b.length, i + 8192)));
  return s;
};

/**
 * The parts of a multipart body. Each part's data is a view into `body` (no copy). Throws an Error
 * (the caller turns it into its own) when the boundary never occurs.
 */
export function parseMultipart(body: Uint8Array, boundary: string): MultipartPart[] {
  const delimiter = ascii(`--${boundary}`);
  const parts: MultipartPart[] = [];
  let at = indexOf(body, delimiter, 0);
  if (at < 0) throw new Error(`the body has no part delimiter --${boundary}`);
  for (;;) {
    let start = at + delimiter.length;
    // "--" after the delimiter closes the body
    if (body[start] === 0x2d && body[start + 1] === 0x2d) break;
    // the rest of the delimiter line (transport padding, CRLF)
    while (start < body.length && body[start] !== 0x0a) start++;
    start++;
    const headerEnd = indexOf(body, ascii('\r\n\r\n'), start);
    const headerEndLf = indexOf(body, ascii('\n\n'), start);
    let dataStart: number;
    let headerText: string;
    if (headerEnd >= 0 && (headerEndLf < 0 || headerEnd <= headerEndLf)) {
      headerText = latin1(body.subarray(start, headerEnd));
      dataStart = headerEnd + 4;
    } else if (headerEndLf >= 0) {
      headerText = latin1(body.subarray(start, headerEndLf));
      dataStart = headerEndLf + 2;
    } else break;
    const next = indexOf(body, delimiter, dataStart);
    if (next < 0) throw new Error('the body ends inside a part (no closing delimiter)');
    // the CRLF before the delimiter belongs to it
    let dataEnd = next;
    if (body[dataEnd - 1] === 0x0a) dataEnd--;
    if (body[dataEnd - 1] === 0x0d) dataEnd--;
    const headers: Record<string, string> = {};
    for (const line of headerText.split(/\r?\n/)) {
      const colon = line.indexOf(':');
      if (colon > 0)
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    parts.push({ headers, data: body.subarray(dataStart, Math.max(dataStart, dataEnd)) });
    at = next;
  }
  return parts;
}
