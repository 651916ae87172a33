import type { DeliveryState } from '../../mail/mail.types.js';
import type { UserStatus } from '../../modules/identity-store/identity-store.types.js';
import type { InvitationState, OnboardingStatus } from '../../modules/invitations/invitations.types.js';
import { type Html, html } from '../html.js';
import { CONSOLE_PATHS } from './console-paths.js';

/** The states of users, invitations and mail as words with a badge, the same in the list and on a user's page. */
type BadgeStyle = 'ok' | 'bad' | 'info' | 'none' | 'warn';

const badge = (style: BadgeStyle, words: string): Html =>
  html`<span class="badge${style === 'warn' ? '' : ` ${style}`}">${words}</span>`;

export const userStatusBadge = (status: UserStatus): Html =>
  status === 'ENABLED' ? badge('ok', 'Enabled') : badge('bad', 'Disabled');

const ONBOARDING: Record<OnboardingStatus, [BadgeStyle, string, string]> = {
  active: ['ok', 'active', 'Has chosen a password and can sign in to the access portal.'],
  invited: ['info', 'invited', 'Has an invitation to choose a password and has not used it yet.'],
  'invitation-expired': [
    'bad',
    'invitation expired',
    'The invitation expired before it was used: resend it, or reset the password.',
  ],
  'one-time-password': [
    'info',
    'one-time password',
    'Signs in with the one-time password you were given, then chooses a password.',
  ],
  'one-time-password-expired': [
    'bad',
    'one-time password expired',
    'The one-time password expired before it was used: reset the password.',
  ],
  'no-password': [
    'none',
    'no password',
    'Has no password and no pending invitation: resend the invitation, or reset the password.',
  ],
};

export const onboardingBadge = (status: OnboardingStatus): Html => {
  const [style, words] = ONBOARDING[status];
  return badge(style, words);
};

/** What the sign-in state means for the user, in a sentence. */
export const onboardingSentence = (status: OnboardingStatus): string => ONBOARDING[status][2];

const INVITATION: Record<InvitationState, BadgeStyle> = {
  pending: 'info',
  accepted: 'ok',
  expired: 'bad',
  revoked: 'none',
};

export const invitationBadge = (state: InvitationState): Html => badge(INVITATION[state], state);

const DELIVERY: Record<DeliveryState, BadgeStyle> = {
  queued: 'warn',
  sent: 'ok',
  failed: 'bad',
  kept: 'none',
};

export const deliveryBadge = (state: DeliveryState): Html => badge(DELIVERY[state], state);

/** Why a message can be "kept", said once under a table that shows one. */
export const keptNote = (): Html =>
  html`<p class="hint">kept: no mail server is configured, so the message waits in the <a href="${CONSOLE_PATHS.outbox}">Outbox</a>, where its link can be copied and handed over.</p>`;
