import { STYLESHEET_VERSION } from './assets/stylesheet.js';
import { CSRF_FIELD } from './forms.js';
import { type Html, html } from './html.js';
import { PATHS } from './links.js';

/** The signed-in user as the top bar shows them, with what its Sign out form needs. */
export interface TopBarAccount {
  userName: string;
  csrfToken: string;
}

export interface PageOptions {
  title: string;
  body: Html;
  /** Who is signed in, shown in the top bar (without a Sign out button). */
  signedInAs?: string;
  /** The signed-in user: the top bar shows the name, MFA settings and Sign out. */
  account?: TopBarAccount;
  /** A wider card, for tables and settings. */
  wide?: boolean;
  /** No card: the body lays out its own sections (the portal's application list, Studio). */
  bare?: boolean;
  /** Another product than the access portal in the top bar (the console). */
  brand?: { href: string; product: string };
  /** The top bar's right side, instead of the portal's account menu. */
  topRight?: Html;
  /** A side navigation; the body then fills the rest of the width. */
  sideNav?: Html;
}

const topBarAccount = (account: TopBarAccount): Html => html`<nav class="account" aria-label="Account">
<span class="who">Signed in as <strong>${account.userName}</strong></span>
<a href="${PATHS.security}">MFA settings</a>
<form method="post" action="${PATHS.signOut}">
<input type="hidden" name="${CSRF_FIELD}" value="${account.csrfToken}">
<button type="submit" class="top-button">Sign out</button>
</form>
</nav>`;

/** The frame of every page: the same top bar, one card (or bare sections), one stylesheet, no script. */
export const layout = (options: PageOptions): Html => html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} · studio-sso</title>
<link rel="stylesheet" href="${PATHS.stylesheet}?v=${STYLESHEET_VERSION}">
</head>
<body>
<header class="top">
<a class="brand" href="${options.brand?.href ?? PATHS.portal}"><span class="mark" aria-hidden="true">s</span>studio-sso <span class="product">${options.brand?.product ?? 'access portal'}</span></a>
${options.topRight}
${options.account !== undefined && topBarAccount(options.account)}
${options.account === undefined && options.signedInAs !== undefined && html`<span class="who">Signed in as ${options.signedInAs}</span>`}
</header>
<main>
${
  options.sideNav !== undefined
    ? html`<div class="with-nav">
${options.sideNav}
<div class="content">
${options.body}
</div>
</div>`
    : options.bare === true
      ? html`<div class="page">
${options.body}
</div>`
      : html`<div class="card${options.wide === true ? ' wide' : ''}">
${options.body}
</div>`
}
</main>
</body>
</html>
`;
