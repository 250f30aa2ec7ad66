/**
 * The loopback servers' own load, so a run can say whether the server or the client was the limit:
 * CPU of the server process per wall second (100 % = one core) and the event-loop delay p99 while
 * a client ran. The servers live in the bench's parent process, which does nothing else meanwhile.
 */
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

export interface Headroom {
  /** Server CPU over the run, in % of one core. */
  cpuPercent: number;
  /** Event-loop delay p99 over the run, ms. */
  loopDelayP99Ms: number;
}

const RESOLUTION_MS = 10;

export class HeadroomMeter {
  // The histogram records each whole sampling interval (idle: about RESOLUTION_MS), so the delay is
  // what exceeds it.
  private readonly histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  private cpu0 = process.cpuUsage();
  private wall0 = process.hrtime.bigint();

  constructor() {
    this.histogram.enable();
  }

  start(): void {
    this.histogram.reset();
    this.cpu0 = process.cpuUsage();
    this.wall0 = process.hrtime.bigint();
  }

  /** Ends the measured phase (the client process says where it starts and ends). */
  stop(): Headroom {
    const cpu = process.cpuUsage(this.cpu0);
    const wallUs = Number(process.hrtime.bigint() - this.wall0) / 1000;
    return {
      cpuPercent: wallUs > 0 ? ((cpu.user + cpu.system) / wallUs) * 100 : 0,
      loopDelayP99Ms: Math.max(0, this.histogram.percentile(99) / 1e6 - RESOLUTION_MS),
    };
  }

  dispose(): void {
    this.histogram.disable();
  }
}
