import type { Lifecycle } from './studio.types.js';
import type { StudioApp } from './studio-apps.types.js';

export interface AppKey {
  domainId: string;
  profileNameKey: string;
  appType: string;
  appName: string;
}

export interface AppListQuery {
  accountId: string;
  region: string;
  domainId?: string;
  profileNameKey?: string;
  sortOrder: 'Ascending' | 'Descending';
  /** The key of the last app of the previous page. */
  after?: string;
  limit: number;
}

/** Storage port of Studio apps. Apps in any phase are returned; the service judges their status. */
export interface StudioAppsRepository {
  /** Inserts the app, or replaces a deleted one of the same key; false when a live one holds the key. */
  putApp(app: StudioApp, now: Date): Promise<boolean>;
  findApp(key: AppKey): Promise<StudioApp | undefined>;
  listApps(query: AppListQuery): Promise<Array<{ app: StudioApp; key: string }>>;
  /** Marks the app Deleting; false when it is already being deleted (or gone). */
  markAppDeleting(key: AppKey, lifecycle: Lifecycle): Promise<boolean>;
  /** The names of the profile's apps that are not deleted at `now`. */
  liveAppNames(domainId: string, profileNameKey: string, now: Date): Promise<string[]>;
}
