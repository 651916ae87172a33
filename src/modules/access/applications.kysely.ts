import {
  type CompiledQuery,
  type Kysely,
  PostgresAdapter,
  type RawBuilder,
  type Selectable,
  sql,
} from 'kysely';
import { ConflictError, NotFoundError } from '../../core/errors.js';
import { bindSlots, slot } from '../../storage/compiled-query.js';
import { onForeignKeyViolation, onUniqueViolation } from '../../storage/constraint-violations.js';
import type { Schema } from '../../storage/schema.js';
import type { ApplicationAssignmentsTable, ApplicationsTable } from './access.tables.js';
import {
  type AccessUserFacts,
  type AncestorLevel,
  type ApplicationChanges,
  type ApplicationFilter,
  type ApplicationPageQuery,
  type ApplicationsRepository,
  MAX_NESTING_DEPTH,
  type NestingAbove,
  type PrincipalRef,
  type UserAssignmentSummary,
} from './applications.repository.js';
import type {
  Application,
  ApplicationAssignment,
  ApplicationStatus,
  GroupRef,
  PortalOptions,
  Principal,
} from './applications.types.js';

type ApplicationRow = Selectable<ApplicationsTable> & { identity_store_id: string };

const toApplication = (row: ApplicationRow): Application => ({
  applicationId: row.application_id,
  instanceId: row.instance_id,
  identityStoreId: row.identity_store_id,
  accountId: row.account_id,
  region: row.region,
  name: row.name,
  ...(row.description === null ? {} : { description: row.description }),
  providerArn: row.application_provider_arn,
  status: row.status as ApplicationStatus,
  ...(row.portal_options === null ? {} : { portalOptions: JSON.parse(row.portal_options) as PortalOptions }),
  assignmentRequired: Number(row.assignment_required) === 1,
  ...(row.managed_by === null ? {} : { managedBy: row.managed_by }),
  ...(row.client_token === null ? {} : { clientToken: row.client_token }),
  createdAt: new Date(row.created_at),
  ...(row.created_by === null ? {} : { createdBy: row.created_by }),
});

const toAssignment = (row: Selectable<ApplicationAssignmentsTable>): ApplicationAssignment => ({
  applicationId: row.application_id,
  principal:
    row.user_id !== null ? { type: 'USER', id: row.user_id } : { type: 'GROUP', id: row.group_id ?? '' },
  createdAt: new Date(row.created_at),
  ...(row.created_by === null ? {} : { createdBy: row.created_by }),
});

/** Either database answers EXISTS/CASE as 0/1, or as a boolean, or as a string; all mean the same. */
const truthy = (value: unknown): boolean => value === true || value === 1 || value === '1' || value === 1n;

const principalColumn = (principal: Principal) => (principal.type === 'USER' ? 'user_id' : 'group_id');

/**
 * Applications and assignments on SQLite and PostgreSQL alike. The access reads drive their joins
 * from the user's memberships with CROSS JOIN: SQLite then keeps that join order (its documented
 * way to fix one), which is the one that stays fast when an application has a hundred thousand
 * assignments and the user a thousand groups; PostgreSQL plans it as an inner join from statistics,
 * except where those statistics lead it astray (see compileAccessQueries).
 */
export class ApplicationsKysely implements ApplicationsRepository {
  constructor(private readonly db: Kysely<Schema>) {}

  private selectApplications() {
    return this.db
      .selectFrom('applications')
      .innerJoin('sso_instances', 'sso_instances.instance_id', 'applications.instance_id')
      .selectAll('applications')
      .select('sso_instances.identity_store_id');
  }

  async insertApplication(application: Application): Promise<void> {
    await onForeignKeyViolation(
      () =>
        onUniqueViolation(
          () =>
            this.db
              .insertInto('applications')
              .values({
                application_id: application.applicationId,
                instance_id: application.instanceId,
                account_id: application.accountId,
                region: application.region,
                name: application.name,
                description: application.description ?? null,
                application_provider_arn: application.providerArn,
                status: application.status,
                portal_options:
                  application.portalOptions === undefined ? null : JSON.stringify(application.portalOptions),
                assignment_required: application.assignmentRequired ? 1 : 0,
                managed_by: application.managedBy ?? null,
                client_token: application.clientToken ?? null,
                created_at: application.createdAt.getTime(),
                created_by: application.createdBy ?? null,
              })
              .execute(),
          () =>
            new ConflictError(
              'CLIENT_TOKEN_IN_USE',
              'An application was created with this ClientToken at the same time. Try again.',
            ),
        ),
      () =>
        new NotFoundError('INSTANCE_NOT_FOUND', `Instance ${application.instanceId} does not exist.`, {
          resourceType: 'INSTANCE',
          resourceId: application.instanceId,
        }),
    );
  }

  async findApplication(applicationId: string): Promise<Application | undefined> {
    // Every access decision starts here: compiled once.
    this.findApplicationQuery ??= this.selectApplications()
      .where('applications.application_id', '=', slot('applicationId'))
      .compile();
    const { rows } = await this.db.executeQuery(bindSlots(this.findApplicationQuery, { applicationId }));
    const row = rows[0];
    return row === undefined ? undefined : toApplication(row);
  }

  private findApplicationQuery: CompiledQuery<ApplicationRow> | undefined;

  async findApplicationByClientToken(
    instanceId: string,
    clientToken: string,
  ): Promise<Application | undefined> {
    const row = await this.selectApplications()
      .where('applications.instance_id', '=', instanceId)
      .where('applications.client_token', '=', clientToken)
      .executeTakeFirst();
    return row === undefined ? undefined : toApplication(row);
  }

  async findApplicationsByName(instanceId: string, name: string): Promise<Application[]> {
    const rows = await this.selectApplications()
      .where('applications.instance_id', '=', instanceId)
      .where('applications.name', '=', name)
      .orderBy('applications.application_id')
      .execute();
    return rows.map(toApplication);
  }

  async listApplications(
    instanceId: string,
    filter: ApplicationFilter,
    page: ApplicationPageQuery,
  ): Promise<Application[]> {
    let query = this.selectApplications().where('applications.instance_id', '=', instanceId);
    if (filter.accountId !== undefined) query = query.where('applications.account_id', '=', filter.accountId);
    if (filter.providerArn !== undefined)
      query = query.where('applications.application_provider_arn', '=', filter.providerArn);
    if (page.after !== undefined) query = query.where('applications.application_id', '>', page.after);
    const rows = await query.orderBy('applications.application_id').limit(page.limit).execute();
    return rows.map(toApplication);
  }

  async updateApplication(applicationId: string, changes: ApplicationChanges): Promise<boolean> {
    const set: Partial<Selectable<ApplicationsTable>> = {};
    if (changes.name !== undefined) set.name = changes.name;
    if ('description' in changes) set.description = changes.description ?? null;
    if (changes.status !== undefined) set.status = changes.status;
    if ('portalOptions' in changes)
      set.portal_options = changes.portalOptions === undefined ? null : JSON.stringify(changes.portalOptions);
    if (changes.assignmentRequired !== undefined)
      set.assignment_required = changes.assignmentRequired ? 1 : 0;
    if (Object.keys(set).length === 0) return (await this.findApplication(applicationId)) !== undefined;
    const result = await this.db
      .updateTable('applications')
      .set(set)
      .where('application_id', '=', applicationId)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async deleteApplication(applicationId: string): Promise<boolean> {
    // Assignments go with it: ON DELETE CASCADE (SQLite runs with foreign_keys=ON).
    const result = await this.db
      .deleteFrom('applications')
      .where('application_id', '=', applicationId)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async findPrincipal(identityStoreId: string, principal: Principal): Promise<PrincipalRef | undefined> {
    if (principal.type === 'USER') {
      const row = await this.db
        .selectFrom('users')
        .select('user_name as name')
        .where('user_id', '=', principal.id)
        .where('identity_store_id', '=', identityStoreId)
        .executeTakeFirst();
      return row === undefined ? undefined : { ...principal, name: row.name };
    }
    const row = await this.db
      .selectFrom('groups')
      .select('display_name as name')
      .where('group_id', '=', principal.id)
      .where('identity_store_id', '=', identityStoreId)
      .executeTakeFirst();
    return row === undefined ? undefined : { ...principal, name: row.name };
  }

  async insertAssignment(assignment: ApplicationAssignment): Promise<void> {
    const { principal } = assignment;
    await onForeignKeyViolation(
      () =>
        onUniqueViolation(
          () =>
            this.db
              .insertInto('application_assignments')
              .values({
                application_id: assignment.applicationId,
                principal_id: principal.id,
                user_id: principal.type === 'USER' ? principal.id : null,
                group_id: principal.type === 'GROUP' ? principal.id : null,
                created_at: assignment.createdAt.getTime(),
                created_by: assignment.createdBy ?? null,
              })
              .execute(),
          () =>
            new ConflictError(
              'ASSIGNMENT_EXISTS',
              `The ${principal.type.toLowerCase()} ${principal.id} is already assigned to the application.`,
            ),
        ),
      // The principal or the application was deleted since the service found it; the principal is
      // the likelier one in a race this narrow.
      () =>
        new NotFoundError('PRINCIPAL_NOT_FOUND', `${principal.type} ${principal.id} does not exist.`, {
          resourceType: principal.type,
          resourceId: principal.id,
        }),
    );
  }

  async findAssignment(
    applicationId: string,
    principal: Principal,
  ): Promise<ApplicationAssignment | undefined> {
    const row = await this.db
      .selectFrom('application_assignments')
      .selectAll()
      .where('application_id', '=', applicationId)
      .where(principalColumn(principal), '=', principal.id)
      .executeTakeFirst();
    return row === undefined ? undefined : toAssignment(row);
  }

  async findAssignedPrincipalIds(applicationId: string, principalIds: string[]): Promise<string[]> {
    if (principalIds.length === 0) return [];
    const rows = await this.db
      .selectFrom('application_assignments')
      .select('principal_id')
      .where('application_id', '=', applicationId)
      .where('principal_id', 'in', principalIds)
      .execute();
    return rows.map((row) => row.principal_id);
  }

  async deleteAssignment(applicationId: string, principal: Principal): Promise<boolean> {
    const result = await this.db
      .deleteFrom('application_assignments')
      .where('application_id', '=', applicationId)
      .where(principalColumn(principal), '=', principal.id)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async listAssignmentsOfApplication(
    applicationId: string,
    page: ApplicationPageQuery,
  ): Promise<ApplicationAssignment[]> {
    let query = this.db
      .selectFrom('application_assignments')
      .selectAll()
      .where('application_id', '=', applicationId);
    if (page.after !== undefined) query = query.where('principal_id', '>', page.after);
    return (await query.orderBy('principal_id').limit(page.limit).execute()).map(toAssignment);
  }

  async listApplicationIdsAssignedTo(
    instanceId: string,
    principal: Principal,
    options: ApplicationPageQuery & { applicationId?: string },
  ): Promise<string[]> {
    const queries = this.accessQueries();
    const template =
      principal.type === 'USER'
        ? options.applicationId === undefined
          ? queries.userApplications
          : queries.userApplication
        : options.applicationId === undefined
          ? queries.groupApplications
          : queries.groupApplication;
    const { rows } = await this.db.executeQuery(
      bindSlots(template, {
        instanceId,
        principalId: principal.id,
        applicationId: options.applicationId,
        // Every ID is greater than '' in either database's ordering.
        after: options.after ?? '',
        limit: options.limit,
      }),
    );
    return rows.map((r) => r.application_id);
  }

  async findAccessUser(
    identityStoreId: string,
    userId: string,
    applicationId?: string,
  ): Promise<AccessUserFacts | undefined> {
    const queries = this.accessQueries();
    const { rows } = await this.db.executeQuery(
      applicationId === undefined
        ? bindSlots(queries.user, { identityStoreId, userId })
        : bindSlots(queries.userAndAssignment, { identityStoreId, userId, applicationId }),
    );
    const row = rows[0];
    return row === undefined ? undefined : toAccessUser(row);
  }

  async listGrantingGroups(applicationId: string, userId: string, limit: number): Promise<GroupRef[]> {
    const { rows } = await this.db.executeQuery(
      bindSlots(this.accessQueries().grantingGroups, { applicationId, userId, limit }),
    );
    return rows.map((r) => ({ groupId: r.group_id, displayName: r.display_name }));
  }

  async findAccessUsers(
    identityStoreId: string,
    userIds: readonly string[],
    applicationId: string,
  ): Promise<AccessUserFacts[]> {
    if (userIds.length === 0) return [];
    const rows = await this.db
      .selectFrom('users')
      .leftJoin('application_assignments', (join) =>
        join
          .onRef('application_assignments.user_id', '=', 'users.user_id')
          .on('application_assignments.application_id', '=', applicationId),
      )
      .select([
        'users.user_id',
        'users.user_name',
        'users.status',
        'users.identity_store_id',
        'application_assignments.application_id as assigned',
      ])
      .where('users.identity_store_id', '=', identityStoreId)
      .where('users.user_id', 'in', [...userIds])
      .execute();
    return rows.map(toAccessUser);
  }

  async listGrantingGroupsOfUsers(
    applicationId: string,
    userIds: readonly string[],
    limit: number,
  ): Promise<Map<string, GroupRef[]>> {
    if (userIds.length === 0) return new Map();
    // `listGrantingGroups` per user, in one query: each user's first `limit` by group ID.
    const { rows } = await sql<{ member_user_id: string; group_id: string; display_name: string }>`
      select x.member_user_id, x.group_id, g.display_name
        from (select gm.member_user_id, gm.group_id,
                     row_number() over (partition by gm.member_user_id order by gm.group_id) as place
                from group_memberships gm cross join application_assignments aa
               where gm.member_user_id in (${sql.join(userIds)})
                 and aa.group_id = gm.group_id and aa.application_id = ${applicationId}) x
        cross join groups g
       where g.group_id = x.group_id and x.place <= ${limit}
       order by x.member_user_id, x.group_id`.execute(this.db);
    const groups = new Map<string, GroupRef[]>();
    for (const row of rows) {
      const ofUser = groups.get(row.member_user_id) ?? [];
      ofUser.push({ groupId: row.group_id, displayName: row.display_name });
      groups.set(row.member_user_id, ofUser);
    }
    return groups;
  }

  async loadNestingAbove(applicationId: string, userIds: readonly string[]): Promise<NestingAbove> {
    if (userIds.length === 0) return { directGroups: new Map(), edges: [], assignedGroups: new Set() };
    const memberships = await this.db
      .selectFrom('group_memberships')
      .select(['member_user_id', 'group_id'])
      .where('member_user_id', 'in', [...userIds])
      .execute();
    const directGroups = new Map<string, string[]>();
    for (const { member_user_id: userId, group_id: groupId } of memberships) {
      if (userId === null) continue;
      const groups = directGroups.get(userId);
      if (groups === undefined) directGroups.set(userId, [groupId]);
      else groups.push(groupId);
    }
    // `reach` is the users' direct groups and every group above them; UNION (not UNION ALL) visits
    // each group once, so the walk ends even on a cycle (which the identity store refuses anyway).
    // The edges into those groups are all the nested-path search needs, with each outer group's
    // assignment to the application.
    const { rows } = await sql<{ group_id: string; member_group_id: string; assigned: unknown }>`
      with recursive reach(group_id) as (
        select d.group_id from group_memberships d where d.member_user_id in (${sql.join(userIds)})
        union
        select p.group_id from reach cross join group_memberships p where p.member_group_id = reach.group_id
      )
      select p.group_id, p.member_group_id,
             case when aa.application_id is null then 0 else 1 end as assigned
        from reach
        cross join group_memberships p
        left join application_assignments aa
          on aa.group_id = p.group_id and aa.application_id = ${applicationId}
       where p.member_group_id = reach.group_id`.execute(this.db);
    return {
      directGroups,
      edges: rows.map((r) => ({ groupId: r.group_id, memberGroupId: r.member_group_id })),
      assignedGroups: new Set(rows.filter((r) => truthy(r.assigned)).map((r) => r.group_id)),
    };
  }

  async listAncestorLevels(applicationId: string, userId: string): Promise<AncestorLevel[]> {
    const { rows } = await this.db.executeQuery(
      bindSlots(this.accessQueries().ancestorLevels, { applicationId, userId }),
    );
    return rows.map((r) => ({ groupId: r.group_id, depth: Number(r.depth), assigned: truthy(r.assigned) }));
  }

  async listMemberGroupIds(groupId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('group_memberships')
      .select('member_group_id')
      .where('group_id', '=', groupId)
      .where('member_group_id', 'is not', null)
      .orderBy('member_group_id')
      .execute();
    return rows.flatMap((r) => (r.member_group_id === null ? [] : [r.member_group_id]));
  }

  async findDirectGroupInside(groupId: string, userId: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('group_memberships as nested')
      .crossJoin('group_memberships as direct')
      .select('nested.member_group_id')
      .where('nested.group_id', '=', groupId)
      .whereRef('direct.group_id', '=', 'nested.member_group_id')
      .where('direct.member_user_id', '=', userId)
      .orderBy('nested.member_group_id')
      .limit(1)
      .executeTakeFirst();
    return row?.member_group_id ?? undefined;
  }

  async findGroupNames(groupIds: readonly string[]): Promise<Map<string, string>> {
    if (groupIds.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('groups')
      .select(['group_id', 'display_name'])
      .where('group_id', 'in', [...groupIds])
      .execute();
    return new Map(rows.map((r) => [r.group_id, r.display_name]));
  }

  async summarizeUserAssignments(userId: string): Promise<UserAssignmentSummary> {
    const queries = this.accessQueries();
    const direct = await this.db.executeQuery(bindSlots(queries.userOwnAssignments, { userId }));
    const viaGroups = await this.db.executeQuery(bindSlots(queries.userGroupAssignments, { userId }));
    return {
      direct: direct.rows.map((r) => r.application_id),
      viaGroups: viaGroups.rows.map((r) => ({
        applicationId: r.application_id,
        firstGroup: { groupId: r.first_group, displayName: r.display_name },
        groupCount: Number(r.group_count),
      })),
    };
  }

  private compiledAccessQueries: ReturnType<ApplicationsKysely['compileAccessQueries']> | undefined;

  private accessQueries() {
    this.compiledAccessQueries ??= this.compileAccessQueries();
    return this.compiledAccessQueries;
  }

  /**
   * The access reads, compiled once (see storage/compiled-query.ts). They start from the user's
   * memberships, read from the (member_user_id, group_id) index alone, and probe the assignments
   * index per group: the cost follows the user's groups, never the size of the directory or of
   * an application's assignment list.
   */
  private compileAccessQueries() {
    const db = this.db;
    // The assignments of the user's direct groups. SQLite keeps the CROSS JOIN's order: the user's
    // memberships, then one assignments-index probe each. PostgreSQL would plan that join as a hash
    // join over every assignment of the directory (its cost model prices a thousand index probes
    // above one sequential scan); `= any(array(…))` leaves it the index scan alone.
    const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
    const ofUserGroups = (userId: string) =>
      postgres
        ? sql`application_assignments aa
               where aa.group_id = any(array(select gm.group_id from group_memberships gm
                                              where gm.member_user_id = ${userId}))`
        : sql`group_memberships gm cross join application_assignments aa
               where gm.member_user_id = ${userId} and aa.group_id = gm.group_id`;
    const applicationsOf = (assigned: RawBuilder<unknown>, oneApplication: boolean) =>
      sql<{ application_id: string }>`
        select a.application_id
          from applications a
         where a.instance_id = ${slot('instanceId')}
           and a.application_id > ${slot('after')}
           ${oneApplication ? sql`and a.application_id = ${slot('applicationId')}` : sql``}
           and a.application_id in (${assigned})
         order by a.application_id
         limit ${slot('limit')}`.compile(db);
    const userAssigned = sql`
      select application_id from application_assignments where user_id = ${slot('principalId')}
      union
      select aa.application_id from ${ofUserGroups(slot('principalId'))}`;
    const groupAssigned = sql`select application_id from application_assignments where group_id = ${slot('principalId')}`;
    const users = db
      .selectFrom('users')
      .where('users.user_id', '=', slot('userId'))
      .where('users.identity_store_id', '=', slot('identityStoreId'));
    return {
      userApplications: applicationsOf(userAssigned, false),
      userApplication: applicationsOf(userAssigned, true),
      groupApplications: applicationsOf(groupAssigned, false),
      groupApplication: applicationsOf(groupAssigned, true),
      user: users
        .select([
          'user_id',
          'user_name',
          'status',
          'identity_store_id',
          sql<string | null>`null`.as('assigned'),
        ])
        .compile(),
      userAndAssignment: users
        .leftJoin('application_assignments', (join) =>
          join
            .onRef('application_assignments.user_id', '=', 'users.user_id')
            .on('application_assignments.application_id', '=', slot('applicationId')),
        )
        .select([
          'users.user_id',
          'users.user_name',
          'users.status',
          'users.identity_store_id',
          'application_assignments.application_id as assigned',
        ])
        .compile(),
      grantingGroups: sql<{ group_id: string; display_name: string }>`
        select x.group_id, g.display_name
          from (select gm.group_id
                  from group_memberships gm cross join application_assignments aa
                 where gm.member_user_id = ${slot('userId')}
                   and aa.group_id = gm.group_id and aa.application_id = ${slot('applicationId')}
                 order by gm.group_id
                 limit ${slot('limit')}) x
          cross join groups g
         where g.group_id = x.group_id
         order by x.group_id`.compile(db),
      // UNION stops at (group, depth) pairs already seen and the depth bound at any cycle (which the
      // identity store refuses to make anyway); MIN keeps each group's shortest distance.
      ancestorLevels: sql<{ group_id: string; depth: unknown; assigned: unknown }>`
        with recursive up(group_id, depth) as (
          select p.group_id, 1
            from group_memberships d cross join group_memberships p
           where d.member_user_id = ${slot('userId')} and p.member_group_id = d.group_id
          union
          select p.group_id, up.depth + 1
            from up cross join group_memberships p
           where p.member_group_id = up.group_id and up.depth < ${sql.lit(MAX_NESTING_DEPTH)}
        )
        select up.group_id, min(up.depth) as depth,
               max(case when aa.application_id is null then 0 else 1 end) as assigned
          from up
          left join application_assignments aa
            on aa.group_id = up.group_id and aa.application_id = ${slot('applicationId')}
         group by up.group_id`.compile(db),
      userOwnAssignments: db
        .selectFrom('application_assignments')
        .select('application_id')
        .where('user_id', '=', slot('userId'))
        .compile(),
      userGroupAssignments: sql<{
        application_id: string;
        group_count: unknown;
        first_group: string;
        display_name: string;
      }>`
        select x.application_id, x.group_count, x.first_group, g.display_name
          from (select aa.application_id, count(*) as group_count, min(aa.group_id) as first_group
                  from ${ofUserGroups(slot('userId'))}
                 group by aa.application_id) x
          cross join groups g
         where g.group_id = x.first_group`.compile(db),
    };
  }

  async listApplicationsOpenOr(
    instanceId: string,
    applicationIds: readonly string[],
  ): Promise<Application[]> {
    const rows = await this.selectApplications()
      .where('applications.instance_id', '=', instanceId)
      .where((eb) =>
        applicationIds.length === 0
          ? eb('applications.assignment_required', '=', 0)
          : eb.or([
              eb('applications.assignment_required', '=', 0),
              eb('applications.application_id', 'in', [...applicationIds]),
            ]),
      )
      .orderBy('applications.application_id')
      .execute();
    return rows.map(toApplication);
  }
}

interface AccessUserRow {
  user_id: string;
  user_name: string;
  status: string;
  identity_store_id: string;
  assigned: string | null;
}

const toAccessUser = (row: AccessUserRow): AccessUserFacts => ({
  userId: row.user_id,
  userName: row.user_name,
  identityStoreId: row.identity_store_id,
  status: row.status === 'DISABLED' ? 'DISABLED' : 'ENABLED',
  directlyAssigned: row.assigned !== null,
});
