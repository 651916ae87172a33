/**
 * SageMaker Studio domains and user profiles. camelCase and Dates for what the service reasons
 * about; the AWS settings documents (UserSettings, DomainSettings, …) are kept exactly as the caller
 * gave them, already validated against the model at the edge, because they are returned as given
 * and nothing here interprets them beyond `ExecutionRole`.
 */

export type AuthMode = 'SSO' | 'IAM';

/** Domain and user profile statuses, as AWS names them. */
export type StudioStatus =
  | 'Pending'
  | 'InService'
  | 'Updating'
  | 'Update_Failed'
  | 'Deleting'
  | 'Delete_Failed'
  | 'Failed';

/** The transitional phase a resource was last put in; see `lifecycle.ts`. */
export type LifecyclePhase = 'Pending' | 'Updating' | 'Deleting';

export interface Lifecycle {
  phase: LifecyclePhase;
  /** When the phase ends: then the resource is InService, or gone after Deleting. */
  phaseUntil: Date;
}

/** A JSON object of an AWS settings shape, member names as on the wire. */
export type SettingsDocument = { readonly [member: string]: unknown };

/** UserSettings: opaque but for the role the user's apps run as. */
export type UserSettings = SettingsDocument & { readonly ExecutionRole?: string };

export interface Tag {
  key: string;
  value: string;
}

export type AppNetworkAccessType = 'PublicInternetOnly' | 'VpcOnly';

/** Everything a domain keeps as configured. */
export interface DomainConfiguration {
  defaultUserSettings: UserSettings;
  domainSettings?: SettingsDocument;
  defaultSpaceSettings?: SettingsDocument;
  vpcId?: string;
  subnetIds?: string[];
  appNetworkAccessType: AppNetworkAccessType;
  appSecurityGroupManagement?: string;
  kmsKeyId?: string;
  homeEfsFileSystemKmsKeyId?: string;
  tagPropagation: 'ENABLED' | 'DISABLED';
  tags?: Tag[];
}

/** The IAM Identity Center side of an SSO domain. */
export interface DomainSso {
  applicationId: string;
  instanceId: string;
  identityStoreId: string;
}

export interface Domain extends Lifecycle {
  domainId: string;
  accountId: string;
  region: string;
  name: string;
  authMode: AuthMode;
  configuration: DomainConfiguration;
  /**
   * For SSO domains, the AWS-managed "Amazon SageMaker Studio (d-…)" application. Undefined for
   * IAM domains, and for SSO domains whose Identity Center instance has been deleted since.
   */
  sso?: DomainSso;
  homeEfsFileSystemId: string;
  createdAt: Date;
  createdBy?: string;
  lastModifiedAt: Date;
}

export interface UserProfileConfiguration {
  userSettings?: UserSettings;
  tags?: Tag[];
}

export interface UserProfile extends Lifecycle {
  domainId: string;
  /** As created; unique in the domain regardless of case. */
  name: string;
  /**
   * The Identity Center user of an SSO domain's profile. Undefined for IAM domains, and once the
   * user has been deleted (the profile stays, as AWS's does).
   */
  ssoUserId?: string;
  /** SingleSignOnUserValue: the user name the profile was created for (SSO domains). */
  ssoUserName?: string;
  /** HomeEfsFileSystemUid: a numeric string. */
  homeEfsUid: string;
  configuration: UserProfileConfiguration;
  createdAt: Date;
  createdBy?: string;
  lastModifiedAt: Date;
}

/** A profile as listings show it, with where it lives. */
export type UserProfileSummary = Pick<
  UserProfile,
  'domainId' | 'name' | 'ssoUserName' | 'phase' | 'phaseUntil' | 'createdAt' | 'lastModifiedAt'
>;

export type UserProfileSortKey = 'CreationTime' | 'LastModifiedTime';
export type SortOrder = 'Ascending' | 'Descending';

/** A presigned domain URL's stored half: the token is only in the URL. */
export interface PresignedUrlGrant {
  tokenHash: string;
  domainId: string;
  /** The profile's name, lower-cased. */
  profileNameKey: string;
  /** SessionExpirationDurationInSeconds: how long the Studio session it opens may last. */
  sessionSeconds: number;
  spaceName?: string;
  landingUri?: string;
  createdAt: Date;
  createdBy?: string;
  expiresAt: Date;
}

/**
 * Where presigned domain URLs point: this server's Studio landing page. The web layer owns the path
 * and the public base URL.
 */
export interface StudioLinks {
  presignedDomainUrl(domainId: string, token: string): string;
}
