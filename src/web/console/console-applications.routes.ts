import type { FastifyReply } from 'fastify';
import { arns } from '../../core/arns.js';
import { field } from '../forms.js';
import type { ConsoleServices } from './console.routes.js';
import { registerConsoleApplicationAssignmentPages } from './console-applications-assign.routes.js';
import {
  applicationsKit,
  type LoadedApplication,
  PAGE_SIZE,
  APPLICATION_ROUTES as ROUTES,
  typeOf,
} from './console-applications-kit.js';
import {
  type AddApplicationForm,
  APPLICATION_PATHS,
  addApplicationPage,
  applicationsPage,
  deleteApplicationPage,
} from './console-applications-pages.js';
import { type AdminContext, type ConsoleKit, describeError, queryText } from './console-kit.js';
import { CONSOLE_PATHS } from './console-paths.js';

/** An application counted for its delete confirmation: beyond this, "more than". */
const COUNT_LIMIT = 100;

/** CreateApplication's limits (sso-admin model): Name 1–100, Description 1–128, ApplicationUrl 1–512. */
const APPLICATION_URL = /^https?:\/\/[-a-zA-Z0-9+&@#/%?=~_|!:,.;]*[-a-zA-Z0-9+&@#/%=~_|]$/;

const emptyAddForm = (providerArn: string): AddApplicationForm => ({
  providerArn,
  name: '',
  description: '',
  applicationUrl: '',
  showInPortal: true,
});

const principalsInWords = (count: number, more: boolean): string =>
  more
    ? `more than ${count} users and groups`
    : count === 0
      ? 'none'
      : count === 1
        ? '1 user or group'
        : `${count} users and groups`;

/** Identity Center → Applications: the list, Add application, and each application's settings. */
export const registerConsoleApplicationsPages = (kit: ConsoleKit, services: ConsoleServices): void => {
  const { applications, settings } = services;
  const helpers = applicationsKit(kit, services);
  const { domainsByApplication, withApplication, renderApplication } = helpers;

  // The list and Add application

  kit.adminGet(CONSOLE_PATHS.applications, async (request, reply, admin) => {
    const next = queryText(request, 'next', 2048) || undefined;
    const notice = kit.takeNotice(request, reply, admin);
    try {
      const instance = await settings.callerInstance(admin.scope);
      const page = await applications.listApplications(admin.scope, arns.instance(instance.instanceId), {
        limit: PAGE_SIZE,
        nextToken: next,
      });
      const domains = await domainsByApplication(admin.scope);
      const rows = page.items.map((application) => ({
        applicationId: application.applicationId,
        name: application.name,
        type: typeOf(application),
        managed: application.managedBy !== undefined,
        domain: domains.get(application.applicationId),
        enabled: application.status === 'ENABLED',
        assignmentRequired: application.assignmentRequired,
      }));
      return kit.send(
        reply,
        200,
        applicationsPage({ viewer: admin, rows, nextToken: page.nextToken, notice }),
      );
    } catch (error) {
      return kit.send(
        reply,
        400,
        applicationsPage({ viewer: admin, rows: [], notice, problem: describeError(error) }),
      );
    }
  });

  /** The providers CreateApplication accepts: the only ones the form offers. */
  const creatableProviders = () =>
    applications.listApplicationProviders({ limit: 100 }).items.filter((p) => p.creatableThroughApi);

  kit.adminGet(APPLICATION_PATHS.add, async (_request, reply, admin) => {
    const providers = creatableProviders();
    return kit.send(
      reply,
      200,
      addApplicationPage({ viewer: admin, providers, form: emptyAddForm(providers[0]?.arn ?? '') }),
    );
  });

  kit.adminPost(APPLICATION_PATHS.add, async (request, reply, admin) => {
    const body = request.body;
    const providers = creatableProviders();
    const form: AddApplicationForm = {
      providerArn: field(body, 'providerArn'),
      name: field(body, 'name').trim(),
      description: field(body, 'description').trim(),
      applicationUrl: field(body, 'applicationUrl').trim(),
      showInPortal: field(body, 'showInPortal') === 'yes',
    };
    const errors: string[] = [];
    if (!providers.some((p) => p.arn === form.providerArn)) errors.push('Choose the type of application.');
    if (form.name === '') errors.push('Enter the name of the application.');
    else if (form.name.length > 100) errors.push('The name can be at most 100 characters long.');
    if (form.description.length > 128) errors.push('The description can be at most 128 characters long.');
    if (
      form.applicationUrl !== '' &&
      (form.applicationUrl.length > 512 || !APPLICATION_URL.test(form.applicationUrl))
    ) {
      errors.push('The application URL must be an http:// or https:// address of at most 512 characters.');
    }
    if (errors.length > 0) {
      return kit.send(reply, 400, addApplicationPage({ viewer: admin, providers, form, errors }));
    }
    try {
      const instance = await settings.callerInstance(admin.scope);
      const created = await applications.createApplication(admin.scope, {
        instanceArn: arns.instance(instance.instanceId),
        providerArn: form.providerArn,
        name: form.name,
        ...(form.description !== '' ? { description: form.description } : {}),
        portalOptions: {
          visibility: form.showInPortal ? 'ENABLED' : 'DISABLED',
          signInOptions:
            form.applicationUrl === ''
              ? { origin: 'IDENTITY_CENTER' }
              : { origin: 'APPLICATION', applicationUrl: form.applicationUrl },
        },
      });
      return kit.redirect(
        reply,
        admin,
        APPLICATION_PATHS.detail(created.applicationId),
        `Added ${created.name}. Assign users and groups so they can open it.`,
      );
    } catch (error) {
      return kit.send(
        reply,
        400,
        addApplicationPage({ viewer: admin, providers, form, errors: [describeError(error)] }),
      );
    }
  });

  // One application

  kit.adminGet(
    ROUTES.detail,
    withApplication((request, reply, admin, loaded) => renderApplication(request, reply, admin, loaded)),
  );

  kit.adminPost(
    ROUTES.assignmentRequired,
    withApplication(async (request, reply, admin, loaded) => {
      const choice = field(request.body, 'assignmentRequired');
      if (choice !== 'yes' && choice !== 'no') {
        return renderApplication(request, reply, admin, loaded, 'Choose whether assignment is required.');
      }
      const required = choice === 'yes';
      const { application, applicationArn } = loaded;
      try {
        await applications.putAssignmentConfiguration(admin.scope, applicationArn, required);
      } catch (error) {
        return renderApplication(request, reply, admin, loaded, describeError(error));
      }
      return kit.redirect(
        reply,
        admin,
        APPLICATION_PATHS.detail(application.applicationId),
        required
          ? `${application.name} now requires assignment: only assigned users and groups can open it.`
          : `${application.name} no longer requires assignment: every user of the identity store can open it.`,
      );
    }),
  );

  kit.adminPost(
    ROUTES.status,
    withApplication(async (request, reply, admin, loaded) => {
      const status = field(request.body, 'status') === 'DISABLED' ? 'DISABLED' : 'ENABLED';
      const { application, applicationArn } = loaded;
      try {
        await applications.updateApplication(admin.scope, applicationArn, { status });
      } catch (error) {
        return renderApplication(request, reply, admin, loaded, describeError(error));
      }
      return kit.redirect(
        reply,
        admin,
        APPLICATION_PATHS.detail(application.applicationId),
        status === 'ENABLED'
          ? `${application.name} is enabled again.`
          : `${application.name} is disabled: nobody can open it until you enable it again.`,
      );
    }),
  );

  // Delete (customer managed applications only: the service refuses the others)

  const renderDelete = async (
    reply: FastifyReply,
    admin: AdminContext,
    loaded: LoadedApplication,
    errors?: string[],
  ): Promise<FastifyReply> => {
    const { application, applicationArn } = loaded;
    const page = await applications.listAssignments(admin.scope, applicationArn, { limit: COUNT_LIMIT });
    return kit.send(
      reply,
      errors === undefined ? 200 : 400,
      deleteApplicationPage({
        viewer: admin,
        application: { applicationId: application.applicationId, name: application.name },
        assignments: principalsInWords(page.items.length, page.nextToken !== undefined),
        errors,
      }),
    );
  };

  kit.adminGet(
    ROUTES.delete,
    withApplication(async (_request, reply, admin, loaded) => renderDelete(reply, admin, loaded)),
  );

  kit.adminPost(
    ROUTES.delete,
    withApplication(async (_request, reply, admin, loaded) => {
      try {
        await applications.deleteApplication(admin.scope, loaded.applicationArn);
      } catch (error) {
        return renderDelete(reply, admin, loaded, [describeError(error)]);
      }
      return kit.redirect(reply, admin, APPLICATION_PATHS.list, `Deleted ${loaded.application.name}.`);
    }),
  );

  registerConsoleApplicationAssignmentPages(kit, services, helpers);
};
