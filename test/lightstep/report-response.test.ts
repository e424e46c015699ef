import * as collectorPb from 'lightstep-tracer/lib/imp/generated_proto/collector_pb';
import { Timestamp } from '../../src/lightstep/wire/collector-pb';
import { checkReportResponse } from '../../src/lightstep/wire/report-response';
import { EMPTY_REPORT_RESPONSE } from '../../src/lightstep/wire';

/** A ReportResponse with every field set, as collector_pb serializes it. */
function fullResponse(): Buffer {
  const response = new collectorPb.ReportResponse() as unknown as Record<string, (value: unknown) => void>;
  const stamp = new Timestamp();
  stamp.setSeconds(1_764_045_116);
  stamp.setNanos(123_000);
  // Command is not in the project's collector_pb declarations: the generated module has it.
  const { Command } = collectorPb as unknown as { Command: new () => { setDisable(value: boolean): void; setDevMode(value: boolean): void } };
  const command = new Command();
  command.setDisable(false);
  command.setDevMode(true);
  response.setCommandsList([command]);
  response.setReceiveTimestamp(stamp);
  response.setTransmitTimestamp(stamp);
  response.setErrorsList(['an error', '€ 😀']);
  response.setWarningsList(['a warning']);
  response.setInfosList(['info']);
  return Buffer.from((response as unknown as collectorPb.ReportResponse).serializeBinary());
}

describe('checkReportResponse: a 200 body is a ReportResponse, without decoding it', () => {
  it('accepts what collector_pb serializes, empty included, and fields it does not know', () => {
    expect(() => checkReportResponse(EMPTY_REPORT_RESPONSE)).not.toThrow();
    expect(() => checkReportResponse(Buffer.alloc(0))).not.toThrow();
    const full = fullResponse();
    expect(full.length).toBeGreaterThan(40);
    expect(() => checkReportResponse(full)).not.toThrow();
    // Unknown fields of every wire type (a newer collector): skipped, as collector_pb skips them.
    const unknown = Buffer.concat([full, Buffer.from([0x38, 0x96, 0x01, 0x41, 1, 2, 3, 4, 5, 6, 7, 8, 0x4a, 0x02, 0x68, 0x69, 0x55, 1, 2, 3, 4])]);
    expect(() => checkReportResponse(unknown)).not.toThrow();
    expect(() => collectorPb.ReportResponse.deserializeBinary(unknown)).not.toThrow();
  });

  it.each([
    ['text', Buffer.from('not protobuf')],
    ['JSON', Buffer.from('{"ok":true}')],
    ['a known field with another wire type', Buffer.from([0x08, 0x01])],
    ['a length past the end', Buffer.from([0x22, 0x05, 0x61])],
    ['a varint cut short', Buffer.from([0x38, 0x96])],
  ])('refuses %s, as collector_pb does', (_what, body) => {
    expect(() => checkReportResponse(body)).toThrow();
    expect(() => collectorPb.ReportResponse.deserializeBinary(body)).toThrow();
  });

  it.each([
    // '<' is an end-group key: collector_pb stops reading there and calls it an empty response.
    ['an HTML page (a proxy answering 200)', Buffer.from('<html><body>502 Bad Gateway</body></html>')],
    ['field number 0', Buffer.from([0x02, 0x00])],
    ['a ReportResponse cut short', fullResponse().subarray(0, 20)],
  ])('refuses %s, where collector_pb reads an empty or partial response', (_what, body) => {
    expect(() => checkReportResponse(body)).toThrow();
  });
});
