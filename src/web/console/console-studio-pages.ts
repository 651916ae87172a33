import type { StudioStatus } from '../../modules/studio/studio.types.js';
import { type Html, html } from '../html.js';
import { APPLICATION_PATHS } from './console-applications-pages.js';
import {
  type ConsoleViewer,
  consolePage,
  csrfInput,
  errorList,
  noticeBox,
  pager,
  utcTime,
} from './console-layout.js';
import { authModeText, studioStatusBadge } from './console-studio-kit.js';
import { STUDIO_PATHS } from './console-studio-paths.js';

export interface DomainRow {
  domainId: string;
  name: string;
  status: StudioStatus;
  authMode: 'SSO' | 'IAM';
  createdAt: Date;
}

const breadcrumb = (...trail: Html[]): Html =>
  html`<p class="breadcrumb"><a href="${STUDIO_PATHS.controlPanel}">Control Panel</a>${trail.map((step) => html` › ${step}`)}</p>`;

export const controlPanelPage = (options: {
  viewer: ConsoleViewer;
  domains: DomainRow[];
  nextToken?: string;
  notice?: string;
  problem?: string;
}): Html =>
  consolePage({
    viewer: options.viewer,
    title: 'SageMaker Studio Control Panel',
    section: 'studio',
    body: html`<div class="panel"><h1>SageMaker Studio Control Panel</h1>
${noticeBox(options.notice)}
${errorList(options.problem === undefined ? undefined : [options.problem])}
<div class="toolbar">
<p class="muted">A domain is where Studio users work. With IAM Identity Center authentication, users sign in through the access portal, and each needs a user profile in the domain.</p>
<a class="button" href="${STUDIO_PATHS.createDomain}">Create domain</a>
</div>
${
  options.domains.length === 0
    ? html`<p class="empty"><strong>No domains yet.</strong>Create a domain to onboard Studio users.</p>`
    : html`<table class="list">
<thead><tr><th>Domain</th><th>ID</th><th>Status</th><th>Authentication</th><th>Created</th></tr></thead>
<tbody>
${options.domains.map(
  (domain) => html`<tr>
<td><a href="${STUDIO_PATHS.domain(domain.domainId)}">${domain.name}</a></td>
<td><code>${domain.domainId}</code></td>
<td>${studioStatusBadge(domain.status)}</td>
<td>${authModeText(domain.authMode)}</td>
<td>${utcTime(domain.createdAt)}</td>
</tr>`,
)}
</tbody>
</table>`
}
${pager(STUDIO_PATHS.controlPanel, {}, options.nextToken)}
</div>`,
  });

export interface CreateDomainForm {
  name: string;
  authMode: 'SSO' | 'IAM';
  executionRoleArn: string;
  vpcId: string;
  subnetIds: string;
  networkAccess: 'PublicInternetOnly' | 'VpcOnly';
}

const textField = (
  id: keyof CreateDomainForm,
  label: string,
  value: string,
  hint: Html | string,
  placeholder = '',
): Html =>
  html`<div class="field"><label for="${id}">${label}</label>
<input type="text" id="${id}" name="${id}" value="${value}" placeholder="${placeholder}" aria-describedby="${id}-hint">
<p class="hint" id="${id}-hint">${hint}</p></div>`;

export const createDomainPage = (options: {
  viewer: ConsoleViewer;
  form: CreateDomainForm;
  errors?: string[];
}): Html => {
  const { form } = options;
  const radio = (name: string, value: string, checked: boolean, label: string, hint: string) =>
    html`<label><input type="radio" name="${name}" value="${value}"${checked ? html` checked` : ''}> ${label}</label>
<p class="hint">${hint}</p>`;
  return consolePage({
    viewer: options.viewer,
    title: 'Create domain',
    section: 'studio',
    body: html`<div class="panel">
${breadcrumb(html`Create domain`)}
<h1>Create domain</h1>
${errorList(options.errors)}
<form method="post" action="${STUDIO_PATHS.createDomain}" novalidate>
${csrfInput(options.viewer.csrfToken)}
${textField('name', 'Domain name', form.name, 'Letters, digits and hyphens, up to 63 characters.')}
<fieldset><legend>Authentication</legend>
${radio('authMode', 'SSO', form.authMode === 'SSO', 'IAM Identity Center', 'Users sign in through the access portal. The domain registers its own application, Amazon SageMaker Studio (d-…), in IAM Identity Center, and you give each user a user profile.')}
${radio('authMode', 'IAM', form.authMode === 'IAM', 'AWS Identity and Access Management (IAM)', 'Users open Studio through presigned URLs that IAM principals create.')}
</fieldset>
${textField('executionRoleArn', 'Default execution role', form.executionRoleArn, 'The IAM role that Studio apps run as, unless a user profile names another.')}
${textField('vpcId', 'VPC ID (optional)', form.vpcId, 'The VPC that Studio uses for communication with your resources. Leave both the VPC and the subnets empty to let SageMaker manage the network.', 'vpc-0a1b2c3d4e5f67890')}
${textField('subnetIds', 'Subnet IDs (optional)', form.subnetIds, 'One to 16 subnets of that VPC, separated by commas or spaces.', 'subnet-0a1b2c3d4e5f67890, subnet-0f9e8d7c6b5a43210')}
<fieldset><legend>Network access</legend>
${radio('networkAccess', 'PublicInternetOnly', form.networkAccess === 'PublicInternetOnly', 'Public internet only', 'Studio reaches the internet through SageMaker.')}
${radio('networkAccess', 'VpcOnly', form.networkAccess === 'VpcOnly', 'VPC only', 'All Studio traffic goes through your VPC; the VPC and subnets are then required.')}
</fieldset>
<div class="actions"><button type="submit" class="button">Create domain</button>
<a class="button secondary" href="${STUDIO_PATHS.controlPanel}">Cancel</a></div>
</form>
</div>`,
  });
};

export interface DomainDetails {
  domainId: string;
  name: string;
  status: StudioStatus;
  authMode: 'SSO' | 'IAM';
  url: string;
  executionRoleArn?: string;
  vpcId?: string;
  subnetIds?: string[];
  networkAccess: string;
  createdAt: Date;
  /** SSO domains: the Studio application, while it exists. */
  application?: { applicationId: string; name: string };
}

export interface ProfileRow {
  name: string;
  ssoUserName?: string;
  status: StudioStatus;
  createdAt: Date;
}

const detailsList = (domain: DomainDetails): Html => html`<dl class="details">
<dt>Domain ID</dt><dd><code>${domain.domainId}</code></dd>
<dt>Status</dt><dd>${studioStatusBadge(domain.status)}</dd>
<dt>Authentication</dt><dd>${authModeText(domain.authMode)}</dd>
${
  domain.authMode === 'SSO' &&
  html`<dt>IAM Identity Center application</dt><dd>${
    domain.application === undefined
      ? html`<span class="muted">None: the IAM Identity Center instance it was registered in has been deleted.</span>`
      : html`<a href="${APPLICATION_PATHS.detail(domain.application.applicationId)}">${domain.application.name}</a>`
  }</dd>`
}
<dt>Studio URL</dt><dd><code>${domain.url}</code></dd>
<dt>Default execution role</dt><dd><code>${domain.executionRoleArn ?? '—'}</code></dd>
<dt>VPC</dt><dd>${domain.vpcId === undefined ? 'Managed by SageMaker' : html`<code>${domain.vpcId}</code>`}</dd>
${domain.subnetIds !== undefined && html`<dt>Subnets</dt><dd><code>${domain.subnetIds.join(', ')}</code></dd>`}
<dt>Network access</dt><dd>${domain.networkAccess}</dd>
<dt>Created</dt><dd>${utcTime(domain.createdAt)}</dd>
</dl>`;

const profilesPanel = (options: {
  domain: DomainDetails;
  profiles: ProfileRow[];
  nextToken?: string;
  keep?: Record<string, string>;
}): Html => {
  const { domain } = options;
  const sso = domain.authMode === 'SSO';
  return html`<div class="panel">
<h2 id="profiles">User profiles</h2>
<div class="toolbar">
<p class="muted">${
    sso
      ? 'Each IAM Identity Center user who works in Studio needs a user profile here. Adding one for a user who is not assigned to the application yet assigns them.'
      : 'Each user profile is one Studio workspace; IAM principals open it with a presigned URL.'
  }</p>
<a class="button" href="${STUDIO_PATHS.addProfile(domain.domainId)}">Add user profile</a>
</div>
${
  options.profiles.length === 0
    ? html`<p class="empty">No user profiles in ${domain.name} yet.</p>`
    : html`<table class="list">
<thead><tr><th>Name</th>${sso && html`<th>IAM Identity Center user</th>`}<th>Status</th><th>Created</th><th><span class="muted">Action</span></th></tr></thead>
<tbody>
${options.profiles.map(
  (profile) => html`<tr>
<td>${profile.name}</td>
${sso && html`<td>${profile.ssoUserName ?? html`<span class="muted">(deleted user)</span>`}</td>`}
<td>${studioStatusBadge(profile.status)}</td>
<td>${utcTime(profile.createdAt)}</td>
<td>${
    profile.status === 'Deleting'
      ? html`<span class="muted">Being deleted</span>`
      : html`<a class="button secondary small" href="${STUDIO_PATHS.deleteProfile(domain.domainId, profile.name)}" aria-label="Delete user profile ${profile.name}">Delete</a>`
  }</td>
</tr>`,
)}
</tbody>
</table>`
}
${pager(STUDIO_PATHS.domain(domain.domainId), options.keep ?? {}, options.nextToken, { param: 'profiles', label: 'Next page of user profiles' })}
</div>`;
};

export const domainPage = (options: {
  viewer: ConsoleViewer;
  domain: DomainDetails;
  profiles: ProfileRow[];
  profilesNextToken?: string;
  /** The onboarding table's search and page, kept by the profiles table's links. */
  keepOnboarding?: Record<string, string>;
  /** The onboarding panel of an SSO domain. */
  onboarding?: Html;
  notice?: string;
  problem?: string;
}): Html => {
  const { domain } = options;
  return consolePage({
    viewer: options.viewer,
    title: `Domain ${domain.name}`,
    section: 'studio',
    body: html`<div class="panel">
${breadcrumb(html`${domain.name}`)}
<h1>${domain.name} ${studioStatusBadge(domain.status)}</h1>
${noticeBox(options.notice)}
${errorList(options.problem === undefined ? undefined : [options.problem])}
${detailsList(domain)}
${
  domain.status !== 'Deleting' &&
  html`<p class="links"><a class="button secondary small" href="${STUDIO_PATHS.deleteDomain(domain.domainId)}">Delete domain</a></p>`
}
</div>
${profilesPanel({ domain, profiles: options.profiles, nextToken: options.profilesNextToken, keep: options.keepOnboarding })}
${options.onboarding}`,
  });
};

export const deleteDomainPage = (options: {
  viewer: ConsoleViewer;
  domain: { domainId: string; name: string; authMode: 'SSO' | 'IAM' };
  applicationName?: string;
  /** The user profiles still in the domain, in words: `2 user profiles`, `no user profiles`. */
  profiles: string;
  errors?: string[];
}): Html => {
  const { domain } = options;
  return consolePage({
    viewer: options.viewer,
    title: `Delete domain ${domain.name}`,
    section: 'studio',
    body: html`<div class="panel">
${breadcrumb(html`<a href="${STUDIO_PATHS.domain(domain.domainId)}">${domain.name}</a>`, html`Delete`)}
<h1>Delete domain ${domain.name} (${domain.domainId})?</h1>
${errorList(options.errors)}
<div class="alert warn">
<p>The domain is deleted for good: it shows as Deleting for a moment, then it is gone.${
      options.applicationName !== undefined
        ? ` Its IAM Identity Center application, ${options.applicationName}, is removed with it, together with every user and group assignment to it; the users and groups themselves stay.`
        : ''
    }</p>
<p>A domain with user profiles cannot be deleted: it has ${options.profiles}.</p>
</div>
<form method="post" action="${STUDIO_PATHS.deleteDomain(domain.domainId)}">
${csrfInput(options.viewer.csrfToken)}
<div class="actions"><button type="submit" class="danger">Delete domain</button>
<a class="button secondary" href="${STUDIO_PATHS.domain(domain.domainId)}">Cancel</a></div>
</form>
</div>`,
  });
};
