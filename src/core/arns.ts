/** ARN builders. Identity Center instance ARNs have an empty region and account, as AWS's do. */
export const arns = {
  instance: (instanceId: string): string => `arn:aws:sso:::instance/${instanceId}`,
  identityStore: (accountId: string, identityStoreId: string): string =>
    `arn:aws:identitystore::${accountId}:identitystore/${identityStoreId}`,
  organization: (managementAccountId: string, organizationId: string): string =>
    `arn:aws:organizations::${managementAccountId}:organization/${organizationId}`,
  account: (managementAccountId: string, organizationId: string, accountId: string): string =>
    `arn:aws:organizations::${managementAccountId}:account/${organizationId}/${accountId}`,
  root: (accountId: string): string => `arn:aws:iam::${accountId}:root`,
};

/** The instance ID at the end of an instance ARN, or undefined when the ARN is not one. */
export const instanceIdFromArn = (arn: string): string | undefined =>
  /^arn:aws:sso:::instance\/((?:sso)?ins-[a-zA-Z0-9-.]{16})$/.exec(arn)?.[1];
