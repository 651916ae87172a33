import type { AccessTables } from '../modules/access/access.tables.js';
import type { AccountsTables } from '../modules/accounts/accounts.tables.js';
import type { IdentityStoreTables } from '../modules/identity-store/identity-store.tables.js';
import type { OrganizationsTables } from '../modules/organizations/organizations.tables.js';

/** The whole database, as the union of what each module owns. */
export type Schema = AccountsTables & OrganizationsTables & AccessTables & IdentityStoreTables;
