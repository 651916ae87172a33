import { type Migration, type MigrationProvider, Migrator } from 'kysely';
import type { Database } from './database.js';
import * as m0001 from './migrations/0001-foundation.js';
import * as m0002 from './migrations/0002-applications.js';
import * as m0003 from './migrations/0003-mail-and-passwords.js';
import * as m0004 from './migrations/0004-studio.js';
import * as m0005 from './migrations/0005-portal.js';
import * as m0006 from './migrations/0006-cloudformation.js';
import * as m0007 from './migrations/0007-studio-apps.js';
import * as m0008 from './migrations/0008-console.js';
import * as m0009 from './migrations/0009-console-mfa.js';

/** Every migration, in order. Statically imported so the build needs no file-system scan. */
const migrations: Record<string, Migration> = {
  '0001-foundation': m0001,
  '0002-applications': m0002,
  '0003-mail-and-passwords': m0003,
  '0004-studio': m0004,
  '0005-portal': m0005,
  '0006-cloudformation': m0006,
  '0007-studio-apps': m0007,
  '0008-console': m0008,
  '0009-console-mfa': m0009,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/**
 * Kysely's migrator introspects every table of every schema. A schema dropped by someone else at
 * that very moment (another installation or test run on the same PostgreSQL) makes the catalog
 * query fail with `schema "…" does not exist` (3F000): a transient race, so it is retried.
 */
const isVanishedSchema = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '3F000';

const ATTEMPTS = 3;

/**
 * Brings the schema up to date. Kysely's migrator takes a database lock (an advisory lock on
 * PostgreSQL), so several processes starting at once on one database migrate exactly once.
 */
export const migrateToLatest = async (database: Database): Promise<void> => {
  // Kysely looks for its bookkeeping tables in every schema unless told which one: another
  // schema's tables (a second installation, a test run) would pass for ours.
  const migrator = new Migrator({ db: database.db, provider, migrationTableSchema: database.schema });
  for (let attempt = 1; ; attempt++) {
    const { error, results } = await migrator.migrateToLatest();
    if (error !== undefined && isVanishedSchema(error) && attempt < ATTEMPTS) continue;
    const failed = results?.find((r) => r.status === 'Error');
    if (error !== undefined || failed !== undefined) {
      const reason = error instanceof Error ? error.message : String(error ?? failed?.migrationName);
      throw new Error(`database migration failed: ${reason}`, { cause: error });
    }
    return;
  }
};
