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
  /** Applications carry the owner account but, like instances, no Region. */
  application: (accountId: string, instanceId: string, applicationId: string): string =>
    `arn:aws:sso::${accountId}:application/${instanceId}/${applicationId}`,
  /** Application providers belong to AWS, not to an account. */
  applicationProvider: (name: string): string => `arn:aws:sso::aws:applicationProvider/${name}`,
};

/** The instance ID at the end of an instance ARN, or undefined when the ARN is not one. */
export const instanceIdFromArn = (arn: string): string | undefined =>
  /^arn:aws:sso:::instance\/((?:sso)?ins-[a-zA-Z0-9-.]{16})$/.exec(arn)?.[1];

export interface ApplicationArnParts {
  accountId: string;
  instanceId: string;
  applicationId: string;
}

/** The parts of an application ARN, or undefined when the ARN is not one. */
export const applicationArnParts = (arn: string): ApplicationArnParts | undefined => {
  const match =
    /^arn:aws:sso::(\d{12}):application\/((?:sso)?ins-[a-zA-Z0-9-.]{16})\/(apl-[a-zA-Z0-9]{16})$/.exec(arn);
  return match?.[1] === undefined || match[2] === undefined || match[3] === undefined
    ? undefined
    : { accountId: match[1], instanceId: match[2], applicationId: match[3] };
};
