import { STYLESHEET_VERSION } from './assets/stylesheet.js';
import { type Html, html } from './html.js';
import { PATHS } from './links.js';

export interface PageOptions {
  title: string;
  body: Html;
  /** Who is signed in, shown in the top bar. */
  signedInAs?: string;
  wide?: boolean;
}

/** The frame of every page: the same top bar, one card, one stylesheet, no script. */
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
<a class="brand" href="${PATHS.portal}">studio-sso</a>
${options.signedInAs !== undefined && html`<span class="who">Signed in as ${options.signedInAs}</span>`}
</header>
<main>
<div class="card${options.wide === true ? ' wide' : ''}">
${options.body}
</div>
</main>
</body>
</html>
`;
