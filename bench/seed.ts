import { randomUUID } from 'node:crypto';
import path from 'node:path';
import Database from 'better-sqlite3';

/**
 * Bulk seeding of users straight into the SQLite file of a stopped studio-sso, for the
 * 1,000,000-user figures (through the API that would take many minutes). Each new row is a copy
 * of a template user that was created through the API, with the template's name token replaced
 * in every text column: so the rows are exactly what the server itself writes (whatever the
 * identity-store module keeps in `attributes` and the key columns), only more of them.
 */

export interface BulkSeedOptions {
  dataDir: string;
  identityStoreId: string;
  /** UserName of the API-made template user; it contains `token`. */
  templateUserName: string;
  /** The part of the template's text columns to replace, e.g. `u0000000`. */
  token: string;
  /** Seeds users `from` … `to - 1`, named by `tokenOf(i)`. */
  from: number;
  to: number;
  tokenOf: (index: number) => string;
  /** How many of the new users' IDs to return (evenly spread), for DescribeUser calls. */
  sample: number;
}

export interface BulkSeedResult {
  inserted: number;
  seconds: number;
  totalUsers: number;
  /** [index, userId] of an even spread of the new users. */
  sampled: Array<[number, string]>;
}

const EXPECTED_COLUMNS = [
  'user_id',
  'identity_store_id',
  'user_name',
  'user_name_key',
  'display_name',
  'email_key',
  'attributes',
  'status',
  'created_at',
  'created_by',
  'updated_at',
  'updated_by',
];

export const databaseFile = (dataDir: string): string => path.join(dataDir, 'studio-sso.db');

export const countUsers = (dataDir: string, identityStoreId: string): number => {
  const db = new Database(databaseFile(dataDir), { readonly: true });
  try {
    const row = db
      .prepare('SELECT count(*) AS n FROM users WHERE identity_store_id = ?')
      .get(identityStoreId) as {
      n: number;
    };
    return row.n;
  } finally {
    db.close();
  }
};

export const bulkSeedUsers = (options: BulkSeedOptions): BulkSeedResult => {
  const started = process.hrtime.bigint();
  const db = new Database(databaseFile(options.dataDir));
  try {
    // A bench database, loaded while no server runs: no journal, no fsync, one big cache. The
    // server's WAL mode is put back at the end.
    db.pragma('journal_mode = MEMORY');
    db.pragma('synchronous = OFF');
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('cache_size = -1048576');
    db.pragma('temp_store = MEMORY');

    const columns = (db.prepare('PRAGMA table_info(users)').all() as Array<{ name: string }>).map(
      (c) => c.name,
    );
    const unknown = columns.filter((c) => !EXPECTED_COLUMNS.includes(c));
    const missing = EXPECTED_COLUMNS.filter((c) => !columns.includes(c));
    if (missing.length > 0) throw new Error(`users table lacks ${missing.join(', ')}: the schema changed`);

    const template = db
      .prepare('SELECT * FROM users WHERE identity_store_id = ? AND user_name = ?')
      .get(options.identityStoreId, options.templateUserName) as Record<string, unknown> | undefined;
    if (template === undefined) throw new Error(`template user ${options.templateUserName} not found`);
    if (!String(template.user_id).startsWith(`${options.identityStoreId.slice(2)}-`)) {
      throw new Error(`unexpected user ID format: ${String(template.user_id)}`);
    }

    // Every column is copied; text columns get the token replaced, the ID and times are new.
    const textColumns = columns.filter(
      (c) =>
        c !== 'user_id' && typeof template[c] === 'string' && (template[c] as string).includes(options.token),
    );
    if (!textColumns.includes('user_name') || !textColumns.includes('user_name_key')) {
      throw new Error(`template user's user_name/user_name_key do not contain ${options.token}`);
    }
    const insert = db.prepare(
      `INSERT INTO users (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
    );
    const prefix = `${options.identityStoreId.slice(2)}-`;
    const now = Date.now();
    const base: Record<string, unknown> = { ...template, created_at: now, updated_at: now };
    const row = columns.map((c) => base[c]);
    const idAt = columns.indexOf('user_id');
    const textAt = columns.map((c, at) => [c, at] as const).filter(([c]) => textColumns.includes(c));
    const sampled: Array<[number, string]> = [];
    const count = options.to - options.from;
    const every = Math.max(1, Math.floor(count / Math.max(1, options.sample)));

    // IDs in ascending order, as the names are: every index then grows at its end instead of
    // splitting pages all over, which makes the load several times faster (the result is the same).
    const userIds = Array.from({ length: count }, () => prefix + randomUUID()).sort();
    const insertRange = db.transaction((from: number, to: number) => {
      for (let i = from; i < to; i++) {
        const token = options.tokenOf(i);
        const userId = userIds[i - options.from] ?? '';
        row[idAt] = userId;
        for (const [column, at] of textAt)
          row[at] = (template[column] as string).replaceAll(options.token, token);
        insert.run(row);
        if ((i - options.from) % every === 0 && sampled.length < options.sample) sampled.push([i, userId]);
      }
    });
    const BATCH = 100_000;
    for (let from = options.from; from < options.to; from += BATCH) {
      insertRange(from, Math.min(options.to, from + BATCH));
    }
    db.pragma('journal_mode = WAL');
    const total = (
      db
        .prepare('SELECT count(*) AS n FROM users WHERE identity_store_id = ?')
        .get(options.identityStoreId) as {
        n: number;
      }
    ).n;
    if (unknown.length > 0) {
      process.stdout.write(
        `  (seed: users has columns the bench does not know, copied as is: ${unknown.join(', ')})\n`,
      );
    }
    return {
      inserted: count,
      seconds: Number(process.hrtime.bigint() - started) / 1e9,
      totalUsers: total,
      sampled,
    };
  } finally {
    db.close();
  }
};
