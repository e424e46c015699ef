// The OTLP trace messages (opentelemetry-proto v1: collector/trace/v1/trace_service.proto,
// trace/v1/trace.proto, common/v1/common.proto, resource/v1/resource.proto) as a protobufjs
// descriptor, for the embedded collector's decoding and the bench. Field names are the JSON
// mapping's lowerCamelCase, so decoded messages and OTLP/JSON bodies have the same keys. The
// field numbers and types are the protocol's; the tests check them against the real
// OpenTelemetry SDK's exporter and otlp-transformer's serializer.
import * as protobuf from 'protobufjs';

const repeated = (type: string, id: number) => ({ rule: 'repeated', type, id });

const DESCRIPTOR = {
  nested: {
    otlp: {
      nested: {
        AnyValue: {
          oneofs: { value: { oneof: ['stringValue', 'boolValue', 'intValue', 'doubleValue', 'arrayValue', 'kvlistValue', 'bytesValue'] } },
          fields: {
            stringValue: { type: 'string', id: 1 },
            boolValue: { type: 'bool', id: 2 },
            intValue: { type: 'int64', id: 3 },
            doubleValue: { type: 'double', id: 4 },
            arrayValue: { type: 'ArrayValue', id: 5 },
            kvlistValue: { type: 'KeyValueList', id: 6 },
            bytesValue: { type: 'bytes', id: 7 },
          },
        },
        ArrayValue: { fields: { values: repeated('AnyValue', 1) } },
        KeyValueList: { fields: { values: repeated('KeyValue', 1) } },
        KeyValue: { fields: { key: { type: 'string', id: 1 }, value: { type: 'AnyValue', id: 2 } } },
        InstrumentationScope: {
          fields: {
            name: { type: 'string', id: 1 },
            version: { type: 'string', id: 2 },
            attributes: repeated('KeyValue', 3),
            droppedAttributesCount: { type: 'uint32', id: 4 },
          },
        },
        Resource: { fields: { attributes: repeated('KeyValue', 1), droppedAttributesCount: { type: 'uint32', id: 2 } } },
        ExportTraceServiceRequest: { fields: { resourceSpans: repeated('ResourceSpans', 1) } },
        ExportTraceServiceResponse: { fields: { partialSuccess: { type: 'ExportTracePartialSuccess', id: 1 } } },
        ExportTracePartialSuccess: { fields: { rejectedSpans: { type: 'int64', id: 1 }, errorMessage: { type: 'string', id: 2 } } },
        ResourceSpans: { fields: { resource: { type: 'Resource', id: 1 }, scopeSpans: repeated('ScopeSpans', 2), schemaUrl: { type: 'string', id: 3 } } },
        ScopeSpans: { fields: { scope: { type: 'InstrumentationScope', id: 1 }, spans: repeated('Span', 2), schemaUrl: { type: 'string', id: 3 } } },
        Span: {
          fields: {
            traceId: { type: 'bytes', id: 1 },
            spanId: { type: 'bytes', id: 2 },
            traceState: { type: 'string', id: 3 },
            parentSpanId: { type: 'bytes', id: 4 },
            flags: { type: 'fixed32', id: 16 },
            name: { type: 'string', id: 5 },
            kind: { type: 'int32', id: 6 },
            startTimeUnixNano: { type: 'fixed64', id: 7 },
            endTimeUnixNano: { type: 'fixed64', id: 8 },
            attributes: repeated('KeyValue', 9),
            droppedAttributesCount: { type: 'uint32', id: 10 },
            events: repeated('Event', 11),
            droppedEventsCount: { type: 'uint32', id: 12 },
            links: repeated('Link', 13),
            droppedLinksCount: { type: 'uint32', id: 14 },
            status: { type: 'Status', id: 15 },
          },
        },
        Event: {
          fields: {
            timeUnixNano: { type: 'fixed64', id: 1 },
            name: { type: 'string', id: 2 },
            attributes: repeated('KeyValue', 3),
            droppedAttributesCount: { type: 'uint32', id: 4 },
          },
        },
        Link: {
          fields: {
            traceId: { type: 'bytes', id: 1 },
            spanId: { type: 'bytes', id: 2 },
            traceState: { type: 'string', id: 3 },
            attributes: repeated('KeyValue', 4),
            droppedAttributesCount: { type: 'uint32', id: 5 },
            flags: { type: 'fixed32', id: 6 },
          },
        },
        // Enums as int32: the values (SpanKind 0-5, StatusCode 0-2) are read as numbers, the way
        // OTLP/JSON carries them.
        Status: { fields: { message: { type: 'string', id: 2 }, code: { type: 'int32', id: 3 } } },
        /** google.rpc.Status, the body of an OTLP/HTTP error answer (details left out). */
        RpcStatus: { fields: { code: { type: 'int32', id: 1 }, message: { type: 'string', id: 2 } } },
      },
    },
  },
};

let root: protobuf.Root | undefined;

/** The message types, built on first use. */
export function otlpType(name: 'ExportTraceServiceRequest' | 'ExportTraceServiceResponse' | 'RpcStatus'): protobuf.Type {
  root ??= protobuf.Root.fromJSON(DESCRIPTOR);
  return root.lookupType(`otlp.${name}`);
}
