import type { Kysely, Selectable } from 'kysely';
import type { Schema } from '../../storage/schema.js';
import { lifecycleOf } from './studio.kysely.js';
import type { LifecyclePhase } from './studio.types.js';
import type { AppKey, AppListQuery, StudioAppsRepository } from './studio-apps.repository.js';
import type { StudioAppsTable } from './studio-apps.tables.js';
import type { AppType, StudioApp } from './studio-apps.types.js';

const DELETING: LifecyclePhase = 'Deleting';

const toApp = (row: Selectable<StudioAppsTable>): StudioApp => ({
  domainId: row.domain_id,
  profileName: row.profile_name,
  appType: row.app_type as AppType,
  appName: row.app_name,
  ...(row.resource_spec === null ? {} : { resourceSpec: JSON.parse(row.resource_spec) }),
  ...(row.tags === null ? {} : { tags: JSON.parse(row.tags) }),
  ...lifecycleOf(row),
});

const appKey = (app: StudioApp): string =>
  `${String(app.createdAt.getTime()).padStart(15, '0')}|${app.domainId}|${app.profileName.toLowerCase()}|${app.appType}|${app.appName}`;

export class StudioAppsKysely implements StudioAppsRepository {
  constructor(private readonly db: Kysely<Schema>) {}

  async putApp(app: StudioApp, now: Date): Promise<boolean> {
    const key = {
      domainId: app.domainId,
      profileNameKey: app.profileName.toLowerCase(),
      appType: app.appType,
      appName: app.appName,
    };
    // A deleted app's key is free again.
    await this.db
      .deleteFrom('studio_apps')
      .where('domain_id', '=', key.domainId)
      .where('profile_name_key', '=', key.profileNameKey)
      .where('app_type', '=', key.appType)
      .where('app_name', '=', key.appName)
      .where('phase', '=', DELETING)
      .where('phase_until', '<=', now.getTime())
      .execute();
    const result = await this.db
      .insertInto('studio_apps')
      .values({
        domain_id: app.domainId,
        profile_name_key: key.profileNameKey,
        profile_name: app.profileName,
        app_type: app.appType,
        app_name: app.appName,
        resource_spec: app.resourceSpec === undefined ? null : JSON.stringify(app.resourceSpec),
        tags: app.tags === undefined ? null : JSON.stringify(app.tags),
        phase: app.phase,
        phase_until: app.phaseUntil.getTime(),
        created_at: app.createdAt.getTime(),
        created_by: app.createdBy ?? null,
      })
      .onConflict((oc) => oc.columns(['domain_id', 'profile_name_key', 'app_type', 'app_name']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
  }

  async findApp(key: AppKey): Promise<StudioApp | undefined> {
    const row = await this.db
      .selectFrom('studio_apps')
      .selectAll()
      .where('domain_id', '=', key.domainId)
      .where('profile_name_key', '=', key.profileNameKey)
      .where('app_type', '=', key.appType)
      .where('app_name', '=', key.appName)
      .executeTakeFirst();
    return row === undefined ? undefined : toApp(row);
  }

  async listApps(query: AppListQuery): Promise<Array<{ app: StudioApp; key: string }>> {
    let select = this.db
      .selectFrom('studio_apps as a')
      .innerJoin('domains as d', 'd.domain_id', 'a.domain_id')
      .selectAll('a')
      .where('d.account_id', '=', query.accountId)
      .where('d.region', '=', query.region);
    if (query.domainId !== undefined) select = select.where('a.domain_id', '=', query.domainId);
    if (query.profileNameKey !== undefined)
      select = select.where('a.profile_name_key', '=', query.profileNameKey);
    const rows = (await select.execute()).map(toApp).map((app) => ({ app, key: appKey(app) }));
    rows.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    if (query.sortOrder === 'Descending') rows.reverse();
    const after = query.after;
    const start =
      after === undefined
        ? 0
        : rows.findIndex((r) => (query.sortOrder === 'Descending' ? r.key < after : r.key > after));
    return start < 0 ? [] : rows.slice(start, start + query.limit);
  }

  async markAppDeleting(
    key: AppKey,
    lifecycle: { phase: LifecyclePhase; phaseUntil: Date },
  ): Promise<boolean> {
    const result = await this.db
      .updateTable('studio_apps')
      .set({ phase: lifecycle.phase, phase_until: lifecycle.phaseUntil.getTime() })
      .where('domain_id', '=', key.domainId)
      .where('profile_name_key', '=', key.profileNameKey)
      .where('app_type', '=', key.appType)
      .where('app_name', '=', key.appName)
      .where('phase', '<>', DELETING)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async liveAppNames(domainId: string, profileNameKey: string, now: Date): Promise<string[]> {
    const rows = await this.db
      .selectFrom('studio_apps')
      .select(['app_type', 'app_name'])
      .where('domain_id', '=', domainId)
      .where('profile_name_key', '=', profileNameKey)
      .where((eb) => eb.or([eb('phase', '<>', DELETING), eb('phase_until', '>', now.getTime())]))
      .execute();
    return rows.map((r) => `${r.app_type}/${r.app_name}`);
  }
}
