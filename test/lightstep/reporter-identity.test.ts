import * as lightstep from 'lightstep-tracer';
import * as collectorPb from 'lightstep-tracer/lib/imp/generated_proto/collector_pb';
import { readFileSync } from 'node:fs';
import { lightStepReporterTags, newReporterId, reportSenderFor, TRACER_VERSION } from '../../src/lightstep/reporter-identity';
import { COMPONENT_TAG, writeReportHeader } from '../../src/lightstep/wire';

/** What a real lightstep-tracer puts in front of its spans: its Reporter (runtime) and Auth. */
function tracerHeader(component: string, token: string): { guid: string; bytes: Buffer } {
  const tracer = new lightstep.Tracer({
    access_token: token,
    component_name: component,
    disable_reporting_loop: true,
    disable_report_on_exit: true,
    disable_meta_event_reporting: true,
    verbosity: 0,
  } as lightstep.TracerOptions);
  // Internals of 0.35.0 (tracer_imp.js): the runtime GUID, and the RuntimeImp and AuthImp it reports with.
  const internals = tracer as unknown as {
    _runtimeGUID: string;
    _runtime: { toProto(): collectorPb.Reporter };
    _auth: { toProto(): collectorPb.Auth };
  };
  const request = new collectorPb.ReportRequest();
  request.setReporter(internals._runtime.toProto());
  request.setAuth(internals._auth.toProto());
  return { guid: internals._runtimeGUID, bytes: Buffer.from(request.serializeBinary()) };
}

describe('reporter identity: what lightstep-tracer 0.35.0 tells LightStep about itself', () => {
  it('writes the reporter id, tags (in the tracer’s order) and token as the real tracer does, byte for byte', () => {
    for (const component of ['lambda_function', 'billing-worker', 'ünïcödé 😀']) {
      const tracer = tracerHeader(component, 'ls_token_0123456789abcdef');
      const ours = writeReportHeader({ reporterId: tracer.guid, tags: lightStepReporterTags(component), accessToken: 'ls_token_0123456789abcdef' });
      expect(ours.equals(tracer.bytes)).toBe(true);
    }
  });

  it('names the installed lightstep-tracer’s version (pinned exactly in package.json)', () => {
    const installed = JSON.parse(readFileSync(require.resolve('lightstep-tracer/package.json'), 'utf8')) as { version: string };
    const pinned = (JSON.parse(readFileSync(`${__dirname}/../../package.json`, 'utf8')) as { dependencies: Record<string, string> }).dependencies['lightstep-tracer'];
    expect([TRACER_VERSION, TRACER_VERSION]).toEqual([installed.version, pinned]);
  });

  it('names the component, the tracer version and the platform', () => {
    const tags = new Map(lightStepReporterTags('lambda_function'));
    expect(tags.get(COMPONENT_TAG)).toBe('lambda_function');
    expect(tags.get('lightstep.tracer_version')).toBe('0.35.0');
    expect(tags.get('lightstep.tracer_platform')).toBe('node');
    expect(tags.get('lightstep.tracer_platform_version')).toBe(process.version);
  });

  it('gives each component a fresh 64-bit reporter id, as each tracer has its own', () => {
    const ids = new Set(Array.from({ length: 100 }, () => newReporterId()));
    expect(ids.size).toBe(100);
    for (const id of ids) expect(id).toMatch(/^(?!0{16})[0-9a-f]{16}$/);
    const a = reportSenderFor('a', 't');
    const b = reportSenderFor('a', 't');
    expect(a.reporterId).not.toBe(b.reporterId);
  });
});
