import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { waitForQuiet } from './cpu.js';
import { type Call, callOnce, type Endpoint, type LoadResult, runLoad } from './load.js';
import { bulkSeedUsers, countUsers, databaseFile } from './seed.js';
import { SigV4Signer } from './sigv4-signer.js';
import {
  findMotoServer,
  killAllChildren,
  type Memory,
  memoryOf,
  ROOT,
  ROOT_ACCESS_KEY_ID,
  ROOT_SECRET_ACCESS_KEY,
  type RunningTarget,
  startBare,
  startMoto,
  startStudioSso,
  TargetStartError,
} from './targets.js';

/**
 * `npm run bench`: identitystore CreateUser, DescribeUser, ListUsers by UserName and
 * IsMemberInGroups against studio-sso, moto_server and a bare node:http server, from one load
 * client; then, on studio-sso only, ListUsers by UserName at 1,000 vs 1,000,000 users and the
 * server's memory. Prints figures and PASS/MISS per goal; exits non-zero only when something broke.
 */

// ---------------------------------------------------------------- options

const { values: flags } = parseArgs({
  options: {
    seconds: { type: 'string' },
    warmup: { type: 'string' },
    connections: { type: 'string' },
    users: { type: 'string' },
    'base-users': { type: 'string' },
    quick: { type: 'boolean', default: false },
    'no-moto': { type: 'boolean', default: false },
    'cpu-prof': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    targets: { type: 'string' },
    'quiet-wait': { type: 'string' },
    'skip-large': { type: 'boolean', default: false },
    rounds: { type: 'string' },
    ops: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
  strict: true,
});

if (flags.help) {
  process.stdout.write(`npm run bench -- [options]
  --seconds N       timed duration per op and target (default 5; --quick: 2)
  --warmup N        warm-up seconds before each timed run (default 1)
  --connections N   concurrent keep-alive connections of the load client (default 16)
  --users N         users in the store for the flatness and memory figures (default 1000000; --quick: 100000)
  --base-users N    users seeded through the API before the comparison runs (default 1000)
  --quick           shorter runs and 100,000 users
  --no-moto         skip the moto peer
  --targets LIST    comma-separated subset of studio-sso,moto,bare (default: all three)
  --ops LIST        comma-separated subset of CreateUser,DescribeUser,ListUsers,IsMemberInGroups (default: all)
  --rounds N        alternate 1k / --users measurements N times, keep the best p50 of each (default 2; --quick: 1)
  --skip-large      skip studio-sso's DescribeUser/ListUsers at 1k vs --users users (and its memory figure)
  --quiet-wait N    before each timed run, wait up to N s for other processes to leave the CPU (default 60; 0: never)
  --cpu-prof        run studio-sso with --cpu-prof; profiles are kept in bench/results/profiles/
  --keep            keep the temporary data directory and the servers' logs
`);
  process.exit(0);
}

const positiveNumber = (name: string, value: string | undefined, fallback: number): number => {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) {
    process.stderr.write(`--${name} must be a positive number, got '${value}'\n`);
    process.exit(2);
  }
  return n;
};

const options = {
  seconds: positiveNumber('seconds', flags.seconds, flags.quick ? 2 : 5),
  warmup: positiveNumber('warmup', flags.warmup, 1),
  connections: Math.round(positiveNumber('connections', flags.connections, 16)),
  users: Math.round(positiveNumber('users', flags.users, flags.quick ? 100_000 : 1_000_000)),
  baseUsers: Math.round(positiveNumber('base-users', flags['base-users'], 1000)),
  rounds: Math.round(positiveNumber('rounds', flags.rounds, flags.quick ? 1 : 2)),
  quietWait: flags['quiet-wait'] === '0' ? 0 : positiveNumber('quiet-wait', flags['quiet-wait'], 60),
};
const ALL_TARGETS = ['studio-sso', 'moto', 'bare'] as const;
const selected = new Set((flags.targets ?? ALL_TARGETS.join(',')).split(',').map((t) => t.trim()));
for (const t of selected) {
  if (!(ALL_TARGETS as readonly string[]).includes(t)) {
    process.stderr.write(`--targets: unknown target '${t}' (studio-sso, moto, bare)\n`);
    process.exit(2);
  }
}
if (options.users < options.baseUsers) {
  process.stderr.write('--users must be at least --base-users\n');
  process.exit(2);
}

const REGION = 'us-east-1';
const GROUPS = 5;
const MEMBERS = 100;
const GOALS = {
  describeVsMoto: 20,
  describeVsBare: 0.5,
  listUsersFlatness: 1.3,
  rssMb: 300,
};

// ---------------------------------------------------------------- process hygiene

const workDir = mkdtempSync(path.join(os.tmpdir(), 'studio-sso-bench-'));
const resultsDir = path.join(ROOT, 'bench/results');
const profileDir = path.join(resultsDir, 'profiles');

const cleanUp = (): void => {
  killAllChildren();
  if (!flags.keep) rmSync(workDir, { recursive: true, force: true });
};
process.on('exit', cleanUp);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    process.stderr.write(`\n${signal}: stopping the servers\n`);
    cleanUp();
    process.exit(130);
  });
}

class BenchError extends Error {}

const say = (line = ''): void => {
  process.stdout.write(`${line}\n`);
};

// ---------------------------------------------------------------- the calls

const identityStore = new SigV4Signer(
  { accessKeyId: ROOT_ACCESS_KEY_ID, secretAccessKey: ROOT_SECRET_ACCESS_KEY },
  REGION,
  'identitystore',
);
const ssoAdmin = new SigV4Signer(
  { accessKeyId: ROOT_ACCESS_KEY_ID, secretAccessKey: ROOT_SECRET_ACCESS_KEY },
  REGION,
  'sso',
);

const ID = 'AWSIdentityStore';
const pad = (i: number): string => String(i).padStart(7, '0');
/** The name token of seeded user i: in its UserName, DisplayName, FamilyName and e-mail. */
const tokenOf = (i: number): string => `u${pad(i)}`;
const userNameOf = (i: number): string => tokenOf(i);

const createUserBody = (storeId: string, token: string, userName: string = token): string =>
  JSON.stringify({
    IdentityStoreId: storeId,
    UserName: userName,
    DisplayName: `Bench User ${token}`,
    Name: { GivenName: 'Bench', FamilyName: token },
    Emails: [{ Value: `${token}@example.com`, Type: 'work', Primary: true }],
  });

/**
 * A cheap, well-spread pseudo-random index in [0, size) for the n-th request (n = 0 is the
 * checked first call: it lands far from index 0, on a bulk-seeded user in the large store).
 */
const spread = (n: number, size: number): number => (Math.imul(n + 1, 2654435761) >>> 0) % size;

type OpName = 'CreateUser' | 'DescribeUser' | 'ListUsers' | 'IsMemberInGroups';
/** Printed in this order; run in RUN_ORDER so every read sees the same seeded store everywhere. */
const OPS: OpName[] = ['CreateUser', 'DescribeUser', 'ListUsers', 'IsMemberInGroups'];
const selectedOps = new Set((flags.ops ?? OPS.join(',')).split(',').map((o) => o.trim()));
for (const o of selectedOps) {
  if (!(OPS as string[]).includes(o)) {
    process.stderr.write(`--ops: unknown operation '${o}' (${OPS.join(', ')})\n`);
    process.exit(2);
  }
}
const RUN_ORDER = (['DescribeUser', 'ListUsers', 'IsMemberInGroups', 'CreateUser'] as OpName[]).filter((o) =>
  selectedOps.has(o),
);

interface Fixture {
  storeId: string;
  /** [seed index, UserId] of users that DescribeUser picks from. */
  users: Array<[number, string]>;
  /** How many seeded users ListUsers picks names from (indices 0 … size-1). */
  namedUsers: number;
  groupIds: string[];
  /** UserIds of users 0 … MEMBERS-1: user k is a member of group k % GROUPS. */
  memberIds: string[];
  /** Whether answers can be checked (bare answers the same thing to everything). */
  checked: boolean;
}

interface Op {
  call: (n: number) => Call;
  /** The first answer's shape: undefined when right, else what is wrong. */
  check: (output: Record<string, unknown>) => string | undefined;
}

const USER_ID = /^([0-9a-f]{10}-)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const makeOp = (name: OpName, fx: Fixture, runTag: string): Op => {
  const { storeId } = fx;
  switch (name) {
    case 'CreateUser':
      return {
        call: (n) => ({
          target: `${ID}.CreateUser`,
          body: createUserBody(storeId, `c${n}`, `c-${runTag}-${n}`),
        }),
        check: (o) =>
          typeof o.UserId === 'string' && USER_ID.test(o.UserId) ? undefined : 'no UserId in the answer',
      };
    case 'DescribeUser': {
      const pick = (n: number) => fx.users[spread(n, fx.users.length)] ?? [0, ''];
      return {
        call: (n) => ({
          target: `${ID}.DescribeUser`,
          body: JSON.stringify({ IdentityStoreId: storeId, UserId: pick(n)[1] }),
        }),
        check: (o) =>
          o.UserName === userNameOf(pick(0)[0]) ? undefined : `UserName is not ${userNameOf(pick(0)[0])}`,
      };
    }
    case 'ListUsers': {
      const nameAt = (n: number) => userNameOf(spread(n, fx.namedUsers));
      return {
        call: (n) => ({
          target: `${ID}.ListUsers`,
          body: JSON.stringify({
            IdentityStoreId: storeId,
            Filters: [{ AttributePath: 'UserName', AttributeValue: nameAt(n) }],
          }),
        }),
        check: (o) => {
          const users = o.Users as Array<{ UserName?: string }> | undefined;
          return Array.isArray(users) && users.length === 1 && users[0]?.UserName === nameAt(0)
            ? undefined
            : `Users is not exactly [${nameAt(0)}]`;
        },
      };
    }
    case 'IsMemberInGroups': {
      const member = (n: number) => n % fx.memberIds.length;
      return {
        call: (n) => ({
          target: `${ID}.IsMemberInGroups`,
          body: JSON.stringify({
            IdentityStoreId: storeId,
            MemberId: { UserId: fx.memberIds[member(n)] },
            GroupIds: fx.groupIds,
          }),
        }),
        check: (o) => {
          const results = o.Results as Array<{ GroupId?: string; MembershipExists?: boolean }> | undefined;
          if (!Array.isArray(results) || results.length !== fx.groupIds.length)
            return 'Results has the wrong length';
          const member0 = fx.groupIds[0];
          if (fx.memberIds.length === 0) return 'no members to ask about';
          const wrong = results.find((r) => r.MembershipExists !== (r.GroupId === member0));
          return wrong === undefined ? undefined : `MembershipExists is wrong for ${wrong.GroupId}`;
        },
      };
    }
  }
};

// ---------------------------------------------------------------- set-up through the API

const parseJson = (body: Buffer): Record<string, unknown> => {
  try {
    return JSON.parse(body.toString('utf8')) as Record<string, unknown>;
  } catch {
    return {};
  }
};

/** One set-up call that must succeed; anything else stops the run with the answer printed. */
const must = async (
  target: string,
  endpoint: Endpoint,
  signer: SigV4Signer,
  call: Call,
): Promise<Record<string, unknown>> => {
  const response = await callOnce(endpoint, signer, call);
  if (response.status !== 200) {
    throw new BenchError(
      `${target}: ${call.target} answered HTTP ${response.status}:\n${response.body.toString('utf8')}\nrequest: ${call.body}`,
    );
  }
  return parseJson(response.body);
};

/** Runs `count` calls, `parallel` at a time, in order of their index. */
const inParallel = async <T>(
  count: number,
  parallel: number,
  each: (i: number) => Promise<T>,
): Promise<T[]> => {
  const out: T[] = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      out[i] = await each(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, count) }, worker));
  return out;
};

const seedThroughApi = async (name: string, endpoint: Endpoint, storeId: string): Promise<Fixture> => {
  // moto_server's in-memory backend is not safe for concurrent writes: 8 CreateUser calls at once
  // sporadically answer HTTP 500 (seen with moto 5.2.1 around the 860th user). Seed it one at a time.
  const parallel = name === 'moto' ? 1 : 8;
  const users = await inParallel(options.baseUsers, parallel, async (i) => {
    const out = await must(name, endpoint, identityStore, {
      target: `${ID}.CreateUser`,
      body: createUserBody(storeId, tokenOf(i)),
    });
    return [i, String(out.UserId)] as [number, string];
  });
  const groupIds = await inParallel(GROUPS, 1, async (g) => {
    const out = await must(name, endpoint, identityStore, {
      target: `${ID}.CreateGroup`,
      body: JSON.stringify({ IdentityStoreId: storeId, DisplayName: `bench-group-${g}` }),
    });
    return String(out.GroupId);
  });
  const members = Math.min(MEMBERS, users.length);
  await inParallel(members, parallel, (k) =>
    must(name, endpoint, identityStore, {
      target: `${ID}.CreateGroupMembership`,
      body: JSON.stringify({
        IdentityStoreId: storeId,
        GroupId: groupIds[k % GROUPS],
        MemberId: { UserId: users[k]?.[1] },
      }),
    }),
  );
  // IsMemberInGroups asks about every group for members of group 0 only, so one answer is true.
  const memberIds = users
    .slice(0, members)
    .filter(([k]) => k % GROUPS === 0)
    .map(([, id]) => id);
  return { storeId, users, namedUsers: options.baseUsers, groupIds, memberIds, checked: true };
};

const setUpStudioSso = async (endpoint: Endpoint): Promise<Fixture> => {
  await must('studio-sso', endpoint, ssoAdmin, {
    target: 'SWBExternalService.CreateInstance',
    body: JSON.stringify({ Name: 'bench' }),
  });
  const listed = await must('studio-sso', endpoint, ssoAdmin, {
    target: 'SWBExternalService.ListInstances',
    body: '{}',
  });
  const instances = listed.Instances as Array<{ IdentityStoreId?: string }> | undefined;
  const storeId = instances?.[0]?.IdentityStoreId;
  if (storeId === undefined)
    throw new BenchError(`studio-sso: ListInstances gave no IdentityStoreId: ${JSON.stringify(listed)}`);
  return seedThroughApi('studio-sso', endpoint, storeId);
};

// ---------------------------------------------------------------- measuring

interface OpResult extends Partial<LoadResult> {
  skipped?: string;
}

type TargetName = 'studio-sso' | 'moto' | 'bare';

const fmtInt = (n: number | undefined): string =>
  n === undefined || Number.isNaN(n) ? '-' : Math.round(n).toLocaleString('en-US');
const fmtMs = (n: number | undefined): string =>
  n === undefined || Number.isNaN(n) ? '-' : n < 10 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : n.toFixed(0);
const fmtPct = (n: number | undefined): string =>
  n === undefined || Number.isNaN(n) ? '-' : `${Math.round(n)}%`;
const fmtX = (n: number | undefined): string =>
  n === undefined || !Number.isFinite(n)
    ? 'n/a'
    : n >= 100
      ? `${n.toFixed(0)}×`
      : n >= 10
        ? `${n.toFixed(1)}×`
        : `${n.toFixed(2)}×`;

/** Checks the first answer of an op, then runs the timed load. */
const measure = async (
  target: TargetName,
  server: RunningTarget,
  fx: Fixture,
  name: OpName,
  runTag: string,
  label: string = name,
): Promise<OpResult> => {
  const { endpoint } = server;
  const op = makeOp(name, fx, runTag);
  const first = await callOnce(endpoint, identityStore, op.call(0));
  if (first.status !== 200) {
    const body = first.body.toString('utf8');
    if (target === 'moto' && first.status === 500 && name === 'IsMemberInGroups') {
      say(`  ${label.padEnd(24)} not implemented by moto (HTTP 500): skipped`);
      return { skipped: 'not implemented by moto' };
    }
    throw new BenchError(
      `${target}: ${name} answered HTTP ${first.status}:\n${body}\nrequest: ${op.call(0).body}`,
    );
  }
  if (fx.checked) {
    const problem = op.check(parseJson(first.body));
    if (problem !== undefined) {
      throw new BenchError(
        `${target}: ${name}: ${problem}:\n${first.body.toString('utf8')}\nrequest: ${op.call(0).body}`,
      );
    }
  }
  // On a shared two-core machine a test run next door halves the figures: wait for it to end.
  if (options.quietWait > 0) {
    const { waitedSeconds, quiet } = await waitForQuiet(server.pid, options.quietWait);
    if (!quiet)
      say(`  (the machine is busy with other work: measuring anyway after ${Math.round(waitedSeconds)} s)`);
    else if (waitedSeconds >= 2)
      say(`  (waited ${Math.round(waitedSeconds)} s for other work on the machine to finish)`);
  }
  // The check call used n = 0 (CreateUser made user c-…-0): the load starts at 1.
  const result = await runLoad({
    endpoint,
    signer: identityStore,
    next: (n) => op.call(n + 1),
    connections: options.connections,
    warmupSeconds: options.warmup,
    seconds: options.seconds,
    serverPid: server.pid,
  });
  const cpu = result.cpu;
  say(
    `  ${label.padEnd(22)} ${fmtInt(result.rps).padStart(7)} req/s  p50 ${fmtMs(result.p50).padStart(5)} ms  p99 ${fmtMs(result.p99).padStart(5)} ms  errors ${result.errors}` +
      `  | server ${fmtPct(cpu?.serverPct)} CPU, ${fmtInt(cpu?.serverUsPerRequest)} µs/req; client ${fmtPct(cpu?.clientPct)}; others ${fmtPct(cpu?.othersPct)}`,
  );
  for (const sample of result.errorSamples) say(`      error: ${sample.replace(/\s+/g, ' ').slice(0, 200)}`);
  return result;
};

const runTargetOps = async (
  target: TargetName,
  server: RunningTarget,
  fx: Fixture,
): Promise<Record<OpName, OpResult>> => {
  const results = {} as Record<OpName, OpResult>;
  const runTag = `${target}-${Date.now().toString(36)}`;
  for (const name of RUN_ORDER) results[name] = await measure(target, server, fx, name, runTag);
  return results;
};

// ---------------------------------------------------------------- the run

interface FlatnessResult {
  usersSmall: number;
  usersLarge: number;
  seedSeconds: number;
  dbFileMb: number;
  /** Measurements per size; the best p50 of each counts. */
  rounds: number;
  listUsersSmall: OpResult;
  describeUserSmall: OpResult;
  listUsersLarge: OpResult;
  describeUserLarge: OpResult;
  /** ListUsers p50 at the large size over p50 at the small one. */
  p50Ratio: number;
  memorySmall?: Memory;
  memoryLarge?: Memory;
  allRounds: {
    small: Array<{ describeUser: OpResult; listUsers: OpResult; memory?: Memory }>;
    large: Array<{ describeUser: OpResult; listUsers: OpResult; memory?: Memory }>;
  };
}

const profArgs = flags['cpu-prof'] ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [];

/** studio-sso: the four operations at the seeded size, for the comparison with the peers. */
const benchStudioSso = async (): Promise<Record<OpName, OpResult>> => {
  say('studio-sso');
  const dataDir = path.join(workDir, 'studio-sso-compare');
  const studio = await startStudioSso(dataDir, path.join(workDir, 'studio-sso-compare.log'), profArgs);
  try {
    say(`  started (pid ${studio.pid}, port ${studio.endpoint.port}); seeding through the API …`);
    const fx = await setUpStudioSso(studio.endpoint);
    say(`  identity store ${fx.storeId}: ${fx.users.length} users, ${GROUPS} groups, ${MEMBERS} memberships`);
    return await runTargetOps('studio-sso', studio, fx);
  } finally {
    await studio.stop();
    say();
  }
};

/**
 * studio-sso: DescribeUser and ListUsers by UserName at the seeded size and at `--users`, each
 * size in a database of its own (the small one is a copy of the large one before the bulk load).
 * A fresh server process runs each measurement, and the sizes alternate for `--rounds` rounds;
 * the best p50 of each size counts. Processes differ by 10–25% from one start to the next (memory
 * layout, JIT decisions, a busy neighbour on the host): alternating and keeping the best leaves
 * the store's size as the difference between the two figures.
 */
const benchLargeStore = async (): Promise<FlatnessResult> => {
  say(`studio-sso at ${compact(options.baseUsers)} and ${compact(options.users)} users`);
  const smallDir = path.join(workDir, 'studio-sso-small');
  const largeDir = path.join(workDir, 'studio-sso-large');
  const logFile = path.join(workDir, 'studio-sso-sizes.log');
  let fx: Fixture;
  {
    const studio = await startStudioSso(smallDir, logFile, profArgs);
    try {
      fx = await setUpStudioSso(studio.endpoint);
    } finally {
      await studio.stop();
    }
  }
  // The server checkpoints and removes its WAL on a clean stop: the directory is the database.
  cpSync(smallDir, largeDir, { recursive: true });
  const usersSmall = countUsers(smallDir, fx.storeId);
  const toAdd = Math.max(0, options.users - usersSmall);
  say(`  adding ${toAdd.toLocaleString('en-US')} users straight into a copy of its SQLite file …`);
  const seeded = bulkSeedUsers({
    dataDir: largeDir,
    identityStoreId: fx.storeId,
    templateUserName: userNameOf(0),
    token: tokenOf(0),
    from: options.baseUsers,
    to: options.baseUsers + toAdd,
    tokenOf,
    sample: 200_000,
  });
  const dbFileMb = statSync(databaseFile(largeDir)).size / 1024 / 1024;
  say(
    `  seeded in ${seeded.seconds.toFixed(1)} s: ${seeded.totalUsers.toLocaleString('en-US')} users, database ${dbFileMb.toFixed(0)} MB`,
  );
  const largeFx: Fixture = {
    ...fx,
    users: [...fx.users, ...seeded.sampled],
    namedUsers: options.baseUsers + toAdd,
  };

  const measureStore = async (dataDir: string, fixture: Fixture, users: number) => {
    const studio = await startStudioSso(dataDir, logFile, profArgs);
    try {
      say(
        `  started on ${users.toLocaleString('en-US')} users (pid ${studio.pid}, port ${studio.endpoint.port})`,
      );
      const tag = `size-${users}-${Date.now().toString(36)}`;
      const at = compact(users);
      const describeUser = await measure(
        'studio-sso',
        studio,
        fixture,
        'DescribeUser',
        tag,
        `DescribeUser @ ${at}`,
      );
      const listUsers = await measure('studio-sso', studio, fixture, 'ListUsers', tag, `ListUsers @ ${at}`);
      const memory = memoryOf(studio.pid);
      say(`  memory: ${formatMemory(memory)}`);
      return { describeUser, listUsers, memory };
    } finally {
      await studio.stop();
    }
  };
  type SizeRun = Awaited<ReturnType<typeof measureStore>>;
  const smallRuns: SizeRun[] = [];
  const largeRuns: SizeRun[] = [];
  for (let round = 0; round < options.rounds; round++) {
    smallRuns.push(await measureStore(smallDir, fx, usersSmall));
    largeRuns.push(await measureStore(largeDir, largeFx, seeded.totalUsers));
  }
  const best = (runs: SizeRun[], op: 'describeUser' | 'listUsers'): OpResult =>
    runs
      .map((r) => r[op])
      .reduce((a, b) => ((b.p50 ?? Number.POSITIVE_INFINITY) < (a.p50 ?? Number.POSITIVE_INFINITY) ? b : a));
  say();
  const listUsersSmall = best(smallRuns, 'listUsers');
  const listUsersLarge = best(largeRuns, 'listUsers');
  return {
    usersSmall,
    usersLarge: seeded.totalUsers,
    seedSeconds: seeded.seconds,
    dbFileMb,
    rounds: options.rounds,
    listUsersSmall,
    describeUserSmall: best(smallRuns, 'describeUser'),
    listUsersLarge,
    describeUserLarge: best(largeRuns, 'describeUser'),
    p50Ratio: (listUsersLarge.p50 ?? Number.NaN) / (listUsersSmall.p50 ?? Number.NaN),
    memorySmall: smallRuns.at(-1)?.memory,
    memoryLarge: largeRuns.at(-1)?.memory,
    allRounds: { small: smallRuns, large: largeRuns },
  };
};

const memoryCell = (memory: Memory | undefined): string =>
  memory === undefined ? 'n/a' : `RSS ${memory.rssMb.toFixed(0)} MB (peak ${memory.hwmMb.toFixed(0)})`;

const formatMemory = (memory: Memory | undefined): string =>
  memory === undefined
    ? 'n/a (no /proc)'
    : `VmRSS ${memory.rssMb.toFixed(0)} MB, VmHWM (peak) ${memory.hwmMb.toFixed(0)} MB`;

const main = async (): Promise<void> => {
  if (selected.has('studio-sso') && !existsSync(path.join(ROOT, 'dist/cli/main.js'))) {
    throw new BenchError('dist/ is missing: run `npm run build` first (npm run bench does).');
  }
  say(
    `studio-sso bench: identitystore, ${options.connections} connections, ${options.warmup} s warm-up + ${options.seconds} s per op and target, ` +
      `${options.baseUsers.toLocaleString('en-US')} users seeded; flatness at ${options.users.toLocaleString('en-US')} users`,
  );
  say(
    `machine: ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), Node ${process.version}, ${os.platform()}, ` +
      `load average ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
  );
  say();

  const results: Partial<Record<TargetName, Record<OpName, OpResult>>> = {};
  let flatness: FlatnessResult | undefined;
  let motoNote: string | undefined;

  if (selected.has('studio-sso')) {
    if (RUN_ORDER.length > 0) results['studio-sso'] = await benchStudioSso();
    if (!flags['skip-large']) flatness = await benchLargeStore();
  }

  // moto
  const moto = flags['no-moto'] || !selected.has('moto') ? undefined : findMotoServer();
  if (!selected.has('moto')) {
    motoNote = 'not selected';
  } else if (moto === undefined) {
    motoNote = flags['no-moto'] ? 'skipped (--no-moto)' : 'moto_server not found';
    say(flags['no-moto'] ? 'moto: skipped (--no-moto)' : 'moto_server not found: skipping the moto peer');
  } else {
    say('moto');
    const target = await startMoto(moto, path.join(workDir, 'moto.log'));
    try {
      const storeId = 'd-1234567890';
      say(`  started (pid ${target.pid}, port ${target.endpoint.port}); seeding through the API …`);
      const motoFx = await seedThroughApi('moto', target.endpoint, storeId);
      say(
        `  identity store ${storeId}: ${motoFx.users.length} users, ${GROUPS} groups, ${MEMBERS} memberships`,
      );
      results.moto = await runTargetOps('moto', target, motoFx);
    } finally {
      await target.stop();
    }
  }
  if (selected.has('moto')) say();

  // bare
  if (selected.has('bare')) {
    say('bare (node:http, fixed answer)');
    const target = await startBare(path.join(workDir, 'bare.log'));
    try {
      say(`  started (pid ${target.pid}, port ${target.endpoint.port})`);
      const bareFx: Fixture = {
        storeId: 'd-0000000000',
        users: [[0, '0000000000-00000000-0000-0000-0000-000000000000']],
        namedUsers: options.baseUsers,
        groupIds: ['0000000000-00000000-0000-0000-0000-000000000001'],
        memberIds: ['0000000000-00000000-0000-0000-0000-000000000000'],
        checked: false,
      };
      results.bare = await runTargetOps('bare', target, bareFx);
    } finally {
      await target.stop();
    }
    say();
  }

  report(results, flatness, motoNote);
};

const compact = (n: number): string =>
  n >= 1_000_000 && n % 1_000_000 === 0
    ? `${n / 1_000_000}M`
    : n >= 1000 && n % 1000 === 0
      ? `${n / 1000}k`
      : n.toLocaleString('en-US');

// ---------------------------------------------------------------- the report

const report = (
  results: Partial<Record<TargetName, Record<OpName, OpResult>>>,
  flatness: FlatnessResult | undefined,
  motoNote: string | undefined,
): void => {
  const targets: TargetName[] = ['studio-sso', 'moto', 'bare'];
  say(
    `Results (${options.connections} connections, ${options.seconds} s per run, ${options.baseUsers.toLocaleString('en-US')} users in the store)`,
  );
  say();
  say(
    `${'op'.padEnd(18)}${'target'.padEnd(12)}${'req/s'.padStart(10)}${'p50 ms'.padStart(10)}${'p99 ms'.padStart(10)}${'errors'.padStart(8)}` +
      `${'server CPU'.padStart(12)}${'µs/req'.padStart(9)}${'others'.padStart(8)}`,
  );
  for (const op of OPS) {
    targets.forEach((target, i) => {
      const r = results[target]?.[op];
      const first = i === 0 ? op : '';
      if (r === undefined) {
        say(
          `${first.padEnd(18)}${target.padEnd(12)}${'-'.padStart(10)}   ${target === 'moto' ? (motoNote ?? '') : ''}`,
        );
      } else if (r.skipped !== undefined) {
        say(`${first.padEnd(18)}${target.padEnd(12)}${'-'.padStart(10)}   (${r.skipped})`);
      } else {
        say(
          `${first.padEnd(18)}${target.padEnd(12)}${fmtInt(r.rps).padStart(10)}${fmtMs(r.p50).padStart(10)}${fmtMs(r.p99).padStart(10)}${String(r.errors ?? 0).padStart(8)}` +
            `${fmtPct(r.cpu?.serverPct).padStart(12)}${fmtInt(r.cpu?.serverUsPerRequest).padStart(9)}${fmtPct(r.cpu?.othersPct).padStart(8)}`,
        );
      }
    });
  }
  say(
    'server CPU: % of one core the server used in the timed window; µs/req: its CPU time per request (the figure',
  );
  say(
    'least moved by noise); others: CPU that other processes on the machine used (% of one core): above ~10% the run was disturbed.',
  );
  say();
  say('Ratios, studio-sso / peer (req/s: higher is better; p50: lower is better)');
  say();
  say(
    `${'op'.padEnd(18)}${'req/s vs moto'.padStart(15)}${'p50 vs moto'.padStart(13)}${'req/s vs bare'.padStart(15)}${'p50 vs bare'.padStart(13)}`,
  );
  const ratios: Record<string, Record<string, number>> = {};
  for (const op of OPS) {
    const s = results['studio-sso']?.[op];
    const m = results.moto?.[op];
    const b = results.bare?.[op];
    const r = {
      rpsVsMoto: (s?.rps ?? Number.NaN) / (m?.rps ?? Number.NaN),
      p50VsMoto: (s?.p50 ?? Number.NaN) / (m?.p50 ?? Number.NaN),
      rpsVsBare: (s?.rps ?? Number.NaN) / (b?.rps ?? Number.NaN),
      p50VsBare: (s?.p50 ?? Number.NaN) / (b?.p50 ?? Number.NaN),
    };
    ratios[op] = r;
    say(
      `${op.padEnd(18)}${fmtX(r.rpsVsMoto).padStart(15)}${fmtX(r.p50VsMoto).padStart(13)}${fmtX(r.rpsVsBare).padStart(15)}${fmtX(r.p50VsBare).padStart(13)}`,
    );
  }
  say();

  if (flatness !== undefined) {
    say(
      `studio-sso by store size (a fresh server per measurement, best p50 of ${flatness.rounds} per size; database at ${compact(flatness.usersLarge)}: ${flatness.dbFileMb.toFixed(0)} MB, seeded in ${flatness.seedSeconds.toFixed(1)} s)`,
    );
    say();
    const head = (r: string) => r.padStart(26);
    say(
      `${''.padEnd(30)}${head(`@ ${compact(flatness.usersSmall)}`)}${head(`@ ${compact(flatness.usersLarge)}`)}${'p50 ratio'.padStart(11)}`,
    );
    const row = (label: string, a: OpResult, b: OpResult) => {
      const cell = (r: OpResult) => `${fmtInt(r.rps)}/s, p50 ${fmtMs(r.p50)} ms`;
      say(
        `${label.padEnd(30)}${head(cell(a))}${head(cell(b))}${fmtX((b.p50 ?? Number.NaN) / (a.p50 ?? Number.NaN)).padStart(11)}`,
      );
    };
    row('ListUsers by UserName', flatness.listUsersSmall, flatness.listUsersLarge);
    row('DescribeUser', flatness.describeUserSmall, flatness.describeUserLarge);
    say(
      `${'server memory after the runs'.padEnd(30)}${head(memoryCell(flatness.memorySmall))}${head(memoryCell(flatness.memoryLarge))}`,
    );
    say();
  }

  // Goals
  type Verdict = 'PASS' | 'MISS' | 'n/a';
  const verdict = (ok: boolean | undefined): Verdict => (ok === undefined ? 'n/a' : ok ? 'PASS' : 'MISS');
  const finite = (n: number | undefined): n is number => n !== undefined && Number.isFinite(n);
  const describe = ratios.DescribeUser;
  const goals: Array<{ goal: string; figure: string; verdict: Verdict }> = [
    {
      goal: `DescribeUser req/s ≥ ${GOALS.describeVsMoto}× moto`,
      figure: fmtX(describe?.rpsVsMoto),
      verdict: verdict(finite(describe?.rpsVsMoto) ? describe.rpsVsMoto >= GOALS.describeVsMoto : undefined),
    },
    {
      goal: `DescribeUser req/s ≥ ${GOALS.describeVsBare}× bare`,
      figure: fmtX(describe?.rpsVsBare),
      verdict: verdict(finite(describe?.rpsVsBare) ? describe.rpsVsBare >= GOALS.describeVsBare : undefined),
    },
    {
      goal: `ListUsers by UserName p50 ≤ ${GOALS.listUsersFlatness}× from ${compact(options.baseUsers)} to ${compact(flatness?.usersLarge ?? options.users)} users`,
      figure: fmtX(flatness?.p50Ratio),
      verdict: verdict(finite(flatness?.p50Ratio) ? flatness.p50Ratio <= GOALS.listUsersFlatness : undefined),
    },
    {
      goal: `server RSS ≤ ${GOALS.rssMb} MB at ${compact(flatness?.usersLarge ?? options.users)} users`,
      figure: flatness?.memoryLarge === undefined ? 'n/a' : `${flatness.memoryLarge.rssMb.toFixed(0)} MB`,
      verdict: verdict(
        flatness?.memoryLarge === undefined ? undefined : flatness.memoryLarge.rssMb <= GOALS.rssMb,
      ),
    },
  ];
  if (options.users < 1_000_000) {
    say(
      `(the flatness and memory goals are set for 1,000,000 users; this run used ${options.users.toLocaleString('en-US')})`,
    );
  }
  say('Goals');
  for (const g of goals) say(`  ${g.verdict.padEnd(5)} ${g.goal.padEnd(58)} ${g.figure}`);

  mkdirSync(resultsDir, { recursive: true });
  const out = {
    date: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      node: process.version,
      platform: os.platform(),
    },
    options,
    results,
    ratios,
    flatness,
    goals,
  };
  writeFileSync(path.join(resultsDir, 'latest.json'), `${JSON.stringify(out, null, 2)}\n`);
  say();
  say(
    `written to bench/results/latest.json${flags.keep ? `; servers' data and logs kept in ${workDir}` : ''}`,
  );
  if (flags['cpu-prof'])
    say(
      `CPU profiles of studio-sso in bench/results/profiles/ (summary: node --import tsx bench/profile-summary.ts <file>)`,
    );
};

main().then(
  () => process.exit(0),
  (error: unknown) => {
    if (error instanceof BenchError || error instanceof TargetStartError) {
      process.stderr.write(`\nbench failed: ${error.message}\n`);
    } else {
      process.stderr.write(
        `\nbench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
    }
    process.exit(1);
  },
);
