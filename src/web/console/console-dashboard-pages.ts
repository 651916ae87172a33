import { arns } from '../../core/arns.js';
import type { Instance } from '../../modules/access/instances.types.js';
import type { EmailVerificationView } from '../../modules/organizations/email-verification.service.js';
import type { OrganizationView } from '../../modules/organizations/organizations.types.js';
import { type Html, html } from '../html.js';
import {
  actionButton,
  type ConsoleViewer,
  consolePage,
  errorList,
  noticeBox,
  utcTime,
} from './console-layout.js';
import { deliveryState } from './console-outbox-pages.js';
import { CONSOLE_PATHS } from './console-paths.js';

/** The actions of the setup, one per step of the guide. */
export const DASHBOARD_PATHS = {
  dashboard: CONSOLE_PATHS.dashboard,
  createOrganization: `${CONSOLE_PATHS.dashboard}/organization`,
  resendVerification: `${CONSOLE_PATHS.dashboard}/resend-verification`,
  enable: `${CONSOLE_PATHS.dashboard}/enable`,
} as const;

/** Where the setup stands, as the services report it on this page load. */
export interface SetupState {
  accountId: string;
  organization?: OrganizationView;
  verification?: EmailVerificationView;
  instance?: Instance;
  portalUrl: string;
}

const stepHeading = (id: string, number: number, title: string, done: boolean): Html =>
  html`<h2 id="${id}">Step ${number}: ${title} ${done ? html`<span class="badge ok">Done</span>` : html`<span class="badge">To do</span>`}</h2>`;

/** The management address: verified, or why not yet and what the admin can do about it. */
const verificationText = (verification: EmailVerificationView | undefined): Html => {
  if (verification === undefined) return html``;
  if (verification.verified) {
    return html`<span class="badge ok">verified</span>${verification.verifiedAt === undefined ? '' : ` on ${utcTime(verification.verifiedAt)}`}`;
  }
  const link = verification.latestLink;
  const sent =
    link === undefined
      ? html`no verification link was sent yet.`
      : link.state === 'expired'
        ? html`the verification link sent on ${utcTime(link.sentAt)} to ${verification.email} has expired; send a new one.`
        : html`a verification link was sent to ${verification.email} on ${utcTime(link.sentAt)}; it works until ${utcTime(link.expiresAt)}.`;
  return html`<span class="badge">unverified</span> — ${sent}
${link?.delivery !== undefined && html`<br><span class="muted">Delivery:</span> ${deliveryState(link.delivery)}`}`;
};

const organizationStep = (viewer: ConsoleViewer, state: SetupState): Html => {
  const { organization, verification } = state;
  if (organization === undefined) {
    return html`<section class="panel" aria-labelledby="step-organization">
${stepHeading('step-organization', 1, 'Create the organization', false)}
<p>IAM Identity Center works inside an organization. Your account <code>${state.accountId}</code> becomes its management account, and a message goes to its address <strong>${viewer.rootEmail}</strong> to verify it (you can go on before it is verified).</p>
${actionButton({ action: DASHBOARD_PATHS.createOrganization, label: 'Create organization', csrfToken: viewer.csrfToken, style: 'primary' })}
</section>`;
  }
  const unverified = verification !== undefined && !verification.verified;
  return html`<section class="panel" aria-labelledby="step-organization">
${stepHeading('step-organization', 1, 'Organization', true)}
<dl class="details">
<dt>Organization ID</dt><dd><code>${organization.organization.organizationId}</code></dd>
<dt>Management account</dt><dd><code>${organization.managementAccount.accountId}</code></dd>
<dt>Management e-mail</dt><dd>${organization.managementAccount.email}<br>${verificationText(verification)}
${
  unverified &&
  html`<p class="hint">Open the link in that message to verify the address. Without an SMTP server, the message and its link are in the <a href="${CONSOLE_PATHS.outbox}">Outbox</a>. A new message makes earlier links stop working.</p>
<div class="inline-actions">${actionButton({ action: DASHBOARD_PATHS.resendVerification, label: 'Resend verification e-mail', csrfToken: viewer.csrfToken, style: 'secondary' })}</div>`
}</dd>
<dt>Created</dt><dd>${utcTime(organization.organization.createdAt)}</dd>
</dl>
</section>`;
};

const instanceStep = (viewer: ConsoleViewer, state: SetupState): Html => {
  const { instance } = state;
  if (instance === undefined) {
    return html`<section class="panel" aria-labelledby="step-instance">
${stepHeading('step-instance', 2, 'Enable IAM Identity Center', false)}
${
  state.organization === undefined
    ? html`<p class="muted">Create the organization first: IAM Identity Center is then enabled for the whole organization, as the guide does it.</p>`
    : html`<p>This creates the organization's IAM Identity Center instance and its identity store, where your users and groups live, and the access portal where they sign in.</p>
${actionButton({ action: DASHBOARD_PATHS.enable, label: 'Enable IAM Identity Center', csrfToken: viewer.csrfToken, style: 'primary' })}`
}
</section>`;
  }
  return html`<section class="panel" aria-labelledby="step-instance">
${stepHeading('step-instance', 2, 'IAM Identity Center', true)}
<dl class="details">
<dt>Status</dt><dd><span class="badge ${instance.status === 'ACTIVE' ? 'ok' : 'info'}">${instance.status}</span></dd>
<dt>Instance ARN</dt><dd><code>${arns.instance(instance.instanceId)}</code></dd>
<dt>Identity store ID</dt><dd><code>${instance.identityStoreId}</code></dd>
<dt>Access portal URL</dt><dd><a href="${state.portalUrl}">${state.portalUrl}</a></dd>
<dt>Kind</dt><dd>${instance.organizationId === undefined ? 'Account instance' : html`Organization instance of <code>${instance.organizationId}</code>`}</dd>
<dt>Region</dt><dd>${instance.region}</dd>
<dt>Enabled</dt><dd>${utcTime(instance.createdAt)}</dd>
</dl>
</section>`;
};

const NEXT_STEPS: { href: string; label: string; what: string }[] = [
  {
    href: CONSOLE_PATHS.users,
    label: 'Users',
    what: 'add users; each gets an invitation e-mail or a one-time password',
  },
  {
    href: CONSOLE_PATHS.groups,
    label: 'Groups',
    what: 'put users in groups, to give access to many at once',
  },
  {
    href: CONSOLE_PATHS.studio,
    label: 'SageMaker Studio Control Panel',
    what: 'create a domain that uses IAM Identity Center; it brings its Studio application',
  },
  {
    href: CONSOLE_PATHS.applications,
    label: 'Applications',
    what: 'assign users and groups to the Studio application (or add user profiles on the domain page, which assigns as needed)',
  },
  { href: CONSOLE_PATHS.settings, label: 'Settings', what: 'invitation lifetime, session length, MFA' },
];

export const dashboardPage = (options: {
  viewer: ConsoleViewer;
  state: SetupState;
  notice?: string;
  errors?: string[];
}): Html => {
  const { viewer, state } = options;
  return consolePage({
    viewer,
    title: 'IAM Identity Center',
    section: 'dashboard',
    body: html`<h1>IAM Identity Center</h1>
<p class="lead">Enable single sign-on in two steps, then add users and give them SageMaker Studio.</p>
${noticeBox(options.notice)}
${errorList(options.errors)}
${organizationStep(viewer, state)}
${instanceStep(viewer, state)}
<section class="panel" aria-labelledby="next-steps">
<h2 id="next-steps">Next steps</h2>
${state.instance === undefined && html`<p class="muted">These need IAM Identity Center enabled first.</p>`}
<ul>
${NEXT_STEPS.map((step) => html`<li><a href="${step.href}">${step.label}</a>: ${step.what}.</li>`)}
</ul>
</section>`,
  });
};
