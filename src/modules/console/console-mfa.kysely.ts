import type { Kysely } from 'kysely';
import { renamedTables } from '../../storage/renamed-tables.js';
import type { Schema } from '../../storage/schema.js';
import { MfaKysely } from '../portal/mfa.kysely.js';
import type { MfaRepository } from '../portal/mfa.repository.js';

/**
 * The root admin's MFA storage: the portal's MFA repository (TOTP, sealed secrets, single-use
 * codes and time steps) on the console's own tables of the same shape. Its "user" is the root's
 * account ID: the portal's tables reference identity-store users, which the root is not.
 */
export const consoleMfaRepository = (db: Kysely<Schema>): MfaRepository =>
  new MfaKysely(
    db.withPlugin(
      renamedTables({ mfa_devices: 'console_mfa_devices', mfa_recovery_codes: 'console_mfa_recovery_codes' }),
    ),
  );
