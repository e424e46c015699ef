/**
 * `none`: the demo handler with no tracer at all (no traced() wrapper, no span, no flush): the
 * baseline every other mode's cost is measured against. With BENCH_CHILD_SPANS=10 it does the
 * same ten units of work the 11-span handlers wrap in child spans.
 */
import type { Context } from 'aws-lambda';
import { childSpansFromEnv, untracedAnswer, workUnit } from './workload';

const children = childSpansFromEnv();
let checksum = 0; // keeps the units of work from being optimised away

export const handler = async (event: unknown, context: Context) => {
  for (let i = 0; i < children; i++) checksum += workUnit(i);
  return untracedAnswer(event, context);
};

export const workDone = (): number => checksum;
