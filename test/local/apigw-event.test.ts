import { fromProxyResult, toApiGatewayEvent } from '../../src/local/apigw-event';

const base = {
  method: 'POST',
  url: '/invoke/path?count=2&tag=a&tag=b',
  sourceIp: '127.0.0.1',
  requestId: 'req-1',
  receivedAt: new Date(Date.UTC(2024, 2, 5, 7, 8, 9)),
};

describe('toApiGatewayEvent (REST API v1 proxy event)', () => {
  it('keeps header names as the caller sent them, last value single, every value multi', () => {
    const event = toApiGatewayEvent({
      ...base,
      rawHeaders: ['Host', 'x', 'OT-Tracer-TraceId', 'abc', 'X-Multi', '1', 'X-Multi', '2'],
      body: Buffer.from('{"fail":true}'),
    });
    expect(event.headers).toEqual({ Host: 'x', 'OT-Tracer-TraceId': 'abc', 'X-Multi': '2' });
    expect(event.multiValueHeaders).toEqual({ Host: ['x'], 'OT-Tracer-TraceId': ['abc'], 'X-Multi': ['1', '2'] });
    expect(event.httpMethod).toBe('POST');
    expect(event.path).toBe('/invoke/path');
    expect(event.pathParameters).toEqual({ proxy: 'invoke/path' });
    expect(event.queryStringParameters).toEqual({ count: '2', tag: 'b' });
    expect(event.multiValueQueryStringParameters).toEqual({ count: ['2'], tag: ['a', 'b'] });
    expect(event.body).toBe('{"fail":true}');
    expect(event.isBase64Encoded).toBe(false);
    expect(event.requestContext).toMatchObject({
      requestId: 'req-1',
      stage: 'local',
      httpMethod: 'POST',
      requestTime: '05/Mar/2024:07:08:09 +0000',
      requestTimeEpoch: base.receivedAt.getTime(),
      identity: { sourceIp: '127.0.0.1' },
      domainName: 'x',
    });
  });

  it('null maps and body when absent; a non-UTF-8 body goes base64', () => {
    const empty = toApiGatewayEvent({ ...base, url: '/', rawHeaders: [], body: Buffer.alloc(0) });
    expect(empty.body).toBeNull();
    expect(empty.queryStringParameters).toBeNull();
    expect(empty.multiValueQueryStringParameters).toBeNull();
    expect(empty.pathParameters).toBeNull();
    const binary = toApiGatewayEvent({ ...base, rawHeaders: [], body: Buffer.from([0xff, 0xfe, 0x00, 0x80]) });
    expect(binary.isBase64Encoded).toBe(true);
    expect(Buffer.from(binary.body!, 'base64')).toEqual(Buffer.from([0xff, 0xfe, 0x00, 0x80]));
  });
});

describe('fromProxyResult', () => {
  it('maps a proxy response, base64 bodies decoded', () => {
    const reply = fromProxyResult({ statusCode: 201, headers: { 'content-type': 'text/plain' }, body: Buffer.from('hi').toString('base64'), isBase64Encoded: true });
    expect(reply.statusCode).toBe(201);
    expect(reply.headers['content-type']).toBe('text/plain');
    expect(reply.body.toString()).toBe('hi');
  });

  it.each([[undefined], [null], ['text'], [{ body: 'no status' }]])('answers 502 like API Gateway for a malformed result (%p)', (result) => {
    const reply = fromProxyResult(result);
    expect(reply.statusCode).toBe(502);
    expect(JSON.parse(reply.body.toString())).toEqual({ message: 'Internal server error' });
  });
});
