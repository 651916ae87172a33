import type { Clock } from '../../core/clock.js';
import { NotFoundError, ValidationError } from '../../core/errors.js';
import type { Scope } from '../../core/scope.js';
import type { UnitOfWork } from '../../core/unit-of-work.js';
import type { InstancesRepository } from '../access/instances.repository.js';
import type { Instance } from '../access/instances.types.js';
import type { SettingsRepository, StoredSetting } from './settings.repository.js';
import {
  DEFAULT_SETTINGS,
  type InstanceSettings,
  type NumericSettingName,
  SETTING_RANGES,
  type SettingName,
} from './settings.types.js';

export interface SettingsRepositories {
  settings: SettingsRepository;
  instances: InstancesRepository;
}

const isSettingName = (name: string): name is SettingName => Object.hasOwn(DEFAULT_SETTINGS, name);

const isNumericSetting = (name: SettingName): name is NumericSettingName =>
  Object.hasOwn(SETTING_RANGES, name);

/** Stored values over the defaults; a stored value that no longer fits falls back to the default. */
const resolve = (stored: StoredSetting[]): InstanceSettings => {
  const settings: InstanceSettings = { ...DEFAULT_SETTINGS };
  for (const { name, value } of stored) {
    if (!isSettingName(name)) continue;
    try {
      const parsed: unknown = JSON.parse(value);
      if (typeof parsed === typeof DEFAULT_SETTINGS[name]) Object.assign(settings, { [name]: parsed });
    } catch {
      // keep the default
    }
  }
  return settings;
};

export const noInstance = (): NotFoundError =>
  new NotFoundError(
    'INSTANCE_NOT_FOUND',
    'IAM Identity Center is not enabled for this account: create the instance first (aws sso-admin create-instance).',
    { resourceType: 'INSTANCE' },
  );

/** Settings per IAM Identity Center instance; the instance of the caller's account is the one meant. */
export class SettingsService {
  constructor(
    private readonly uow: UnitOfWork<SettingsRepositories>,
    private readonly clock: Clock,
  ) {}

  /** The instance of the caller's account in the caller's Region. */
  async callerInstance(scope: Scope): Promise<Instance> {
    const instance = await this.uow.repositories.instances.findInstanceOfAccount(scope.accountId);
    if (instance === undefined || instance.region !== scope.region) throw noInstance();
    return instance;
  }

  async describeSettings(scope: Scope): Promise<{ instanceId: string; settings: InstanceSettings }> {
    const instance = await this.callerInstance(scope);
    return { instanceId: instance.instanceId, settings: await this.forInstance(instance.instanceId) };
  }

  async forInstance(instanceId: string): Promise<InstanceSettings> {
    return resolve(await this.uow.repositories.settings.findSettings(instanceId));
  }

  /** The settings that apply to the users of an identity store (the defaults when it has no instance). */
  async forIdentityStore(identityStoreId: string): Promise<InstanceSettings> {
    const found = await this.uow.repositories.settings.findSettingsOfIdentityStore(identityStoreId);
    return resolve(found?.settings ?? []);
  }

  async updateSettings(
    scope: Scope,
    changes: Partial<InstanceSettings>,
  ): Promise<{ instanceId: string; settings: InstanceSettings }> {
    const instance = await this.callerInstance(scope);
    const stored: StoredSetting[] = [];
    for (const [name, value] of Object.entries(changes)) {
      if (value === undefined) continue;
      if (!isSettingName(name)) throw new ValidationError(`${name} is not a setting.`, 'UNKNOWN_SETTING');
      if (typeof value !== typeof DEFAULT_SETTINGS[name]) {
        throw new ValidationError(`${name} must be a ${typeof DEFAULT_SETTINGS[name]}.`, 'INVALID_SETTING');
      }
      if (isNumericSetting(name)) {
        const { min, max } = SETTING_RANGES[name];
        if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) {
          throw new ValidationError(
            `${name} must be a whole number from ${min} to ${max}; got ${value}.`,
            'INVALID_SETTING',
          );
        }
      }
      stored.push({ name, value: JSON.stringify(value) });
    }
    await this.uow.transaction((r) =>
      r.settings.saveSettings(instance.instanceId, stored, this.clock.now(), scope.principalArn),
    );
    return { instanceId: instance.instanceId, settings: await this.forInstance(instance.instanceId) };
  }
}
