import { randomBytes, randomInt, randomUUID } from 'node:crypto';

const hex = (length: number): string =>
  randomBytes(Math.ceil(length / 2))
    .toString('hex')
    .slice(0, length);

const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

const fromAlphabet = (alphabet: string, length: number): string => {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
};

/** ID formats as AWS issues them; the patterns are the ones in the service models. */
export const ids = {
  requestId: (): string => randomUUID(),
  /** 12 digits, never starting with 0 so it survives being treated as a number by careless tools. */
  accountId: (): string => `${randomInt(1, 10)}${fromAlphabet('0123456789', 11)}`,
  /** `d-` + 10 lowercase hex, as Identity Center's identity stores. */
  identityStoreId: (): string => `d-${hex(10)}`,
  /** `ssoins-` + 16 hex. */
  instanceId: (): string => `ssoins-${hex(16)}`,
  /** `apl-` + 16 hex, within the model's 16 alphanumerics. */
  applicationId: (): string => `apl-${hex(16)}`,
  /** `o-` + 10 lowercase alphanumerics. */
  organizationId: (): string => `o-${fromAlphabet(LOWER_ALNUM, 10)}`,
  /** `r-` + 4 lowercase alphanumerics: the organization root. */
  rootId: (): string => `r-${fromAlphabet(LOWER_ALNUM, 4)}`,
  /**
   * Users, groups and memberships: older Identity Center directories prefix the store's 10 hex
   * digits to a UUID (`9067642ac7-<uuid>`), which is what we issue for `d-` stores; stores named
   * by a UUID get bare UUIDs, as newer directories do.
   */
  directoryObjectId: (identityStoreId: string): string =>
    /^d-[0-9a-f]{10}$/.test(identityStoreId) ? `${identityStoreId.slice(2)}-${randomUUID()}` : randomUUID(),
  accessKeyId: (): string => `AKIA${fromAlphabet(UPPER_ALNUM, 16)}`,
  secretAccessKey: (): string => randomBytes(30).toString('base64').replace(/[+/]/g, 'x').slice(0, 40),
};
