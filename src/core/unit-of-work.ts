/**
 * Runs work against a set of repositories inside one database transaction: either every write
 * of the work lands or none does. Services receive one and never see SQL.
 */
export interface UnitOfWork<Repositories> {
  /** Repositories outside any transaction, for reads and single-statement writes. */
  readonly repositories: Repositories;
  transaction<T>(work: (repositories: Repositories) => Promise<T>): Promise<T>;
}
