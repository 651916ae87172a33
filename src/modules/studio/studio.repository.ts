import type {
  Domain,
  DomainConfiguration,
  Lifecycle,
  PresignedUrlGrant,
  SortOrder,
  UserProfile,
  UserProfileConfiguration,
  UserProfileSortKey,
  UserProfileSummary,
} from './studio.types.js';

export interface StudioPageQuery {
  /** The sort key of the last item already returned (as the repository encoded it). */
  after?: string;
  limit: number;
}

export interface UserProfileListQuery extends StudioPageQuery {
  accountId: string;
  region: string;
  domainId?: string;
  /** Lower-cased: names are compared regardless of case. */
  nameContainsKey?: string;
  sortBy: UserProfileSortKey;
  sortOrder: SortOrder;
}

/** A row of a listing with the opaque key the next page starts after. */
export interface Keyed<T> {
  item: T;
  key: string;
}

/** Why a presigned URL was not redeemed, or the grant it redeemed. */
export type Redemption =
  | { outcome: 'redeemed'; grant: PresignedUrlGrant }
  | { outcome: 'unknown' | 'used' | 'expired' };

/**
 * Storage port of domains, user profiles and presigned URL grants. "Gone" rows (Deleting whose
 * phase has ended) are never returned by listings and are physically removed by `purgeGone`; finds
 * return a row in any phase and leave the judgement to the service. Uniqueness is the database's:
 * a second profile of the same name (any case) or of the same SSO user in a domain throws the
 * core's ConflictError.
 */
export interface StudioRepository {
  /** Removes the account's domains in the Region whose deletion completed by `now`. */
  purgeGoneDomains(accountId: string, region: string, now: Date): Promise<void>;
  /** Removes the domain's profiles whose deletion completed by `now`: their names and users are free again. */
  purgeGoneUserProfiles(domainId: string, now: Date): Promise<void>;

  insertDomain(domain: Domain): Promise<void>;
  findDomain(domainId: string): Promise<Domain | undefined>;
  /** Domains of the account in the Region that are not gone at `now`, by ID after `after`. */
  listDomains(accountId: string, region: string, now: Date, page: StudioPageQuery): Promise<Domain[]>;
  countDomains(accountId: string, region: string, now: Date): Promise<number>;
  /** The domain, when it is not being deleted; false otherwise. */
  updateDomain(
    domainId: string,
    configuration: DomainConfiguration,
    lifecycle: Lifecycle,
    lastModifiedAt: Date,
  ): Promise<boolean>;
  /** Puts the domain in Deleting, unless it already is; false then. Locks the row until commit. */
  markDomainDeleting(domainId: string, lifecycle: Lifecycle, at: Date): Promise<boolean>;
  /**
   * The next HomeEfsFileSystemUid of the domain, unless the domain is being deleted (undefined).
   * Locks the domain's row until commit, so a concurrent DeleteDomain waits, then sees the profile.
   */
  allocateHomeUid(domainId: string): Promise<number | undefined>;

  insertUserProfile(profile: UserProfile): Promise<void>;
  findUserProfile(domainId: string, nameKey: string): Promise<UserProfile | undefined>;
  findUserProfileOfUser(domainId: string, userId: string): Promise<UserProfile | undefined>;
  /** `findUserProfileOfUser` for many users at once: the profiles of those who have one, in any phase. */
  findUserProfilesOfUsers(domainId: string, userIds: readonly string[]): Promise<UserProfile[]>;
  /** Profiles not gone at `now`, across the account's domains in the Region or in one. */
  listUserProfiles(query: UserProfileListQuery, now: Date): Promise<Keyed<UserProfileSummary>[]>;
  /** The profiles of the domain not gone at `now` (Deleting ones included). */
  countUserProfiles(domainId: string, now: Date): Promise<number>;
  updateUserProfile(
    domainId: string,
    nameKey: string,
    configuration: UserProfileConfiguration,
    lifecycle: Lifecycle,
    lastModifiedAt: Date,
  ): Promise<boolean>;
  markUserProfileDeleting(
    domainId: string,
    nameKey: string,
    lifecycle: Lifecycle,
    at: Date,
  ): Promise<boolean>;

  /** Stores the grant, and forgets the profile's grants that expired before it was made. */
  insertPresignedUrl(grant: PresignedUrlGrant): Promise<void>;
  /** Marks the grant used, once, if it is unused and not expired at `now`. */
  redeemPresignedUrl(tokenHash: string, now: Date): Promise<Redemption>;
}
