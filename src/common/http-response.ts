/**
 * An HTTP/1.1 response read off a socket as its bytes arrive (RFC 9112): the status line, the
 * headers, and a body framed by chunked transfer coding, Content-Length, or the connection's
 * close. Informational (1xx) responses before it are skipped. For http-post.ts, which writes
 * its requests itself: Node's http client costs a report more in its streams and ticks than the
 * whole report's bytes do (see docs/forwarder.md).
 */
import type { IncomingHttpHeaders } from 'node:http';

/** Node's default --max-http-header-size: a status line and headers larger than this are refused. */
export const MAX_HEAD_BYTES = 16 * 1024;
/** A collector's answer is a few bytes (a ReportResponse, an OTLP partial success, an error text): more is refused. */
export const MAX_BODY_BYTES = 8 * 1024 * 1024;

export interface HttpResponse {
  statusCode: number;
  statusMessage: string;
  /** Names in lower case, as Node's IncomingMessage.headers: a repeated header joined with ', ' (the first kept of single-value ones like retry-after; set-cookie a list). */
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** Whether the connection may carry another request after this response. */
  keepAlive: boolean;
}

/** A response the reader cannot accept: its message names what, never quotes a header's value. */
export class HttpResponseError extends Error {
  override readonly name = 'HttpResponseError';
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

const CR = 13;
const LF = 10;
const HEAD_END = Buffer.from('\r\n\r\n');
const BARE_LF_END = Buffer.from('\n\n');
const STATUS_LINE = /^HTTP\/1\.([01]) (\d{3})(?: (.*))?$/;
/** RFC 9110 token characters: what a header name may hold (requests and responses alike). */
export const HTTP_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Optional whitespace around a field value: spaces and tabs only. */
const OWS_EDGES = /^[ \t]+|[ \t]+$/g;

type Framing = { kind: 'length'; left: number } | { kind: 'chunked' } | { kind: 'close' } | { kind: 'none' };

/**
 * Feed it every chunk the socket reads: `push` answers the response once it is complete
 * (`undefined` while more is needed) and throws HttpResponseError for one it cannot read.
 * `end()` is the connection closing: it completes a body framed by the close, and throws for a
 * response cut short. `received` says whether any byte of an answer arrived (a reused socket that
 * fails before any is safe to try again).
 */
export class HttpResponseReader {
  received = false;
  private pending: Buffer = Buffer.alloc(0);
  private head: { statusCode: number; statusMessage: string; headers: IncomingHttpHeaders; keepAlive: boolean } | undefined;
  private framing: Framing = { kind: 'none' };
  private readonly body: Buffer[] = [];
  private bodyBytes = 0;
  /** In a chunked body: bytes of the current chunk still to read, or -1 while reading a size line. */
  private chunkLeft = -1;
  private inTrailers = false;
  private done: HttpResponse | undefined;

  push(chunk: Buffer): HttpResponse | undefined {
    // Bytes after a complete response: the answer stands, the connection is not reused (give()).
    if (this.done !== undefined) return undefined;
    if (chunk.length > 0) this.received = true;
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    for (;;) {
      if (this.head === undefined) {
        if (!this.readHead()) return undefined;
        continue;
      }
      const response = this.readBody();
      if (response === undefined) return undefined;
      // More bytes than the response (a stray CRLF, a second response nobody asked for): the
      // server took the request and answered it; only the connection is in doubt.
      if (this.pending.length > 0) response.keepAlive = false;
      this.done = response;
      return response;
    }
  }

  /** The peer closed the connection: the response if its body ran to the close, else a hang-up. */
  end(): HttpResponse {
    if (this.done !== undefined) return this.done;
    if (this.head !== undefined && this.framing.kind === 'close') {
      this.done = this.finish(false);
      return this.done;
    }
    throw new HttpResponseError('socket hang up', 'ECONNRESET');
  }

  /** Reads a status line and headers if all of them are here; skips a 1xx response. */
  private readHead(): boolean {
    const end = this.pending.indexOf(HEAD_END);
    if (end < 0) {
      if (this.pending.indexOf(BARE_LF_END) >= 0) throw new HttpResponseError('the response head ends its lines with LF, not CRLF', 'HPE_CR_EXPECTED');
      if (this.pending.length > MAX_HEAD_BYTES) throw new HttpResponseError(`the response's headers exceed ${MAX_HEAD_BYTES} bytes`, 'HPE_HEADER_OVERFLOW');
      return false;
    }
    if (end > MAX_HEAD_BYTES) throw new HttpResponseError(`the response's headers exceed ${MAX_HEAD_BYTES} bytes`, 'HPE_HEADER_OVERFLOW');
    const lines = this.pending.toString('latin1', 0, end).split('\r\n');
    this.pending = this.pending.subarray(end + HEAD_END.length);
    const status = STATUS_LINE.exec(lines[0]);
    if (status === null) throw new HttpResponseError('the answer is not an HTTP/1.x status line', 'HPE_INVALID_CONSTANT');
    const statusCode = Number(status[2]);
    // No prototype: a header named `constructor` or `__proto__` is a header like any other.
    const headers = Object.create(null) as IncomingHttpHeaders;
    const contentLengths: string[] = [];
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i];
      const colon = line.indexOf(':');
      const name = colon > 0 ? line.slice(0, colon) : '';
      // Obsolete line folding and names with spaces are refused, as Node's parser refuses them.
      if (!HTTP_TOKEN.test(name)) throw new HttpResponseError(`header line ${i} is not "name: value"`, 'HPE_INVALID_HEADER_TOKEN');
      const lower = name.toLowerCase();
      const value = line.slice(colon + 1).replace(OWS_EDGES, '');
      if (lower === 'content-length') contentLengths.push(value);
      addHeader(headers, lower, value);
    }
    if (statusCode >= 100 && statusCode < 200) {
      if (statusCode === 101) throw new HttpResponseError('the server switched protocols', 'HPE_UNEXPECTED_UPGRADE');
      return true; // 100 Continue, 103 Early Hints: the real answer follows
    }
    const http10 = status[1] === '0';
    const connection = tokens(headers.connection);
    const keepAlive = http10 ? connection.includes('keep-alive') : !connection.includes('close');
    this.head = { statusCode, statusMessage: status[3] ?? '', headers, keepAlive };
    this.framing = framingOf(statusCode, headers, contentLengths);
    // Framed by the close, or both Transfer-Encoding and Content-Length (RFC 9112 6.3: close after it).
    if (this.framing.kind === 'close' || (headers['transfer-encoding'] !== undefined && contentLengths.length > 0)) this.head.keepAlive = false;
    return true;
  }

  private readBody(): HttpResponse | undefined {
    const framing = this.framing;
    switch (framing.kind) {
      case 'none':
        return this.finish(this.head!.keepAlive);
      case 'length': {
        const take = Math.min(framing.left, this.pending.length);
        this.addBody(this.pending.subarray(0, take));
        this.pending = this.pending.subarray(take);
        framing.left -= take;
        return framing.left === 0 ? this.finish(this.head!.keepAlive) : undefined;
      }
      case 'close':
        this.addBody(this.pending);
        this.pending = Buffer.alloc(0);
        return undefined;
      case 'chunked':
        return this.readChunks();
    }
  }

  private readChunks(): HttpResponse | undefined {
    for (;;) {
      if (this.chunkLeft > 0) {
        const take = Math.min(this.chunkLeft, this.pending.length);
        this.addBody(this.pending.subarray(0, take));
        this.pending = this.pending.subarray(take);
        this.chunkLeft -= take;
        if (this.chunkLeft > 0) return undefined;
        this.chunkLeft = -2; // the CRLF after the chunk's data
      }
      const lineEnd = this.pending.indexOf(LF);
      if (lineEnd < 0) {
        if (this.pending.length > MAX_HEAD_BYTES) throw new HttpResponseError('a chunk size or trailer line is too long', 'HPE_INVALID_CHUNK_SIZE');
        return undefined;
      }
      if (lineEnd === 0 || this.pending[lineEnd - 1] !== CR) throw new HttpResponseError('a chunked body line does not end in CRLF', 'HPE_INVALID_CHUNK_SIZE');
      const line = this.pending.toString('latin1', 0, lineEnd - 1);
      this.pending = this.pending.subarray(lineEnd + 1);
      if (this.chunkLeft === -2) {
        if (line !== '') throw new HttpResponseError('a chunk runs past its size', 'HPE_INVALID_CHUNK_SIZE');
        this.chunkLeft = -1;
        continue;
      }
      if (this.inTrailers) {
        if (line === '') return this.finish(this.head!.keepAlive);
        continue; // trailer fields: read and dropped
      }
      // The size, in hex, maybe followed by chunk extensions (;name=value), which are ignored.
      const size = /^([0-9a-fA-F]{1,16})[ \t]*(?:;.*)?$/.exec(line);
      if (size === null) throw new HttpResponseError('a chunk size is not hex', 'HPE_INVALID_CHUNK_SIZE');
      const bytes = parseInt(size[1], 16);
      if (bytes > MAX_BODY_BYTES) throw new HttpResponseError(`the response's body exceeds ${MAX_BODY_BYTES} bytes`, 'ERR_RESPONSE_TOO_LARGE');
      if (bytes === 0) this.inTrailers = true;
      else this.chunkLeft = bytes;
    }
  }

  private addBody(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.bodyBytes += bytes.length;
    if (this.bodyBytes > MAX_BODY_BYTES) throw new HttpResponseError(`the response's body exceeds ${MAX_BODY_BYTES} bytes`, 'ERR_RESPONSE_TOO_LARGE');
    this.body.push(bytes);
  }

  private finish(keepAlive: boolean): HttpResponse {
    const head = this.head!;
    const body = this.body.length === 1 ? this.body[0] : Buffer.concat(this.body);
    return { statusCode: head.statusCode, statusMessage: head.statusMessage, headers: head.headers, body, keepAlive };
  }
}

/** How the body after these headers ends (RFC 9112 section 6.3). */
function framingOf(statusCode: number, headers: IncomingHttpHeaders, contentLengths: readonly string[]): Framing {
  if (statusCode === 204 || statusCode === 304) return { kind: 'none' };
  const coding = headers['transfer-encoding'];
  if (coding !== undefined) {
    const codings = tokens(coding);
    if (codings[codings.length - 1] !== 'chunked') return { kind: 'close' };
    return { kind: 'chunked' };
  }
  if (contentLengths.length > 0) {
    // Repeated (or a list): every value must agree.
    const values = new Set(contentLengths.join(',').split(',').map((v) => v.trim()));
    const [only] = values;
    if (values.size !== 1 || !/^\d{1,15}$/.test(only)) throw new HttpResponseError('the Content-Length is not one number', 'HPE_INVALID_CONTENT_LENGTH');
    const left = Number(only);
    if (left > MAX_BODY_BYTES) throw new HttpResponseError(`the response's body exceeds ${MAX_BODY_BYTES} bytes`, 'ERR_RESPONSE_TOO_LARGE');
    return left === 0 ? { kind: 'none' } : { kind: 'length', left };
  }
  return { kind: 'close' };
}

/** Headers of which Node's http keeps the first when one is repeated (the rest it joins with ', '). */
const FIRST_ONLY = new Set([
  'age',
  'authorization',
  'content-length',
  'content-type',
  'etag',
  'expires',
  'from',
  'host',
  'if-modified-since',
  'if-unmodified-since',
  'last-modified',
  'location',
  'max-forwards',
  'proxy-authorization',
  'referer',
  'retry-after',
  'server',
  'user-agent',
]);

/** As IncomingMessage.headers holds them: the first of a single-value header, set-cookie as a list, the rest joined. */
function addHeader(headers: IncomingHttpHeaders, name: string, value: string): void {
  const before = headers[name];
  if (name === 'set-cookie') headers['set-cookie'] = [...(headers['set-cookie'] ?? []), value];
  else if (before === undefined) (headers as Record<string, string>)[name] = value;
  else if (!FIRST_ONLY.has(name)) (headers as Record<string, string>)[name] = `${String(before)}, ${value}`;
}

/** A comma-separated header's tokens in lower case. */
function tokens(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return String(value)
    .split(',')
    .map((token) => token.trim().toLowerCase())
    .filter((token) => token.length > 0);
}
