import { randomBytes } from 'node:crypto';

const INSTALLATION_KEY_SETTING = 'installation_key';

/**
 * The installation's secret key (256 bits), made at first start and shared by every process on the
 * database: it keys the hashes of e-mailed codes and the CSRF tokens of forms.
 */
export const installationKey = async (settings: {
  putSettingIfAbsent(key: string, value: string): Promise<string>;
}): Promise<Buffer> =>
  Buffer.from(
    await settings.putSettingIfAbsent(INSTALLATION_KEY_SETTING, randomBytes(32).toString('hex')),
    'hex',
  );
