import type { CredentialStatus } from '../../modules/credentials/credentials.types.js';
import type { User } from '../../modules/identity-store/identity-store.types.js';
import type {
  InvitationView,
  OneTimePasswordView,
  UserOnboarding,
} from '../../modules/invitations/invitations.types.js';
import { primaryEmail } from '../../modules/portal/sign-in.service.js';
import { type Html, html } from '../html.js';
import {
  actionButton,
  type ConsoleViewer,
  consolePage,
  csrfInput,
  errorList,
  noticeBox,
  utcTime,
} from './console-layout.js';
import { CONSOLE_PATHS } from './console-paths.js';
import { groupPath, userPath } from './console-users-paths.js';
import {
  deliveryBadge,
  invitationBadge,
  keptNote,
  onboardingBadge,
  onboardingSentence,
  userStatusBadge,
} from './console-users-states.js';

/** Everything a user's page shows. */
export interface UserDetail {
  onboarding: UserOnboarding;
  /** Direct memberships, by group name. */
  groups: { groupId: string; displayName: string }[];
  /** The user is in more groups than listed. */
  moreGroups: boolean;
  mfaEnrolled: boolean;
}

/** A SageMaker Studio user profile made for the user, which outlives the user (as in AWS). */
export interface StudioProfileOfUser {
  domainId: string;
  domainName: string;
  profileName: string;
}

const nameOf = (user: User): string => user.displayName ?? user.userName;

const crumbs = (user: User, here?: string): Html =>
  html`<p class="breadcrumb"><a href="${CONSOLE_PATHS.users}">Users</a> › ${
    here === undefined
      ? user.userName
      : html`<a href="${userPath(user.userId)}">${user.userName}</a> › ${here}`
  }</p>`;

const userPage = (viewer: ConsoleViewer, title: string, body: Html): Html =>
  consolePage({ viewer, title, section: 'users', body });

const passwordWords = (password: CredentialStatus): string => {
  if (password.kind === 'password') return `Chosen by the user on ${utcTime(password.setAt)}.`;
  if (password.kind === 'one-time') {
    return `A one-time password, set on ${utcTime(password.setAt)}; it expires ${utcTime(password.expiresAt)}.`;
  }
  return 'None yet.';
};

const deliveryCell = (invitation: InvitationView): Html | string => {
  const delivery = invitation.delivery;
  if (delivery === undefined) return '—';
  return html`${deliveryBadge(delivery.state)}${
    delivery.state === 'failed' &&
    html`<br><span class="muted">${delivery.attempts} attempt${delivery.attempts === 1 ? '' : 's'}${
      delivery.lastError !== undefined && `: ${delivery.lastError}`
    }${delivery.nextAttemptAt !== undefined ? `; next try ${utcTime(delivery.nextAttemptAt)}` : '; no more tries'}</span>`
  }${delivery.state === 'sent' && html`<br><span class="muted">${utcTime(delivery.sentAt)}</span>`}`;
};

const invitationNote = (invitation: InvitationView): string => {
  if (invitation.acceptedAt !== undefined) return `Used on ${utcTime(invitation.acceptedAt)}`;
  if (invitation.revokedAt !== undefined) {
    return invitation.revokedReason === 'replaced'
      ? `Replaced on ${utcTime(invitation.revokedAt)}`
      : `Revoked on ${utcTime(invitation.revokedAt)}`;
  }
  return '';
};

const invitationsPanel = (viewer: ConsoleViewer, onboarding: UserOnboarding): Html => {
  const { user, invitations } = onboarding;
  const latest = invitations[0];
  const canResend = onboarding.status !== 'active';
  const canRevoke = latest?.state === 'pending';
  return html`<div class="panel"><h2>Invitations</h2>
${
  invitations.length === 0
    ? html`<p class="muted">No invitation was ever sent to ${user.userName}.</p>`
    : html`<table class="list">
<thead><tr><th>Sent</th><th>Expires</th><th>State</th><th>Delivery</th><th>Note</th></tr></thead>
<tbody>${invitations.map(
        (invitation) =>
          html`<tr><td>${utcTime(invitation.createdAt)}</td><td>${utcTime(invitation.expiresAt)}</td><td>${invitationBadge(invitation.state)}</td><td>${deliveryCell(invitation)}</td><td>${invitationNote(invitation)}</td></tr>`,
      )}</tbody>
</table>
${invitations.some((i) => i.delivery?.state === 'kept') && keptNote()}`
}
${
  (canResend || canRevoke) &&
  html`<div class="inline-actions">
${canResend && actionButton({ action: userPath(user.userId, 'resend-invitation'), label: latest === undefined ? 'Send invitation' : 'Resend invitation', csrfToken: viewer.csrfToken })}
${canRevoke && actionButton({ action: userPath(user.userId, 'revoke-invitation'), label: 'Revoke invitation', csrfToken: viewer.csrfToken, style: 'secondary' })}
</div>
<p class="hint">${canResend ? `A new invitation goes to ${primaryEmail(user) ?? 'the user'} with a new link; the earlier link stops working. ` : ''}${canRevoke ? 'Revoking makes the pending link stop working at once.' : ''}</p>`
}
</div>`;
};

export const userDetailPage = (options: {
  viewer: ConsoleViewer;
  detail: UserDetail;
  notice?: string;
  errors?: string[];
}): Html => {
  const { viewer, detail } = options;
  const { onboarding } = detail;
  const { user } = onboarding;
  const enabled = user.status === 'ENABLED';
  return userPage(
    viewer,
    user.userName,
    html`<div class="panel">${crumbs(user)}
<h1>${nameOf(user)} ${userStatusBadge(user.status)}</h1>
${noticeBox(options.notice)}
${errorList(options.errors)}
${
  !enabled &&
  html`<div class="alert warn"><p>${user.userName} is disabled: they cannot sign in to the access portal. Enable the user to let them sign in again.</p></div>`
}
<div class="inline-actions">
<a class="button secondary small" href="${userPath(user.userId, 'reset-password')}">Reset password</a>
${actionButton({
  action: userPath(user.userId, enabled ? 'disable' : 'enable'),
  label: enabled ? 'Disable user' : 'Enable user',
  csrfToken: viewer.csrfToken,
  style: 'secondary',
})}
${actionButton({ action: userPath(user.userId, 'sign-out-everywhere'), label: 'Sign out everywhere', csrfToken: viewer.csrfToken, style: 'secondary' })}
<form method="get" action="${userPath(user.userId, 'delete')}"><button type="submit" class="small danger">Delete user</button></form>
</div>
</div>
<div class="panel"><h2>Profile</h2>
<dl class="details">
<dt>Username</dt><dd>${user.userName}</dd>
<dt>Display name</dt><dd>${user.displayName ?? '—'}</dd>
<dt>First name</dt><dd>${user.name?.givenName ?? '—'}</dd>
<dt>Last name</dt><dd>${user.name?.familyName ?? '—'}</dd>
<dt>Email address</dt><dd>${primaryEmail(user) ?? '—'}</dd>
<dt>Status</dt><dd>${enabled ? 'Enabled' : 'Disabled'}</dd>
<dt>User ID</dt><dd><code>${user.userId}</code></dd>
<dt>Created</dt><dd>${utcTime(user.createdAt)}</dd>
</dl>
</div>
<div class="panel"><h2>Sign-in</h2>
<dl class="details">
<dt>State</dt><dd>${onboardingBadge(onboarding.status)} ${onboardingSentence(onboarding.status)}</dd>
<dt>Password</dt><dd>${passwordWords(onboarding.password)}</dd>
<dt>MFA</dt><dd>${detail.mfaEnrolled ? 'An authenticator app is registered.' : 'No authenticator app registered.'}</dd>
<dt>Access portal</dt><dd><code>${onboarding.portalUrl}</code></dd>
</dl>
</div>
${invitationsPanel(viewer, onboarding)}
<div class="panel"><h2>Groups</h2>
${
  detail.groups.length === 0
    ? html`<p class="muted">${user.userName} is not a direct member of any group.</p>`
    : html`<table class="list"><thead><tr><th>Group</th></tr></thead>
<tbody>${detail.groups.map((group) => html`<tr><td><a href="${groupPath(group.groupId)}">${group.displayName}</a></td></tr>`)}</tbody></table>
${detail.moreGroups && html`<p class="muted">And more: the first ${detail.groups.length} are listed.</p>`}`
}
<p class="hint">Direct memberships. Add or remove members on the <a href="${CONSOLE_PATHS.groups}">Groups</a> page.</p>
</div>`,
  );
};

export type PasswordResetMethod = 'send-email' | 'one-time-password';

export const resetPasswordPage = (options: {
  viewer: ConsoleViewer;
  user: User;
  method: PasswordResetMethod;
  errors?: string[];
}): Html => {
  const { user, method } = options;
  const email = primaryEmail(user);
  const choice = (value: PasswordResetMethod, label: string, hint: string): Html =>
    html`<label><input type="radio" name="method" value="${value}"${method === value ? html` checked` : ''}> ${label}</label>
<p class="hint">${hint}</p>`;
  return userPage(
    options.viewer,
    `Reset password: ${user.userName}`,
    html`<div class="panel">${crumbs(user, 'Reset password')}
<h1>Reset password for ${user.userName}</h1>
${errorList(options.errors)}
<form method="post" action="${userPath(user.userId, 'reset-password')}">
${csrfInput(options.viewer.csrfToken)}
<fieldset><legend>How should ${user.userName} get a new password?</legend>
${choice(
  'send-email',
  `Send an e-mail to ${email ?? 'the user'} with instructions to reset the password`,
  'A link that works once, for an hour. The current password keeps working until the link is used.',
)}
${choice(
  'one-time-password',
  'Generate a one-time password that you can share with the user',
  'Shown to you once. The current password and any pending invitation stop working at once; the user chooses a new password at the next sign-in.',
)}
</fieldset>
<p class="muted">Access portal sessions already open end when the password is reset: at once with a one-time password, when the link is used with an e-mail.</p>
<div class="actions"><button type="submit" class="button">Reset password</button>
<a class="button secondary" href="${userPath(user.userId)}">Cancel</a></div>
</form>
</div>`,
  );
};

export const oneTimePasswordPage = (options: {
  viewer: ConsoleViewer;
  user: User;
  oneTimePassword: OneTimePasswordView;
  portalUrl: string;
}): Html => {
  const { user } = options;
  return userPage(
    options.viewer,
    `Password reset: ${user.userName}`,
    html`<div class="panel">${crumbs(user, 'Reset password')}
<h1>Password reset</h1>
<div class="alert ok" role="status"><p>${user.userName} has a new one-time password. Give it to them with the portal address; it is shown only this once.</p></div>
<p>One-time password: <code class="code" id="one-time-password">${options.oneTimePassword.password}</code></p>
<p class="muted">It expires at ${utcTime(options.oneTimePassword.expiresAt)}. At the next sign-in, ${user.userName} chooses a password of their own.</p>
<p>Portal: <code>${options.portalUrl}</code></p>
<div class="actions"><a class="button" href="${userPath(user.userId)}">Back to ${user.userName}</a></div>
</div>`,
  );
};

export const deleteUserPage = (options: {
  viewer: ConsoleViewer;
  detail: UserDetail;
  studioProfiles: StudioProfileOfUser[];
  errors?: string[];
}): Html => {
  const { detail, studioProfiles } = options;
  const { user } = detail.onboarding;
  const groups = detail.groups.map((group) => group.displayName).join(', ');
  return userPage(
    options.viewer,
    `Delete ${user.userName}`,
    html`<div class="panel">${crumbs(user, 'Delete')}
<h1>Delete user ${user.userName}?</h1>
${errorList(options.errors)}
<div class="alert warn">
<p>Deleting ${user.userName} (${nameOf(user)}) cannot be undone. With the user go:</p>
<ul>
<li>${
      detail.groups.length === 0
        ? 'no group memberships (the user is in no group)'
        : `their membership in ${detail.groups.length === 1 ? 'the group' : `${detail.groups.length}${detail.moreGroups ? '+' : ''} groups`}: ${groups}`
    }</li>
<li>the applications assigned to ${user.userName} directly (assignments of their groups stay with the groups)</li>
<li>their invitations, password and MFA authenticator</li>
<li>their access portal sessions: they are signed out at once</li>
</ul>
</div>
<div class="alert info"><p>${
      studioProfiles.length === 0
        ? html`${user.userName} has no SageMaker Studio user profile.`
        : html`Their SageMaker Studio user profiles stay in their domains, as in AWS, no longer linked to an IAM Identity Center user: ${studioProfiles.map(
            (p, index) =>
              html`${index > 0 && ', '}<strong>${p.profileName}</strong> in ${p.domainName} (${p.domainId})`,
          )}. Delete them in the <a href="${CONSOLE_PATHS.studio}">Studio Control Panel</a> if they are no longer needed.`
    }</p>
</div>
<form method="post" action="${userPath(user.userId, 'delete')}">
${csrfInput(options.viewer.csrfToken)}
<div class="actions"><button type="submit" class="danger">Delete user ${user.userName}</button>
<a class="button secondary" href="${userPath(user.userId)}">Cancel</a></div>
</form>
</div>`,
  );
};

/** The user is not there (deleted meanwhile, or a wrong address). */
export const userMissingPage = (viewer: ConsoleViewer, problem: string): Html =>
  userPage(
    viewer,
    'User not found',
    html`<div class="panel"><p class="breadcrumb"><a href="${CONSOLE_PATHS.users}">Users</a></p>
<h1>User not found</h1>
${errorList([problem])}
<p><a class="button" href="${CONSOLE_PATHS.users}">Back to users</a></p>
</div>`,
  );
