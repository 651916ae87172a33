import { CSRF_FIELD } from '../forms.js';
import { type Html, html } from '../html.js';
import { layout } from '../layout.js';
import { CONSOLE_NAVIGATION, CONSOLE_PATHS, type ConsoleSection } from './console-paths.js';

/** The signed-in root admin, as every console page shows them. */
export interface ConsoleViewer {
  rootEmail: string;
  csrfToken: string;
}

export const csrfInput = (token: string): Html =>
  html`<input type="hidden" name="${CSRF_FIELD}" value="${token}">`;

/** `2026-05-01 09:30 UTC`: minutes are enough to tell events apart, and the zone is said. */
export const utcTime = (at: Date | undefined): string =>
  at === undefined ? '—' : `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** What went wrong with a form, in words, above the form (which keeps what was typed). */
export const errorList = (errors: string[] | undefined): Html | false =>
  errors !== undefined &&
  errors.length > 0 &&
  (errors.length === 1
    ? html`<div class="alert" role="alert"><p>${errors[0]}</p></div>`
    : html`<div class="alert" role="alert"><p>Please change the following:</p><ul>${errors.map((m) => html`<li>${m}</li>`)}</ul></div>`);

/** What an action just did, shown once on the page it redirected to. */
export const noticeBox = (notice: string | undefined): Html | false =>
  notice !== undefined && html`<div class="alert ok" role="status"><p>${notice}</p></div>`;

/** A small form with one button that posts an action (with its CSRF token), for tables and detail pages. */
export const actionButton = (options: {
  action: string;
  label: string;
  csrfToken: string;
  style?: 'primary' | 'secondary' | 'danger';
  fields?: Record<string, string>;
  /** The button's full name for screen readers when the label alone is ambiguous in a table ("Remove ada"). */
  accessibleName?: string;
}): Html => html`<form method="post" action="${options.action}">
${csrfInput(options.csrfToken)}
${Object.entries(options.fields ?? {}).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}
<button type="submit" class="small${options.style === 'danger' ? ' danger' : options.style === 'secondary' ? ' secondary' : ''}"${options.accessibleName === undefined ? '' : html` aria-label="${options.accessibleName}"`}>${options.label}</button>
</form>`;

/**
 * A "Next page" link for a server-paged table, keeping the other query parameters. A page with two
 * paged tables gives each its own token parameter and link label.
 */
export const pager = (
  path: string,
  query: Record<string, string>,
  nextToken: string | undefined,
  options: { param?: string; label?: string } = {},
): Html | false =>
  nextToken !== undefined &&
  html`<div class="pager"><a class="button secondary small" href="${path}?${new URLSearchParams({ ...query, [options.param ?? 'next']: nextToken }).toString()}">${options.label ?? 'Next page'}</a></div>`;

const sideNav = (
  section: ConsoleSection | undefined,
): Html => html`<nav class="side-nav" aria-label="Console">
${CONSOLE_NAVIGATION.map(
  (group) => html`<h2>${group.heading}</h2>
<ul>${group.items.map(
    (item) =>
      html`<li><a href="${item.href}"${item.section === section ? html` aria-current="page"` : ''}>${item.label}</a></li>`,
  )}</ul>`,
)}
</nav>`;

const topRight = (
  viewer: ConsoleViewer,
  section: ConsoleSection | undefined,
): Html => html`<nav class="account" aria-label="Root admin">
<span class="who">Root admin <strong>${viewer.rootEmail}</strong></span>
<a href="${CONSOLE_PATHS.security}"${section === 'security' ? html` aria-current="page"` : ''}>MFA settings</a>
<form method="post" action="${CONSOLE_PATHS.signOut}">
${csrfInput(viewer.csrfToken)}
<button type="submit" class="top-button">Sign out</button>
</form>
</nav>`;

const BRAND = { href: CONSOLE_PATHS.home, product: 'console' };

/** A signed-in console page: the top bar with the root admin, the side navigation, the body. */
export const consolePage = (options: {
  viewer: ConsoleViewer;
  title: string;
  section?: ConsoleSection;
  body: Html;
}): Html =>
  layout({
    title: `${options.title} · console`,
    brand: BRAND,
    topRight: topRight(options.viewer, options.section),
    sideNav: sideNav(options.section),
    body: options.body,
  });

/** A page before sign-in (sign-in, setup, messages): one card, no navigation. */
export const consoleCardPage = (options: { title: string; body: Html; wide?: boolean }): Html =>
  layout({ title: `${options.title} · console`, brand: BRAND, wide: options.wide, body: options.body });

export const consoleMessagePage = (
  title: string,
  paragraphs: string[],
  link?: { href: string; label: string },
): Html =>
  consoleCardPage({
    title,
    body: html`<h1>${title}</h1>
<div class="alert" role="alert">${paragraphs.map((p) => html`<p>${p}</p>`)}</div>
${link !== undefined && html`<p><a class="button" href="${link.href}">${link.label}</a></p>`}`,
  });
