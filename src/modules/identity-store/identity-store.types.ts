/**
 * The identity store's domain: users, groups and direct group memberships, as IAM Identity
 * Center's directory keeps them. camelCase, Dates, no wire shapes; attribute names follow SCIM
 * (RFC 7643), which is also what UpdateUser's lowerCamel attribute paths name.
 */

/** An identity store: one per Identity Center instance, owned by one account in one Region. */
export interface IdentityStore {
  identityStoreId: string;
  accountId: string;
  region: string;
  createdAt: Date;
}

/** Who made and last changed an object; `createdBy`/`updatedBy` are caller ARNs. */
export interface Audit {
  createdAt: Date;
  createdBy?: string;
  updatedAt: Date;
  updatedBy?: string;
}

export interface PersonName {
  formatted?: string;
  familyName?: string;
  givenName?: string;
  middleName?: string;
  honorificPrefix?: string;
  honorificSuffix?: string;
}

export interface Email {
  value?: string;
  type?: string;
  primary?: boolean;
}

export interface Address {
  streetAddress?: string;
  locality?: string;
  region?: string;
  postalCode?: string;
  country?: string;
  formatted?: string;
  type?: string;
  primary?: boolean;
}

export interface PhoneNumber {
  value?: string;
  type?: string;
  primary?: boolean;
}

export interface Photo {
  value: string;
  type?: string;
  display?: string;
  primary?: boolean;
}

export interface Role {
  value?: string;
  type?: string;
  primary?: boolean;
}

/** An identifier an external identity provider (SCIM, AD sync) gave a user or group. */
export interface ExternalId {
  issuer: string;
  id: string;
}

/** The only extension Identity Center supports: SCIM's enterprise user attributes. */
export const ENTERPRISE_EXTENSION = 'aws:identitystore:enterprise';

/** Extension name → extension document (free JSON, checked by the service). */
export type UserExtensions = Record<string, unknown>;

export type UserStatus = 'ENABLED' | 'DISABLED';

/** Everything about a user that a caller can set: the subject of CreateUser and UpdateUser. */
export interface UserProfile {
  userName: string;
  /** Required by CreateUser; users that arrive through other ways in (SCIM) may lack it. */
  displayName?: string;
  name?: PersonName;
  nickName?: string;
  profileUrl?: string;
  /** At most one item (the model's limit), so its value is the user's e-mail address. */
  emails?: Email[];
  addresses?: Address[];
  phoneNumbers?: PhoneNumber[];
  photos?: Photo[];
  roles?: Role[];
  userType?: string;
  title?: string;
  preferredLanguage?: string;
  locale?: string;
  timezone?: string;
  website?: string;
  birthdate?: string;
  extensions?: UserExtensions;
}

export interface User extends UserProfile, Audit {
  userId: string;
  identityStoreId: string;
  status: UserStatus;
  externalIds: ExternalId[];
}

/** What a caller can set on a group. */
export interface GroupProfile {
  displayName: string;
  description?: string;
}

export interface Group extends GroupProfile, Audit {
  groupId: string;
  identityStoreId: string;
  externalIds: ExternalId[];
}

/**
 * A user's direct membership of a group. Nested group members (NestedGroupMembership) are stored in
 * the same table but are not memberships of this kind: AWS's API can neither make nor show them.
 */
export interface GroupMembership extends Audit {
  membershipId: string;
  identityStoreId: string;
  groupId: string;
  userId: string;
}

/**
 * A group that is a member of another group: nested groups, as external directories, SCIM and the
 * console make them. AWS's API neither makes nor shows them, and they never grant access to
 * applications (only direct membership counts); the access decision reports them.
 */
export interface NestedGroupMembership extends Audit {
  membershipId: string;
  identityStoreId: string;
  /** The containing group. */
  groupId: string;
  /** The group inside it. */
  memberGroupId: string;
}

/** One step of UpdateUser/UpdateGroup: a lowerCamel attribute path and its new value, or none to remove it. */
export interface AttributeOperation {
  path: string;
  /** A JSON document; undefined or null removes the attribute. */
  value?: unknown;
}

/** How GetUserId/GetGroupId name an object other than by its ID. */
export type AlternateIdentifier =
  | { kind: 'uniqueAttribute'; path: string; value: unknown }
  | { kind: 'externalId'; externalId: ExternalId };

/** The ListUsers/ListGroups filter (at most one; deprecated by AWS in favour of GetUserId/GetGroupId). */
export interface ListFilter {
  attributePath: string;
  attributeValue: string;
}

/** The answer of IsMemberInGroups for one requested group. */
export interface MembershipExistence {
  groupId: string;
  userId: string;
  membershipExists: boolean;
}

/**
 * The value the case-insensitive unique indexes hold (user names, group display names, e-mail
 * addresses): SCIM's `caseExact: false`. Locale-independent, so every process agrees.
 */
export const lookupKey = (value: string): string => value.toLowerCase();
