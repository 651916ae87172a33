import { isAppError } from '../../core/errors.js';
import type { InstanceSettings } from '../../modules/settings/settings.types.js';
import { field } from '../forms.js';
import type { ConsoleServices } from './console.routes.js';
import { type AdminContext, type ConsoleKit, describeError } from './console-kit.js';
import { CONSOLE_PATHS } from './console-paths.js';
import { NUMBER_SETTINGS, type SettingsForm, settingsPage } from './console-settings-pages.js';

const formOf = (settings: InstanceSettings): SettingsForm => ({
  invitationValidityDays: String(settings.invitationValidityDays),
  sessionDurationHours: String(settings.sessionDurationHours),
  minimumPasswordLength: String(settings.minimumPasswordLength),
  mfaRequired: settings.mfaRequired,
  sendEmailOtp: settings.sendEmailOtp,
});

/** IAM Identity Center → Settings: the instance's authentication settings, through SettingsService. */
export const registerConsoleSettingsPages = (
  kit: ConsoleKit,
  services: Pick<ConsoleServices, 'settings'>,
): void => {
  const { settings } = services;

  /** The instance's settings; undefined when there is no instance yet (the page says so). */
  const current = async (admin: AdminContext) => {
    try {
      return await settings.describeSettings(admin.scope);
    } catch (error) {
      if (isAppError(error) && error.kind === 'NotFound') return undefined;
      throw error;
    }
  };

  kit.adminGet(CONSOLE_PATHS.settings, async (request, reply, admin) => {
    const found = await current(admin);
    return kit.send(
      reply,
      200,
      settingsPage({
        viewer: admin,
        instanceId: found?.instanceId,
        form: found === undefined ? undefined : formOf(found.settings),
        notice: kit.takeNotice(request, reply, admin),
      }),
    );
  });

  kit.adminPost(CONSOLE_PATHS.settings, async (request, reply, admin) => {
    const body = request.body;
    const form: SettingsForm = {
      invitationValidityDays: field(body, 'invitationValidityDays').trim(),
      sessionDurationHours: field(body, 'sessionDurationHours').trim(),
      minimumPasswordLength: field(body, 'minimumPasswordLength').trim(),
      mfaRequired: field(body, 'mfaRequired') === 'on',
      sendEmailOtp: field(body, 'sendEmailOtp') === 'on',
    };
    // Only "is it a number at all" is checked here; the ranges are the service's rule.
    const errors = NUMBER_SETTINGS.filter((s) => !/^-?\d+$/.test(form[s.name])).map(
      (s) => `Enter the ${s.label.toLowerCase()} as a whole number of ${s.unit}.`,
    );
    const found = await current(admin);
    const page = (problems: string[]) =>
      settingsPage({ viewer: admin, instanceId: found?.instanceId, form, errors: problems });
    if (found === undefined) return kit.send(reply, 400, settingsPage({ viewer: admin }));
    if (errors.length > 0) return kit.send(reply, 400, page(errors));
    try {
      await settings.updateSettings(admin.scope, {
        invitationValidityDays: Number(form.invitationValidityDays),
        sessionDurationHours: Number(form.sessionDurationHours),
        minimumPasswordLength: Number(form.minimumPasswordLength),
        mfaRequired: form.mfaRequired,
        sendEmailOtp: form.sendEmailOtp,
      });
    } catch (error) {
      return kit.send(reply, 400, page([describeError(error)]));
    }
    return kit.redirect(reply, admin, CONSOLE_PATHS.settings, 'Settings saved.');
  });
};
