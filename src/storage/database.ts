import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import {
  Kysely,
  PostgresDialect,
  SqliteDialect,
  type SqliteDatabase as SqliteDialectDatabase,
  sql,
} from 'kysely';
import pg from 'pg';
import { isUniqueViolation } from './constraint-violations.js';
import type { Schema } from './schema.js';

export type DialectName = 'sqlite' | 'postgres';

export interface Database {
  db: Kysely<Schema>;
  dialect: DialectName;
  /** PostgreSQL: the schema our tables live in (the configured one, or the connection's current one). */
  schema?: string;
  close(): Promise<void>;
}

export type DatabaseTarget =
  | { kind: 'sqlite'; file: string }
  | { kind: 'postgres'; url: string; schema?: string; poolSize?: number };

const INT8_OID = 20;

const STATEMENT_CACHE_SIZE = 512;

/**
 * Kysely prepares every query anew; on SQLite preparing costs about as much as running an indexed
 * lookup. The SQL of our queries comes from a fixed set of builders, so prepared statements are
 * kept by their text (bounded, oldest dropped first) and reused.
 */
const withStatementCache = (sqlite: SqliteDatabase.Database): SqliteDialectDatabase => {
  const statements = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => {
      statements.clear();
      sqlite.close();
    },
    prepare: (sql) => {
      let statement = statements.get(sql);
      if (statement === undefined) {
        statement = sqlite.prepare(sql);
        if (statements.size >= STATEMENT_CACHE_SIZE) {
          const oldest = statements.keys().next().value;
          if (oldest !== undefined) statements.delete(oldest);
        }
        statements.set(sql, statement);
      }
      return statement;
    },
  };
};

const openSqlite = (file: string): Database => {
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new SqliteDatabase(file);
  // WAL lets readers proceed while one writer commits; busy_timeout makes a second process (a
  // CLI command, a backup) wait for the lock instead of failing at once.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  return { db, dialect: 'sqlite', close: () => db.destroy() };
};

const openPostgres = async (url: string, schema: string | undefined, poolSize: number): Promise<Database> => {
  if (schema !== undefined) {
    // The schema must exist before the pool's connections put it on their search_path.
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    } catch (error) {
      // Two processes creating it at the same moment: IF NOT EXISTS is not atomic in PostgreSQL,
      // and the loser gets a unique violation on the catalog. The schema exists either way.
      if (!isUniqueViolation(error)) throw error;
    } finally {
      await admin.end();
    }
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    ...(schema !== undefined ? { options: `-c search_path=${schema}` } : {}),
    // Timestamps are stored as epoch milliseconds in BIGINT; they fit a JS number exactly.
    types: {
      getTypeParser: ((oid: number, format?: string) =>
        oid === INT8_OID
          ? (value: string) => Number(value)
          : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  });
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  try {
    const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
    return { db, dialect: 'postgres', schema: rows[0]?.schema ?? schema, close: () => db.destroy() };
  } catch (error) {
    await db.destroy();
    throw error;
  }
};

export const openDatabase = async (target: DatabaseTarget): Promise<Database> =>
  target.kind === 'sqlite'
    ? openSqlite(target.file)
    : openPostgres(target.url, target.schema, target.poolSize ?? 10);
