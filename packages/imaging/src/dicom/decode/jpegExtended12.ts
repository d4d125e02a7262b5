// JPEG Extended with 12-bit samples (process 4, in 1.2.840.10008.1.2.4.51): sequential DCT with
// Huffman coding, written from ITU-T T.81 because no registry codec decodes 12-bit JPEG. The
// inverse DCT is the IJG "islow" integer algorithm with 12-bit scaling and IJG's range-limit
// table, and subsampled components are upsampled with libjpeg's default ("fancy") filters, so
// pixels match dcmtk / libjpeg bit for bit. Every failure is an ImagingError; every loop
// is bounded by the stream length or the frame size.
import { ImagingError, type ImagingErrorCode } from '../../errors.js';
import type { CodecOutput } from './codecOutput.js';

const LABEL = 'JPEG extended 12-bit';

function fail(message: string, code: ImagingErrorCode = 'malformed'): never {
  throw new ImagingError({ code, message: `${LABEL}: ${message}` });
}

/** Zigzag position → natural (row-major) position in the 8×8 block (T.81 figure A.6). */
const NATURAL = Uint8Array.from([
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20,
  13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52,
  45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63
]);

const MAX_SAMPLE = 4095;
const CENTER = 2048;
const RANGE_MASK = MAX_SAMPLE * 4 + 3;

/**
 * IJG's post-IDCT range limit (jdmaster.c), indexed by the un-shifted IDCT output masked to 14
 * bits: it adds the level shift and clamps, and maps gross overflow the way libjpeg does (wrapping
 * rather than saturating) so even out-of-range blocks come out as dcmtk's do.
 */
const RANGE_LIMIT = (() => {
  const t = new Uint16Array(RANGE_MASK + 1);
  for (let i = 0; i <= RANGE_MASK; i++) {
    if (i < CENTER) t[i] = i + CENTER;
    else if (i < 2 * (MAX_SAMPLE + 1)) t[i] = MAX_SAMPLE;
    else if (i < 4 * (MAX_SAMPLE + 1) - CENTER) t[i] = 0;
    else t[i] = i - (4 * (MAX_SAMPLE + 1) - CENTER);
  }
  return t;
})();

interface Huffman {
  /** Top LOOKAHEAD bits → (code length << 8) | symbol; 0 when the code is longer. */
  lookup: Uint16Array;
  maxCode: Int32Array;
  valPtr: Int32Array;
  minCode: Int32Array;
  values: Uint8Array;
}

const LOOKAHEAD = 9;

/** Build the decoding tables of T.81 F.2.2.3 (plus a lookahead table), refusing a corrupt DHT. */
function buildHuffman(counts: Uint8Array, values: Uint8Array): Huffman {
  const maxCode = new Int32Array(18).fill(-1);
  const valPtr = new Int32Array(17);
  const minCode = new Int32Array(17);
  const lookup = new Uint16Array(1 << LOOKAHEAD);
  let code = 0;
  let k = 0;
  for (let len = 1; len <= 16; len++) {
    const n = counts[len - 1];
    valPtr[len] = k;
    minCode[len] = code;
    for (let j = 0; j < n; j++, k++, code++) {
      // As libjpeg: codes must fit in `len` bits and the all-ones code is reserved.
      if (code >= (1 << len) - 1) fail('a Huffman table (DHT) is corrupt.');
      if (len <= LOOKAHEAD) {
        const shift = LOOKAHEAD - len;
        const base = code << shift;
        for (let f = 0; f < 1 << shift; f++) lookup[base + f] = (len << 8) | values[k];
      }
    }
    if (n) maxCode[len] = code - 1;
    code <<= 1;
  }
  maxCode[17] = 0x7fffffff; // sentinel: no code is longer than 16 bits
  return { lookup, maxCode, valPtr, minCode, values };
}

interface Component {
  id: number;
  quantTable: number;
  /** Index in the interleaved output. */
  index: number;
  /** Sampling factors H, V (1..4). */
  h: number;
  v: number;
  /** Samples the component really has (T.81 A.1.1): ceil(X·H/Hmax) × ceil(Y·V/Vmax). */
  width: number;
  height: number;
  /**
   * A subsampled component decodes into its own plane (width × height) and is upsampled once
   * every scan is done; a full-size one is written straight into the output.
   */
  plane: Uint16Array | undefined;
  decoded: boolean;
}

interface Frame {
  width: number;
  height: number;
  /** The largest sampling factors: an interleaved MCU covers 8·Hmax × 8·Vmax pixels. */
  hmax: number;
  vmax: number;
  /** Interleaved MCUs per row and per column: ceil(X / 8·Hmax), ceil(Y / 8·Vmax). */
  mcusX: number;
  mcusY: number;
  components: Component[];
}

/**
 * Entropy-coded segment reader. Past a marker or the end of the data it supplies zero bits and
 * counts them, so a truncated segment is detected (rather than decoded as zeros, as libjpeg does
 * with a warning) without a bounds check per bit.
 */
class BitReader {
  pos: number;
  private buf = 0;
  private count = 0;
  private fake = 0;

  constructor(
    private readonly data: Uint8Array,
    start: number
  ) {
    this.pos = start;
  }

  private fill(): void {
    const d = this.data;
    while (this.count <= 24) {
      let byte = 0;
      if (this.pos < d.length && d[this.pos] !== 0xff) {
        byte = d[this.pos++];
      } else if (this.pos + 1 < d.length && d[this.pos] === 0xff && d[this.pos + 1] === 0) {
        byte = 0xff; // stuffed byte
        this.pos += 2;
      } else {
        this.fake += 8; // a marker or the end: the segment's data is over
      }
      this.buf = (this.buf << 8) | byte;
      this.count += 8;
    }
  }

  bits(n: number): number {
    if (this.count < n) this.fill();
    this.count -= n;
    return (this.buf >>> this.count) & ((1 << n) - 1);
  }

  decode(h: Huffman): number {
    if (this.count < 16) this.fill();
    const entry = h.lookup[(this.buf >>> (this.count - LOOKAHEAD)) & ((1 << LOOKAHEAD) - 1)];
    if (entry) {
      this.count -= entry >> 8;
      return entry & 0xff;
    }
    let len = LOOKAHEAD + 1;
    let code = (this.buf >>> (this.count - len)) & ((1 << len) - 1);
    while (code > h.maxCode[len]) {
      len++;
      code = (this.buf >>> (this.count - len)) & ((1 << len) - 1);
    }
    if (len > 16) fail('the entropy-coded data holds an invalid Huffman code.');
    this.count -= len;
    return h.values[h.valPtr[len] + code - h.minCode[len]];
  }

  /** Bits the decoder consumed beyond the segment's real data. */
  overrun(): number {
    return Math.max(0, this.fake - this.count);
  }

  checkOverrun(): void {
    if (this.overrun() > 0) fail('the entropy-coded data is truncated.');
  }

  /** Drop buffered bits (restart, end of scan) and continue from the next byte in the data. */
  reset(): void {
    this.buf = 0;
    this.count = 0;
    this.fake = 0;
  }
}

/** T.81 F.12 EXTEND: a `size`-bit magnitude category value → signed difference. */
function extend(v: number, size: number): number {
  return v < 1 << (size - 1) ? v - (1 << size) + 1 : v;
}

/** Decode one block's coefficients (natural order, int16 like libjpeg's JCOEF) into `block`. */
function decodeBlock(
  r: BitReader,
  dc: Huffman,
  ac: Huffman,
  block: Int16Array,
  pred: Int32Array,
  c: number
): void {
  block.fill(0);
  const t = r.decode(dc);
  if (t > 15) fail('a DC difference category is out of range.');
  const diff = t ? extend(r.bits(t), t) : 0;
  pred[c] += diff;
  block[0] = pred[c];
  for (let k = 1; k < 64;) {
    const rs = r.decode(ac);
    const run = rs >> 4;
    const size = rs & 15;
    if (size) {
      k += run;
      if (k > 63) fail('an AC run passes the end of the block.');
      block[NATURAL[k]] = extend(r.bits(size), size);
      k++;
    } else if (run === 15) {
      k += 16; // ZRL: sixteen zeros
    } else {
      break; // EOB
    }
  }
}

// IJG jidctint.c constants: FIX(x) = round(x * 2^13).
const CONST_BITS = 13;
const PASS1_BITS = 1; // 12-bit samples: one extra bit of precision keeps pass 1 within 32 bits
const F_0_298 = 2446;
const F_0_390 = 3196;
const F_0_541 = 4433;
const F_0_765 = 6270;
const F_0_899 = 7373;
const F_1_175 = 9633;
const F_1_501 = 12299;
const F_1_847 = 15137;
const F_1_961 = 16069;
const F_2_053 = 16819;
const F_2_562 = 20995;
const F_3_072 = 25172;

/**
 * libjpeg's DESCALE (round, then arithmetic shift). Products can pass 2^31 on hostile
 * coefficients where C's 64-bit `long` does not overflow, so divide rather than `>>`.
 */
function descale(x: number, n: number): number {
  return Math.floor((x + 2 ** (n - 1)) / 2 ** n);
}

/** One pass of the islow 1-D IDCT on 8 values at in[o + s*k]; writes out[p + t*k]. */
function idct1d(
  v0: number,
  v1: number,
  v2: number,
  v3: number,
  v4: number,
  v5: number,
  v6: number,
  v7: number,
  out: Int32Array,
  p: number,
  t: number,
  shift: number,
  final: boolean
): void {
  // Even part (rotation by sqrt(2)*c6 on inputs 2 and 6).
  let z1 = (v2 + v6) * F_0_541;
  const tmp2e = z1 + v6 * -F_1_847;
  const tmp3e = z1 + v2 * F_0_765;
  const tmp0e = (v0 + v4) * 2 ** CONST_BITS;
  const tmp1e = (v0 - v4) * 2 ** CONST_BITS;
  const tmp10 = tmp0e + tmp3e;
  const tmp13 = tmp0e - tmp3e;
  const tmp11 = tmp1e + tmp2e;
  const tmp12 = tmp1e - tmp2e;
  // Odd part (inputs 7, 5, 3, 1).
  let tmp0 = v7;
  let tmp1 = v5;
  let tmp2 = v3;
  let tmp3 = v1;
  z1 = tmp0 + tmp3;
  let z2 = tmp1 + tmp2;
  let z3 = tmp0 + tmp2;
  let z4 = tmp1 + tmp3;
  const z5 = (z3 + z4) * F_1_175;
  tmp0 *= F_0_298;
  tmp1 *= F_2_053;
  tmp2 *= F_3_072;
  tmp3 *= F_1_501;
  z1 *= -F_0_899;
  z2 *= -F_2_562;
  z3 = z3 * -F_1_961 + z5;
  z4 = z4 * -F_0_390 + z5;
  tmp0 += z1 + z3;
  tmp1 += z2 + z4;
  tmp2 += z2 + z3;
  tmp3 += z1 + z4;
  const r0 = descale(tmp10 + tmp3, shift);
  const r7 = descale(tmp10 - tmp3, shift);
  const r1 = descale(tmp11 + tmp2, shift);
  const r6 = descale(tmp11 - tmp2, shift);
  const r2 = descale(tmp12 + tmp1, shift);
  const r5 = descale(tmp12 - tmp1, shift);
  const r3 = descale(tmp13 + tmp0, shift);
  const r4 = descale(tmp13 - tmp0, shift);
  if (final) {
    out[p] = RANGE_LIMIT[r0 & RANGE_MASK];
    out[p + t] = RANGE_LIMIT[r1 & RANGE_MASK];
    out[p + 2 * t] = RANGE_LIMIT[r2 & RANGE_MASK];
    out[p + 3 * t] = RANGE_LIMIT[r3 & RANGE_MASK];
    out[p + 4 * t] = RANGE_LIMIT[r4 & RANGE_MASK];
    out[p + 5 * t] = RANGE_LIMIT[r5 & RANGE_MASK];
    out[p + 6 * t] = RANGE_LIMIT[r6 & RANGE_MASK];
    out[p + 7 * t] = RANGE_LIMIT[r7 & RANGE_MASK];
  } else {
    // libjpeg's workspace is a C int: keep its 32-bit wrap.
    out[p] = r0;
    out[p + t] = r1;
    out[p + 2 * t] = r2;
    out[p + 3 * t] = r3;
    out[p + 4 * t] = r4;
    out[p + 5 * t] = r5;
    out[p + 6 * t] = r6;
    out[p + 7 * t] = r7;
  }
}

/** Dequantise and inverse-DCT `block` into 64 samples 0..4095 (`pixels`, row-major). */
function idctBlock(block: Int16Array, quant: Uint16Array, ws: Int32Array, pixels: Int32Array) {
  // Pass 1: columns → workspace, scaled up by 2^PASS1_BITS.
  for (let c = 0; c < 8; c++) {
    if (
      block[8 + c] === 0 &&
      block[16 + c] === 0 &&
      block[24 + c] === 0 &&
      block[32 + c] === 0 &&
      block[40 + c] === 0 &&
      block[48 + c] === 0 &&
      block[56 + c] === 0
    ) {
      // AC-free column: every output equals the scaled DC (identical to the full computation).
      const dc = block[c] * quant[c] * 2 ** PASS1_BITS;
      for (let k = 0; k < 8; k++) ws[8 * k + c] = dc;
      continue;
    }
    idct1d(
      block[c] * quant[c],
      block[8 + c] * quant[8 + c],
      block[16 + c] * quant[16 + c],
      block[24 + c] * quant[24 + c],
      block[32 + c] * quant[32 + c],
      block[40 + c] * quant[40 + c],
      block[48 + c] * quant[48 + c],
      block[56 + c] * quant[56 + c],
      ws,
      c,
      8,
      CONST_BITS - PASS1_BITS,
      false
    );
  }
  // Pass 2: rows → samples, removing PASS1_BITS and the 8× of the 2-D transform.
  for (let row = 0; row < 64; row += 8) {
    idct1d(
      ws[row],
      ws[row + 1],
      ws[row + 2],
      ws[row + 3],
      ws[row + 4],
      ws[row + 5],
      ws[row + 6],
      ws[row + 7],
      pixels,
      row,
      1,
      CONST_BITS + PASS1_BITS + 3,
      true
    );
  }
}

export interface JpegExtended12Options {
  /** Refuse (code `tooLarge`) a frame whose decoded samples exceed this many bytes. Default 1 GiB. */
  maxPixelBytes?: number;
}

/**
 * Decode a 12-bit sequential DCT JPEG (SOF1, or SOF0 declaring 12 bits) with 1–4 components,
 * interleaved or not, any integral sampling ratios. Output: one uint16 per sample at full
 * resolution (subsampled components upsampled as libjpeg does), colour-by-pixel. Three
 * components are converted YCbCr → RGB unless the stream marks them as RGB (Adobe transform 0
 * or component ids 'R','G','B'), as libjpeg does by default.
 */
export function decodeJpegExtended12(
  data: Uint8Array,
  options: JpegExtended12Options = {}
): CodecOutput {
  const maxPixelBytes = options.maxPixelBytes ?? 2 ** 30;
  if (data.length < 4 || data[0] !== 0xff || data[1] !== 0xd8) fail('no start-of-image marker.');
  const quant: (Uint16Array | undefined)[] = [];
  const dcTables: (Huffman | undefined)[] = [];
  const acTables: (Huffman | undefined)[] = [];
  let frame: Frame | undefined;
  let out: Uint16Array | undefined;
  let restartInterval = 0;
  let adobeTransform = -1;
  let i = 2;

  const segment = (): { start: number; end: number } => {
    if (i + 4 > data.length) fail('a marker segment is truncated.');
    const length = (data[i + 2] << 8) | data[i + 3];
    const end = i + 2 + length;
    if (length < 2 || end > data.length) fail('a marker segment is truncated.');
    return { start: i + 4, end };
  };

  for (;;) {
    // Find the next marker, skipping fill bytes (and, as libjpeg does, stray data between segments).
    while (i + 1 < data.length && !(data[i] === 0xff && data[i + 1] !== 0 && data[i + 1] !== 0xff))
      i++;
    if (i + 1 >= data.length) break; // no EOI: accepted if every component was decoded
    const marker = data[i + 1];
    if (marker === 0xd9) break;
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      i += 2; // stray SOI / RSTn / TEM carry no segment
      continue;
    }
    const { start, end } = segment();
    switch (marker) {
      case 0xdb:
        readQuantTables(data, start, end, quant);
        break;
      case 0xc4:
        readHuffmanTables(data, start, end, dcTables, acTables);
        break;
      case 0xdd:
        if (end - start < 2) fail('the DRI segment is truncated.');
        restartInterval = (data[start] << 8) | data[start + 1];
        break;
      case 0xc0:
      case 0xc1:
        if (frame) fail('more than one frame header (SOF).');
        frame = readFrame(data, start, end, marker);
        out = allocate(frame, maxPixelBytes);
        break;
      case 0xc2:
      case 0xc3:
      case 0xc5:
      case 0xc6:
      case 0xc7:
      case 0xc9:
      case 0xca:
      case 0xcb:
      case 0xcd:
      case 0xce:
      case 0xcf:
        fail(
          `SOF${marker - 0xc0} (progressive, lossless, hierarchical or arithmetic coding) is not supported; only sequential Huffman DCT.`,
          'unsupportedPixelFormat'
        );
        break;
      case 0xee:
        // Adobe APP14: its transform flag says whether 3 components are YCbCr (1) or RGB (0).
        if (
          end - start >= 12 &&
          String.fromCharCode(...data.subarray(start, start + 5)) === 'Adobe'
        )
          adobeTransform = data[start + 11];
        break;
      case 0xda: {
        if (!frame || !out) fail('a scan (SOS) comes before the frame header (SOF).');
        i = decodeScan(data, start, end, frame, out, quant, dcTables, acTables, restartInterval);
        continue;
      }
      case 0xdc:
        fail(
          'a DNL marker (height defined after the scan) is not supported.',
          'unsupportedPixelFormat'
        );
        break;
      default:
        break; // APPn, COM and other segments carry nothing the decoder needs
    }
    i = end;
  }

  if (!frame || !out) fail('the stream has no frame header (SOF).');
  const missing = frame.components.filter(c => !c.decoded);
  if (missing.length) fail(`component ${missing[0].id} has no scan.`);
  const n = frame.components.length;
  for (const c of frame.components) if (c.plane) upsample(frame, c, out);
  let rgb = false;
  if (n === 3) {
    const [a, b, c] = frame.components.map(x => x.id);
    const isRgb = adobeTransform === 0 || (a === 0x52 && b === 0x47 && c === 0x42);
    if (!isRgb) yccToRgb(out);
    rgb = true;
  }
  return {
    bytes: new Uint8Array(out.buffer, out.byteOffset, out.byteLength),
    planarConfiguration: 0,
    rgb,
    bitsPerSample: 12,
    components: n
  };
}

function readQuantTables(
  data: Uint8Array,
  start: number,
  end: number,
  quant: (Uint16Array | undefined)[]
): void {
  let p = start;
  while (p < end) {
    const pq = data[p] >> 4;
    const tq = data[p] & 15;
    if (pq > 1 || tq > 3) fail('a quantisation table (DQT) is corrupt.');
    const size = pq ? 128 : 64;
    if (p + 1 + size > end) fail('a quantisation table (DQT) is truncated.');
    const table = new Uint16Array(64);
    for (let k = 0; k < 64; k++) {
      table[NATURAL[k]] = pq ? (data[p + 1 + 2 * k] << 8) | data[p + 2 + 2 * k] : data[p + 1 + k];
    }
    quant[tq] = table;
    p += 1 + size;
  }
}

function readHuffmanTables(
  data: Uint8Array,
  start: number,
  end: number,
  dcTables: (Huffman | undefined)[],
  acTables: (Huffman | undefined)[]
): void {
  let p = start;
  while (p < end) {
    if (p + 17 > end) fail('a Huffman table (DHT) is truncated.');
    const tc = data[p] >> 4;
    const th = data[p] & 15;
    if (tc > 1 || th > 3) fail('a Huffman table (DHT) is corrupt.');
    const counts = data.subarray(p + 1, p + 17);
    let total = 0;
    for (const c of counts) total += c;
    if (total > 256 || p + 17 + total > end) fail('a Huffman table (DHT) is corrupt.');
    const values = data.slice(p + 17, p + 17 + total);
    // DC symbols are magnitude categories; above 15 cannot occur in a 12-bit (or 16-bit) stream.
    if (tc === 0 && values.some(v => v > 15)) fail('a DC Huffman table (DHT) is corrupt.');
    (tc === 0 ? dcTables : acTables)[th] = buildHuffman(counts, values);
    p += 17 + total;
  }
}

function readFrame(data: Uint8Array, start: number, end: number, marker: number): Frame {
  if (end - start < 6) fail('the frame header (SOF) is truncated.');
  const precision = data[start];
  const height = (data[start + 1] << 8) | data[start + 2];
  const width = (data[start + 3] << 8) | data[start + 4];
  const nf = data[start + 5];
  if (precision !== 12) {
    fail(
      `SOF${marker - 0xc0} declares ${precision}-bit samples, this decoder reads 12.`,
      'codecFailed'
    );
  }
  if (height === 0)
    fail('a DNL marker (height 0 in SOF) is not supported.', 'unsupportedPixelFormat');
  if (width === 0 || nf < 1 || nf > 4)
    fail(`the frame header declares ${width} columns and ${nf} components.`);
  if (end - start < 6 + 3 * nf) fail('the frame header (SOF) is truncated.');
  const components: Component[] = [];
  for (let k = 0; k < nf; k++) {
    const p = start + 6 + 3 * k;
    const h = data[p + 1] >> 4;
    const v = data[p + 1] & 15;
    if (h < 1 || h > 4 || v < 1 || v > 4)
      fail(`component ${data[p]} has ${h}×${v} sampling; T.81 allows 1 to 4.`);
    if (data[p + 2] > 3) fail('a component names a quantisation table above 3.');
    if (components.some(c => c.id === data[p])) fail(`component id ${data[p]} appears twice.`);
    components.push({
      id: data[p],
      quantTable: data[p + 2],
      index: k,
      h,
      v,
      width: 0,
      height: 0,
      plane: undefined,
      decoded: false
    });
  }
  const hmax = Math.max(...components.map(c => c.h));
  const vmax = Math.max(...components.map(c => c.v));
  for (const c of components) {
    // libjpeg (and so dcmtk) upsamples integral ratios only (jdsample.c); there is no reference
    // for anything else.
    if (hmax % c.h || vmax % c.v) {
      fail(
        `component ${c.id} has ${c.h}×${c.v} sampling against ${hmax}×${vmax}: non-integral sampling ratios are not supported.`,
        'unsupportedPixelFormat'
      );
    }
    c.width = Math.ceil((width * c.h) / hmax);
    c.height = Math.ceil((height * c.v) / vmax);
  }
  return {
    width,
    height,
    hmax,
    vmax,
    mcusX: Math.ceil(width / (8 * hmax)),
    mcusY: Math.ceil(height / (8 * vmax)),
    components
  };
}

/**
 * The output (one uint16 per sample, colour-by-pixel) and a plane for each subsampled component,
 * after checking their total against the limit.
 */
function allocate(frame: Frame, maxPixelBytes: number): Uint16Array {
  const { width, height, components } = frame;
  const subsampled = components.filter(c => c.h !== frame.hmax || c.v !== frame.vmax);
  let bytes = width * height * components.length * 2;
  for (const c of subsampled) bytes += c.width * c.height * 2;
  if (bytes > maxPixelBytes) {
    throw new ImagingError({
      code: 'tooLarge',
      message: `${LABEL}: the frame is ${width}×${height}×${components.length}, above the ${maxPixelBytes}-byte limit.`
    });
  }
  for (const c of subsampled) c.plane = new Uint16Array(c.width * c.height);
  return new Uint16Array(width * height * components.length);
}

/** Where one scan component's samples go: its plane, or its slot in the interleaved output. */
interface ScanComponent {
  comp: Component;
  dc: Huffman;
  ac: Huffman;
  q: Uint16Array;
  /** Blocks of this component in one MCU across and down (1×1 in a non-interleaved scan). */
  bh: number;
  bv: number;
  target: Uint16Array;
  /** Index of sample (0, 0), distance between samples in a row, and between rows. */
  offset: number;
  step: number;
  stride: number;
}

/** Decode one scan; returns the position just after its entropy-coded data. */
function decodeScan(
  data: Uint8Array,
  start: number,
  end: number,
  frame: Frame,
  out: Uint16Array,
  quant: (Uint16Array | undefined)[],
  dcTables: (Huffman | undefined)[],
  acTables: (Huffman | undefined)[],
  restartInterval: number
): number {
  const ns = data[start];
  if (ns < 1 || ns > 4 || end - start < 1 + 2 * ns + 3) fail('the scan header (SOS) is corrupt.');
  const nc = frame.components.length;
  const interleaved = ns > 1;
  const scan: ScanComponent[] = [];
  let blocksInMcu = 0;
  for (let k = 0; k < ns; k++) {
    const id = data[start + 1 + 2 * k];
    const tables = data[start + 2 + 2 * k];
    const comp = frame.components.find(c => c.id === id);
    if (!comp) fail(`the scan names component ${id}, which the frame does not have.`);
    const dc = dcTables[tables >> 4];
    const ac = acTables[tables & 15];
    // The quantisation table is fixed when the component's scan starts (T.81 B.2.4.1).
    const q = quant[comp.quantTable];
    if (!dc || !ac) fail(`component ${id} uses a Huffman table that is not defined.`);
    if (!q) fail(`component ${id} uses quantisation table ${comp.quantTable}, not defined.`);
    const bh = interleaved ? comp.h : 1;
    const bv = interleaved ? comp.v : 1;
    blocksInMcu += bh * bv;
    const { plane } = comp;
    scan.push({
      comp,
      dc,
      ac,
      q,
      bh,
      bv,
      target: plane ?? out,
      offset: plane ? 0 : comp.index,
      step: plane ? 1 : nc,
      stride: plane ? comp.width : frame.width * nc
    });
  }
  // T.81 B.2.3 (and libjpeg) allow at most 10 blocks in an interleaved MCU.
  if (blocksInMcu > 10) fail(`the scan has ${blocksInMcu} blocks per MCU, above the limit of 10.`);
  // An interleaved MCU is Hmax×Vmax blocks' worth of the image (H×V blocks of each component); a
  // single-component scan goes block by block over the component's own samples (T.81 A.2).
  const mcusX = interleaved ? frame.mcusX : Math.ceil(scan[0].comp.width / 8);
  const mcusY = interleaved ? frame.mcusY : Math.ceil(scan[0].comp.height / 8);
  const total = mcusX * mcusY;
  const reader = new BitReader(data, end);
  const pred = new Int32Array(ns);
  const block = new Int16Array(64);
  const ws = new Int32Array(64);
  const pixels = new Int32Array(64);
  let expectRst = 0;

  for (let mcu = 0; mcu < total; mcu++) {
    if (restartInterval && mcu > 0 && mcu % restartInterval === 0) {
      reader.checkOverrun();
      reader.reset();
      let p = reader.pos;
      // Skip anything before the marker (libjpeg does too) and require the expected RSTn.
      while (
        p + 1 < data.length &&
        !(data[p] === 0xff && data[p + 1] !== 0 && data[p + 1] !== 0xff)
      )
        p++;
      if (p + 1 >= data.length) fail('the entropy-coded data is truncated.');
      if (data[p + 1] !== 0xd0 + expectRst) {
        fail(`expected restart marker RST${expectRst}, found FF${data[p + 1].toString(16)}.`);
      }
      reader.pos = p + 2;
      expectRst = (expectRst + 1) & 7;
      pred.fill(0);
    }
    const mx = mcu % mcusX;
    const my = (mcu - mx) / mcusX;
    for (let s = 0; s < ns; s++) {
      const { comp, dc, ac, q, bh, bv, target, offset, step, stride } = scan[s];
      for (let v = 0; v < bv; v++) {
        const y0 = (my * bv + v) * 8;
        const h = Math.min(8, comp.height - y0);
        for (let u = 0; u < bh; u++) {
          decodeBlock(reader, dc, ac, block, pred, s);
          const x0 = (mx * bh + u) * 8;
          const w = Math.min(8, comp.width - x0);
          // Blocks that pad a partial MCU out past the edge are decoded but never shown.
          if (w <= 0 || h <= 0) continue;
          idctBlock(block, q, ws, pixels);
          for (let y = 0; y < h; y++) {
            let o = offset + (y0 + y) * stride + x0 * step;
            for (let x = 0; x < w; x++, o += step) target[o] = pixels[y * 8 + x];
          }
        }
      }
    }
    // A cut stream feeds zeros: stop early instead of decoding the rest of the frame from them.
    if (reader.overrun() > 64) reader.checkOverrun();
  }
  reader.checkOverrun();
  for (const { comp } of scan) comp.decoded = true;
  return reader.pos;
}

/**
 * Upsample a subsampled component into its slot of the interleaved output as libjpeg does by
 * default (jdsample.c with do_fancy_upsampling): a triangle filter for 2:1 across (h2v1) and
 * 2:1 both ways (h2v2) when the component is wider than 2 samples, with libjpeg's alternating
 * rounding biases and the edge samples repeated (jdmainct.c duplicates the first and last real
 * rows for context); replication for every other integral ratio.
 */
function upsample(frame: Frame, c: Component, out: Uint16Array): void {
  const plane = c.plane;
  if (!plane) return;
  const { width, height } = frame;
  const nc = frame.components.length;
  const rh = frame.hmax / c.h;
  const rv = frame.vmax / c.v;
  const cw = c.width;
  const last = cw - 1;
  if (rh === 2 && (rv === 1 || rv === 2) && cw > 2) {
    for (let y = 0; y < height; y++) {
      let o = y * width * nc + c.index;
      // The last output column of an odd width is the first of a pair: stop there.
      const end = o + width * nc;
      if (rv === 1) {
        const row = y * cw;
        for (let j = 0; j < cw; j++) {
          const here = plane[row + j] * 3;
          out[o] = (here + plane[row + (j > 0 ? j - 1 : 0)] + 1) >> 2;
          o += nc;
          if (o >= end) break;
          out[o] = (here + plane[row + (j < last ? j + 1 : last)] + 2) >> 2;
          o += nc;
        }
      } else {
        // Output row y lies between component row y/2 and the row above (even y) or below (odd).
        const r = y >> 1;
        const nr = y & 1 ? Math.min(r + 1, c.height - 1) : Math.max(r - 1, 0);
        const near = r * cw;
        const far = nr * cw;
        let prev = plane[near] * 3 + plane[far];
        let here = prev;
        for (let j = 0; j < cw; j++) {
          const next = j < last ? plane[near + j + 1] * 3 + plane[far + j + 1] : here;
          out[o] = (here * 3 + prev + 8) >> 4;
          o += nc;
          if (o >= end) break;
          out[o] = (here * 3 + next + 7) >> 4;
          o += nc;
          prev = here;
          here = next;
        }
      }
    }
    return;
  }
  for (let y = 0; y < height; y++) {
    const row = Math.floor(y / rv) * cw;
    let o = y * width * nc + c.index;
    for (let x = 0; x < width; x++, o += nc) out[o] = plane[row + Math.floor(x / rh)];
  }
}

/**
 * YCbCr → RGB as libjpeg's jdcolor.c does it (16-bit fixed point, rounding tables, clamp), with
 * the 12-bit centre 2048. Samples stay 0..4095.
 */
function yccToRgb(px: Uint16Array): void {
  const SCALE = 16;
  const half = 1 << (SCALE - 1);
  const fix = (x: number): number => Math.round(x * (1 << SCALE));
  const crR = new Int32Array(MAX_SAMPLE + 1);
  const cbB = new Int32Array(MAX_SAMPLE + 1);
  const crG = new Int32Array(MAX_SAMPLE + 1);
  const cbG = new Int32Array(MAX_SAMPLE + 1);
  for (let i = 0; i <= MAX_SAMPLE; i++) {
    const x = i - CENTER;
    crR[i] = (fix(1.402) * x + half) >> SCALE;
    cbB[i] = (fix(1.772) * x + half) >> SCALE;
    crG[i] = -fix(0.71414) * x;
    cbG[i] = -fix(0.34414) * x + half;
  }
  const clamp = (v: number): number => (v < 0 ? 0 : v > MAX_SAMPLE ? MAX_SAMPLE : v);
  for (let p = 0; p + 2 < px.length; p += 3) {
    const y = px[p];
    const cb = px[p + 1];
    const cr = px[p + 2];
    px[p] = clamp(y + crR[cr]);
    px[p + 1] = clamp(y + ((cbG[cb] + crG[cr]) >> SCALE));
    px[p + 2] = clamp(y + cbB[cb]);
  }
}
