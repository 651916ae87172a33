import { createHash } from 'node:crypto';

/**
 * The one stylesheet of the portal and the console, served at /assets/studio-sso.css. It lives in
 * a module so the build needs no copy step; there is no front-end build at all.
 */
export const STYLESHEET = `:root {
  --ink: #16191f;
  --muted: #5f6b7a;
  --line: #d1d5db;
  --line-soft: #e9ebed;
  --page: #f2f3f3;
  --card: #ffffff;
  --accent: #0972d3;
  --accent-dark: #033160;
  --accent-soft: #f0f7ff;
  --danger: #d91515;
  --danger-bg: #fff7f7;
  --ok: #037f0c;
  --ok-bg: #f2fcf3;
  --warn: #8d6605;
  --warn-bg: #fffce9;
  --bar: #232f3e;
  --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;
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
  flex-wrap: wrap;
  gap: 0.5rem 1rem;
  padding: 0.65rem 1.25rem;
  background: var(--bar);
  color: #ffffff;
}
.brand {
  display: inline-flex;
  align-items: center;
  gap: 0.55rem;
  font-weight: 700;
  letter-spacing: 0.01em;
  color: #ffffff;
  text-decoration: none;
}
.brand .mark {
  display: inline-grid;
  place-items: center;
  width: 1.75rem;
  height: 1.75rem;
  border-radius: 0.4rem;
  background: #ff9900;
  color: var(--bar);
  font-weight: 800;
}
.brand .product { font-weight: 400; opacity: 0.8; }
.top .who { font-size: 0.9rem; opacity: 0.9; }
.account { display: flex; align-items: center; flex-wrap: wrap; gap: 0.35rem 1rem; font-size: 0.9rem; }
.account a { color: #ffffff; }
.account form { display: inline; }
.top-button {
  padding: 0.3rem 0.9rem;
  font-size: 0.9rem;
  color: #ffffff;
  background: transparent;
  border: 1px solid rgba(255, 255, 255, 0.7);
  border-radius: 1rem;
}
.top-button:hover { background: rgba(255, 255, 255, 0.12); }
main { padding: 2rem 1rem 3rem; }
.card {
  max-width: 28rem;
  margin: 0 auto;
  padding: 2rem;
  background: var(--card);
  border: 1px solid var(--line);
  border-radius: 0.75rem;
  box-shadow: 0 1px 3px rgba(0, 0, 0, 0.08);
}
.card.wide { max-width: 44rem; }
.page { max-width: 64rem; margin: 0 auto; }
.panel {
  padding: 1.5rem;
  margin-bottom: 1.5rem;
  background: var(--card);
  border: 1px solid var(--line);
  border-radius: 0.75rem;
  box-shadow: 0 1px 3px rgba(0, 0, 0, 0.06);
}
.panel > h2:first-child { margin-top: 0; }
h1 { font-size: 1.5rem; margin: 0 0 1rem; line-height: 1.25; }
h2 { font-size: 1.15rem; margin: 1.5rem 0 0.75rem; line-height: 1.3; }
.page > h1 { margin-bottom: 0.25rem; }
.lead { color: var(--muted); margin-bottom: 1.5rem; }
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
input.code-input { max-width: 16rem; font-family: var(--mono); font-size: 1.25rem; letter-spacing: 0.2em; }
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
button.secondary, .button.secondary {
  color: var(--accent);
  background: transparent;
  border: 2px solid var(--accent);
  padding: calc(0.6rem - 2px) calc(1.4rem - 2px);
}
button.secondary:hover, .button.secondary:hover { color: #ffffff; background: var(--accent-dark); border-color: var(--accent-dark); }
button.danger { background: var(--danger); }
button.danger:hover { background: #a30e0e; }
.actions { display: flex; gap: 0.75rem; align-items: center; flex-wrap: wrap; }
.links { margin: 1.25rem 0 0; padding-top: 1rem; border-top: 1px solid var(--line-soft); font-size: 0.9rem; }
.alert {
  padding: 0.75rem 1rem;
  margin-bottom: 1.25rem;
  border-left: 4px solid var(--danger);
  background: var(--danger-bg);
  border-radius: 0.25rem;
}
.alert.ok { border-left-color: var(--ok); background: var(--ok-bg); }
.alert.info { border-left-color: var(--accent); background: var(--accent-soft); }
.alert.warn { border-left-color: var(--warn); background: var(--warn-bg); }
.alert ul { margin: 0.25rem 0 0; padding-left: 1.25rem; }
.alert p:last-child { margin-bottom: 0; }
code, .code { font-family: var(--mono); font-size: 0.9em; }
pre {
  margin: 0;
  padding: 0.6rem 0.75rem;
  overflow-x: auto;
  font-family: var(--mono);
  font-size: 0.85rem;
  background: #f6f8fa;
  border: 1px solid var(--line-soft);
  border-radius: 0.4rem;
}
a { color: var(--accent); }

/* The application list */
.tiles {
  display: grid;
  grid-template-columns: repeat(auto-fill, minmax(17rem, 1fr));
  gap: 1rem;
  margin: 0;
  padding: 0;
  list-style: none;
}
.tile {
  display: flex;
  gap: 0.9rem;
  align-items: flex-start;
  height: 100%;
  padding: 1rem 1.1rem;
  color: var(--ink);
  text-decoration: none;
  background: var(--card);
  border: 1px solid var(--line);
  border-radius: 0.6rem;
  transition: border-color 0.15s, box-shadow 0.15s;
}
a.tile:hover { border-color: var(--accent); box-shadow: 0 2px 8px rgba(9, 114, 211, 0.18); }
.tile .icon { flex: none; width: 2.75rem; height: 2.75rem; }
.tile .icon svg { width: 100%; height: 100%; display: block; }
.tile .name { display: block; font-weight: 700; line-height: 1.3; word-break: break-word; }
.tile .meta { display: block; color: var(--muted); font-size: 0.85rem; margin-top: 0.2rem; }
.tile .open { display: block; color: var(--accent); font-size: 0.85rem; font-weight: 600; margin-top: 0.45rem; }
.empty {
  padding: 2rem 1.5rem;
  text-align: center;
  color: var(--muted);
  background: var(--card);
  border: 1px dashed var(--line);
  border-radius: 0.6rem;
}
.empty strong { display: block; color: var(--ink); font-size: 1.05rem; margin-bottom: 0.35rem; }

/* Registering an authenticator app */
.steps { margin: 0 0 1.25rem; padding-left: 1.25rem; }
.steps li { margin-bottom: 0.75rem; }
.scan { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem 1.5rem; margin-top: 0.75rem; }
.scan > div { flex: 1 1 14rem; }
.qr {
  display: block;
  flex: none;
  width: 12rem;
  height: 12rem;
  padding: 0.5rem;
  background: #ffffff;
  border: 1px solid var(--line);
  border-radius: 0.5rem;
  image-rendering: pixelated;
}
.secret {
  display: inline-block;
  padding: 0.35rem 0.6rem;
  font-family: var(--mono);
  font-size: 0.95rem;
  letter-spacing: 0.08em;
  line-height: 1.8;
  background: #f6f8fa;
  border: 1px solid var(--line-soft);
  border-radius: 0.4rem;
}
.codes {
  display: grid;
  grid-template-columns: repeat(2, minmax(0, 1fr));
  gap: 0.5rem 1rem;
  margin: 0 0 1.25rem;
  padding: 1rem;
  list-style: none;
  font-family: var(--mono);
  font-size: 1.05rem;
  text-align: center;
  background: #f6f8fa;
  border: 1px solid var(--line-soft);
  border-radius: 0.5rem;
}

/* Facts as label and value */
.details { display: grid; grid-template-columns: minmax(9rem, max-content) 1fr; gap: 0.5rem 1.25rem; margin: 0; }
.details dt { color: var(--muted); font-weight: 600; }
.details dd { margin: 0; min-width: 0; word-break: break-word; }
table.settings { width: 100%; border-collapse: collapse; font-size: 0.95rem; }
table.settings th, table.settings td { padding: 0.55rem 0.5rem; text-align: left; vertical-align: top; border-bottom: 1px solid var(--line-soft); }
table.settings th { color: var(--muted); font-weight: 600; font-size: 0.85rem; }
table.settings td:first-child { font-weight: 600; white-space: nowrap; }
table.settings td code { overflow-wrap: anywhere; }
table.settings td pre { max-width: 100%; }
.badge {
  display: inline-block;
  padding: 0.05rem 0.55rem;
  font-size: 0.8rem;
  font-weight: 700;
  border-radius: 1rem;
  color: var(--warn);
  background: var(--warn-bg);
  border: 1px solid #f5d77f;
}
.badge.ok { color: var(--ok); background: var(--ok-bg); border-color: #a8e0ad; }
.columns { display: grid; grid-template-columns: repeat(auto-fit, minmax(22rem, 1fr)); gap: 0 1.5rem; }
.nowrap { white-space: nowrap; }
.studio-head {
  display: flex;
  align-items: center;
  gap: 1rem;
  margin-bottom: 1.5rem;
}
.studio-head .icon { flex: none; width: 3.25rem; height: 3.25rem; }
.studio-head .icon svg { width: 100%; height: 100%; display: block; }
.studio-head h1 { margin: 0; }
.studio-head p { margin: 0; color: var(--muted); }

/* The console: side navigation, lists, toolbars */
.with-nav { display: grid; grid-template-columns: 14rem minmax(0, 1fr); gap: 1.5rem; max-width: 84rem; margin: 0 auto; }
.side-nav { align-self: start; padding: 1rem 0; background: var(--card); border: 1px solid var(--line); border-radius: 0.75rem; font-size: 0.95rem; }
.side-nav h2 { margin: 0.5rem 1rem 0.35rem; font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.05em; color: var(--muted); }
.side-nav ul { margin: 0 0 0.75rem; padding: 0; list-style: none; }
.side-nav a { display: block; padding: 0.35rem 1rem; color: var(--ink); text-decoration: none; border-left: 3px solid transparent; }
.side-nav a:hover { background: var(--accent-soft); }
.side-nav a[aria-current="page"] { border-left-color: var(--accent); color: var(--accent); font-weight: 700; background: var(--accent-soft); }
.content > .panel:last-child { margin-bottom: 0; }
.content h1 { margin-bottom: 0.5rem; }
.breadcrumb { font-size: 0.9rem; color: var(--muted); margin-bottom: 0.5rem; }
.toolbar { display: flex; flex-wrap: wrap; gap: 0.75rem; align-items: flex-end; justify-content: space-between; margin-bottom: 1rem; }
.toolbar form { display: flex; gap: 0.5rem; align-items: flex-end; flex-wrap: wrap; }
.toolbar .field { margin: 0; }
input[type="search"], input[type="number"], select {
  padding: 0.5rem 0.7rem;
  font: inherit;
  border: 1px solid #7d8998;
  border-radius: 0.5rem;
  background: #ffffff;
}
table.list { width: 100%; border-collapse: collapse; font-size: 0.92rem; }
table.list th, table.list td { padding: 0.55rem 0.6rem; text-align: left; vertical-align: top; border-bottom: 1px solid var(--line-soft); }
table.list th { color: var(--muted); font-weight: 600; font-size: 0.82rem; background: #fafafa; }
table.list tr:hover td { background: #fbfcfd; }
table.list td form { display: inline; }
.pager { display: flex; gap: 0.75rem; align-items: center; margin-top: 1rem; }
.inline-actions { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; }
button.small, .button.small { padding: 0.3rem 0.9rem; font-size: 0.85rem; }
button.secondary.small, .button.secondary.small { padding: calc(0.3rem - 2px) calc(0.9rem - 2px); }
.badge.bad { color: var(--danger); background: var(--danger-bg); border-color: #f4b2b2; }
.badge.info { color: var(--accent); background: var(--accent-soft); border-color: #b3d4f5; }
.badge.none { color: var(--muted); background: #f6f8fa; border-color: var(--line); }
.checks { margin: 0 0 1rem; padding: 0; list-style: none; }
.checks label { font-weight: 400; display: flex; gap: 0.5rem; align-items: center; }
fieldset { margin: 0 0 1.25rem; padding: 0.75rem 1rem; border: 1px solid var(--line); border-radius: 0.5rem; }
legend { font-weight: 600; padding: 0 0.35rem; }
/* Long tokens (links with a one-time token) wrap anywhere instead of widening a table column. */
.break-anywhere { overflow-wrap: anywhere; }

@media (max-width: 52rem) {
  .with-nav { grid-template-columns: 1fr; }
  .side-nav { display: flex; flex-wrap: wrap; gap: 0 1rem; padding: 0.5rem; }
  .side-nav ul { display: flex; flex-wrap: wrap; margin: 0; }
  table.list { display: block; overflow-x: auto; }
}

@media (max-width: 40rem) {
  main { padding: 1rem 0.5rem 2rem; }
  .card, .panel { padding: 1.25rem; border-radius: 0.5rem; }
  .details { grid-template-columns: 1fr; gap: 0.1rem; }
  .details dd { margin-bottom: 0.6rem; }
  .codes { grid-template-columns: 1fr; }
  .columns { grid-template-columns: 1fr; }
  table.settings thead { display: none; }
  table.settings tr { display: block; padding: 0.5rem 0; border-bottom: 1px solid var(--line-soft); }
  table.settings td { display: block; padding: 0.15rem 0; border: 0; }
  table.settings td:last-child { color: var(--muted); font-size: 0.85rem; }
}
`;

/** Changes whenever the stylesheet does, for a cache-busting query string. */
export const STYLESHEET_VERSION = createHash('sha256').update(STYLESHEET).digest('hex').slice(0, 12);
