import type { MailTables } from '../mail/outbox.tables.js';
import type { AccessTables } from '../modules/access/access.tables.js';
import type { AccountsTables } from '../modules/accounts/accounts.tables.js';
import type { CloudFormationTables } from '../modules/cloudformation/cloudformation.tables.js';
import type { ConsoleTables } from '../modules/console/console.tables.js';
import type { CredentialsTables } from '../modules/credentials/credentials.tables.js';
import type { IdentityStoreTables } from '../modules/identity-store/identity-store.tables.js';
import type { InvitationsTables } from '../modules/invitations/invitations.tables.js';
import type { EmailVerificationTables } from '../modules/organizations/email-verification.tables.js';
import type { OrganizationsTables } from '../modules/organizations/organizations.tables.js';
import type { PortalSecurityTables } from '../modules/portal/portal.tables.js';
import type { PortalTables } from '../modules/portal/sessions.tables.js';
import type { SettingsTables } from '../modules/settings/settings.tables.js';
import type { StudioTables } from '../modules/studio/studio.tables.js';
import type { StudioAppsTables } from '../modules/studio/studio-apps.tables.js';

/** The tables of mail, e-mail verification, settings, passwords, invitations and portal sessions. */
type MailAndPasswordTables = MailTables &
  EmailVerificationTables &
  SettingsTables &
  CredentialsTables &
  InvitationsTables &
  PortalTables;

/** The whole database, as the union of what each module owns. */
export type Schema = AccountsTables &
  OrganizationsTables &
  AccessTables &
  IdentityStoreTables &
  MailAndPasswordTables &
  StudioTables &
  PortalSecurityTables &
  CloudFormationTables &
  StudioAppsTables &
  ConsoleTables;
