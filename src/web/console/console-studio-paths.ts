import { CONSOLE_PATHS } from './console-paths.js';

const base = CONSOLE_PATHS.studio;
const domain = (domainId: string): string => `${base}/domains/${encodeURIComponent(domainId)}`;
const profile = (domainId: string, profileName: string): string =>
  `${domain(domainId)}/profiles/${encodeURIComponent(profileName)}`;

/** Where the SageMaker Studio Control Panel's pages live; the Applications pages link here too. */
export const STUDIO_PATHS = {
  controlPanel: base,
  createDomain: `${base}/create-domain`,
  domain,
  deleteDomain: (domainId: string): string => `${domain(domainId)}/delete`,
  addProfile: (domainId: string): string => `${domain(domainId)}/add-profile`,
  deleteProfile: (domainId: string, profileName: string): string =>
    `${profile(domainId, profileName)}/delete`,
  why: (domainId: string, userId: string): string => `${domain(domainId)}/why/${encodeURIComponent(userId)}`,
} as const;

/** The same pages as route patterns. */
export const STUDIO_ROUTES = {
  domain: `${base}/domains/:domainId`,
  deleteDomain: `${base}/domains/:domainId/delete`,
  addProfile: `${base}/domains/:domainId/add-profile`,
  deleteProfile: `${base}/domains/:domainId/profiles/:profileName/delete`,
  why: `${base}/domains/:domainId/why/:userId`,
} as const;
