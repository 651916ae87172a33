import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Endpoint } from './load.js';

/**
 * Starting and stopping the three targets as child processes. Every child's output goes to a log
 * file (never through this process, which must spend its CPU on the load only); readiness is read
 * from that file. Every child started is killed when this process exits, whatever the reason.
 */

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface RunningTarget {
  name: string;
  endpoint: Endpoint;
  pid: number;
  logFile: string;
  /** SIGTERM, then SIGKILL after a grace period; resolves when the process has exited. */
  stop(): Promise<void>;
}

export interface Memory {
  rssMb: number;
  hwmMb: number;
}

export class TargetStartError extends Error {}

const children = new Set<ChildProcess>();

/** Kills every child still running: for 'exit', where nothing asynchronous can happen anymore. */
export const killAllChildren = (): void => {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  children.clear();
};

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The file's text from a byte offset on (a log is appended to by each start of a server). */
const readText = (file: string, from = 0): string => {
  try {
    return readFileSync(file).subarray(from).toString('utf8');
  } catch {
    return '';
  }
};

const sizeOf = (file: string): number => {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
};

const tail = (text: string, lines = 30): string => text.trimEnd().split('\n').slice(-lines).join('\n');

interface StartOptions {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  logFile: string;
  /** Matched against the log; its first group is the port. */
  ready: RegExp;
  timeoutMs?: number;
}

const startProcess = async (options: StartOptions): Promise<RunningTarget> => {
  const logFrom = sizeOf(options.logFile);
  const fd = openSync(options.logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(options.command, options.args, {
      cwd: ROOT,
      env: options.env ?? process.env,
      stdio: ['ignore', fd, fd],
    });
  } finally {
    closeSync(fd);
  }
  children.add(child);
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      children.delete(child);
      resolve();
    });
  });
  let spawnError: Error | undefined;
  child.once('error', (error) => {
    spawnError = error;
    children.delete(child);
  });

  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  let port: number | undefined;
  while (port === undefined) {
    const match = options.ready.exec(readText(options.logFile, logFrom));
    if (match !== null) {
      port = Number(match[1]);
      break;
    }
    if (spawnError !== undefined) throw new TargetStartError(`${options.name}: ${spawnError.message}`);
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new TargetStartError(
        `${options.name} exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${tail(readText(options.logFile, logFrom))}`,
      );
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new TargetStartError(
        `${options.name} was not ready in time:\n${tail(readText(options.logFile, logFrom))}`,
      );
    }
    await sleep(25);
  }

  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const killed = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(killed);
  };
  return {
    name: options.name,
    endpoint: { host: '127.0.0.1', port },
    pid: child.pid ?? -1,
    logFile: options.logFile,
    stop,
  };
};

/** A port below 32768 that is free right now (the ephemeral range is left to outgoing sockets). */
export const freeLowPort = async (): Promise<number> => {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20000 + Math.floor(Math.random() * 12000);
    const free = await new Promise<boolean>((resolve) => {
      const probe = createServer();
      probe.once('error', () => resolve(false));
      probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new TargetStartError('no free port below 32768');
};

export const ROOT_ACCESS_KEY_ID = 'AKIABENCH00000000001';
export const ROOT_SECRET_ACCESS_KEY = 'benchSecretKey0000000000000000000000000x';

/** The environment of the studio-sso child: pinned root key, SQLite, default logging. */
const studioEnv = (): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = { ...process.env };
  // Nothing from the caller's environment may change what is measured: SQLite in the bench's own
  // directory, on the port we choose, with the default log level (one JSON line per request).
  for (const name of [
    'DATABASE_URL',
    'STUDIO_SSO_DATABASE_SCHEMA',
    'STUDIO_SSO_DATA',
    'STUDIO_SSO_ACCOUNT_ID',
    'STUDIO_SSO_REGION',
    'PORT',
    'HOST',
    'LOG_LEVEL',
    'NODE_OPTIONS',
  ]) {
    delete env[name];
  }
  env.STUDIO_SSO_ROOT_ACCESS_KEY_ID = ROOT_ACCESS_KEY_ID;
  env.STUDIO_SSO_ROOT_SECRET_ACCESS_KEY = ROOT_SECRET_ACCESS_KEY;
  return env;
};

/**
 * Starts a server on a free port below 32768, trying another port when the one picked was taken
 * between the check and the server's bind.
 */
const onLowPort = async (start: (port: number) => StartOptions): Promise<RunningTarget> => {
  for (let attempt = 1; ; attempt++) {
    const options = start(await freeLowPort());
    try {
      return await startProcess(options);
    } catch (error) {
      if (
        attempt >= 3 ||
        !(error instanceof TargetStartError) ||
        !/EADDRINUSE|Address already in use/.test(error.message)
      ) {
        throw error;
      }
    }
  }
};

export const startStudioSso = (
  dataDir: string,
  logFile: string,
  nodeArgs: string[] = [],
): Promise<RunningTarget> =>
  onLowPort((port) => ({
    name: 'studio-sso',
    command: process.execPath,
    args: [
      ...nodeArgs,
      path.join(ROOT, 'bin/studio-sso.js'),
      'serve',
      '--port',
      String(port),
      '--data',
      dataDir,
    ],
    env: studioEnv(),
    logFile,
    ready: /studio-sso listening on http:\/\/127\.0\.0\.1:(\d+)/,
  }));

export const startBare = (logFile: string): Promise<RunningTarget> =>
  onLowPort((port) => ({
    name: 'bare',
    command: process.execPath,
    args: ['--import', 'tsx', path.join(ROOT, 'bench/bare-server.ts'), '--port', String(port)],
    logFile,
    ready: /bare listening on http:\/\/127\.0\.0\.1:(\d+)/,
  }));

/** The moto_server on PATH, or undefined when there is none. */
export const findMotoServer = (): string | undefined => {
  const found = spawnSync('sh', ['-c', 'command -v moto_server'], { encoding: 'utf8' });
  const file = found.stdout.trim();
  return found.status === 0 && file !== '' ? file : undefined;
};

export const startMoto = (command: string, logFile: string): Promise<RunningTarget> =>
  onLowPort((port) => ({
    name: 'moto',
    command,
    args: ['-H', '127.0.0.1', '-p', String(port)],
    env: { ...process.env, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing' },
    logFile,
    ready: /Running on http:\/\/127\.0\.0\.1:(\d+)/,
  }));

/** VmRSS and VmHWM (peak) of a process, from /proc; undefined where /proc is not there. */
export const memoryOf = (pid: number): Memory | undefined => {
  const status = readText(`/proc/${pid}/status`);
  const kb = (field: string): number | undefined => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    return match === null ? undefined : Number(match[1]);
  };
  const rss = kb('VmRSS');
  const hwm = kb('VmHWM');
  return rss === undefined || hwm === undefined ? undefined : { rssMb: rss / 1024, hwmMb: hwm / 1024 };
};
