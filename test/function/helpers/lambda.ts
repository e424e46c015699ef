import type { Context } from 'aws-lambda';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { decodeSpanLine, type FinishedSpan, type LineSource } from '../../../src/span-line';
import { LogTracer } from '../../../src/function/log-tracer';

export function lambdaContext(overrides: Partial<Context> = {}): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'demo-function',
    functionVersion: '7',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:demo-function',
    memoryLimitInMB: '128',
    awsRequestId: 'c0ffee00-0000-4000-8000-000000000001',
    logGroupName: '/aws/lambda/demo-function',
    logStreamName: '2026/11/25/[7]abcdef',
    getRemainingTimeInMillis: () => 10_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
    ...overrides,
  };
}

export function loadEvent(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(resolve(__dirname, '../../../events', name), 'utf8')) as Record<string, unknown>;
}

export function decodeAll(lines: string[], source?: LineSource): FinishedSpan[] {
  return lines.flatMap((line) => {
    const decoded = decodeSpanLine(line, source);
    if (!decoded.ok) throw new Error(`undecodable span line (${decoded.reason} ${decoded.detail ?? ''}): ${line}`);
    return decoded.spans;
  });
}

export function capturingTracer(componentName = 'lambda_function'): { tracer: LogTracer; lines: string[] } {
  const lines: string[] = [];
  return { tracer: new LogTracer({ componentName, emit: (line) => lines.push(line) }), lines };
}
