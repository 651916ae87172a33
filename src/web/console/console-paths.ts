/** Where the console's pages live: one table, so navigation, redirects and tests agree. */
export const CONSOLE_PATHS = {
  home: '/console',
  signIn: '/console/sign-in',
  signOut: '/console/sign-out',
  setup: '/console/setup',
  security: '/console/security',
  dashboard: '/console/identity-center',
  users: '/console/users',
  addUser: '/console/users/add',
  groups: '/console/groups',
  applications: '/console/applications',
  settings: '/console/settings',
  outbox: '/console/outbox',
  studio: '/console/studio',
} as const;

export type ConsoleSection =
  | 'dashboard'
  | 'users'
  | 'groups'
  | 'applications'
  | 'settings'
  | 'outbox'
  | 'studio'
  | 'security';

/** The side navigation: the two products of the guide, each with its pages. */
export const CONSOLE_NAVIGATION: {
  heading: string;
  items: { section: ConsoleSection; label: string; href: string }[];
}[] = [
  {
    heading: 'IAM Identity Center',
    items: [
      { section: 'dashboard', label: 'Dashboard', href: CONSOLE_PATHS.dashboard },
      { section: 'users', label: 'Users', href: CONSOLE_PATHS.users },
      { section: 'groups', label: 'Groups', href: CONSOLE_PATHS.groups },
      { section: 'applications', label: 'Applications', href: CONSOLE_PATHS.applications },
      { section: 'settings', label: 'Settings', href: CONSOLE_PATHS.settings },
      { section: 'outbox', label: 'Outbox', href: CONSOLE_PATHS.outbox },
    ],
  },
  {
    heading: 'SageMaker Studio',
    items: [{ section: 'studio', label: 'Control Panel', href: CONSOLE_PATHS.studio }],
  },
];
