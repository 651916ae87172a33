import { randomBytes, randomInt } from 'node:crypto';

const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

const fromAlphabet = (alphabet: string, length: number): string => {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
};

/** SageMaker's identifiers and addresses, in the formats AWS issues them. */
export const studioIds = {
  /** `d-` + 12 lowercase alphanumerics, e.g. d-dtvlrpsmuyzj. */
  domainId: (): string => `d-${fromAlphabet(LOWER_ALNUM, 12)}`,
  /** The domain's home EFS file system: `fs-` + 17 hex. */
  efsFileSystemId: (): string => `fs-${randomBytes(9).toString('hex').slice(0, 17)}`,
};

/** The first HomeEfsFileSystemUid of a domain's profiles; AWS's start at 200001. */
export const FIRST_HOME_UID = 200001;

export const studioArns = {
  domain: (region: string, accountId: string, domainId: string): string =>
    `arn:aws:sagemaker:${region}:${accountId}:domain/${domainId}`,
  userProfile: (region: string, accountId: string, domainId: string, profileName: string): string =>
    `arn:aws:sagemaker:${region}:${accountId}:user-profile/${domainId}/${profileName}`,
};

/** The domain's Studio address, as AWS gives it (it does not resolve here: use a presigned URL). */
export const domainUrl = (region: string, domainId: string): string =>
  `https://${domainId}.studio.${region}.sagemaker.aws`;

/** The name of the AWS-managed Identity Center application an SSO domain registers. */
export const studioApplicationName = (domainId: string): string => `Amazon SageMaker Studio (${domainId})`;
