import * as fc from 'fast-check';
import { HttpResponseReader, MAX_BODY_BYTES, MAX_HEAD_BYTES, type HttpResponse } from '../../src/common/http-response';

// The response reader on the bytes servers send: every framing (Content-Length, chunked with
// extensions and trailers, read to the close), 1xx answers before the real one, split into
// chunks at arbitrary points, and what it must refuse.

/** Feeds `bytes` in pieces cut at `cuts`; `close`: the peer closes after them. */
function read(bytes: Buffer, cuts: number[] = [], close = false): HttpResponse | undefined {
  const reader = new HttpResponseReader();
  const points = [...new Set(cuts.map((c) => Math.min(c, bytes.length)))].sort((a, b) => a - b);
  let from = 0;
  let response: HttpResponse | undefined;
  for (const to of [...points, bytes.length]) {
    if (to <= from) continue;
    expect(response).toBeUndefined(); // nothing after the end
    response = reader.push(bytes.subarray(from, to));
    from = to;
  }
  if (response === undefined && close) response = reader.end();
  return response;
}

const raw = (text: string, body: Buffer = Buffer.alloc(0)): Buffer => Buffer.concat([Buffer.from(text, 'latin1'), body]);

type Framing = 'length' | 'chunked' | 'close';

interface Case {
  status: number;
  reason: string;
  headers: Array<[string, string]>;
  body: Buffer;
  framing: Framing;
  chunkSizes: number[];
  continues: number;
  http10: boolean;
  connectionClose: boolean;
}

/** The bytes a server writes for the case. */
function serialize(c: Case): Buffer {
  const lines: string[] = [];
  for (let i = 0; i < c.continues; i++) lines.push('HTTP/1.1 100 Continue\r\n\r\n');
  let head = `HTTP/1.${c.http10 ? 0 : 1} ${c.status} ${c.reason}\r\n`;
  for (const [name, value] of c.headers) head += `${name}: ${value}\r\n`;
  if (c.connectionClose) head += 'Connection: close\r\n';
  if (c.framing === 'length') head += `Content-Length: ${c.body.length}\r\n`;
  if (c.framing === 'chunked') head += 'Transfer-Encoding: chunked\r\n';
  head += '\r\n';
  lines.push(head);
  if (c.framing !== 'chunked') return Buffer.concat([Buffer.from(lines.join(''), 'latin1'), c.body]);
  const parts: Buffer[] = [Buffer.from(lines.join(''), 'latin1')];
  let at = 0;
  let n = 0;
  while (at < c.body.length) {
    const size = Math.min(c.chunkSizes[n++ % c.chunkSizes.length], c.body.length - at);
    parts.push(Buffer.from(`${size.toString(16)}${n % 2 === 0 ? ';ext=1' : ''}\r\n`), c.body.subarray(at, at + size), Buffer.from('\r\n'));
    at += size;
  }
  parts.push(Buffer.from(n % 2 === 0 ? '0\r\nX-Trailer: t\r\n\r\n' : '0\r\n\r\n'));
  return Buffer.concat(parts);
}

const headerName = fc.stringMatching(/^X-[A-Za-z0-9-]{1,12}$/);
const headerValue = fc.stringMatching(/^[!-~]([ -~]{0,20}[!-~])?$/);
const caseArb: fc.Arbitrary<Case> = fc.record({
  status: fc.integer({ min: 200, max: 599 }).filter((s) => s !== 204 && s !== 304),
  reason: fc.constantFrom('OK', 'Accepted', 'Bad Request', 'Too Many Requests', 'Service Unavailable', ''),
  headers: fc.uniqueArray(fc.tuple(headerName, headerValue), { maxLength: 5, selector: ([name]) => name.toLowerCase() }),
  body: fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
  framing: fc.constantFrom<Framing>('length', 'chunked', 'close'),
  chunkSizes: fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 4 }),
  continues: fc.integer({ min: 0, max: 2 }),
  http10: fc.boolean(),
  connectionClose: fc.boolean(),
});

describe('HttpResponseReader', () => {
  it('reads every framing the same however the bytes are cut (property)', () => {
    fc.assert(
      fc.property(caseArb, fc.array(fc.nat({ max: 600 }), { maxLength: 8 }), (c, cuts) => {
        const response = read(serialize(c), cuts, c.framing === 'close');
        expect(response).toBeDefined();
        expect(response!.statusCode).toBe(c.status);
        expect(response!.statusMessage).toBe(c.reason);
        expect(response!.body.equals(c.body)).toBe(true);
        for (const [name, value] of c.headers) expect(response!.headers[name.toLowerCase()]).toBe(value);
        // HTTP/1.0 closes unless it says keep-alive (these never do); so do a close and a body framed by the close.
        expect(response!.keepAlive).toBe(!c.http10 && !c.connectionClose && c.framing !== 'close');
      }),
      { numRuns: 400 },
    );
  });

  it('waits for a body framed by the close until the close, and a chunked body until its last chunk', () => {
    const reader = new HttpResponseReader();
    expect(reader.push(raw('HTTP/1.1 200 OK\r\n\r\nsome'))).toBeUndefined();
    expect(reader.push(raw(' more'))).toBeUndefined();
    expect(reader.end().body.toString()).toBe('some more');

    const chunked = new HttpResponseReader();
    expect(chunked.push(raw('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n'))).toBeUndefined();
    expect(chunked.push(raw('0\r\n'))).toBeUndefined(); // the trailer section's blank line is still to come
    expect(chunked.push(raw('\r\n'))!.body.toString()).toBe('abc');
  });

  it('a 204, a 304 and a Content-Length of 0 have no body; repeated headers are joined', () => {
    expect(read(raw('HTTP/1.1 204 No Content\r\n\r\n'))!.body.length).toBe(0);
    expect(read(raw('HTTP/1.1 304 Not Modified\r\nContent-Length: 12\r\n\r\n'))!.body.length).toBe(0);
    const response = read(raw('HTTP/1.1 200 OK\r\nContent-Length: 0\r\nVia: a\r\nvia: b\r\n\r\n'))!;
    expect(response.headers.via).toBe('a, b');
    expect(response.keepAlive).toBe(true);
    expect(read(raw('HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n'))!.keepAlive).toBe(true);
  });

  it('keeps a response followed by more bytes (a stray CRLF, a second answer) but not its connection', () => {
    for (const extra of ['\r\n', 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n']) {
      const reader = new HttpResponseReader();
      const response = reader.push(raw(`HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok${extra}`));
      expect(response).toMatchObject({ statusCode: 200, keepAlive: false });
      expect(response!.body.toString()).toBe('ok');
      expect(reader.push(raw('more'))).toBeUndefined(); // and whatever comes after is ignored
    }
  });

  it('holds repeated headers as Node does: the first retry-after, set-cookie as a list, the rest joined; no prototype keys', () => {
    const response = read(
      raw('HTTP/1.1 503 Busy\r\nRetry-After: 5\r\nretry-after: 7\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\nX-A: 1\r\nX-A: 2\r\nConstructor: c\r\nX-Pad: \t spaced \t\r\nContent-Length: 0\r\n\r\n'),
    )!;
    expect(response.headers['retry-after']).toBe('5');
    expect(response.headers['set-cookie']).toEqual(['a=1', 'b=2']);
    expect(response.headers['x-a']).toBe('1, 2');
    expect(response.headers.constructor).toBe('c');
    expect(response.headers['x-pad']).toBe('spaced');
  });

  it('reads chunk sizes with leading zeros; does not keep a connection that sent both Transfer-Encoding and Content-Length', () => {
    expect(read(raw('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0000000003\r\nabc\r\n0\r\n\r\n'))!.body.toString()).toBe('abc');
    const both = read(raw('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n3\r\nabc\r\n0\r\n\r\n'))!;
    expect(both.body.toString()).toBe('abc');
    expect(both.keepAlive).toBe(false);
  });

  it('a connection that closes before the response is complete is a hang-up (ECONNRESET), received or not', () => {
    const silent = new HttpResponseReader();
    expect(() => silent.end()).toThrow(expect.objectContaining({ code: 'ECONNRESET', message: 'socket hang up' }));
    expect(silent.received).toBe(false);
    const cut = new HttpResponseReader();
    cut.push(raw('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc'));
    expect(cut.received).toBe(true);
    expect(() => cut.end()).toThrow(expect.objectContaining({ code: 'ECONNRESET' }));
  });

  it.each([
    ['not HTTP at all', raw('SSH-2.0-OpenSSH\r\n\r\n'), 'HPE_INVALID_CONSTANT'],
    ['a header line without a name', raw('HTTP/1.1 200 OK\r\n: value\r\n\r\n'), 'HPE_INVALID_HEADER_TOKEN'],
    ['a folded header line', raw('HTTP/1.1 200 OK\r\nX-A: 1\r\n  folded\r\n\r\n'), 'HPE_INVALID_HEADER_TOKEN'],
    ['two Content-Lengths that disagree', raw('HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd'), 'HPE_INVALID_CONTENT_LENGTH'],
    ['a Content-Length that is not a number', raw('HTTP/1.1 200 OK\r\nContent-Length: 3x\r\n\r\nabc'), 'HPE_INVALID_CONTENT_LENGTH'],
    ['a chunk size that is not hex', raw('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'), 'HPE_INVALID_CHUNK_SIZE'],
    ['a chunk longer than its size', raw('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n'), 'HPE_INVALID_CHUNK_SIZE'],
    ['a head whose lines end in a bare LF (at once, not at the deadline)', raw('HTTP/1.1 200 OK\nContent-Length: 0\n\n'), 'HPE_CR_EXPECTED'],
    ['a chunk size past the body limit', raw(`HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${(MAX_BODY_BYTES + 1).toString(16)}\r\n`), 'ERR_RESPONSE_TOO_LARGE'],
    ['a protocol switch', raw('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n'), 'HPE_UNEXPECTED_UPGRADE'],
    ['headers past the limit', raw(`HTTP/1.1 200 OK\r\nX-Big: ${'a'.repeat(MAX_HEAD_BYTES)}\r\n\r\n`), 'HPE_HEADER_OVERFLOW'],
    ['headers that never end', raw(`HTTP/1.1 200 OK\r\nX-Big: ${'a'.repeat(MAX_HEAD_BYTES + 1)}`), 'HPE_HEADER_OVERFLOW'],
    ['a Content-Length past the body limit', raw(`HTTP/1.1 200 OK\r\nContent-Length: ${MAX_BODY_BYTES + 1}\r\n\r\n`), 'ERR_RESPONSE_TOO_LARGE'],
  ])('refuses %s with a code, quoting no header', (_what, bytes, code) => {
    let error: unknown;
    try {
      const reader = new HttpResponseReader();
      reader.push(bytes);
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ code });
    expect((error as Error).message).not.toMatch(/aaaa|websocket|SSH|OpenSSH/);
  });

  it('refuses a body framed by the close once it passes the body limit', () => {
    const reader = new HttpResponseReader();
    reader.push(raw('HTTP/1.1 200 OK\r\n\r\n'));
    const piece = Buffer.alloc(1024 * 1024);
    expect(() => {
      for (let i = 0; i <= MAX_BODY_BYTES / piece.length; i++) reader.push(piece);
    }).toThrow(expect.objectContaining({ code: 'ERR_RESPONSE_TOO_LARGE' }));
  });
});
