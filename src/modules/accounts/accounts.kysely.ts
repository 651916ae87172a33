import type { Kysely, Selectable } from 'kysely';
import type { Schema } from '../../storage/schema.js';
import type { AccountsRepository } from './accounts.repository.js';
import type { AccountsTable } from './accounts.tables.js';
import type { AccessKey, Account } from './accounts.types.js';

const toAccount = (row: Selectable<AccountsTable>): Account => ({
  accountId: row.account_id,
  name: row.name,
  email: row.email,
  emailVerifiedAt: row.email_verified_at === null ? undefined : new Date(row.email_verified_at),
  organizationId: row.organization_id ?? undefined,
  joinedMethod: (row.joined_method as Account['joinedMethod']) ?? undefined,
  joinedAt: row.joined_at === null ? undefined : new Date(row.joined_at),
  createdAt: new Date(row.created_at),
});

export class AccountsKysely implements AccountsRepository {
  constructor(private readonly db: Kysely<Schema>) {}

  async getSetting(key: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('settings')
      .select('value')
      .where('key', '=', key)
      .executeTakeFirst();
    return row?.value;
  }

  async putSettingIfAbsent(key: string, value: string): Promise<string> {
    await this.db
      .insertInto('settings')
      .values({ key, value })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    return (await this.getSetting(key)) ?? value;
  }

  async findAccount(accountId: string): Promise<Account | undefined> {
    const row = await this.db
      .selectFrom('accounts')
      .selectAll()
      .where('account_id', '=', accountId)
      .executeTakeFirst();
    return row === undefined ? undefined : toAccount(row);
  }

  async insertAccountIfAbsent(account: Account): Promise<void> {
    await this.db
      .insertInto('accounts')
      .values({
        account_id: account.accountId,
        name: account.name,
        email: account.email,
        email_verified_at: account.emailVerifiedAt?.getTime() ?? null,
        organization_id: account.organizationId ?? null,
        joined_method: account.joinedMethod ?? null,
        joined_at: account.joinedAt?.getTime() ?? null,
        created_at: account.createdAt.getTime(),
      })
      .onConflict((oc) => oc.column('account_id').doNothing())
      .execute();
  }

  async joinOrganization(
    accountId: string,
    organizationId: string,
    method: 'INVITED' | 'CREATED',
    at: Date,
  ): Promise<void> {
    await this.db
      .updateTable('accounts')
      .set({ organization_id: organizationId, joined_method: method, joined_at: at.getTime() })
      .where('account_id', '=', accountId)
      .execute();
  }

  async listAccountsInOrganization(
    organizationId: string,
    after: string | undefined,
    limit: number,
  ): Promise<Account[]> {
    let query = this.db.selectFrom('accounts').selectAll().where('organization_id', '=', organizationId);
    if (after !== undefined) query = query.where('account_id', '>', after);
    const rows = await query.orderBy('account_id').limit(limit).execute();
    return rows.map(toAccount);
  }

  async markEmailVerified(accountId: string, email: string, at: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('accounts')
      .set({ email_verified_at: at.getTime() })
      .where('account_id', '=', accountId)
      .where('email', '=', email)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async findAccessKey(accessKeyId: string): Promise<AccessKey | undefined> {
    const row = await this.db
      .selectFrom('access_keys')
      .selectAll()
      .where('access_key_id', '=', accessKeyId)
      .executeTakeFirst();
    if (row === undefined) return undefined;
    return {
      accessKeyId: row.access_key_id,
      secretAccessKey: row.secret_access_key,
      accountId: row.account_id,
      principalArn: row.principal_arn,
      status: row.status as AccessKey['status'],
      createdAt: new Date(row.created_at),
    };
  }

  async saveAccessKey(key: AccessKey, options: { replace: boolean }): Promise<void> {
    await this.db
      .insertInto('access_keys')
      .values({
        access_key_id: key.accessKeyId,
        secret_access_key: key.secretAccessKey,
        account_id: key.accountId,
        principal_arn: key.principalArn,
        status: key.status,
        created_at: key.createdAt.getTime(),
      })
      .onConflict((oc) =>
        options.replace
          ? oc
              .column('access_key_id')
              .doUpdateSet({ secret_access_key: key.secretAccessKey, status: key.status })
          : oc.column('access_key_id').doNothing(),
      )
      .execute();
  }
}
