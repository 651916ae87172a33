import type { User } from '../../modules/identity-store/identity-store.types.js';
import type { PortalApplication } from '../../modules/portal/launcher.service.js';
import { type Html, html, safeUrl, trustedHtml } from '../html.js';
import { layout, type TopBarAccount } from '../layout.js';
import { studioLaunchPath } from '../links.js';
import { displayNameOf, unbroken } from './portal-pages.js';

/** AWS's words when a user may open nothing (nested groups do not count). */
export const NO_APPLICATIONS = 'You do not have any applications.';

/** A Studio-like mark: our own constant, never data. */
export const STUDIO_ICON = trustedHtml(
  '<svg viewBox="0 0 48 48" aria-hidden="true" focusable="false"><rect width="48" height="48" rx="10" fill="#01a88d"/><path d="M14 31c3 3 7 4 10 4 6 0 10-3 10-8 0-4-3-6-9-7-4-1-6-2-6-4s2-3 5-3c3 0 5 1 7 3l3-4c-2-2-6-4-10-4-6 0-10 3-10 8 0 4 3 6 9 7 4 1 6 2 6 4s-2 3-5 3c-3 0-6-1-8-4z" fill="#fff"/></svg>',
);

const APP_ICON = trustedHtml(
  '<svg viewBox="0 0 48 48" aria-hidden="true" focusable="false"><rect width="48" height="48" rx="10" fill="#5f6b7a"/><rect x="12" y="12" width="10" height="10" rx="2" fill="#fff"/><rect x="26" y="12" width="10" height="10" rx="2" fill="#fff" opacity=".8"/><rect x="12" y="26" width="10" height="10" rx="2" fill="#fff" opacity=".8"/><rect x="26" y="26" width="10" height="10" rx="2" fill="#fff" opacity=".6"/></svg>',
);

const tile = (application: PortalApplication): Html => {
  const { launch } = application;
  const inner = (icon: Html, meta: string, open?: string) => html`<span class="icon">${icon}</span>
<span><span class="name">${unbroken(application.name)}</span>
<span class="meta">${meta}</span>
${open !== undefined && html`<span class="open" aria-hidden="true">${open} →</span>`}</span>`;
  switch (launch.kind) {
    case 'studio':
      return html`<li><a class="tile" href="${studioLaunchPath(launch.domainId)}">${inner(STUDIO_ICON, 'SageMaker Studio domain', 'Open Studio')}</a></li>`;
    case 'url':
      return html`<li><a class="tile" href="${safeUrl(launch.url)}" rel="noreferrer">${inner(APP_ICON, application.description ?? 'Application', 'Open')}</a></li>`;
    default:
      return html`<li><div class="tile">${inner(APP_ICON, application.description ?? 'Started from the application itself')}</div></li>`;
  }
};

/** The portal after sign-in: under Applications, one tile per application the user may open. */
export const applicationsPage = (options: {
  account: TopBarAccount;
  user: User;
  applications: PortalApplication[];
}): Html =>
  layout({
    title: 'Access portal',
    account: options.account,
    bare: true,
    body: html`<h1>Welcome, ${displayNameOf(options.user)}</h1>
<p class="lead">You are signed in to the access portal as <strong>${options.user.userName}</strong>.</p>
<section class="panel" aria-labelledby="applications-heading">
<h2 id="applications-heading">Applications</h2>
${
  options.applications.length === 0
    ? html`<div class="empty"><strong>${NO_APPLICATIONS}</strong>Ask your administrator to assign you to an application, or to a group that is assigned to it.</div>`
    : html`<ul class="tiles">
${options.applications.map(tile)}
</ul>`
}
</section>`,
  });
