import { describe, expect, it } from 'vitest';
import { multipartBoundary, parseMultipart } from './multipart.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('multipart/related', () => {
  it('finds the boundary, quoted or not', () => {
    expect(multipartBoundary('multipart/related; type="a/b"; boundary=xyz')).toBe('xyz');
    expect(multipartBoundary('multipart/related; boundary="a b"; type=x')).toBe('a b');
    expect(multipartBoundary('application/json')).toBeUndefined();
  });

  it('splits parts with their headers; binary data with CRLF and dashes inside is kept', () => {
    const body = new Uint8Array([
      ...enc('preamble\r\n--B\r\nContent-Type: application/octet-stream\r\n\r\n'),
      0,
      13,
      10,
      45,
      45,
      255,
      ...enc('\r\n--B\r\ncontent-type: x/y\r\nContent-Location: /f/2\r\n\r\nsecond\r\n--B--\r\n')
    ]);
    const parts = parseMultipart(body, 'B');
    expect(parts).toHaveLength(2);
    expect([...parts[0].data]).toEqual([0, 13, 10, 45, 45, 255]);
    expect(parts[0].headers['content-type']).toBe('application/octet-stream');
    expect(new TextDecoder().decode(parts[1].data)).toBe('second');
    expect(parts[1].headers['content-location']).toBe('/f/2');
  });

  it('refuses a body without the boundary or cut inside a part', () => {
    expect(() => parseMultipart(enc('nothing'), 'B')).toThrow(/delimiter/);
    expect(() => parseMultipart(enc('--B\r\nA: b\r\n\r\ndata'), 'B')).toThrow(/ends inside/);
  });
});
