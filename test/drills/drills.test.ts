// Issue 13's drills at their small size (npm run drill runs them at full size), in one child
// process whose whole output is captured, then the secrets check over everything they left.
import { DRILLS } from '../../drills/catalogue';
import { runDrills, type DrillReport } from '../../drills/orchestrate';

let report: DrillReport;

beforeAll(async () => {
  report = await runDrills({ size: 'small' });
}, 300_000);

const figuresOf = (drill: string) => report.results.find((r) => r.drill === drill)?.figures;

describe('drills (small)', () => {
  it('ran every drill in a child process that exited cleanly', () => {
    expect(report.workerExitCode).toBe(0);
    expect(report.results.map((r) => r.drill)).toEqual([...DRILLS.map((d) => d.name), 'secrets']);
  });

  it.each(DRILLS.map((d) => d.name))('%s: every invariant holds', (name) => {
    expect(report.problems[name]).toEqual([]);
  });

  it('fuzz: 2,000 cases, every rejected line counted under a reason', () => {
    const figures = figuresOf('fuzz')!;
    expect(figures['cases in all']).toBe(2000);
    expect(figures.failures).toBe(0);
  });

  it('outage: every span of every trace stored once, some through the dead-letter file and npm run replay', () => {
    const figures = figuresOf('outage')!;
    expect(figures['spans stored']).toBe(figures['spans expected']);
    expect(figures['dead-lettered (3 attempts failed)']).toBeGreaterThan(0);
    expect(figures['dead-letter file left']).toBe('no');
  });

  it('secrets: the access token and the OTLP header value are nowhere in the output, errors, stores, pages or dead letters', () => {
    expect(report.problems.secrets).toEqual([]);
    const figures = figuresOf('secrets')!;
    expect(figures['secrets searched for']).toBe('the access token, the OTLP header value');
    expect(figures['places holding a secret']).toBe(0);
    expect(figures['dead-letter payloads opened']).toBeGreaterThan(0);
    expect(figures['trace pages and API answers']).toBeGreaterThan(0);
  });
});
