import type { FastifyReply } from 'fastify';
import type { CreateDomainRequest } from '../../modules/studio/studio.service.js';
import { domainUrl } from '../../modules/studio/studio-ids.js';
import { field } from '../forms.js';
import type { ConsoleServices } from './console.routes.js';
import { type AdminContext, type ConsoleKit, describeError, queryText } from './console-kit.js';
import { type LoadedDomain, withDomain } from './console-studio-kit.js';
import { onboardingSection, registerConsoleStudioWhyPage } from './console-studio-onboarding.routes.js';
import {
  type CreateDomainForm,
  controlPanelPage,
  createDomainPage,
  type DomainDetails,
  deleteDomainPage,
  domainPage,
  type ProfileRow,
} from './console-studio-pages.js';
import { STUDIO_PATHS, STUDIO_ROUTES } from './console-studio-paths.js';
import { registerConsoleStudioProfilePages } from './console-studio-profiles.routes.js';

const PAGE_SIZE = 25;
/** Profiles counted for a domain's delete confirmation: beyond this, "more than". */
const COUNT_LIMIT = 100;

/** CreateDomain's members as the sagemaker model constrains them. */
const DOMAIN_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/?[a-zA-Z_0-9+=,.@\-_/]+$/;
const NETWORK_ID = /^[-0-9a-zA-Z]{1,32}$/;
const MAX_SUBNETS = 16;

/** Values an admin can keep; the network is optional (examples of its shape are placeholders). */
const exampleForm = (accountId: string): CreateDomainForm => ({
  name: 'studio-domain',
  authMode: 'SSO',
  executionRoleArn: `arn:aws:iam::${accountId}:role/SageMakerExecutionRole`,
  vpcId: '',
  subnetIds: '',
  networkAccess: 'PublicInternetOnly',
});

const profilesInWords = (count: number, more: boolean): string =>
  more
    ? `more than ${count} user profiles`
    : count === 0
      ? 'none left'
      : `${count} user profile${count === 1 ? '' : 's'}: delete ${count === 1 ? 'it' : 'them'} first`;

/** The create-domain form checked as the sagemaker model checks CreateDomain; the rules are the service's. */
const domainRequest = (form: CreateDomainForm): { request?: CreateDomainRequest; errors: string[] } => {
  const errors: string[] = [];
  const subnetIds = form.subnetIds.split(/[\s,]+/).filter((id) => id !== '');
  if (form.name === '') errors.push('Enter the domain name.');
  else if (!DOMAIN_NAME.test(form.name)) {
    errors.push(
      'The domain name may have up to 63 letters, digits and hyphens, and starts and ends with a letter or digit.',
    );
  }
  if (form.executionRoleArn !== '' && !ROLE_ARN.test(form.executionRoleArn)) {
    errors.push(
      'The default execution role must be an IAM role ARN, such as arn:aws:iam::111122223333:role/SageMakerExecutionRole.',
    );
  }
  if (form.vpcId !== '' && !NETWORK_ID.test(form.vpcId)) {
    errors.push('The VPC ID may have up to 32 letters, digits and hyphens, such as vpc-0a1b2c3d4e5f67890.');
  }
  if (subnetIds.some((id) => !NETWORK_ID.test(id))) {
    errors.push(
      'Each subnet ID may have up to 32 letters, digits and hyphens, such as subnet-0a1b2c3d4e5f67890.',
    );
  }
  if (subnetIds.length > MAX_SUBNETS) errors.push(`A domain can have at most ${MAX_SUBNETS} subnets.`);
  if (errors.length > 0) return { errors };
  return {
    errors,
    request: {
      name: form.name,
      authMode: form.authMode,
      defaultUserSettings: form.executionRoleArn === '' ? {} : { ExecutionRole: form.executionRoleArn },
      ...(form.vpcId !== '' ? { vpcId: form.vpcId } : {}),
      ...(subnetIds.length > 0 ? { subnetIds } : {}),
      appNetworkAccessType: form.networkAccess,
    },
  };
};

/** SageMaker Studio → Control Panel: domains, their user profiles and the onboarding of SSO users. */
export const registerConsoleStudioPages = (kit: ConsoleKit, services: ConsoleServices): void => {
  const { studio } = services;

  kit.adminGet(STUDIO_PATHS.controlPanel, async (request, reply, admin) => {
    const next = queryText(request, 'next', 2048) || undefined;
    const notice = kit.takeNotice(request, reply, admin);
    try {
      const page = await studio.listDomains(admin.scope, { limit: PAGE_SIZE, nextToken: next });
      const domains = page.items.map((domain) => ({
        domainId: domain.domainId,
        name: domain.name,
        status: domain.status,
        authMode: domain.authMode,
        createdAt: domain.createdAt,
      }));
      return kit.send(
        reply,
        200,
        controlPanelPage({ viewer: admin, domains, nextToken: page.nextToken, notice }),
      );
    } catch (error) {
      return kit.send(
        reply,
        400,
        controlPanelPage({ viewer: admin, domains: [], notice, problem: describeError(error) }),
      );
    }
  });

  kit.adminGet(STUDIO_PATHS.createDomain, async (_request, reply, admin) =>
    kit.send(reply, 200, createDomainPage({ viewer: admin, form: exampleForm(admin.scope.accountId) })),
  );

  kit.adminPost(STUDIO_PATHS.createDomain, async (request, reply, admin) => {
    const body = request.body;
    const form: CreateDomainForm = {
      name: field(body, 'name').trim(),
      authMode: field(body, 'authMode') === 'IAM' ? 'IAM' : 'SSO',
      executionRoleArn: field(body, 'executionRoleArn').trim(),
      vpcId: field(body, 'vpcId').trim(),
      subnetIds: field(body, 'subnetIds').trim(),
      networkAccess: field(body, 'networkAccess') === 'VpcOnly' ? 'VpcOnly' : 'PublicInternetOnly',
    };
    const { request: create, errors } = domainRequest(form);
    if (create === undefined) return kit.send(reply, 400, createDomainPage({ viewer: admin, form, errors }));
    try {
      const domain = await studio.createDomain(admin.scope, create);
      return kit.redirect(
        reply,
        admin,
        STUDIO_PATHS.domain(domain.domainId),
        `Created the domain ${domain.name} (${domain.domainId}). It is ${domain.status} for a moment, then InService.${
          domain.authMode === 'SSO'
            ? ' Its IAM Identity Center application is registered: add user profiles for your users below.'
            : ''
        }`,
      );
    } catch (error) {
      return kit.send(reply, 400, createDomainPage({ viewer: admin, form, errors: [describeError(error)] }));
    }
  });

  kit.adminGet(
    STUDIO_ROUTES.domain,
    withDomain(kit, services, async (request, reply, admin, { domain, application }) => {
      const notice = kit.takeNotice(request, reply, admin);
      const profilesNext = queryText(request, 'profiles', 2048) || undefined;
      // Each table's links keep the other's place (search and page) on the page.
      const onboardingQuery: { search?: string; next?: string } = {
        ...(queryText(request, 'search', 128) === '' ? {} : { search: queryText(request, 'search', 128) }),
        ...(queryText(request, 'next', 2048) === '' ? {} : { next: queryText(request, 'next', 2048) }),
      };
      const details: DomainDetails = {
        domainId: domain.domainId,
        name: domain.name,
        status: domain.status,
        authMode: domain.authMode,
        url: domainUrl(domain.region, domain.domainId),
        executionRoleArn: domain.configuration.defaultUserSettings.ExecutionRole,
        vpcId: domain.configuration.vpcId,
        subnetIds: domain.configuration.subnetIds,
        networkAccess:
          domain.configuration.appNetworkAccessType === 'VpcOnly' ? 'VPC only' : 'Public internet only',
        createdAt: domain.createdAt,
        application:
          application === undefined
            ? undefined
            : { applicationId: application.applicationId, name: application.name },
      };
      let problem: string | undefined;
      let profiles: ProfileRow[] = [];
      let profilesNextToken: string | undefined;
      try {
        const page = await studio.listUserProfiles(admin.scope, {
          domainId: domain.domainId,
          limit: PAGE_SIZE,
          nextToken: profilesNext,
        });
        profilesNextToken = page.nextToken;
        // The listing carries each profile's SSO user (ListUserProfiles's answer leaves it out).
        profiles = page.items.map((summary) => ({
          name: summary.name,
          ssoUserName: summary.ssoUserName,
          status: summary.status,
          createdAt: summary.createdAt,
        }));
      } catch (error) {
        problem = describeError(error);
      }
      const onboarding =
        application === undefined
          ? undefined
          : await onboardingSection(services, admin.scope, domain, application, {
              search: onboardingQuery.search ?? '',
              next: onboardingQuery.next,
              keep: profilesNext === undefined ? {} : { profiles: profilesNext },
            });
      return kit.send(
        reply,
        problem === undefined ? 200 : 400,
        domainPage({
          viewer: admin,
          domain: details,
          profiles,
          profilesNextToken,
          keepOnboarding: onboardingQuery,
          onboarding,
          notice,
          problem,
        }),
      );
    }),
  );

  const renderDelete = async (
    reply: FastifyReply,
    admin: AdminContext,
    { domain, application }: LoadedDomain,
    errors?: string[],
  ): Promise<FastifyReply> => {
    const profiles = await studio.listUserProfiles(admin.scope, {
      domainId: domain.domainId,
      limit: COUNT_LIMIT,
    });
    return kit.send(
      reply,
      errors === undefined ? 200 : 400,
      deleteDomainPage({
        viewer: admin,
        domain: { domainId: domain.domainId, name: domain.name, authMode: domain.authMode },
        applicationName: application?.name,
        profiles: profilesInWords(profiles.items.length, profiles.nextToken !== undefined),
        errors,
      }),
    );
  };

  kit.adminGet(
    STUDIO_ROUTES.deleteDomain,
    withDomain(kit, services, async (_request, reply, admin, loaded) => renderDelete(reply, admin, loaded)),
  );

  kit.adminPost(
    STUDIO_ROUTES.deleteDomain,
    withDomain(kit, services, async (_request, reply, admin, loaded) => {
      const { domain } = loaded;
      try {
        await studio.deleteDomain(admin.scope, domain.domainId);
      } catch (error) {
        return renderDelete(reply, admin, loaded, [describeError(error)]);
      }
      return kit.redirect(
        reply,
        admin,
        STUDIO_PATHS.controlPanel,
        `The domain ${domain.name} (${domain.domainId}) is being deleted.`,
      );
    }),
  );

  registerConsoleStudioProfilePages(kit, services);
  registerConsoleStudioWhyPage(kit, services);
};
