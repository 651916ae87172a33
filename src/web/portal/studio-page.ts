import type { DomainView, UserProfileView } from '../../modules/studio/studio.service.js';
import type { SettingsDocument } from '../../modules/studio/studio.types.js';
import { type Html, html } from '../html.js';
import { layout, type TopBarAccount } from '../layout.js';
import { PATHS } from '../links.js';
import { STUDIO_ICON } from './applications-page.js';
import { messagePage, unbroken } from './portal-pages.js';

/**
 * Studio as this server opens it: who is signed in, the domain, the user profile and the settings
 * its apps would run with. Studio's own apps (JupyterLab, Code Editor, …) do not run here; this
 * page stands where their home would be, for both ways in: the access portal (SSO domains) and a
 * presigned domain URL (IAM domains).
 */

export interface StudioPageOptions {
  domain: DomainView;
  profile: UserProfileView;
  /** Who is signed in, and how. */
  signedIn:
    | { via: 'portal'; userName: string; displayName: string; account: TopBarAccount }
    | { via: 'presigned'; sessionExpiresAt: Date; spaceName?: string; landingUri?: string };
}

const utc = (date: Date): string => `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

const statusBadge = (status: string): Html =>
  html`<span class="badge${status === 'InService' ? ' ok' : ''}">${status}</span>`;

const value = (setting: unknown): Html =>
  typeof setting === 'string' || typeof setting === 'number' || typeof setting === 'boolean'
    ? html`<code>${String(setting)}</code>`
    : html`<pre>${JSON.stringify(setting, null, 2)}</pre>`;

/**
 * The profile's settings over the domain's defaults, member by member (as SageMaker applies them),
 * each with where it comes from.
 */
const effectiveSettings = (
  profile: SettingsDocument | undefined,
  defaults: SettingsDocument,
): { name: string; value: unknown; from: string }[] => {
  const names = [...new Set([...Object.keys(defaults), ...Object.keys(profile ?? {})])].sort();
  return names.map((name) =>
    profile !== undefined && Object.hasOwn(profile, name)
      ? { name, value: profile[name], from: 'User profile' }
      : { name, value: defaults[name], from: 'Domain default' },
  );
};

export const studioPage = (options: StudioPageOptions): Html => {
  const { domain, profile, signedIn } = options;
  const settings = effectiveSettings(
    profile.configuration.userSettings,
    domain.configuration.defaultUserSettings,
  );
  return layout({
    title: `Studio · ${profile.name}`,
    account: signedIn.via === 'portal' ? signedIn.account : undefined,
    signedInAs: signedIn.via === 'presigned' ? `${profile.name} (presigned URL)` : undefined,
    bare: true,
    body: html`<div class="studio-head">
<span class="icon">${STUDIO_ICON}</span>
<div><h1>Amazon SageMaker Studio</h1>
<p>Domain <strong>${domain.name}</strong> <span class="nowrap">(${domain.domainId})</span> · user profile <strong>${profile.name}</strong></p></div>
</div>
<div class="alert ok" role="status">
<p>Signed in to Studio as ${profile.name} in ${domain.name} (${domain.domainId}).</p>
<p class="muted">${
      signedIn.via === 'portal'
        ? html`Signed in as ${signedIn.displayName} (<code>${signedIn.userName}</code>) through the access portal.`
        : html`Signed in as user profile <code>${profile.name}</code> with a presigned domain URL; the session ends ${utc(signedIn.sessionExpiresAt)}.${signedIn.spaceName !== undefined ? html` Space <code>${signedIn.spaceName}</code>.` : ''}${signedIn.landingUri !== undefined ? html` Landing URI <code>${signedIn.landingUri}</code>.` : ''}`
    }</p>
</div>
<div class="columns">
<section class="panel" aria-labelledby="domain-heading">
<h2 id="domain-heading">Domain</h2>
<dl class="details">
<dt>Name</dt><dd>${domain.name}</dd>
<dt>Domain ID</dt><dd><code>${domain.domainId}</code></dd>
<dt>Status</dt><dd>${statusBadge(domain.status)}</dd>
<dt>Authentication</dt><dd>${domain.authMode === 'SSO' ? 'IAM Identity Center (SSO)' : 'IAM'}</dd>
<dt>Network access</dt><dd>${domain.configuration.appNetworkAccessType}</dd>
<dt>Home EFS file system</dt><dd><code>${domain.homeEfsFileSystemId}</code></dd>
</dl>
</section>
<section class="panel" aria-labelledby="profile-heading">
<h2 id="profile-heading">User profile</h2>
<dl class="details">
<dt>Name</dt><dd><code>${profile.name}</code></dd>
<dt>Status</dt><dd>${statusBadge(profile.status)}</dd>
${profile.ssoUserName !== undefined && html`<dt>Identity Center user</dt><dd><code>${profile.ssoUserName}</code></dd>`}
<dt>Home EFS UID</dt><dd>${profile.homeEfsUid}</dd>
<dt>Created</dt><dd>${utc(profile.createdAt)}</dd>
</dl>
</section>
</div>
<section class="panel" aria-labelledby="settings-heading">
<h2 id="settings-heading">Settings of the profile's apps</h2>
${
  settings.length === 0
    ? html`<p class="muted">No settings.</p>`
    : html`<table class="settings">
<thead><tr><th scope="col">Setting</th><th scope="col">Value</th><th scope="col">From</th></tr></thead>
<tbody>
${settings.map((s) => html`<tr><td>${s.name}</td><td>${value(s.value)}</td><td>${s.from}</td></tr>`)}
</tbody>
</table>`
}
</section>
<p class="muted">Studio's applications (JupyterLab, Code Editor and the others) do not run on this server: this page stands where Studio's home would open for this profile.${signedIn.via === 'portal' ? html` <a href="${PATHS.portal}">Back to your applications</a>` : ''}</p>`,
  });
};

/** AWS's words for a user who may open the application but has no profile in the domain. */
export const accessDeniedMessage = (domainId: string, applicationName: string): string =>
  `Access Denied. Please check if user is assigned to Studio Domain [${domainId}] and SSO Application [${applicationName}] is Active.`;

export const studioAccessDeniedPage = (options: {
  domainId: string;
  applicationName: string;
  account: TopBarAccount;
}): Html =>
  messagePage({
    title: 'Access Denied',
    account: options.account,
    wide: true,
    paragraphs: [
      html`${unbroken(accessDeniedMessage(options.domainId, options.applicationName))}`,
      'You have no user profile in this domain yet. Ask your administrator to create one for you.',
    ],
    link: { href: PATHS.portal, label: 'Back to your applications' },
  });

/** A launch URL of an application the user may not open (or that does not exist): never the page. */
export const forbiddenApplicationPage = (account: TopBarAccount): Html =>
  messagePage({
    title: 'You cannot open this application',
    account,
    paragraphs: [
      'You are not assigned to this application, or it does not exist. Only the applications listed in your portal can be opened.',
      'If you need it, ask your administrator to assign you to it, or to a group you are a direct member of.',
    ],
    link: { href: PATHS.portal, label: 'Back to your applications' },
  });
