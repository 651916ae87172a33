import type { Kysely, Selectable } from 'kysely';
import { ConflictError, NotFoundError } from '../../core/errors.js';
import { onForeignKeyViolation, onUniqueViolation } from '../../storage/constraint-violations.js';
import type { Schema } from '../../storage/schema.js';
import type {
  Keyed,
  Redemption,
  StudioPageQuery,
  StudioRepository,
  UserProfileListQuery,
} from './studio.repository.js';
import type { DomainsTable, StudioPresignedUrlsTable, UserProfilesTable } from './studio.tables.js';
import type {
  AuthMode,
  Domain,
  DomainConfiguration,
  Lifecycle,
  LifecyclePhase,
  PresignedUrlGrant,
  UserProfile,
  UserProfileConfiguration,
  UserProfileSummary,
} from './studio.types.js';

type DomainRow = Selectable<DomainsTable> & {
  sso_instance_id: string | null;
  sso_identity_store_id: string | null;
};

const DELETING: LifecyclePhase = 'Deleting';

/** The lifecycle and audit columns of every SageMaker resource row (domains, profiles, apps). */
export const lifecycleOf = (row: {
  phase: string;
  phase_until: number;
  created_at: number;
  created_by: string | null;
}): { phase: LifecyclePhase; phaseUntil: Date; createdAt: Date; createdBy?: string } => ({
  phase: row.phase as LifecyclePhase,
  phaseUntil: new Date(Number(row.phase_until)),
  createdAt: new Date(Number(row.created_at)),
  ...(row.created_by === null ? {} : { createdBy: row.created_by }),
});

const toDomain = (row: DomainRow): Domain => ({
  domainId: row.domain_id,
  accountId: row.account_id,
  region: row.region,
  name: row.name,
  authMode: row.auth_mode as AuthMode,
  configuration: JSON.parse(row.settings) as DomainConfiguration,
  ...(row.application_id !== null && row.sso_instance_id !== null && row.sso_identity_store_id !== null
    ? {
        sso: {
          applicationId: row.application_id,
          instanceId: row.sso_instance_id,
          identityStoreId: row.sso_identity_store_id,
        },
      }
    : {}),
  homeEfsFileSystemId: row.home_efs_file_system_id,
  ...lifecycleOf(row),
  lastModifiedAt: new Date(Number(row.last_modified_at)),
});

const toUserProfile = (row: Selectable<UserProfilesTable>): UserProfile => ({
  domainId: row.domain_id,
  name: row.name,
  ...(row.sso_user_id === null ? {} : { ssoUserId: row.sso_user_id }),
  ...(row.sso_user_value === null ? {} : { ssoUserName: row.sso_user_value }),
  homeEfsUid: row.home_efs_uid,
  configuration: JSON.parse(row.settings) as UserProfileConfiguration,
  ...lifecycleOf(row),
  lastModifiedAt: new Date(Number(row.last_modified_at)),
});

const toGrant = (row: Selectable<StudioPresignedUrlsTable>): PresignedUrlGrant => ({
  tokenHash: row.token_hash,
  domainId: row.domain_id,
  profileNameKey: row.profile_name_key,
  sessionSeconds: Number(row.session_seconds),
  ...(row.space_name === null ? {} : { spaceName: row.space_name }),
  ...(row.landing_uri === null ? {} : { landingUri: row.landing_uri }),
  createdAt: new Date(Number(row.created_at)),
  ...(row.created_by === null ? {} : { createdBy: row.created_by }),
  expiresAt: new Date(Number(row.expires_at)),
});

/** Profile listing keys: the sort value, then domain and name, so that equal times still order. */
type ProfileKey = [number, string, string];

const encodeProfileKey = (key: ProfileKey): string => JSON.stringify(key);

const decodeProfileKey = (key: string): ProfileKey | undefined => {
  try {
    const value: unknown = JSON.parse(key);
    if (
      Array.isArray(value) &&
      value.length === 3 &&
      typeof value[0] === 'number' &&
      typeof value[1] === 'string' &&
      typeof value[2] === 'string'
    )
      return [value[0], value[1], value[2]];
  } catch {
    // not one of ours: treated as no position
  }
  return undefined;
};

/**
 * `name_key LIKE %…%`. The service lets only profile-name characters through (letters, digits and
 * hyphens), so the needle holds none of LIKE's wildcards and needs no escaping in either database.
 */
const containsPattern = (needle: string): string => `%${needle}%`;

/** Domains, user profiles and presigned URL grants on SQLite and PostgreSQL alike. */
export class StudioKysely implements StudioRepository {
  constructor(private readonly db: Kysely<Schema>) {}

  private selectDomains() {
    return this.db
      .selectFrom('domains')
      .leftJoin('applications', 'applications.application_id', 'domains.application_id')
      .leftJoin('sso_instances', 'sso_instances.instance_id', 'applications.instance_id')
      .selectAll('domains')
      .select([
        'sso_instances.instance_id as sso_instance_id',
        'sso_instances.identity_store_id as sso_identity_store_id',
      ]);
  }

  async purgeGoneDomains(accountId: string, region: string, now: Date): Promise<void> {
    // Their profiles and presigned URL grants go with them (ON DELETE CASCADE).
    await this.db
      .deleteFrom('domains')
      .where('account_id', '=', accountId)
      .where('region', '=', region)
      .where('phase', '=', DELETING)
      .where('phase_until', '<=', now.getTime())
      .execute();
  }

  async purgeGoneUserProfiles(domainId: string, now: Date): Promise<void> {
    await this.db
      .deleteFrom('user_profiles')
      .where('domain_id', '=', domainId)
      .where('phase', '=', DELETING)
      .where('phase_until', '<=', now.getTime())
      .execute();
  }

  async insertDomain(domain: Domain): Promise<void> {
    await this.db
      .insertInto('domains')
      .values({
        domain_id: domain.domainId,
        account_id: domain.accountId,
        region: domain.region,
        name: domain.name,
        auth_mode: domain.authMode,
        settings: JSON.stringify(domain.configuration),
        application_id: domain.sso?.applicationId ?? null,
        home_efs_file_system_id: domain.homeEfsFileSystemId,
        last_home_uid: 0,
        phase: domain.phase,
        phase_until: domain.phaseUntil.getTime(),
        created_at: domain.createdAt.getTime(),
        created_by: domain.createdBy ?? null,
        last_modified_at: domain.lastModifiedAt.getTime(),
      })
      .execute();
  }

  async findDomain(domainId: string): Promise<Domain | undefined> {
    const row = await this.selectDomains().where('domains.domain_id', '=', domainId).executeTakeFirst();
    return row === undefined ? undefined : toDomain(row);
  }

  async listDomains(accountId: string, region: string, now: Date, page: StudioPageQuery): Promise<Domain[]> {
    let query = this.selectDomains()
      .where('domains.account_id', '=', accountId)
      .where('domains.region', '=', region)
      .where((eb) =>
        eb.or([eb('domains.phase', '<>', DELETING), eb('domains.phase_until', '>', now.getTime())]),
      );
    if (page.after !== undefined) query = query.where('domains.domain_id', '>', page.after);
    const rows = await query.orderBy('domains.domain_id').limit(page.limit).execute();
    return rows.map(toDomain);
  }

  async countDomains(accountId: string, region: string, now: Date): Promise<number> {
    const row = await this.db
      .selectFrom('domains')
      .select((eb) => eb.fn.countAll<number | string | bigint>().as('count'))
      .where('account_id', '=', accountId)
      .where('region', '=', region)
      .where((eb) => eb.or([eb('phase', '<>', DELETING), eb('phase_until', '>', now.getTime())]))
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  async updateDomain(
    domainId: string,
    configuration: DomainConfiguration,
    lifecycle: Lifecycle,
    lastModifiedAt: Date,
  ): Promise<boolean> {
    const result = await this.db
      .updateTable('domains')
      .set({
        settings: JSON.stringify(configuration),
        phase: lifecycle.phase,
        phase_until: lifecycle.phaseUntil.getTime(),
        last_modified_at: lastModifiedAt.getTime(),
      })
      .where('domain_id', '=', domainId)
      .where('phase', '<>', DELETING)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async markDomainDeleting(domainId: string, lifecycle: Lifecycle, at: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('domains')
      .set({
        phase: lifecycle.phase,
        phase_until: lifecycle.phaseUntil.getTime(),
        last_modified_at: at.getTime(),
      })
      .where('domain_id', '=', domainId)
      .where('phase', '<>', DELETING)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async allocateHomeUid(domainId: string): Promise<number | undefined> {
    const row = await this.db
      .updateTable('domains')
      .set((eb) => ({ last_home_uid: eb('last_home_uid', '+', 1) }))
      .where('domain_id', '=', domainId)
      .where('phase', '<>', DELETING)
      .returning('last_home_uid')
      .executeTakeFirst();
    return row === undefined ? undefined : Number(row.last_home_uid);
  }

  async insertUserProfile(profile: UserProfile): Promise<void> {
    await onForeignKeyViolation(
      () =>
        onUniqueViolation(
          () =>
            this.db
              .insertInto('user_profiles')
              .values({
                domain_id: profile.domainId,
                name: profile.name,
                name_key: profile.name.toLowerCase(),
                sso_user_id: profile.ssoUserId ?? null,
                sso_user_value: profile.ssoUserName ?? null,
                home_efs_uid: profile.homeEfsUid,
                settings: JSON.stringify(profile.configuration),
                phase: profile.phase,
                phase_until: profile.phaseUntil.getTime(),
                created_at: profile.createdAt.getTime(),
                created_by: profile.createdBy ?? null,
                last_modified_at: profile.lastModifiedAt.getTime(),
              })
              .execute(),
          // The service looked for both kinds of duplicate first; only a concurrent creation gets here.
          () =>
            new ConflictError(
              'USER_PROFILE_EXISTS',
              `A user profile named ${profile.name}${profile.ssoUserName === undefined ? '' : `, or one for user ${profile.ssoUserName},`} was created in domain ${profile.domainId} at the same time.`,
            ),
        ),
      () =>
        new NotFoundError('USER_NOT_FOUND', `User ${profile.ssoUserName ?? ''} was deleted meanwhile.`, {
          resourceType: 'USER',
          resourceId: profile.ssoUserId,
        }),
    );
  }

  async findUserProfile(domainId: string, nameKey: string): Promise<UserProfile | undefined> {
    const row = await this.db
      .selectFrom('user_profiles')
      .selectAll()
      .where('domain_id', '=', domainId)
      .where('name_key', '=', nameKey)
      .executeTakeFirst();
    return row === undefined ? undefined : toUserProfile(row);
  }

  async findUserProfileOfUser(domainId: string, userId: string): Promise<UserProfile | undefined> {
    const row = await this.db
      .selectFrom('user_profiles')
      .selectAll()
      .where('domain_id', '=', domainId)
      .where('sso_user_id', '=', userId)
      .executeTakeFirst();
    return row === undefined ? undefined : toUserProfile(row);
  }

  async findUserProfilesOfUsers(domainId: string, userIds: readonly string[]): Promise<UserProfile[]> {
    if (userIds.length === 0) return [];
    const rows = await this.db
      .selectFrom('user_profiles')
      .selectAll()
      .where('domain_id', '=', domainId)
      .where('sso_user_id', 'in', [...userIds])
      .execute();
    return rows.map(toUserProfile);
  }

  async listUserProfiles(query: UserProfileListQuery, now: Date): Promise<Keyed<UserProfileSummary>[]> {
    const column =
      query.sortBy === 'LastModifiedTime' ? 'user_profiles.last_modified_at' : 'user_profiles.created_at';
    const direction = query.sortOrder === 'Descending' ? 'desc' : 'asc';
    let select = this.db
      .selectFrom('user_profiles')
      .innerJoin('domains', 'domains.domain_id', 'user_profiles.domain_id')
      .select([
        'user_profiles.domain_id',
        'user_profiles.name',
        'user_profiles.name_key',
        'user_profiles.sso_user_value',
        'user_profiles.phase',
        'user_profiles.phase_until',
        'user_profiles.created_at',
        'user_profiles.last_modified_at',
      ])
      .where('domains.account_id', '=', query.accountId)
      .where('domains.region', '=', query.region)
      .where((eb) =>
        eb.or([
          eb('user_profiles.phase', '<>', DELETING),
          eb('user_profiles.phase_until', '>', now.getTime()),
        ]),
      );
    if (query.domainId !== undefined) select = select.where('user_profiles.domain_id', '=', query.domainId);
    if (query.nameContainsKey !== undefined) {
      select = select.where('user_profiles.name_key', 'like', containsPattern(query.nameContainsKey));
    }
    const after = query.after === undefined ? undefined : decodeProfileKey(query.after);
    if (after !== undefined) {
      select = select.where((eb) =>
        eb(
          eb.refTuple(column, 'user_profiles.domain_id', 'user_profiles.name_key'),
          direction === 'asc' ? '>' : '<',
          eb.tuple(after[0], after[1], after[2]),
        ),
      );
    }
    const rows = await select
      .orderBy(column, direction)
      .orderBy('user_profiles.domain_id', direction)
      .orderBy('user_profiles.name_key', direction)
      .limit(query.limit)
      .execute();
    return rows.map((row) => {
      const sortValue = Number(query.sortBy === 'LastModifiedTime' ? row.last_modified_at : row.created_at);
      return {
        item: {
          domainId: row.domain_id,
          name: row.name,
          ...(row.sso_user_value === null ? {} : { ssoUserName: row.sso_user_value }),
          phase: row.phase as LifecyclePhase,
          phaseUntil: new Date(Number(row.phase_until)),
          createdAt: new Date(Number(row.created_at)),
          lastModifiedAt: new Date(Number(row.last_modified_at)),
        },
        key: encodeProfileKey([sortValue, row.domain_id, row.name_key]),
      };
    });
  }

  async countUserProfiles(domainId: string, now: Date): Promise<number> {
    const row = await this.db
      .selectFrom('user_profiles')
      .select((eb) => eb.fn.countAll<number | string | bigint>().as('count'))
      .where('domain_id', '=', domainId)
      .where((eb) => eb.or([eb('phase', '<>', DELETING), eb('phase_until', '>', now.getTime())]))
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  async updateUserProfile(
    domainId: string,
    nameKey: string,
    configuration: UserProfileConfiguration,
    lifecycle: Lifecycle,
    lastModifiedAt: Date,
  ): Promise<boolean> {
    const result = await this.db
      .updateTable('user_profiles')
      .set({
        settings: JSON.stringify(configuration),
        phase: lifecycle.phase,
        phase_until: lifecycle.phaseUntil.getTime(),
        last_modified_at: lastModifiedAt.getTime(),
      })
      .where('domain_id', '=', domainId)
      .where('name_key', '=', nameKey)
      .where('phase', '<>', DELETING)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async markUserProfileDeleting(
    domainId: string,
    nameKey: string,
    lifecycle: Lifecycle,
    at: Date,
  ): Promise<boolean> {
    const result = await this.db
      .updateTable('user_profiles')
      .set({
        phase: lifecycle.phase,
        phase_until: lifecycle.phaseUntil.getTime(),
        last_modified_at: at.getTime(),
      })
      .where('domain_id', '=', domainId)
      .where('name_key', '=', nameKey)
      .where('phase', '<>', DELETING)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async insertPresignedUrl(grant: PresignedUrlGrant): Promise<void> {
    // The profile's expired grants can never be redeemed: they go, so grants do not pile up.
    await this.db
      .deleteFrom('studio_presigned_urls')
      .where('domain_id', '=', grant.domainId)
      .where('profile_name_key', '=', grant.profileNameKey)
      .where('expires_at', '<=', grant.createdAt.getTime())
      .execute();
    await onForeignKeyViolation(
      () =>
        this.db
          .insertInto('studio_presigned_urls')
          .values({
            token_hash: grant.tokenHash,
            domain_id: grant.domainId,
            profile_name_key: grant.profileNameKey,
            session_seconds: grant.sessionSeconds,
            space_name: grant.spaceName ?? null,
            landing_uri: grant.landingUri ?? null,
            created_at: grant.createdAt.getTime(),
            created_by: grant.createdBy ?? null,
            expires_at: grant.expiresAt.getTime(),
            used_at: null,
          })
          .execute(),
      () =>
        new NotFoundError(
          'USER_PROFILE_NOT_FOUND',
          `User profile ${grant.profileNameKey} was deleted meanwhile.`,
        ),
    );
  }

  async redeemPresignedUrl(tokenHash: string, now: Date): Promise<Redemption> {
    const row = await this.db
      .selectFrom('studio_presigned_urls')
      .selectAll()
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst();
    if (row === undefined) return { outcome: 'unknown' };
    if (row.used_at !== null) return { outcome: 'used' };
    if (Number(row.expires_at) <= now.getTime()) return { outcome: 'expired' };
    // Whoever sets used_at first redeems it; a concurrent second opening finds it used.
    const result = await this.db
      .updateTable('studio_presigned_urls')
      .set({ used_at: now.getTime() })
      .where('token_hash', '=', tokenHash)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n ? { outcome: 'redeemed', grant: toGrant(row) } : { outcome: 'used' };
  }
}
