import type { FastifyReply } from 'fastify';
import { describeAccess } from '../../modules/access/access-decision.js';
import { profileNameFor } from '../../modules/studio/studio.service.js';
import { field } from '../forms.js';
import type { ConsoleServices } from './console.routes.js';
import { missingPage } from './console-applications-pages.js';
import { type AdminContext, type ConsoleKit, describeError, queryText, routeParam } from './console-kit.js';
import { type LoadedDomain, withDomain } from './console-studio-kit.js';
import { STUDIO_PATHS, STUDIO_ROUTES } from './console-studio-paths.js';
import {
  type AddProfileForm,
  addProfilePage,
  deleteProfilePage,
  type ProfileDomain,
  type UserChoice,
} from './console-studio-profiles-pages.js';

/** Users offered at once on Add user profile: a search narrows them. */
const CHOICES = 25;
/** UserProfileName (sagemaker model). */
const PROFILE_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;

const profileDomain = ({ domain, application }: LoadedDomain): ProfileDomain => ({
  domainId: domain.domainId,
  name: domain.name,
  authMode: domain.authMode,
  applicationName: application?.name,
});

/** Add user profile (for an IAM Identity Center user: the console path that assigns when needed) and delete. */
export const registerConsoleStudioProfilePages = (kit: ConsoleKit, services: ConsoleServices): void => {
  const { identityStore, studio } = services;

  const renderAdd = async (
    reply: FastifyReply,
    admin: AdminContext,
    loaded: LoadedDomain,
    form: AddProfileForm,
    errors?: string[],
  ): Promise<FastifyReply> => {
    const { domain } = loaded;
    const storeId = domain.sso?.identityStoreId;
    const problems = [...(errors ?? [])];
    const users: UserChoice[] = [];
    let moreUsers = false;
    if (domain.authMode === 'SSO' && storeId !== undefined) {
      try {
        const page = await identityStore.listUsersByName(admin.scope, storeId, {
          prefix: form.search,
          limit: CHOICES,
        });
        const profiles = await studio.findProfilesOfUsers(
          admin.scope,
          domain.domainId,
          page.items.map((user) => user.userId),
        );
        for (const user of page.items) {
          const profileName = profiles.get(user.userId)?.name;
          users.push({ userName: user.userName, displayName: user.displayName, profileName });
        }
        moreUsers = page.nextToken !== undefined;
      } catch (error) {
        problems.push(describeError(error));
      }
    }
    return kit.send(
      reply,
      problems.length > 0 ? 400 : 200,
      addProfilePage({
        viewer: admin,
        domain: profileDomain(loaded),
        form,
        users,
        moreUsers,
        errors: problems,
      }),
    );
  };

  kit.adminGet(
    STUDIO_ROUTES.addProfile,
    withDomain(kit, services, async (request, reply, admin, loaded) => {
      // "Add" from the onboarding table names the user: find them, and propose AWS's profile name.
      const user = queryText(request, 'user', 128);
      const search = queryText(request, 'search', 128) || user;
      return renderAdd(reply, admin, loaded, {
        search,
        userName: user,
        profileName: user === '' ? '' : profileNameFor(user),
      });
    }),
  );

  kit.adminPost(
    STUDIO_ROUTES.addProfile,
    withDomain(kit, services, async (request, reply, admin, loaded) => {
      const body = request.body;
      const form: AddProfileForm = {
        search: field(body, 'search').trim(),
        userName: field(body, 'userName').trim(),
        profileName: field(body, 'profileName').trim(),
      };
      const { domain } = loaded;
      const sso = domain.authMode === 'SSO';
      const errors: string[] = [];
      if (sso && form.userName === '') errors.push('Choose the user who gets the profile.');
      if (!sso && form.profileName === '') errors.push('Enter the name of the user profile.');
      if (form.profileName !== '' && !PROFILE_NAME.test(form.profileName)) {
        errors.push(
          `${form.profileName} is not a valid user profile name. Use 1 to 63 letters, digits and hyphens, starting and ending with a letter or digit.`,
        );
      }
      if (errors.length > 0) return renderAdd(reply, admin, loaded, form, errors);
      let notice: string;
      try {
        if (sso) {
          const { profile, assigned, decision } = await studio.createProfileForSsoUser(
            admin.scope,
            domain.domainId,
            form.userName,
            form.profileName === '' ? undefined : form.profileName,
          );
          const user = decision.user.userName;
          notice = assigned
            ? `Added the user profile ${profile.name} for ${user}, and assigned ${user} to ${decision.application.name}: ${user} can now open Studio from the access portal.`
            : `Added the user profile ${profile.name} for ${user}, who already had access to ${decision.application.name} (access: ${describeAccess(decision)}).`;
        } else {
          const profile = await studio.createUserProfile(admin.scope, {
            domainId: domain.domainId,
            name: form.profileName,
          });
          notice = `Added the user profile ${profile.name}.`;
        }
      } catch (error) {
        return renderAdd(reply, admin, loaded, form, [describeError(error)]);
      }
      return kit.redirect(reply, admin, STUDIO_PATHS.domain(domain.domainId), notice);
    }),
  );

  const renderDelete = async (
    reply: FastifyReply,
    admin: AdminContext,
    loaded: LoadedDomain,
    profileName: string,
    errors?: string[],
  ): Promise<FastifyReply> => {
    const { domain } = loaded;
    try {
      const profile = await studio.describeUserProfile(admin.scope, domain.domainId, profileName);
      return kit.send(
        reply,
        errors === undefined ? 200 : 400,
        deleteProfilePage({
          viewer: admin,
          domain: profileDomain(loaded),
          profile: { name: profile.name, ssoUserName: profile.ssoUserName },
          errors,
        }),
      );
    } catch (error) {
      return kit.send(
        reply,
        404,
        missingPage({
          viewer: admin,
          section: 'studio',
          title: 'User profile not found',
          problem: describeError(error),
          back: { href: STUDIO_PATHS.domain(domain.domainId), label: `Back to ${domain.name}` },
        }),
      );
    }
  };

  kit.adminGet(
    STUDIO_ROUTES.deleteProfile,
    withDomain(kit, services, async (request, reply, admin, loaded) =>
      renderDelete(reply, admin, loaded, routeParam(request, 'profileName')),
    ),
  );

  kit.adminPost(
    STUDIO_ROUTES.deleteProfile,
    withDomain(kit, services, async (request, reply, admin, loaded) => {
      const profileName = routeParam(request, 'profileName');
      const { domain } = loaded;
      try {
        await studio.deleteUserProfile(admin.scope, domain.domainId, profileName);
      } catch (error) {
        return renderDelete(reply, admin, loaded, profileName, [describeError(error)]);
      }
      return kit.redirect(
        reply,
        admin,
        STUDIO_PATHS.domain(domain.domainId),
        `User profile ${profileName} is being deleted.`,
      );
    }),
  );
};
