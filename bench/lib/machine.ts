import * as os from 'node:os';

/** What the figures were measured on: recorded in the JSON and printed in the header. */
export interface Machine {
  date: string;
  node: string;
  platform: string;
  arch: string;
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  /** 1, 5 and 15 minute load averages at the start and at the end of the run. */
  loadAtStart: number[];
  loadAtEnd?: number[];
}

export function describeMachine(): Machine {
  return {
    date: new Date().toISOString(),
    node: process.version,
    platform: os.platform(),
    arch: os.arch(),
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model?.trim() ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    loadAtStart: os.loadavg().map((l) => Number(l.toFixed(2))),
  };
}

export function load(): string {
  return os.loadavg().map((l) => l.toFixed(2)).join(' / ');
}
