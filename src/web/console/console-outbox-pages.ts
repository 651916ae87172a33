import type { DeliveryStatus, MailKind, MailMessage } from '../../mail/mail.types.js';
import { type Html, html } from '../html.js';
import { type ConsoleViewer, consolePage, errorList, pager, utcTime } from './console-layout.js';
import { CONSOLE_PATHS } from './console-paths.js';

const KIND_LABELS: Record<MailKind, string> = {
  invitation: 'Invitation',
  'email-verification': 'E-mail verification',
  'email-code': 'Sign-in code',
  'password-reset': 'Password reset',
};

/** A message's delivery state as a badge and a sentence, here and wherever a message is mentioned. */
export const deliveryState = (status: DeliveryStatus): Html => {
  switch (status.state) {
    case 'sent':
      return html`<span class="badge ok">sent</span> ${status.sentAt === undefined ? '' : utcTime(status.sentAt)}`;
    case 'kept':
      return html`<span class="badge info">kept</span> <span class="muted">not sent: no SMTP server is set up</span>`;
    case 'failed':
      return html`<span class="badge bad">failed</span> <span class="muted">after ${status.attempts} attempt${status.attempts === 1 ? '' : 's'}${status.lastError === undefined ? '' : `: ${status.lastError}`}. ${status.nextAttemptAt === undefined ? 'No more retries.' : `Next retry ${utcTime(status.nextAttemptAt)}.`}</span>`;
    default:
      return html`<span class="badge none">queued</span> <span class="muted">${status.attempts === 0 ? 'waiting for its first attempt' : `attempt ${status.attempts} in progress`}</span>`;
  }
};

/** The link while the message holds it; once an SMTP server has the message, why it is gone. */
const linkCell = (message: MailMessage): Html => {
  if (message.link !== undefined) {
    return html`<a href="${message.link}" class="code break-anywhere">${message.link}</a>`;
  }
  return html`<span class="muted">${message.state === 'sent' ? 'Removed once delivered: it carried a one-time token.' : 'No link.'}</span>`;
};

export const outboxPage = (options: {
  viewer: ConsoleViewer;
  to: string;
  messages: MailMessage[];
  nextToken?: string;
  problem?: string;
}): Html =>
  consolePage({
    viewer: options.viewer,
    title: 'Outbox',
    section: 'outbox',
    body: html`<div class="panel"><h1>Outbox</h1>
<p class="lead">Every message the server sends, newest first, with its delivery state. While a message is not yet delivered its link is shown here, so without an SMTP server you can hand the link over yourself.</p>
${errorList(options.problem === undefined ? undefined : [options.problem])}
<div class="toolbar">
<form method="get" action="${CONSOLE_PATHS.outbox}" role="search">
<div class="field"><label for="to">Recipient e-mail address</label>
<input type="search" id="to" name="to" value="${options.to}"></div>
<button type="submit" class="button secondary small">Filter</button>
${options.to !== '' && html`<a class="button secondary small" href="${CONSOLE_PATHS.outbox}">Show all</a>`}
</form>
</div>
${
  options.messages.length === 0
    ? html`<p class="empty">${options.to === '' ? 'No messages yet.' : `No messages to ${options.to}.`}</p>`
    : html`<table class="list">
<thead><tr><th>Created</th><th>To</th><th>Subject</th><th>Delivery</th><th>Link</th></tr></thead>
<tbody>
${options.messages.map(
  (m) =>
    html`<tr><td class="nowrap">${utcTime(m.createdAt)}</td><td>${m.to}</td><td>${m.subject}<br><span class="muted">${KIND_LABELS[m.kind] ?? m.kind}</span></td><td>${deliveryState(m)}</td><td>${linkCell(m)}</td></tr>`,
)}
</tbody>
</table>`
}
${pager(CONSOLE_PATHS.outbox, options.to === '' ? {} : { to: options.to }, options.nextToken)}
</div>`,
  });
