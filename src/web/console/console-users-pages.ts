import type { DeliveryState } from '../../mail/mail.types.js';
import type { UserStatus } from '../../modules/identity-store/identity-store.types.js';
import type { InvitationState, OnboardingStatus } from '../../modules/invitations/invitations.types.js';
import { type Html, html } from '../html.js';
import { type ConsoleViewer, consolePage, errorList, noticeBox, pager } from './console-layout.js';
import { CONSOLE_PATHS } from './console-paths.js';
import { userPath } from './console-users-paths.js';
import {
  deliveryBadge,
  invitationBadge,
  keptNote,
  onboardingBadge,
  userStatusBadge,
} from './console-users-states.js';

export interface UserRow {
  userId: string;
  userName: string;
  displayName?: string;
  email?: string;
  status: UserStatus;
  onboarding: OnboardingStatus;
  invitation?: InvitationState;
  delivery?: DeliveryState;
}

const row = (user: UserRow): Html =>
  html`<tr><td><a href="${userPath(user.userId)}">${user.userName}</a></td><td>${user.displayName ?? ''}</td><td>${user.email ?? ''}</td>
<td>${userStatusBadge(user.status)}</td><td>${onboardingBadge(user.onboarding)}</td>
<td>${user.invitation === undefined ? '—' : invitationBadge(user.invitation)}</td><td>${user.delivery === undefined ? '—' : deliveryBadge(user.delivery)}</td></tr>`;

export const usersPage = (options: {
  viewer: ConsoleViewer;
  search: string;
  rows: UserRow[];
  nextToken?: string;
  notice?: string;
  problem?: string;
}): Html =>
  consolePage({
    viewer: options.viewer,
    title: 'Users',
    section: 'users',
    body: html`<div class="panel"><h1>Users</h1>
${noticeBox(options.notice)}
${errorList(options.problem === undefined ? undefined : [options.problem])}
<div class="toolbar">
<form method="get" action="${CONSOLE_PATHS.users}" role="search">
<div class="field"><label for="search">Find users by user name</label>
<input type="search" id="search" name="search" value="${options.search}"></div>
<button type="submit" class="button secondary small">Search</button>
</form>
<a class="button" href="${CONSOLE_PATHS.addUser}">Add user</a>
</div>
${
  options.rows.length === 0
    ? html`<p class="empty">No users${options.search === '' ? '' : html` whose user name starts with “${options.search}”`}.</p>`
    : html`<p class="muted">Open a user to resend or revoke their invitation, reset their password, disable, enable or delete them, or sign them out everywhere.</p>
<table class="list">
<thead><tr><th>Username</th><th>Display name</th><th>Email</th><th>Status</th><th>Sign-in</th><th>Invitation</th><th>Delivery</th></tr></thead>
<tbody>
${options.rows.map(row)}
</tbody>
</table>
${options.rows.some((r) => r.delivery === 'kept') && keptNote()}`
}
${pager(CONSOLE_PATHS.users, options.search === '' ? {} : { search: options.search }, options.nextToken)}
</div>`,
  });
