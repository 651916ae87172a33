import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type Database, type DialectName, openDatabase } from '../../src/storage/database.js';
import { migrateToLatest } from '../../src/storage/migrate.js';

/** The PostgreSQL that TESTING.md promises (trust auth, database `test`), unless told otherwise. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

let reachable: Promise<string | undefined> | undefined;

/** Undefined when PostgreSQL answers; otherwise why not, for the skip message. */
export const postgresUnavailableReason = (): Promise<string | undefined> => {
  reachable ??= (async () => {
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query('select 1');
      return undefined;
    } catch (error) {
      return `PostgreSQL at ${TEST_DATABASE_URL} is not reachable (${(error as Error).message}); run .ci/run, which starts it`;
    } finally {
      await client.end().catch(() => undefined);
    }
  })();
  return reachable;
};

/** The dialects to run storage tests on: TEST_DIALECTS=sqlite,postgres (default both). */
export const testDialects = (): DialectName[] =>
  (process.env.TEST_DIALECTS ?? 'sqlite,postgres').split(',').map((d) => d.trim()) as DialectName[];

export const uniqueSchemaName = (): string =>
  `t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;

export const dropSchema = async (schema: string): Promise<void> => {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
};

/** A migrated, empty database of the dialect: SQLite in memory, or a fresh PostgreSQL schema. */
export const openTestDatabase = async (dialect: DialectName): Promise<Database> => {
  if (dialect === 'sqlite') {
    const database = await openDatabase({ kind: 'sqlite', file: ':memory:' });
    await migrateToLatest(database);
    return database;
  }
  const schema = uniqueSchemaName();
  const database = await openDatabase({ kind: 'postgres', url: TEST_DATABASE_URL, schema });
  await migrateToLatest(database);
  return {
    ...database,
    close: async () => {
      await database.close();
      await dropSchema(schema);
    },
  };
};
