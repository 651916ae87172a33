/**
 * IAM Identity Center applications and who is assigned to them. camelCase, Dates, no wire shapes.
 */

export type ApplicationStatus = 'ENABLED' | 'DISABLED';
export type SignInOrigin = 'IDENTITY_CENTER' | 'APPLICATION';
export type ApplicationVisibility = 'ENABLED' | 'DISABLED';
export type FederationProtocol = 'SAML' | 'OAUTH';

export interface SignInOptions {
  origin: SignInOrigin;
  /** Where sign-in starts when `origin` is APPLICATION (then it is required). */
  applicationUrl?: string;
}

/** How the access portal shows the application. */
export interface PortalOptions {
  signInOptions?: SignInOptions;
  /** Whether the portal shows a tile for it; unset means shown. */
  visibility?: ApplicationVisibility;
}

export interface Application {
  applicationId: string;
  instanceId: string;
  /** The identity store of the instance: whose users and groups may be assigned. */
  identityStoreId: string;
  /** ApplicationAccount: the account that owns the application. */
  accountId: string;
  region: string;
  name: string;
  description?: string;
  providerArn: string;
  status: ApplicationStatus;
  portalOptions?: PortalOptions;
  /** False: every user of the store may use it, assigned or not (PutApplicationAssignmentConfiguration). */
  assignmentRequired: boolean;
  /**
   * The AWS service that manages the application (`sagemaker` for a Studio domain's), which alone
   * creates and deletes it; undefined for customer-managed applications.
   */
  managedBy?: string;
  clientToken?: string;
  createdAt: Date;
  createdBy?: string;
}

export type PrincipalType = 'USER' | 'GROUP';

/** A user or a group of the application's identity store. */
export interface Principal {
  type: PrincipalType;
  id: string;
}

/** A direct assignment: the stored fact. Effective access is the access decision's business. */
export interface ApplicationAssignment {
  applicationId: string;
  principal: Principal;
  createdAt: Date;
  createdBy?: string;
}

export interface ApplicationProvider {
  arn: string;
  federationProtocol: FederationProtocol;
  displayName: string;
  description: string;
  /** Set for AWS-managed providers: the service that registers their applications. */
  managedBy?: string;
  /** Whether CreateApplication may make applications of this provider. */
  creatableThroughApi: boolean;
}

/** A group as the access decision names it: by ID and by the display name people know it by. */
export interface GroupRef {
  groupId: string;
  displayName: string;
}
