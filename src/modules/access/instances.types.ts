export type InstanceStatus = 'CREATE_IN_PROGRESS' | 'CREATE_FAILED' | 'DELETE_IN_PROGRESS' | 'ACTIVE';
export type KmsKeyType = 'AWS_OWNED_KMS_KEY' | 'CUSTOMER_MANAGED_KEY';

/** An IAM Identity Center instance. It owns exactly one identity store. */
export interface Instance {
  instanceId: string;
  ownerAccountId: string;
  /** Set for the organization instance (made in the management account); unset for account instances. */
  organizationId?: string;
  region: string;
  name?: string;
  status: InstanceStatus;
  identityStoreId: string;
  clientToken?: string;
  kmsKeyType: KmsKeyType;
  kmsKeyArn?: string;
  createdAt: Date;
}

export const INSTANCE_EXISTS_MESSAGE =
  'An instance of IAM Identity Center already exists for this account. Only one instance is allowed per account, across all Regions.';
