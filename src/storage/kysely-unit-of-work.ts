import type { Kysely } from 'kysely';
import type { UnitOfWork } from '../core/unit-of-work.js';
import type { Schema } from './schema.js';

/** A UnitOfWork whose repositories are built on the database, or on a transaction of it. */
export const kyselyUnitOfWork = <Repositories>(
  db: Kysely<Schema>,
  build: (executor: Kysely<Schema>) => Repositories,
): UnitOfWork<Repositories> => ({
  repositories: build(db),
  transaction: (work) => db.transaction().execute((trx) => work(build(trx))),
});
