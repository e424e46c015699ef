import { recordClientSockets } from '../common/client-sockets';
import { EventEmitter } from 'node:events';
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import * as lightstep from 'lightstep-tracer';
import { startCollector, type RunningCollector } from '../../src/collector/server';
import * as collectorPb from 'lightstep-tracer/lib/imp/generated_proto/collector_pb';
import { createLightStepReporter, KeepAliveReportTransport, ReportError } from '../../src/lightstep';
import { Timestamp } from '../../src/lightstep/wire/collector-pb';

// The shared override_transport, driven by the real lightstep-tracer against real HTTP servers on
// 127.0.0.1. The users' own suites (test/function/direct-mode, test/service/service,
// test/log-span-forwarder/lightstep-exporter) check it in place, including the process-level
// MaxListenersExceededWarning that jest's sandbox cannot see.

const TOKEN = 'ls_transport_token_0123456789';

interface TestServer {
  port: number;
  requests: Array<{ url: string; headers: http.IncomingHttpHeaders; body: Buffer }>;
  /** Connections ever opened to the server. */
  connections: number;
  /** Resolves once `count` connections have closed. */
  closedConnections(count: number): Promise<void>;
  close(): Promise<void>;
}

/** An HTTP server recording requests and connections; `answer` replies (or drops the socket). */
async function startServer(answer: (req: http.IncomingMessage, res: http.ServerResponse, body: Buffer) => void): Promise<TestServer> {
  const state = { requests: [] as TestServer['requests'], connections: 0, closed: 0 };
  const closes = new EventEmitter();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      state.requests.push({ url: req.url ?? '', headers: req.headers, body });
      answer(req, res, body);
    });
  });
  server.on('connection', (socket: Socket) => {
    state.connections++;
    socket.on('close', () => closes.emit('close', ++state.closed));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    get requests() {
      return state.requests;
    },
    get connections() {
      return state.connections;
    },
    closedConnections: (count) =>
      new Promise<void>((resolve) => {
        if (state.closed >= count) return resolve();
        closes.on('close', (closed: number) => closed >= count && resolve());
      }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// An empty ReportResponse serializes to zero bytes: a 200 with an empty body is a valid answer.
const accept = (_req: http.IncomingMessage, res: http.ServerResponse): void => void res.writeHead(200).end();

function tracerVia(transport: KeepAliveReportTransport, port: number, extra: Record<string, unknown> = {}): lightstep.Tracer {
  return new lightstep.Tracer({
    access_token: TOKEN,
    component_name: 'transport-test',
    collector_host: '127.0.0.1',
    collector_port: port,
    collector_encryption: 'none',
    disable_reporting_loop: true,
    disable_report_on_exit: true,
    disable_meta_event_reporting: true,
    verbosity: 0,
    override_transport: transport,
    ...extra,
  } as lightstep.TracerOptions);
}

/** One span, one flush: resolves with the error flush() reports (null on success). */
function reportOne(tracer: lightstep.Tracer, operation = 'op'): Promise<Error | null> {
  tracer.startSpan(operation).finish();
  return new Promise((resolve) => tracer.flush((err) => resolve(err ?? null)));
}

describe('KeepAliveReportTransport', () => {
  const transports: KeepAliveReportTransport[] = [];
  const servers: TestServer[] = [];
  const newTransport = (): KeepAliveReportTransport => {
    const transport = new KeepAliveReportTransport();
    transports.push(transport);
    return transport;
  };
  const server = async (answer: Parameters<typeof startServer>[0]): Promise<TestServer> => {
    const started = await startServer(answer);
    servers.push(started);
    return started;
  };
  afterEach(async () => {
    for (const transport of transports.splice(0)) transport.close();
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  describe('against the embedded collector', () => {
    let collector: RunningCollector;
    beforeEach(async () => {
      // The collector checks the token: a stored span proves the header was sent.
      collector = await startCollector({ port: 0, dbPath: ':memory:', accessToken: TOKEN });
    });
    afterEach(() => collector.close());

    it("delivers the tracer's reports: every span stored, flush() succeeds", async () => {
      const tracer = tracerVia(newTransport(), collector.port);
      for (const operation of ['first', 'second', 'third']) expect(await reportOne(tracer, operation)).toBeNull();
      expect(collector.store.countSpans()).toBe(3);
    });

    it('does not pile up socket listeners over many flushes on a kept-alive connection', async () => {
      // The stock transport adds a 'timeout' listener per report to the reused socket
      // (MaxListenersExceededWarning on the 11th flush); this one must not.
      const recorded = recordClientSockets();
      const counts: string[] = [];
      try {
        const tracer = tracerVia(newTransport(), collector.port);
        for (let i = 0; i < 15; i++) {
          expect(await reportOne(tracer, `op-${i}`)).toBeNull();
          counts.push(recorded.listenerCounts());
        }
      } finally {
        recorded.stop();
      }
      expect(collector.store.countSpans()).toBe(15);
      expect(recorded.sockets).toHaveLength(1);
      expect(new Set(counts)).toEqual(new Set([counts[0]]));
    });
  });

  it("sends the stock transport's request on one kept-alive socket, under collector_path", async () => {
    const target = await server(accept);
    const tracer = tracerVia(newTransport(), target.port, { collector_path: '/prefix/' });
    for (let i = 0; i < 5; i++) expect(await reportOne(tracer)).toBeNull();
    expect(target.requests).toHaveLength(5);
    expect(target.connections).toBe(1);
    const { url, headers, body } = target.requests[0]!;
    expect(url).toBe('/prefix/api/v2/reports');
    expect(headers).toMatchObject({
      'lightstep-access-token': TOKEN,
      'content-type': 'application/octet-stream',
      accept: 'application/octet-stream',
      'user-agent': 'LightStep-JavaScript-Node',
      'content-length': String(body.length),
    });
  });

  it('sends a report once more on a fresh socket when the reused one died (a Lambda thaw), and only once', async () => {
    const seenSockets = new Set<Socket>();
    let killed = 0;
    const target = await server((req, res) => {
      // The first request on an already-used socket plays the socket the server closed while the
      // client was frozen.
      if (killed === 0 && seenSockets.has(req.socket)) {
        killed++;
        return void req.socket.destroy();
      }
      seenSockets.add(req.socket);
      accept(req, res);
    });
    const tracer = tracerVia(newTransport(), target.port);
    for (const operation of ['first', 'second', 'third']) expect(await reportOne(tracer, operation)).toBeNull();
    expect(killed).toBe(1);
    expect(target.requests).toHaveLength(4); // three reports, the second sent twice
    expect(target.connections).toBe(2);
  });

  it('does not resend when a fresh socket fails, nor a second time when the resend fails too', async () => {
    const dropAll = await server((req) => void req.socket.destroy());
    const fresh = await reportOne(tracerVia(newTransport(), dropAll.port));
    expect(fresh).toBeInstanceOf(ReportError);
    expect((fresh as ReportError).code).toBe('ECONNRESET');
    expect(dropAll.requests).toHaveLength(1);

    let answered = 0;
    const answerOnce = await server((req, res) => (answered++ === 0 ? accept(req, res) : req.socket.destroy()));
    const tracer = tracerVia(newTransport(), answerOnce.port);
    expect(await reportOne(tracer)).toBeNull();
    const afterResend = await reportOne(tracer);
    expect(afterResend).toBeInstanceOf(ReportError);
    expect(answerOnce.requests).toHaveLength(3); // the reused socket, then one fresh socket
  });

  it('a refused report is an error naming the URL, the status and the body, never the token', async () => {
    const target = await server((req, res) => {
      res.writeHead(403, 'Forbidden').end(`token ${String(req.headers['lightstep-access-token'])}\n  is not allowed`);
    });
    const tracer = tracerVia(newTransport(), target.port);
    const error = await reportOne(tracer);
    expect(error).toBeInstanceOf(ReportError);
    expect(error!.message).toBe(`POST http://127.0.0.1:${target.port}/api/v2/reports answered 403 Forbidden: token [redacted] is not allowed`);
    expect(String(error)).not.toContain(TOKEN);
    expect(tracer._spanRecords).toHaveLength(1); // the tracer kept the span for a later report
  });

  it('redacts before cutting the body excerpt: a token straddling the cut leaves no piece behind', async () => {
    const padding = 'x'.repeat(200 - 'denied '.length - 5); // the token starts 5 characters before the cut
    const target = await server((req, res) => {
      res.writeHead(403, 'Forbidden').end(`denied ${padding}${String(req.headers['lightstep-access-token'])} tail`);
    });
    const error = await reportOne(tracerVia(newTransport(), target.port));
    const excerpt = `denied ${padding}[redacted] tail`.slice(0, 200);
    expect(error!.message).toBe(`POST http://127.0.0.1:${target.port}/api/v2/reports answered 403 Forbidden: ${excerpt}`);
    expect(error!.message).not.toContain(TOKEN.slice(0, 5));
  });

  it('with a token too short to redact (1 char), an echoing body is left out and the rest reads as written', async () => {
    const target = await server((req, res) => {
      res.writeHead(403, 'Forbidden').end(`LightStep rejected token ${String(req.headers['lightstep-access-token'])}`);
    });
    const tracer = tracerVia(newTransport(), target.port, { access_token: 't' });
    const error = await reportOne(tracer);
    expect(error).toBeInstanceOf(ReportError);
    expect(error!.message).toBe(
      `POST http://127.0.0.1:${target.port}/api/v2/reports answered 403 Forbidden (text not shown: the access token is too short to redact)`,
    );
    expect(target.requests[0]!.headers['lightstep-access-token']).toBe('t'); // it was sent all the same
  });

  it('a token Node refuses as a header value fails the report with the code only, the token not quoted', async () => {
    const target = await server(accept);
    const transport = newTransport();
    transport.ensureConnection({ collector_host: '127.0.0.1', collector_port: target.port, collector_encryption: 'none', report_timeout_millis: 1000 });
    const badToken = 'ls_token_with\nnewline_0123456789';
    const report = { toProto: () => ({ serializeBinary: () => new Uint8Array([]) }) };
    const error = await new Promise<Error | null>((resolve) => transport.report(false, { getAccessToken: () => badToken }, report, resolve));
    expect(error).toBeInstanceOf(ReportError);
    expect((error as ReportError).code).toBe('ERR_INVALID_CHAR');
    expect(error!.message).toBe(`POST http://127.0.0.1:${target.port}/api/v2/reports: the request could not be built (ERR_INVALID_CHAR)`);
    expect(target.requests).toHaveLength(0);
  });

  it('a 200 whose body is not a ReportResponse is a failed report', async () => {
    const target = await server((_req, res) => void res.writeHead(200).end('not protobuf'));
    const error = await reportOne(tracerVia(newTransport(), target.port));
    expect(error).toBeInstanceOf(ReportError);
    expect(error!.message).toContain('answered 200 with a body that is not a ReportResponse');
  });

  it('gives up on a collector that never answers after report_timeout_millis, with code ETIMEDOUT', async () => {
    const silent = await server(() => undefined);
    const error = await reportOne(tracerVia(newTransport(), silent.port, { report_timeout_millis: 100 }));
    expect(error).toBeInstanceOf(ReportError);
    expect((error as ReportError).code).toBe('ETIMEDOUT');
    expect(error!.message).toBe(`POST http://127.0.0.1:${silent.port}/api/v2/reports: no answer within 100 ms`);
  });

  it('an unreachable collector is an error with the network code', async () => {
    const gone = await startServer(accept);
    await gone.close(); // a port nothing listens on any more
    const error = await reportOne(tracerVia(newTransport(), gone.port));
    expect((error as ReportError).code).toBe('ECONNREFUSED');
    expect(error!.message).toContain(`POST http://127.0.0.1:${gone.port}/api/v2/reports: connect ECONNREFUSED`);
  });

  it("collector_encryption other than 'none' speaks TLS", async () => {
    const plain = await server(accept);
    const error = await reportOne(tracerVia(newTransport(), plain.port, { collector_encryption: 'tls' }));
    expect(error).toBeInstanceOf(ReportError);
    expect(error!.message).toContain(`POST https://127.0.0.1:${plain.port}/api/v2/reports`);
    expect(plain.requests).toHaveLength(0); // a TLS ClientHello is no HTTP request
  });

  it('close() destroys the kept-alive socket; a later report opens a new one', async () => {
    const target = await server(accept);
    const transport = newTransport();
    const tracer = tracerVia(transport, target.port);
    expect(await reportOne(tracer)).toBeNull();
    transport.close();
    await target.closedConnections(1); // the server sees the client hang up (else: test timeout)
    expect(await reportOne(tracer)).toBeNull();
    expect(target.connections).toBe(2);
  });

  it('a report that cannot be serialized fails without a request', async () => {
    const target = await server(accept);
    const transport = newTransport();
    transport.ensureConnection({ collector_host: '127.0.0.1', collector_port: target.port, collector_encryption: 'none', report_timeout_millis: 1000 });
    const auth = { getAccessToken: () => TOKEN };
    const broken = {
      toProto: () => {
        throw new Error(`cannot encode span for ${TOKEN}`);
      },
    };
    const error = await new Promise<Error | null>((resolve) => transport.report(false, auth, broken, (err) => resolve(err)));
    expect(error?.message).toBe('could not serialize the report: cannot encode span for [redacted]');
    expect(target.requests).toHaveLength(0);
  });

  it('hands a tracer made by createLightStepReporter the decoded ReportResponse (clock-skew correction reads its timing); by default only checks it', async () => {
    const stamp = new Timestamp();
    stamp.setSeconds(1_764_045_116);
    stamp.setNanos(250_000_000);
    const response = new collectorPb.ReportResponse() as unknown as { setReceiveTimestamp(t: unknown): void; setTransmitTimestamp(t: unknown): void; serializeBinary(): Uint8Array };
    response.setReceiveTimestamp(stamp);
    response.setTransmitTimestamp(stamp);
    const body = Buffer.from(response.serializeBinary());
    const target = await server((_req, res) => void res.writeHead(200).end(body));
    const reporter = createLightStepReporter(
      { accessToken: TOKEN, collectorHost: '127.0.0.1', collectorPort: target.port, collectorEncryption: 'none', reportTimeoutMillis: 1000 },
      { componentName: 'clock' },
    );
    try {
      const answers: unknown[] = [];
      reporter.tracer.on('report', (_report: unknown, res: unknown) => answers.push(res));
      reporter.tracer.startSpan('op').finish();
      await reporter.flush();
      expect(answers).toEqual([expect.objectContaining({ receiveTimestamp: { seconds: 1_764_045_116, nanos: 250_000_000 } })]);
    } finally {
      reporter.close();
    }
    // The transport alone (the forwarder's ReportClient): checked, nothing decoded.
    const plain = newTransport();
    plain.ensureConnection({ collector_host: '127.0.0.1', collector_port: target.port, collector_encryption: 'none', report_timeout_millis: 1000 });
    const outcome = await new Promise<unknown[]>((resolve) => plain.send(Buffer.from([]), TOKEN, (...args) => resolve(args)));
    expect(outcome).toEqual([null, undefined]);
  });
});
