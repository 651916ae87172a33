import { readFileSync } from 'node:fs';
import os from 'node:os';

/**
 * CPU accounting around a timed run, from /proc: the server's CPU time (all its threads), this
 * process's (the load client), and the whole machine's. What the machine spent beyond those two
 * is other work on the machine (tests, builds): on a two-core machine that disturbs the figures,
 * so it is printed next to them. The server's CPU time per request is the figure least moved by
 * such noise.
 */

const TICK_MS = 10; // USER_HZ is 100 on Linux

export interface CpuSnapshot {
  at: number;
  serverMs: number | undefined;
  clientMs: number;
  machineBusyMs: number | undefined;
}

export interface CpuUsage {
  /** Percent of one core, over the window. */
  serverPct?: number;
  clientPct: number;
  /** CPU used by every other process on the machine, percent of one core. */
  othersPct?: number;
  /** Cores on the machine, so 100 × cores is everything. */
  cores: number;
  /** Server CPU time per completed request, microseconds. */
  serverUsPerRequest?: number;
}

const readOr = (file: string): string | undefined => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
};

const processCpuMs = (pid: number): number | undefined => {
  const stat = readOr(`/proc/${pid}/stat`);
  if (stat === undefined) return undefined;
  // Fields after the command name (which is in parentheses and may contain spaces).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return Number.isFinite(utime) && Number.isFinite(stime) ? (utime + stime) * TICK_MS : undefined;
};

const machineBusyMs = (): number | undefined => {
  const line = readOr('/proc/stat')?.split('\n')[0];
  if (line === undefined || !line.startsWith('cpu ')) return undefined;
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal
  const busy = (v[0] ?? 0) + (v[1] ?? 0) + (v[2] ?? 0) + (v[5] ?? 0) + (v[6] ?? 0) + (v[7] ?? 0);
  return busy * TICK_MS;
};

export const cpuSnapshot = (serverPid: number | undefined): CpuSnapshot => {
  const usage = process.cpuUsage();
  return {
    at: performance.now(),
    serverMs: serverPid === undefined ? undefined : processCpuMs(serverPid),
    clientMs: (usage.user + usage.system) / 1000,
    machineBusyMs: machineBusyMs(),
  };
};

export const cpuUsage = (from: CpuSnapshot, to: CpuSnapshot, requests: number): CpuUsage => {
  const wallMs = to.at - from.at;
  const pct = (ms: number) => (100 * ms) / wallMs;
  const server =
    from.serverMs !== undefined && to.serverMs !== undefined ? to.serverMs - from.serverMs : undefined;
  const client = to.clientMs - from.clientMs;
  const machine =
    from.machineBusyMs !== undefined && to.machineBusyMs !== undefined
      ? to.machineBusyMs - from.machineBusyMs
      : undefined;
  return {
    serverPct: server === undefined ? undefined : pct(server),
    clientPct: pct(client),
    othersPct: machine === undefined ? undefined : Math.max(0, pct(machine - client - (server ?? 0))),
    cores: os.cpus().length,
    serverUsPerRequest: server === undefined || requests === 0 ? undefined : (server * 1000) / requests,
  };
};

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Waits until the rest of the machine is quiet (other processes use less than `thresholdPct` of
 * one core over half a second), for at most `maxSeconds`. Resolves with the seconds waited and
 * whether it got quiet; where /proc is missing it does not wait.
 */
export const waitForQuiet = async (
  serverPid: number | undefined,
  maxSeconds: number,
  thresholdPct = 15,
): Promise<{ waitedSeconds: number; quiet: boolean }> => {
  const started = performance.now();
  for (;;) {
    const from = cpuSnapshot(serverPid);
    await sleep(500);
    const others = cpuUsage(from, cpuSnapshot(serverPid), 0).othersPct;
    const waitedSeconds = (performance.now() - started) / 1000;
    if (others === undefined || others < thresholdPct) return { waitedSeconds, quiet: true };
    if (waitedSeconds >= maxSeconds) return { waitedSeconds, quiet: false };
  }
};
