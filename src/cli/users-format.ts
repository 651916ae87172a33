import type { UserSummary } from '../web/admin/users.routes.js';

/** A time as the `users` commands print it: minutes, in UTC. */
export const at = (iso: string | undefined): string =>
  iso === undefined ? '-' : `${iso.slice(0, 16).replace('T', ' ')} UTC`;

/** `alice (Alice Doe) <alice@example.com>`: the user as an admin recognises them. */
export const who = (user: UserSummary): string =>
  `${user.userName}${user.displayName === undefined ? '' : ` (${user.displayName})`}${user.email === undefined ? '' : ` <${user.email}>`}`;

/** The answer as JSON with --json, else as the text an admin reads. */
export const print = (json: boolean | undefined, value: unknown, text: () => string) =>
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : text());

export const userPath = (user: string) => `/users/${encodeURIComponent(user)}`;

export const plural = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? '' : 's'}`;
