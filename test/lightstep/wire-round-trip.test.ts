import { BAGGAGE_TAG_PREFIX, decodeReportRequest, encodeReportRequest, InvalidReportError, spansFromReport, type SpanToReport } from '../../src/lightstep/wire';

// The report format's two halves (the forwarder encodes, the embedded collector decodes) are
// inverse: what one writes the other reads back exactly.
const spans: SpanToReport[] = [
  {
    traceId: '4bf92f3577b34da6',
    spanId: '00f067aa0ba902b7',
    operation: 'lambda-execution',
    component: 'lambda_function',
    startMicros: 1764045116123456,
    durationMicros: 1532,
    tags: { 'span.kind': 'server', 'faas.coldstart': false, 'http.status_code': 200, ratio: 0.25, empty: '' },
    logs: [{ timestampMicros: 1764045116124000, fields: { event: 'done', items: 0, ok: false, note: '' } }],
  },
  {
    // A 128-bit trace id keeps its lower 64 bits on LightStep's wire.
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    parentSpanId: '00f067aa0ba902b7',
    operation: 'compute',
    component: 'lambda_function',
    startMicros: 1764045116123999,
    durationMicros: 0,
    tags: {},
    logs: [],
    baggage: { tenant: 'acme' },
  },
];

describe('LightStep report format round trip', () => {
  it('decodes what it encodes: ids, parent, µs times, typed tags and logs; baggage as tags', () => {
    const bytes = encodeReportRequest({ component: 'lambda_function', accessToken: 'round-trip-token', spans });
    const report = decodeReportRequest(bytes);
    expect(report.getAuth()?.getAccessToken()).toBe('round-trip-token');
    const decoded = spansFromReport(report);
    expect(decoded).toEqual([
      { ...spans[0] },
      {
        traceId: '8448eb211c80319c',
        spanId: 'b7ad6b7169203331',
        parentSpanId: '00f067aa0ba902b7',
        operation: 'compute',
        component: 'lambda_function',
        startMicros: 1764045116123999,
        durationMicros: 0,
        tags: { [`${BAGGAGE_TAG_PREFIX}tenant`]: 'acme' },
        logs: [],
      },
    ]);
  });

  it('refuses bytes that are not a report', () => {
    expect(() => decodeReportRequest(Buffer.from('not a protobuf at all'))).toThrow(InvalidReportError);
  });
});
