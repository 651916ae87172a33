/**
 * Runs work against a set of repositories inside one database transaction: either every write
 * of the work lands or none does. Services receive one and never see SQL.
 */
export interface UnitOfWork<Repositories> {
  /** Repositories outside any transaction, for reads and single-statement writes. */
  readonly repositories: Repositories;
  transaction<T>(work: (repositories: Repositories) => Promise<T>): Promise<T>;
}

/**
 * A UnitOfWork on repositories that already belong to an open transaction: its `transaction` joins
 * that transaction. Lets a service that opens its own transactions (IdentityStoreService) run inside
 * another service's, so that both services' writes commit or roll back together.
 */
export const joinedUnitOfWork = <Repositories>(within: Repositories): UnitOfWork<Repositories> => ({
  repositories: within,
  transaction: (work) => work(within),
});
