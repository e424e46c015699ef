// Types for the parts of lightstep-tracer's generated protobuf module (and google-protobuf's
// Timestamp) that src/lightstep/wire encodes and decodes reports with (the one set of typings). lightstep-tracer 0.35.0
// ships no types for them; these follow lib/imp/generated_proto/collector_pb.js. uint64/int64
// fields are jstype=string there: ids, durations and int values go in as decimal strings.
declare module 'lightstep-tracer/lib/imp/generated_proto/collector_pb' {
  /** google.protobuf.Timestamp as google-protobuf 3.21 generates it. */
  export interface ProtoTimestamp {
    setSeconds(seconds: number): void;
    setNanos(nanos: number): void;
    getSeconds(): number;
    getNanos(): number;
  }

  abstract class Message {
    serializeBinary(): Uint8Array;
    toObject(): Record<string, unknown>;
  }

  export class SpanContext extends Message {
    setTraceId(decimalUint64: string): void;
    setSpanId(decimalUint64: string): void;
    getTraceId(): string;
    getSpanId(): string;
  }

  export class KeyValue extends Message {
    setKey(key: string): void;
    setStringValue(value: string): void;
    /** int64 as a decimal string. */
    setIntValue(value: string): void;
    setDoubleValue(value: number): void;
    setBoolValue(value: boolean): void;
    setJsonValue(value: string): void;
    getKey(): string;
    getStringValue(): string;
    getIntValue(): string;
    getDoubleValue(): number;
    getBoolValue(): boolean;
    getJsonValue(): string;
    /** 0 none, 2 string, 3 int, 4 double, 5 bool, 6 json. */
    getValueCase(): number;
    static ValueCase: { VALUE_NOT_SET: 0; STRING_VALUE: 2; INT_VALUE: 3; DOUBLE_VALUE: 4; BOOL_VALUE: 5; JSON_VALUE: 6 };
  }

  export class Log extends Message {
    setTimestamp(timestamp: ProtoTimestamp): void;
    setFieldsList(fields: KeyValue[]): void;
    getTimestamp(): ProtoTimestamp | undefined;
    getFieldsList(): KeyValue[];
  }

  export class Reference extends Message {
    static Relationship: { CHILD_OF: 0; FOLLOWS_FROM: 1 };
    setRelationship(relationship: 0 | 1): void;
    setSpanContext(context: SpanContext): void;
    getRelationship(): number;
    getSpanContext(): SpanContext | undefined;
  }

  export class Span extends Message {
    static deserializeBinary(bytes: Uint8Array): Span;
    setSpanContext(context: SpanContext): void;
    setOperationName(name: string): void;
    setReferencesList(references: Reference[]): void;
    setStartTimestamp(timestamp: ProtoTimestamp): void;
    /** uint64 as a decimal string. */
    setDurationMicros(micros: string): void;
    setTagsList(tags: KeyValue[]): void;
    setLogsList(logs: Log[]): void;
    getSpanContext(): SpanContext | undefined;
    getOperationName(): string;
    getReferencesList(): Reference[];
    getStartTimestamp(): ProtoTimestamp | undefined;
    getDurationMicros(): string;
    getTagsList(): KeyValue[];
    getLogsList(): Log[];
  }
}

declare module 'lightstep-tracer/lib/imp/generated_proto/collector_pb' {
  export class ReportResponse extends Message {
    static deserializeBinary(bytes: Uint8Array): ReportResponse;
  }

  export class Reporter extends Message {
    setReporterId(id: string): void;
    setTagsList(tags: KeyValue[]): void;
    getTagsList(): KeyValue[];
  }

  export class Auth extends Message {
    setAccessToken(token: string): void;
    getAccessToken(): string;
  }

  export class ReportRequest extends Message {
    static deserializeBinary(bytes: Uint8Array): ReportRequest;
    setReporter(reporter: Reporter): void;
    setAuth(auth: Auth): void;
    setSpansList(spans: Span[]): void;
    getReporter(): Reporter | undefined;
    getAuth(): Auth | undefined;
    getSpansList(): Span[];
  }
}
