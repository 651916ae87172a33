import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Where a server's time goes, from a V8 .cpuprofile (`npm run bench -- --cpu-prof` keeps them in
 * bench/results/profiles/): self time by function and by source (package or project file), and
 * total (inclusive) time of the project's own functions.
 *
 *   node --import tsx bench/profile-summary.ts bench/results/profiles/<file>.cpuprofile [top]
 * (with several files, the first is summarized; the server's is the largest)
 */

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const args = process.argv.slice(2);
const file = args.find((a) => a.endsWith('.cpuprofile'));
const topArgument = Number(args.find((a) => /^\d+$/.test(a)));
const top = Number.isInteger(topArgument) && topArgument > 0 ? topArgument : 25;
if (file === undefined) {
  process.stderr.write('usage: node --import tsx bench/profile-summary.ts <file.cpuprofile> [top]\n');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;

const byId = new Map<number, ProfileNode>();
const parent = new Map<number, number>();
for (const node of profile.nodes) {
  byId.set(node.id, node);
  for (const child of node.children ?? []) parent.set(child, node.id);
}

/** A short name for where code lives: a package, a project file, node's internals. */
const source = (url: string): string => {
  if (url === '') return '(native/V8)';
  const clean = url.replace(/^file:\/\//, '');
  const nm = clean.lastIndexOf('node_modules/');
  if (nm !== -1) {
    const rest = clean.slice(nm + 'node_modules/'.length).split('/');
    return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : (rest[0] ?? clean);
  }
  if (clean.startsWith('node:')) return clean;
  const dist = clean.indexOf('/dist/');
  return dist !== -1 ? clean.slice(dist + 1) : path.basename(clean);
};

/**
 * A coarse layer for a frame: where the server's time goes at a glance. Native work is charged to
 * the JavaScript function that called it (the socket writes to writev, SQLite to the driver).
 */
const layer = (frame: CallFrame): string => {
  const { url, functionName } = frame;
  if (functionName === '(idle)') return 'idle';
  if (functionName === '(garbage collector)') return 'garbage collection';
  if (url === '') {
    if (/^(writev|writeString|writeUtf8String|writeBuffer|writeLatin1String)$/.test(functionName))
      return 'HTTP: socket writes (syscalls)';
    return 'V8/native, other';
  }
  const src = source(url);
  if (src === 'better-sqlite3' || src === 'kysely')
    return 'SQL: kysely + better-sqlite3 (incl. SQLite itself)';
  if (src === 'pino' || src === 'sonic-boom' || src === 'thread-stream' || src.startsWith('pino-'))
    return 'logging (pino)';
  if (src.startsWith('node:internal/crypto') || src === 'node:crypto' || src.endsWith('sigv4.js'))
    return 'SigV4 (incl. crypto)';
  if (
    src === 'fastify' ||
    src === 'find-my-way' ||
    src === 'avvio' ||
    src.startsWith('@fastify/') ||
    src.startsWith('node:_http') ||
    src === 'node:net' ||
    src === 'node:events' ||
    src.startsWith('node:internal/stream') ||
    src.startsWith('node:internal/streams') ||
    src === 'node:stream' ||
    src.endsWith('http/server.js')
  ) {
    return 'HTTP: node:http + fastify';
  }
  if (src.startsWith('dist/')) return `project: ${src.split('/').slice(1, -1).join('/') || src}`;
  if (src.startsWith('node:')) return 'node: other';
  return `package: ${src}`;
};

const label = (frame: CallFrame): string =>
  `${frame.functionName || '(anonymous)'} ${source(frame.url)}${frame.url ? `:${frame.lineNumber + 1}` : ''}`;

const selfTime = new Map<number, number>();
let total = 0;
profile.samples.forEach((id, i) => {
  const dt = profile.timeDeltas[i] ?? 0;
  selfTime.set(id, (selfTime.get(id) ?? 0) + dt);
  total += dt;
});

const add = (map: Map<string, number>, key: string, value: number) =>
  map.set(key, (map.get(key) ?? 0) + value);
const selfByFunction = new Map<string, number>();
const selfBySource = new Map<string, number>();
const selfByLayer = new Map<string, number>();
const inclusiveOwn = new Map<string, number>();
for (const [id, time] of selfTime) {
  const node = byId.get(id);
  if (node === undefined) continue;
  add(selfByFunction, label(node.callFrame), time);
  add(selfBySource, source(node.callFrame.url), time);
  add(selfByLayer, layer(node.callFrame), time);
  // Inclusive time of the project's own functions (dist/), each counted once per stack.
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const frame = byId.get(at)?.callFrame;
    if (frame?.url.includes('/dist/') && !frame.url.includes('node_modules')) {
      const key = label(frame);
      if (!seen.has(key)) {
        seen.add(key);
        add(inclusiveOwn, key, time);
      }
    }
  }
}

const print = (title: string, map: Map<string, number>) => {
  process.stdout.write(`\n${title}\n`);
  for (const [key, time] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    process.stdout.write(`  ${((100 * time) / total).toFixed(1).padStart(5)}%  ${key}\n`);
  }
};
const idle = [...selfTime].reduce(
  (sum, [id, t]) => (byId.get(id)?.callFrame.functionName === '(idle)' ? sum + t : sum),
  0,
);
process.stdout.write(
  `${path.basename(file)}: ${(total / 1e6).toFixed(1)} s sampled, ${((100 * idle) / total).toFixed(1)}% idle\n`,
);
print('self time by layer', selfByLayer);
print('self time by source', selfBySource);
print('self time by function', selfByFunction);
print('inclusive time of the project’s functions (dist/)', inclusiveOwn);
