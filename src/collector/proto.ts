// Typed access to lightstep-tracer's own generated protobuf module, so the collector decodes
// exactly what the tracer encodes. The package ships no types for it: these interfaces list
// only the getters we call (checked against lib/imp/generated_proto/collector_pb.js, 0.35.0).

export interface PbTimestamp {
  getSeconds(): number;
  getNanos(): number;
}

export interface PbKeyValue {
  getKey(): string;
  /** 0 none, 2 string, 3 int, 4 double, 5 bool, 6 json. */
  getValueCase(): number;
  getStringValue(): string;
  /** int64: a decimal string (jspb) — sometimes a number. */
  getIntValue(): string | number;
  getDoubleValue(): number;
  getBoolValue(): boolean;
  getJsonValue(): string;
}

export interface PbSpanContext {
  /** uint64 as a decimal string. */
  getTraceId(): string;
  /** uint64 as a decimal string. */
  getSpanId(): string;
}

export interface PbReference {
  /** 0 CHILD_OF, 1 FOLLOWS_FROM. */
  getRelationship(): number;
  getSpanContext(): PbSpanContext | undefined;
}

export interface PbLog {
  getTimestamp(): PbTimestamp | undefined;
  getFieldsList(): PbKeyValue[];
}

export interface PbSpan {
  getSpanContext(): PbSpanContext | undefined;
  getOperationName(): string;
  getReferencesList(): PbReference[];
  getStartTimestamp(): PbTimestamp | undefined;
  /** uint64 as a decimal string. */
  getDurationMicros(): string | number;
  getTagsList(): PbKeyValue[];
  getLogsList(): PbLog[];
}

export interface PbReportRequest {
  getReporter(): { getTagsList(): PbKeyValue[] } | undefined;
  getAuth(): { getAccessToken(): string } | undefined;
  getSpansList(): PbSpan[];
}

interface CollectorPb {
  ReportRequest: { deserializeBinary(bytes: Uint8Array): PbReportRequest };
  ReportResponse: new () => { serializeBinary(): Uint8Array };
  KeyValue: { ValueCase: Record<string, number> };
  Reference: { Relationship: { CHILD_OF: number; FOLLOWS_FROM: number } };
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const collectorPb: CollectorPb = require('lightstep-tracer/lib/imp/generated_proto/collector_pb');

/** The bytes of an empty ReportResponse: no timing data, so tracers leave their clocks alone. */
export const EMPTY_REPORT_RESPONSE: Buffer = Buffer.from(new collectorPb.ReportResponse().serializeBinary());
