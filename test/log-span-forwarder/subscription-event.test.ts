import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { CloudWatchLogsEvent } from 'aws-lambda';
import {
  decodeSubscriptionEvent,
  encodeSubscriptionEvent,
  MalformedSubscriptionEventError,
  MAX_PAYLOAD_BYTES,
  unzipChunkBytes,
  type SubscriptionPayload,
} from '../../src/log-span-forwarder/subscription-event';

const dataPayload: SubscriptionPayload = {
  messageType: 'DATA_MESSAGE',
  owner: '123456789012',
  logGroup: '/aws/lambda/fn',
  logStream: '2024/05/14/[$LATEST]abc',
  subscriptionFilters: ['span-lines'],
  logEvents: [{ id: '1', timestamp: 1715681730123, message: 'START RequestId: x\n' }],
};

function eventOf(data: string): CloudWatchLogsEvent {
  return { awslogs: { data } };
}

describe('decodeSubscriptionEvent', () => {
  it('reads back what encodeSubscriptionEvent wrote (real gzip + base64)', () => {
    const event = encodeSubscriptionEvent(dataPayload);
    expect(Buffer.from(event.awslogs.data, 'base64').subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    expect(decodeSubscriptionEvent(event)).toEqual(dataPayload);
  });

  it('reads back a payload that unzips to more than its largest output chunk, every event in order', () => {
    // Messages that compress poorly (random hex), so the payload unzips to ~3 MiB over several 1 MiB chunks.
    const logEvents = Array.from({ length: 1500 }, (_, i) => ({ id: String(i), timestamp: 1715681730123 + i, message: `${randomBytes(1024).toString('hex')}\n` }));
    const payload = { ...dataPayload, logEvents };
    const event = encodeSubscriptionEvent(payload);
    expect(Buffer.from(event.awslogs.data, 'base64').length * 8).toBeGreaterThan(2 * 1024 * 1024);
    expect(decodeSubscriptionEvent(event)).toEqual(payload);
  });

  it('unzips into chunks of a power of two of 8 times the payload, 64 KiB to 1 MiB', () => {
    expect(unzipChunkBytes(0)).toBe(64 * 1024);
    expect(unzipChunkBytes(8 * 1024)).toBe(64 * 1024);
    expect(unzipChunkBytes(8 * 1024 + 1)).toBe(128 * 1024);
    expect(unzipChunkBytes(10_000)).toBe(128 * 1024);
    expect(unzipChunkBytes(100_000)).toBe(1024 * 1024);
    expect(unzipChunkBytes(10 * 1024 * 1024)).toBe(1024 * 1024);
  });

  it('returns a CONTROL_MESSAGE as such (CloudWatch health check)', () => {
    const control = {
      messageType: 'CONTROL_MESSAGE',
      owner: 'CloudwatchLogs',
      logGroup: '',
      logStream: '',
      subscriptionFilters: [],
      logEvents: [{ id: '', timestamp: 1715681730123, message: 'CWL CONTROL MESSAGE: Checking health of destination Lambda.' }],
    } as SubscriptionPayload;
    expect(decodeSubscriptionEvent(encodeSubscriptionEvent(control)).messageType).toBe('CONTROL_MESSAGE');
  });

  it('reads base64 with its padding left off, as the alphabet check always did', () => {
    const paddings = new Set<number>();
    for (let extra = 0; extra < 12; extra++) {
      const payload = { ...dataPayload, logStream: 's'.repeat(extra) } as SubscriptionPayload;
      const data = encodeSubscriptionEvent(payload).awslogs.data;
      paddings.add(/=*$/.exec(data)![0].length);
      expect(decodeSubscriptionEvent(eventOf(data.replace(/=+$/, ''))).logStream).toBe(payload.logStream);
    }
    expect([...paddings].sort()).toEqual([0, 1, 2]);
  });

  it.each([
    ['no awslogs at all', {} as CloudWatchLogsEvent, /no awslogs.data/],
    ['an empty string', eventOf(''), /no awslogs.data/],
    ['characters outside base64', eventOf('H4sI!!!notbase64'), /not base64/],
    ...['H4sI AAAA', 'H4sI\nAAAA', 'H4sI-AAA', 'H4sI_AAA', 'H4s=IAAA', 'H4sIAAAA===', 'H4sIA', '=', 'H4sIAAAé', 'H4sIAAA*'].map(
      (data) => [`not base64: ${JSON.stringify(data)}`, eventOf(data), /not base64/] as [string, CloudWatchLogsEvent, RegExp],
    ),
    ['base64 that is not gzip', eventOf(Buffer.from('{"messageType":"DATA_MESSAGE"}').toString('base64')), /not gzip/],
    ['gzip that is not JSON', eventOf(gzipSync('START RequestId').toString('base64')), /not JSON/],
    ['JSON that is not an object', eventOf(gzipSync('[1,2]').toString('base64')), /not an object/],
    ['an unknown messageType', eventOf(gzipSync('{"messageType":"PING"}').toString('base64')), /unknown messageType "PING"/],
    [
      'logEvents missing',
      eventOf(gzipSync(JSON.stringify({ ...dataPayload, logEvents: undefined })).toString('base64')),
      /logEvents is not an array/,
    ],
    [
      'a log event without a message',
      eventOf(gzipSync(JSON.stringify({ ...dataPayload, logEvents: [{ id: '1', timestamp: 1 }] })).toString('base64')),
      /logEvents\[0\]/,
    ],
    ['a payload that unzips past MAX_PAYLOAD_BYTES (a zip bomb)', eventOf(gzipSync(Buffer.alloc(MAX_PAYLOAD_BYTES + 1, 32)).toString('base64')), /unzips to more than 32 MiB/],
  ])('rejects %s with a clear error', (_what, event, message) => {
    expect(() => decodeSubscriptionEvent(event)).toThrow(MalformedSubscriptionEventError);
    expect(() => decodeSubscriptionEvent(event)).toThrow(message);
  });
});
