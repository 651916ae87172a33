import type { AccessDecision } from '../../modules/access/access-decision.js';
import { explainAccess } from '../../modules/access/explain-text.js';
import type { OnboardingStatus } from '../../modules/invitations/invitations.types.js';
import { type Html, html } from '../html.js';
import { APPLICATION_PATHS } from './console-applications-pages.js';
import { type ConsoleViewer, consolePage, pager } from './console-layout.js';
import { CONSOLE_PATHS } from './console-paths.js';
import { STUDIO_PATHS } from './console-studio-paths.js';

/** One user of the identity store, where they stand with one SSO domain. */
export interface OnboardingRow {
  userId: string;
  userName: string;
  displayName?: string;
  signIn: OnboardingStatus;
  access: AccessDecision;
  profileName?: string;
}

/** The domain and its Studio application, as the onboarding pages name and link them. */
export interface OnboardingSubject {
  domainId: string;
  domainName: string;
  applicationId: string;
  applicationName: string;
}

const SIGN_IN_LABELS: Record<OnboardingStatus, string> = {
  active: 'Active',
  invited: 'Invited',
  'invitation-expired': 'Invitation expired',
  'one-time-password': 'One-time password',
  'one-time-password-expired': 'One-time password expired',
  'no-password': 'No password',
};

const signInBadge = (status: OnboardingStatus): Html =>
  status === 'active'
    ? html`<span class="badge ok">Active</span>`
    : status.endsWith('expired')
      ? html`<span class="badge bad">${SIGN_IN_LABELS[status]}</span>`
      : html`<span class="badge">${SIGN_IN_LABELS[status]}</span>`;

/** The access decision in a few words, as the onboarding table shows it. */
export const accessLabel = (decision: AccessDecision): string => {
  switch (decision.reason) {
    case 'direct':
      return 'Assigned directly';
    case 'group':
      return `Through group ${decision.groups[0]?.displayName ?? '?'}${decision.groups.length > 1 || decision.moreGroups ? ' (and others)' : ''}`;
    case 'nested-group-only':
      // The words of explain-access: the one case people most need to recognise.
      return explainAccess(decision).summary.replace(/^denied/, 'Denied');
    case 'not-assigned':
      return 'Not assigned';
    case 'assignment-not-required':
      return 'Allowed: assignment not required';
    case 'user-disabled':
      return 'Denied: user disabled';
    case 'application-disabled':
      return 'Denied: application disabled';
  }
};

const accessBadge = (decision: AccessDecision): Html =>
  html`<span class="badge ${decision.allowed ? 'ok' : 'bad'}">${accessLabel(decision)}</span>`;

const addProfileHref = (domainId: string, userName: string): string =>
  `${STUDIO_PATHS.addProfile(domainId)}?${new URLSearchParams({ user: userName }).toString()}`;

export const onboardingPanel = (options: {
  subject: OnboardingSubject;
  search: string;
  rows: OnboardingRow[];
  nextToken?: string;
  problem?: string;
  /** The other table's place on the page (its `profiles` token), kept by this table's links. */
  keep?: Record<string, string>;
}): Html => {
  const { subject, search } = options;
  const keep = options.keep ?? {};
  const path = STUDIO_PATHS.domain(subject.domainId);
  return html`<div class="panel">
<h2 id="onboarding">Onboarding</h2>
<p class="muted">Every user of the identity store: whether they can sign in, whether they may open ${subject.applicationName}, and whether they have a user profile in this domain. Only direct members of an assigned group get access; <strong>Why?</strong> explains each answer.</p>
${options.problem !== undefined && html`<div class="alert" role="alert"><p>${options.problem}</p></div>`}
<div class="toolbar">
<form method="get" action="${path}" role="search">
<div class="field"><label for="onboarding-search">Find users by user name</label>
<input type="search" id="onboarding-search" name="search" value="${search}"></div>
<button type="submit" class="button secondary small">Search</button>
</form>
</div>
${
  options.rows.length === 0
    ? html`<p class="empty">No users${search === '' ? ' in the identity store yet' : html` whose user name starts with “${search}”`}.</p>`
    : html`<table class="list">
<thead><tr><th>User</th><th>Sign-in</th><th>Access to ${subject.applicationName}</th><th>User profile</th><th><span class="muted">Explain</span></th></tr></thead>
<tbody>
${options.rows.map(
  (row) => html`<tr>
<td>${row.userName}${row.displayName !== undefined && html`<br><span class="muted">${row.displayName}</span>`}</td>
<td>${signInBadge(row.signIn)}</td>
<td>${accessBadge(row.access)}</td>
<td>${
    row.profileName !== undefined
      ? html`Yes: ${row.profileName}`
      : html`No · <a href="${addProfileHref(subject.domainId, row.userName)}" aria-label="Add user profile for ${row.userName}">Add</a>`
  }</td>
<td><a href="${STUDIO_PATHS.why(subject.domainId, row.userId)}" aria-label="Why? ${row.userName}">Why?</a></td>
</tr>`,
)}
</tbody>
</table>`
}
${pager(path, { ...keep, ...(search === '' ? {} : { search }) }, options.nextToken, { label: 'Next page of users' })}
</div>`;
};

const SIGN_IN_SENTENCES: Record<OnboardingStatus, (user: string) => string> = {
  active: (user) => `${user} has set a password and can sign in to the access portal.`,
  invited: (user) =>
    `${user} was invited and has not set a password yet: they can sign in once they accept the invitation.`,
  'invitation-expired': (user) =>
    `${user}'s invitation expired before they accepted it: send a new one from the Users page.`,
  'one-time-password': (user) =>
    `${user} has a one-time password, which they replace with their own at the first sign-in.`,
  'one-time-password-expired': (user) =>
    `${user}'s one-time password expired before they used it: generate a new one from the Users page.`,
  'no-password': (user) =>
    `${user} has no password and no pending invitation: send an invitation from the Users page.`,
};

/** What the admin can do about the answer, with the page that does it. */
const nextSteps = (options: {
  subject: OnboardingSubject;
  decision: AccessDecision;
  profileName?: string;
}): Html => {
  const { subject, decision, profileName } = options;
  const user = decision.user.userName;
  const assign = `${APPLICATION_PATHS.assign(subject.applicationId)}?${new URLSearchParams({ users: user }).toString()}`;
  const addProfile = html`<a class="button" href="${addProfileHref(subject.domainId, user)}">Add user profile for ${user}</a>`;
  switch (decision.reason) {
    case 'not-assigned':
    case 'nested-group-only':
      return html`<p>Assign ${user} or one of the groups ${user} belongs to directly to ${subject.applicationName}.${profileName === undefined ? html` Or add a user profile for ${user}: that assigns ${user} directly and creates the profile in one step.` : ''}</p>
<div class="actions"><a class="button${profileName === undefined ? ' secondary' : ''}" href="${assign}">Assign users and groups</a>${profileName === undefined && addProfile}</div>`;
    case 'user-disabled':
      return html`<p>Enable ${user} on the Users page; nothing else needs to change.</p>
<div class="actions"><a class="button secondary" href="${CONSOLE_PATHS.users}?${new URLSearchParams({ search: user }).toString()}">Find ${user} in Users</a></div>`;
    case 'application-disabled':
      return html`<p>${subject.applicationName} is disabled. Nobody can open it until it is enabled again.</p>
<div class="actions"><a class="button secondary" href="${APPLICATION_PATHS.detail(subject.applicationId)}">Open ${subject.applicationName}</a></div>`;
    default:
      return profileName === undefined
        ? html`<p>${user} may open ${subject.applicationName} but has no user profile in ${subject.domainName} yet, so Studio would turn them away. Add one.</p>
<div class="actions">${addProfile}</div>`
        : html`<p>Nothing to do: ${user} opens Studio from the access portal (${subject.applicationName}) and works in the user profile ${profileName}.</p>`;
  }
};

export const whyPage = (options: {
  viewer: ConsoleViewer;
  subject: OnboardingSubject;
  decision: AccessDecision;
  signIn: OnboardingStatus;
  profileName?: string;
}): Html => {
  const { subject, decision } = options;
  const user = decision.user.userName;
  const explanation = explainAccess(decision);
  return consolePage({
    viewer: options.viewer,
    title: `Why? ${user} and ${subject.applicationName}`,
    section: 'studio',
    body: html`<div class="panel">
<p class="breadcrumb"><a href="${STUDIO_PATHS.controlPanel}">Control Panel</a> › <a href="${STUDIO_PATHS.domain(subject.domainId)}">${subject.domainName}</a> › Why?</p>
<h1>Can ${user} open ${subject.applicationName}?</h1>
<div class="alert ${decision.allowed ? 'ok' : 'warn'}" role="status"><p><strong>${decision.allowed ? 'Yes' : 'No'}.</strong> Access: ${explanation.summary}.</p></div>
<h2>Why</h2>
<ul>${explanation.steps.map((step) => html`<li>${step}.</li>`)}</ul>
${explanation.advice.length > 0 && html`<p>${explanation.advice.join(' ')}</p>`}
<p class="muted">The same answer as <code>studio-sso explain-access --user ${user} --application "${subject.applicationName}"</code>.</p>
<h2>Sign-in and user profile</h2>
<ul>
<li>${SIGN_IN_SENTENCES[options.signIn](user)}</li>
<li>${options.profileName === undefined ? `${user} has no user profile in ${subject.domainName}.` : `${user} has the user profile ${options.profileName} in ${subject.domainName}.`}</li>
</ul>
<h2>What to do</h2>
${nextSteps({ subject, decision, profileName: options.profileName })}
<p class="links"><a href="${STUDIO_PATHS.domain(subject.domainId)}#onboarding">Back to ${subject.domainName}</a></p>
</div>`,
  });
};
