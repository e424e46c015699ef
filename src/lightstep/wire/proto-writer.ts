/**
 * Protobuf's binary encoding written straight into one growing Buffer: varints, fixed64 doubles,
 * length-delimited strings and messages. No object per field and no second pass: a nested
 * message reserves the bytes its length will most likely take, and when it turns out to need
 * more or fewer the content is moved once (`copyWithin`, a memmove).
 *
 * Only what LightStep's report format uses (report-writer.ts).
 */
export class ProtoWriter {
  buf: Buffer;
  pos = 0;

  constructor(initialBytes = 64 * 1024) {
    this.buf = Buffer.allocUnsafe(initialBytes);
  }

  /** Room for `bytes` more. */
  ensure(bytes: number): void {
    if (this.pos + bytes > this.buf.length) this.grow(bytes);
  }

  /** Back to `pos` (an export that threw takes back what it wrote). */
  truncate(pos: number): void {
    this.pos = pos;
  }

  /** The bytes written from `start` to the end, shared with the writer's buffer. */
  view(start = 0, end = this.pos): Buffer {
    return this.buf.subarray(start, end);
  }

  /** A field key below 16 (one byte): (field << 3) | wire type. */
  key(key: number): void {
    this.ensure(1);
    this.buf[this.pos++] = key;
  }

  /** Unsigned varint of a value below 2^32. */
  varint32(value: number): void {
    this.ensure(5);
    const buf = this.buf;
    let pos = this.pos;
    while (value > 0x7f) {
      buf[pos++] = (value & 0x7f) | 0x80;
      value >>>= 7;
    }
    buf[pos++] = value;
    this.pos = pos;
  }

  /** Varint of the 64-bit value hi·2^32 + lo (both unsigned 32-bit). */
  varint64(lo: number, hi: number): void {
    this.ensure(10);
    const buf = this.buf;
    let pos = this.pos;
    while (hi > 0 || lo > 0x7f) {
      buf[pos++] = (lo & 0x7f) | 0x80;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    buf[pos++] = lo;
    this.pos = pos;
  }

  /**
   * An int64 or uint64 varint of an integer number: negatives as 64-bit two's complement (ten
   * bytes), as protobuf writes int64. Exact for every integer a double holds below 2^64.
   */
  integer(value: number): void {
    if (value >= 0 && value <= 0xffffffff) return this.varint32(value);
    this.varint64(value >>> 0, Math.floor(value / 0x100000000) >>> 0);
  }

  /** 8 bytes, little-endian IEEE 754 (wire type 1). */
  double(value: number): void {
    this.ensure(8);
    this.buf.writeDoubleLE(value, this.pos);
    this.pos += 8;
  }

  /** A length-delimited UTF-8 string (key written by the caller). Lone surrogates become U+FFFD. */
  string(text: string): void {
    const chars = text.length;
    // At most 3 bytes per UTF-16 unit (a surrogate pair: 4 bytes for 2).
    this.ensure(5 + chars * 3);
    const buf = this.buf;
    if (chars <= 42) {
      // Short: one length byte, ASCII copied here without a call into C++.
      const end = putShortAscii(buf, this.pos, '', text);
      if (end >= 0) {
        this.pos = end;
        return;
      }
    }
    // Reserve the length's varint for an all-ASCII string, move the text if it needs more.
    const reserved = varintSize(chars);
    const start = this.pos + reserved;
    const bytes = buf.write(text, start);
    this.pos = start;
    this.placeLength(start, reserved, bytes);
  }

  /** Starts a length-delimited message; `reserve` bytes kept for its length. Returns its start. */
  begin(reserve: number): number {
    this.ensure(reserve);
    this.pos += reserve;
    return this.pos;
  }

  /** Ends the message begun at `start` with `reserve` bytes: writes its length in front of it. */
  end(start: number, reserve: number): void {
    const length = this.pos - start;
    this.pos = start;
    this.placeLength(start, reserve, length);
  }

  /** `length` bytes at `start` get their varint length in the `reserved` bytes before them. */
  private placeLength(start: number, reserved: number, length: number): void {
    const needed = varintSize(length);
    let at = start - reserved;
    if (needed !== reserved) {
      this.ensure(length + needed - reserved);
      this.buf.copyWithin(at + needed, start, start + length);
    }
    const buf = this.buf;
    let value = length;
    while (value > 0x7f) {
      buf[at++] = (value & 0x7f) | 0x80;
      value >>>= 7;
    }
    buf[at++] = value;
    this.pos = at + length;
  }

  private grow(bytes: number): void {
    let size = this.buf.length * 2;
    while (size < this.pos + bytes) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }
}

/** Bytes of the varint of a value below 2^32. */
export function varintSize(value: number): number {
  if (value < 0x80) return 1;
  if (value < 0x4000) return 2;
  if (value < 0x200000) return 3;
  if (value < 0x10000000) return 4;
  return 5;
}

/**
 * Varint of hi·2^32 + lo at buf[pos], returning the position after it; the caller has made room
 * (10 bytes). For the fixed fields of a span, written without a method call and check per byte.
 */
export function putVarint64(buf: Buffer, pos: number, lo: number, hi: number): number {
  while (hi > 0 || lo > 0x7f) {
    buf[pos++] = (lo & 0x7f) | 0x80;
    lo = ((lo >>> 7) | (hi << 25)) >>> 0;
    hi >>>= 7;
  }
  buf[pos++] = lo;
  return pos;
}

/**
 * The varint of top·2^56 + mid·2^28 + low (low and mid below 2^28, top below 2^8): a 64-bit id
 * as 4 + 4 + 2 bytes of plain stores, where a loop over 32-bit halves takes a shift and a test a
 * byte. Returns the position after it.
 */
export function putVarintGroups(buf: Buffer, pos: number, low: number, mid: number, top: number): number {
  if (mid === 0 && top === 0) return putInteger(buf, pos, low);
  buf[pos] = (low & 0x7f) | 0x80;
  buf[pos + 1] = ((low >>> 7) & 0x7f) | 0x80;
  buf[pos + 2] = ((low >>> 14) & 0x7f) | 0x80;
  buf[pos + 3] = (low >>> 21) | 0x80;
  if (top === 0) return putInteger(buf, pos + 4, mid);
  buf[pos + 4] = (mid & 0x7f) | 0x80;
  buf[pos + 5] = ((mid >>> 7) & 0x7f) | 0x80;
  buf[pos + 6] = ((mid >>> 14) & 0x7f) | 0x80;
  buf[pos + 7] = (mid >>> 21) | 0x80;
  if (top > 0x7f) {
    buf[pos + 8] = (top & 0x7f) | 0x80;
    buf[pos + 9] = top >>> 7;
    return pos + 10;
  }
  buf[pos + 8] = top;
  return pos + 9;
}

/** ProtoWriter.integer's bytes at buf[pos] (room for 10 made by the caller); the position after them. */
export function putInteger(buf: Buffer, pos: number, value: number): number {
  if (value >= 0 && value <= 0xffffffff) {
    while (value > 0x7f) {
      buf[pos++] = (value & 0x7f) | 0x80;
      value >>>= 7;
    }
    buf[pos++] = value;
    return pos;
  }
  return putVarint64(buf, pos, value >>> 0, Math.floor(value / 0x100000000) >>> 0);
}

/**
 * `prefix + text` (together under 128 characters) as a length byte and its ASCII bytes at
 * buf[pos], room made by the caller; the position after them, or -1 at the first non-ASCII
 * character (the caller then writes the field the general way).
 */
export function putShortAscii(buf: Buffer, pos: number, prefix: string, text: string): number {
  buf[pos++] = prefix.length + text.length;
  for (let i = 0; i < prefix.length; i++) {
    const code = prefix.charCodeAt(i);
    if (code >= 0x80) return -1;
    buf[pos++] = code;
  }
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x80) return -1;
    buf[pos++] = code;
  }
  return pos;
}
