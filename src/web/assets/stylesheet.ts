import { createHash } from 'node:crypto';

/**
 * The one stylesheet of the portal and the console, served at /assets/studio-sso.css. It lives in
 * a module so the build needs no copy step; there is no front-end build at all.
 */
export const STYLESHEET = `:root {
  --ink: #16191f;
  --muted: #5f6b7a;
  --line: #d1d5db;
  --page: #f2f3f3;
  --card: #ffffff;
  --accent: #0972d3;
  --accent-dark: #033160;
  --danger: #d91515;
  --danger-bg: #fff7f7;
  --ok: #037f0c;
  --ok-bg: #f2fcf3;
  color-scheme: light;
}
* { box-sizing: border-box; }
html { font-size: 100%; }
body {
  margin: 0;
  min-height: 100vh;
  background: var(--page);
  color: var(--ink);
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  line-height: 1.5;
}
.top {
  display: flex;
  align-items: center;
  justify-content: space-between;
  gap: 1rem;
  padding: 0.75rem 1.25rem;
  background: #232f3e;
  color: #ffffff;
}
.brand { font-weight: 700; letter-spacing: 0.02em; color: #ffffff; text-decoration: none; }
.top .who { font-size: 0.9rem; opacity: 0.9; }
main { padding: 2rem 1rem; }
.card {
  max-width: 28rem;
  margin: 0 auto;
  padding: 2rem;
  background: var(--card);
  border: 1px solid var(--line);
  border-radius: 0.75rem;
  box-shadow: 0 1px 3px rgba(0, 0, 0, 0.08);
}
.card.wide { max-width: 48rem; }
h1 { font-size: 1.5rem; margin: 0 0 1rem; line-height: 1.25; }
p { margin: 0 0 1rem; }
.muted { color: var(--muted); font-size: 0.9rem; }
form { margin: 0; }
.field { margin-bottom: 1.25rem; }
label { display: block; font-weight: 600; margin-bottom: 0.35rem; }
input[type="text"], input[type="password"], input[type="email"] {
  width: 100%;
  padding: 0.6rem 0.75rem;
  font: inherit;
  border: 1px solid #7d8998;
  border-radius: 0.5rem;
  background: #ffffff;
}
input:focus-visible, button:focus-visible, a:focus-visible {
  outline: 3px solid var(--accent);
  outline-offset: 2px;
}
.hint { color: var(--muted); font-size: 0.85rem; margin-top: 0.35rem; }
button, .button {
  display: inline-block;
  padding: 0.6rem 1.4rem;
  font: inherit;
  font-weight: 700;
  color: #ffffff;
  background: var(--accent);
  border: 0;
  border-radius: 1.5rem;
  cursor: pointer;
  text-decoration: none;
}
button:hover, .button:hover { background: var(--accent-dark); }
button.secondary {
  color: var(--accent);
  background: transparent;
  border: 2px solid var(--accent);
}
button.secondary:hover { color: #ffffff; background: var(--accent-dark); border-color: var(--accent-dark); }
.actions { display: flex; gap: 0.75rem; align-items: center; flex-wrap: wrap; }
.alert {
  padding: 0.75rem 1rem;
  margin-bottom: 1.25rem;
  border-left: 4px solid var(--danger);
  background: var(--danger-bg);
  border-radius: 0.25rem;
}
.alert.ok { border-left-color: var(--ok); background: var(--ok-bg); }
.alert ul { margin: 0.25rem 0 0; padding-left: 1.25rem; }
.alert p:last-child { margin-bottom: 0; }
code, .code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.9em; }
a { color: var(--accent); }
@media (max-width: 32rem) {
  main { padding: 1rem 0.5rem; }
  .card { padding: 1.25rem; border-radius: 0.5rem; }
}
`;

/** Changes whenever the stylesheet does, for a cache-busting query string. */
export const STYLESHEET_VERSION = createHash('sha256').update(STYLESHEET).digest('hex').slice(0, 12);
