import type { AccessKey, Account } from './accounts.types.js';

/** Storage port of the accounts module: settings, accounts and their access keys. */
export interface AccountsRepository {
  getSetting(key: string): Promise<string | undefined>;
  /** Stores the value unless the key already has one; returns the value that is stored. */
  putSettingIfAbsent(key: string, value: string): Promise<string>;
  findAccount(accountId: string): Promise<Account | undefined>;
  insertAccountIfAbsent(account: Account): Promise<void>;
  joinOrganization(
    accountId: string,
    organizationId: string,
    method: 'INVITED' | 'CREATED',
    at: Date,
  ): Promise<void>;
  listAccountsInOrganization(
    organizationId: string,
    after: string | undefined,
    limit: number,
  ): Promise<Account[]>;
  /** Marks the address verified if it is still the account's address; false otherwise. */
  markEmailVerified(accountId: string, email: string, at: Date): Promise<boolean>;
  findAccessKey(accessKeyId: string): Promise<AccessKey | undefined>;
  /**
   * Creates the key. When it exists, `replace` says whether its secret is overwritten (a pinned
   * root key whose secret changed) or kept (two processes generating the first key at once).
   */
  saveAccessKey(key: AccessKey, options: { replace: boolean }): Promise<void>;
}
