import { performance } from 'node:perf_hooks';
import { type CpuSnapshot, type CpuUsage, cpuSnapshot, cpuUsage } from './cpu.js';
import { HttpConnection, type HttpResponse, requestText } from './http-connection.js';
import type { SigV4Signer } from './sigv4-signer.js';

/**
 * The load loop: a fixed number of keep-alive connections, each sending its next signed request
 * as soon as the previous answer is in (a closed loop). A warm-up, then a timed window: requests
 * that complete inside the window count, and their latencies (write → whole response) are kept.
 */

export interface Endpoint {
  host: string;
  port: number;
}

/** The X-Amz-Target and the JSON body of one request. */
export interface Call {
  target: string;
  body: string;
}

export interface LoadOptions {
  endpoint: Endpoint;
  signer: SigV4Signer;
  /** Called once per request: the n-th request (0-based, across all connections). */
  next: (n: number) => Call;
  connections: number;
  warmupSeconds: number;
  seconds: number;
  /** The server's process, for its CPU time over the timed window. */
  serverPid?: number;
}

export interface LoadResult {
  requests: number;
  errors: number;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
  mean: number;
  max: number;
  /** TCP connections opened during the whole run (warm-up included). */
  connects: number;
  /** The first few error descriptions (status and body, or the socket error). */
  errorSamples: string[];
  cpu?: CpuUsage;
}

const hostHeader = (endpoint: Endpoint): string => `${endpoint.host}:${endpoint.port}`;

export const percentile = (sorted: Float64Array, p: number): number => {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
};

/** Sends one signed call on a fresh connection and returns the response (for set-up and checks). */
export const callOnce = async (
  endpoint: Endpoint,
  signer: SigV4Signer,
  call: Call,
): Promise<HttpResponse> => {
  const connection = new HttpConnection(endpoint.host, endpoint.port);
  try {
    const headers = signer.sign(hostHeader(endpoint), call.target, call.body);
    return await connection.send(requestText({ ...headers }, call.body));
  } finally {
    connection.close();
  }
};

export const runLoad = async (options: LoadOptions): Promise<LoadResult> => {
  const host = hostHeader(options.endpoint);
  const latencies: number[] = [];
  const errorSamples: string[] = [];
  let errors = 0;
  let sent = 0;
  const startedAt = performance.now();
  const measureFrom = startedAt + options.warmupSeconds * 1000;
  const measureTo = measureFrom + options.seconds * 1000;
  const connections = Array.from(
    { length: options.connections },
    () => new HttpConnection(options.endpoint.host, options.endpoint.port),
  );

  // CPU is sampled at the edges of the timed window.
  let cpuFrom: CpuSnapshot | undefined;
  let cpuTo: CpuSnapshot | undefined;
  const fromTimer = setTimeout(() => {
    cpuFrom = cpuSnapshot(options.serverPid);
  }, measureFrom - performance.now());
  const toTimer = setTimeout(() => {
    cpuTo = cpuSnapshot(options.serverPid);
  }, measureTo - performance.now());

  const loop = async (connection: HttpConnection): Promise<void> => {
    while (performance.now() < measureTo) {
      const call = options.next(sent++);
      const headers = options.signer.sign(host, call.target, call.body);
      const text = requestText({ ...headers }, call.body);
      const t0 = performance.now();
      let failure: string | undefined;
      try {
        const response = await connection.send(text);
        if (response.status !== 200)
          failure = `HTTP ${response.status}: ${response.body.toString('utf8', 0, 300)}`;
      } catch (error) {
        failure = (error as Error).message;
      }
      const t1 = performance.now();
      if (t1 < measureFrom || t1 > measureTo) continue;
      if (failure !== undefined) {
        errors++;
        if (errorSamples.length < 5) errorSamples.push(failure);
      } else {
        latencies.push(t1 - t0);
      }
    }
  };

  try {
    await Promise.all(connections.map(loop));
  } finally {
    clearTimeout(fromTimer);
    clearTimeout(toTimer);
    for (const connection of connections) connection.close();
  }
  // The last answers can land in the same turn of the event loop as the window's end, before its
  // timer runs: then the window closes now.
  cpuTo ??= cpuSnapshot(options.serverPid);
  const sorted = Float64Array.from(latencies).sort();
  let sum = 0;
  for (const value of sorted) sum += value;
  return {
    requests: sorted.length,
    errors,
    seconds: options.seconds,
    rps: sorted.length / options.seconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    mean: sorted.length === 0 ? Number.NaN : sum / sorted.length,
    max: sorted.length === 0 ? Number.NaN : (sorted[sorted.length - 1] ?? Number.NaN),
    connects: connections.reduce((total, c) => total + c.connects, 0),
    errorSamples,
    cpu: cpuFrom !== undefined && cpuTo !== undefined ? cpuUsage(cpuFrom, cpuTo, sorted.length) : undefined,
  };
};
