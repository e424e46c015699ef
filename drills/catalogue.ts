// The drills, in the order they run: each exports run(size, context) and problems(result).
import * as duplicate from './duplicate';
import * as fuzz from './fuzz';
import * as load from './load';
import * as outage from './outage';
import * as oversized from './oversized';
import * as slowCollector from './slow-collector';
import type { DrillContext, DrillResult, DrillSize } from './support/drill';

export interface Drill {
  name: string;
  /** What issue 13 asks of it, for the report. */
  what: string;
  run(size: DrillSize, context: DrillContext): Promise<DrillResult>;
  problems(result: DrillResult): string[];
}

export const DRILLS: readonly Drill[] = [
  { name: 'fuzz', what: 'fast-check over span lines and subscription events', run: (size) => fuzz.run(size), problems: fuzz.problems },
  { name: 'outage', what: 'the collector down for part of a run of /ot-gen?count=3, then back', ...outage },
  { name: 'duplicate', what: 'every subscription batch delivered twice at once, then once more by npm run replay', ...duplicate },
  { name: 'load', what: 'concurrent /ot-gen?count=5 with autocannon', ...load },
  { name: 'oversized', what: 'a 1 MB tag, 10,000 logs and more through a real container', ...oversized },
  { name: 'slow-collector', what: 'a collector that accepts and answers after 30 s', ...slowCollector },
];
