import { type Insertable, type Kysely, PostgresAdapter, type Selectable } from 'kysely';
import { ConflictError } from '../../core/errors.js';
import { onUniqueViolation } from '../../storage/constraint-violations.js';
import type { Schema } from '../../storage/schema.js';
import type {
  CloudFormationRepository,
  ExportImporter,
  Lease,
  StackListQuery,
} from './cloudformation.repository.js';
import type {
  CfnChangeSetsTable,
  CfnStackEventsTable,
  CfnStackResourcesTable,
  CfnStacksTable,
} from './cloudformation.tables.js';
import type {
  Capability,
  ChangeSet,
  ChangeSetStatus,
  ExecutionStatus,
  OnFailure,
  ResourceAction,
  ResourceSnapshot,
  ResourceStatus,
  Stack,
  StackEvent,
  StackExport,
  StackOperation,
  StackResource,
  StackStatus,
} from './cloudformation.types.js';

const json = (value: unknown): string => JSON.stringify(value);
const parse = <T>(text: string | null, fallback: T): T =>
  text === null ? fallback : (JSON.parse(text) as T);
const date = (value: number | null): Date | undefined =>
  value === null ? undefined : new Date(Number(value));
const optional = <K extends string, V>(key: K, value: V | null | undefined): { [P in K]?: V } =>
  (value === null || value === undefined ? {} : { [key]: value }) as { [P in K]?: V };

const toStack = (row: Selectable<CfnStacksTable>): Stack => ({
  stackId: row.stack_id,
  accountId: row.account_id,
  region: row.region,
  name: row.name,
  status: row.status as StackStatus,
  ...optional('statusReason', row.status_reason),
  ...optional('description', row.description),
  ...optional('templateBody', row.template_body),
  parameters: parse(row.parameters, []),
  noEcho: parse(row.no_echo, []),
  capabilities: parse<Capability[]>(row.capabilities, []),
  tags: parse(row.tags, []),
  outputs: parse(row.outputs, []),
  notificationArns: parse(row.notification_arns, []),
  ...optional('roleArn', row.role_arn),
  ...optional('timeoutInMinutes', row.timeout_minutes === null ? null : Number(row.timeout_minutes)),
  disableRollback: Number(row.disable_rollback) === 1,
  terminationProtection: Number(row.termination_protection) === 1,
  ...optional('changeSetId', row.change_set_id),
  ...optional('operation', parse<StackOperation | null>(row.operation, null)),
  createdAt: new Date(Number(row.created_at)),
  ...optional('createdBy', row.created_by),
  ...optional('lastUpdatedAt', date(row.last_updated_at)),
  ...optional('deletedAt', date(row.deleted_at)),
});

const stackColumns = (stack: Stack) => ({
  live_name: stack.status === 'DELETE_COMPLETE' ? null : stack.name,
  status: stack.status,
  status_reason: stack.statusReason ?? null,
  description: stack.description ?? null,
  template_body: stack.templateBody ?? null,
  parameters: json(stack.parameters),
  no_echo: json(stack.noEcho),
  capabilities: json(stack.capabilities),
  tags: json(stack.tags),
  outputs: json(stack.outputs),
  notification_arns: json(stack.notificationArns),
  role_arn: stack.roleArn ?? null,
  timeout_minutes: stack.timeoutInMinutes ?? null,
  disable_rollback: stack.disableRollback ? 1 : 0,
  termination_protection: stack.terminationProtection ? 1 : 0,
  change_set_id: stack.changeSetId ?? null,
  operation: stack.operation === undefined ? null : json(stack.operation),
  busy: stack.operation === undefined ? 0 : 1,
  last_updated_at: stack.lastUpdatedAt?.getTime() ?? null,
  deleted_at: stack.deletedAt?.getTime() ?? null,
});

const toResource = (row: Selectable<CfnStackResourcesTable>): StackResource => ({
  stackId: row.stack_id,
  logicalId: row.logical_id,
  type: row.resource_type,
  ...optional('physicalId', row.physical_id),
  status: row.status as ResourceStatus,
  ...optional('statusReason', row.status_reason),
  properties: parse(row.properties, {}),
  attributes: parse(row.attributes, {}),
  ...optional('deletionPolicy', row.deletion_policy),
  ...optional('updateReplacePolicy', row.update_replace_policy),
  ...optional('metadata', parse<unknown>(row.metadata, null)),
  ...optional('action', row.action as ResourceAction | null),
  ...optional('previous', parse<ResourceSnapshot | null>(row.previous, null)),
  ...(Number(row.delete_requested) === 1 ? { deleteRequested: true } : {}),
  updatedAt: new Date(Number(row.updated_at)),
});

const resourceRow = (resource: StackResource): Insertable<CfnStackResourcesTable> => ({
  stack_id: resource.stackId,
  logical_id: resource.logicalId,
  resource_type: resource.type,
  physical_id: resource.physicalId ?? null,
  status: resource.status,
  status_reason: resource.statusReason ?? null,
  properties: json(resource.properties),
  attributes: json(resource.attributes),
  deletion_policy: resource.deletionPolicy ?? null,
  update_replace_policy: resource.updateReplacePolicy ?? null,
  metadata: resource.metadata === undefined ? null : json(resource.metadata),
  action: resource.action ?? null,
  previous: resource.previous === undefined ? null : json(resource.previous),
  delete_requested: resource.deleteRequested === true ? 1 : 0,
  updated_at: resource.updatedAt.getTime(),
});

const toEvent = (row: Selectable<CfnStackEventsTable> & { stack_name: string }): StackEvent => ({
  eventId: row.event_id,
  stackId: row.stack_id,
  stackName: row.stack_name,
  sortKey: row.sort_key,
  timestamp: new Date(Number(row.timestamp)),
  logicalId: row.logical_id,
  ...optional('physicalId', row.physical_id),
  resourceType: row.resource_type,
  status: row.status,
  ...optional('reason', row.reason),
  ...optional('properties', row.properties),
  ...optional('clientRequestToken', row.client_request_token),
});

const toChangeSet = (row: Selectable<CfnChangeSetsTable> & { stack_name: string }): ChangeSet => ({
  changeSetId: row.change_set_id,
  name: row.name,
  stackId: row.stack_id,
  stackName: row.stack_name,
  accountId: row.account_id,
  region: row.region,
  type: row.change_set_type as ChangeSet['type'],
  status: row.status as ChangeSetStatus,
  ...optional('statusReason', row.status_reason),
  executionStatus: row.execution_status as ExecutionStatus,
  ...optional('description', row.description),
  templateBody: row.template_body,
  parameters: parse(row.parameters, []),
  parameterValues: parse(row.parameter_values, {}),
  capabilities: parse(row.capabilities, []),
  tags: parse(row.tags, []),
  notificationArns: parse(row.notification_arns, []),
  ...optional('roleArn', row.role_arn),
  ...optional('onStackFailure', row.on_stack_failure as OnFailure | null),
  changes: parse(row.changes, []),
  createdAt: new Date(Number(row.created_at)),
  ...optional('createdBy', row.created_by),
});

/** Stacks list oldest first; the key orders by creation and then ID, fixed-width so text compares right. */
const stackKey = (stack: Stack): string =>
  `${String(stack.createdAt.getTime()).padStart(15, '0')}|${stack.stackId}`;

export class CloudFormationKysely implements CloudFormationRepository {
  private readonly postgres: boolean;

  constructor(private readonly db: Kysely<Schema>) {
    this.postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  }

  async insertStack(stack: Stack, lease?: Lease): Promise<void> {
    await onUniqueViolation(
      () =>
        this.db
          .insertInto('cfn_stacks')
          .values({
            stack_id: stack.stackId,
            account_id: stack.accountId,
            region: stack.region,
            name: stack.name,
            ...stackColumns(stack),
            lease_owner: lease?.owner ?? null,
            lease_until: lease?.until.getTime() ?? null,
            created_at: stack.createdAt.getTime(),
            created_by: stack.createdBy ?? null,
          })
          .execute(),
      () => new ConflictError('ALREADY_EXISTS', `Stack [${stack.name}] already exists`),
    );
  }

  async findStack(stackId: string): Promise<Stack | undefined> {
    const row = await this.db
      .selectFrom('cfn_stacks')
      .selectAll()
      .where('stack_id', '=', stackId)
      .executeTakeFirst();
    return row === undefined ? undefined : toStack(row);
  }

  async findLiveStackByName(accountId: string, region: string, name: string): Promise<Stack | undefined> {
    const row = await this.db
      .selectFrom('cfn_stacks')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('region', '=', region)
      .where('live_name', '=', name)
      .executeTakeFirst();
    return row === undefined ? undefined : toStack(row);
  }

  async listStacks(query: StackListQuery): Promise<Array<{ stack: Stack; key: string }>> {
    let select = this.db
      .selectFrom('cfn_stacks')
      .selectAll()
      .where('account_id', '=', query.accountId)
      .where('region', '=', query.region);
    if (!query.includeDeleted) select = select.where('status', '<>', 'DELETE_COMPLETE');
    if (query.statuses !== undefined && query.statuses.length > 0) {
      select = select.where('status', 'in', [...query.statuses]);
    }
    if (query.after !== undefined) {
      const [at, id] = query.after.split('|');
      const after = Number(at);
      select = select.where((eb) =>
        eb.or([
          eb('created_at', '>', after),
          eb.and([eb('created_at', '=', after), eb('stack_id', '>', id ?? '')]),
        ]),
      );
    }
    const rows = await select.orderBy('created_at').orderBy('stack_id').limit(query.limit).execute();
    return rows.map((row) => {
      const stack = toStack(row);
      return { stack, key: stackKey(stack) };
    });
  }

  async saveStack(stack: Stack): Promise<void> {
    await onUniqueViolation(
      () =>
        this.db
          .updateTable('cfn_stacks')
          .set(stackColumns(stack))
          .where('stack_id', '=', stack.stackId)
          .execute(),
      () => new ConflictError('ALREADY_EXISTS', `Stack [${stack.name}] already exists`),
    );
  }

  async claimStack(stackId: string, lease: Lease, now: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('cfn_stacks')
      .set({ lease_owner: lease.owner, lease_until: lease.until.getTime() })
      .where('stack_id', '=', stackId)
      .where('busy', '=', 1)
      .where((eb) =>
        eb.or([
          eb('lease_until', 'is', null),
          eb('lease_until', '<=', now.getTime()),
          eb('lease_owner', '=', lease.owner),
        ]),
      )
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async findClaimableStacks(now: Date, limit: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('cfn_stacks')
      .select('stack_id')
      .where('busy', '=', 1)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now.getTime())]))
      .limit(limit)
      .execute();
    return rows.map((r) => r.stack_id);
  }

  async renewLeases(stackIds: readonly string[], lease: Lease): Promise<void> {
    if (stackIds.length === 0) return;
    await this.db
      .updateTable('cfn_stacks')
      .set({ lease_until: lease.until.getTime() })
      .where('stack_id', 'in', [...stackIds])
      .where('lease_owner', '=', lease.owner)
      .execute();
  }

  async releaseLease(stackId: string, owner: string): Promise<void> {
    await this.db
      .updateTable('cfn_stacks')
      .set({ lease_owner: null, lease_until: null })
      .where('stack_id', '=', stackId)
      .where('lease_owner', '=', owner)
      .execute();
  }

  async holdsLease(stackId: string, owner: string, now: Date): Promise<boolean> {
    let select = this.db
      .selectFrom('cfn_stacks')
      .select('stack_id')
      .where('stack_id', '=', stackId)
      .where('lease_owner', '=', owner)
      .where('lease_until', '>', now.getTime());
    if (this.postgres) select = select.forShare();
    return (await select.executeTakeFirst()) !== undefined;
  }

  async listResources(stackId: string): Promise<StackResource[]> {
    const rows = await this.db
      .selectFrom('cfn_stack_resources')
      .selectAll()
      .where('stack_id', '=', stackId)
      .execute();
    return rows.map(toResource);
  }

  async saveResource(resource: StackResource): Promise<void> {
    const row = resourceRow(resource);
    const { stack_id: _s, logical_id: _l, ...changes } = row;
    await this.db
      .insertInto('cfn_stack_resources')
      .values(row)
      .onConflict((oc) => oc.columns(['stack_id', 'logical_id']).doUpdateSet(changes))
      .execute();
  }

  async deleteResource(stackId: string, logicalId: string): Promise<void> {
    await this.db
      .deleteFrom('cfn_stack_resources')
      .where('stack_id', '=', stackId)
      .where('logical_id', '=', logicalId)
      .execute();
  }

  async findResourcesByPhysicalId(
    accountId: string,
    region: string,
    physicalId: string,
  ): Promise<StackResource[]> {
    const rows = await this.db
      .selectFrom('cfn_stack_resources as r')
      .innerJoin('cfn_stacks as s', 's.stack_id', 'r.stack_id')
      .selectAll('r')
      .where('r.physical_id', '=', physicalId)
      .where('s.account_id', '=', accountId)
      .where('s.region', '=', region)
      .where('s.status', '<>', 'DELETE_COMPLETE')
      .execute();
    return rows.map(toResource);
  }

  async findResourceHolder(query: {
    accountId: string;
    region?: string;
    type: string;
    physicalId: string;
    except: { stackId: string; logicalId: string };
  }): Promise<string | undefined> {
    let select = this.db
      .selectFrom('cfn_stack_resources as r')
      .innerJoin('cfn_stacks as s', 's.stack_id', 'r.stack_id')
      .select(['s.name', 'r.stack_id', 'r.logical_id'])
      .where('r.physical_id', '=', query.physicalId)
      .where('r.resource_type', '=', query.type)
      .where('r.status', 'not in', ['DELETE_COMPLETE', 'DELETE_SKIPPED', 'CREATE_FAILED'])
      .where('s.account_id', '=', query.accountId);
    if (query.region !== undefined) select = select.where('s.region', '=', query.region);
    const rows = await select.execute();
    const holder = rows.find(
      (r) => !(r.stack_id === query.except.stackId && r.logical_id === query.except.logicalId),
    );
    return holder?.name;
  }

  async findSsmParameterValue(accountId: string, region: string, name: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('cfn_stack_resources as r')
      .innerJoin('cfn_stacks as s', 's.stack_id', 'r.stack_id')
      .select('r.properties')
      .where('r.resource_type', '=', 'AWS::SSM::Parameter')
      .where('r.physical_id', '=', name)
      .where('r.status', 'in', ['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'UPDATE_ROLLBACK_COMPLETE'])
      .where('s.account_id', '=', accountId)
      .where('s.region', '=', region)
      .executeTakeFirst();
    if (row === undefined) return undefined;
    const value = (JSON.parse(row.properties) as Record<string, unknown>).Value;
    return typeof value === 'string' ? value : undefined;
  }

  async insertEvents(events: readonly StackEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.db
      .insertInto('cfn_stack_events')
      .values(
        events.map((e) => ({
          event_id: e.eventId,
          stack_id: e.stackId,
          sort_key: e.sortKey,
          timestamp: e.timestamp.getTime(),
          logical_id: e.logicalId,
          physical_id: e.physicalId ?? null,
          resource_type: e.resourceType,
          status: e.status,
          reason: e.reason ?? null,
          properties: e.properties ?? null,
          client_request_token: e.clientRequestToken ?? null,
        })),
      )
      .execute();
  }

  async listEvents(stackId: string, before: string | undefined, limit: number): Promise<StackEvent[]> {
    let select = this.db
      .selectFrom('cfn_stack_events as e')
      .innerJoin('cfn_stacks as s', 's.stack_id', 'e.stack_id')
      .selectAll('e')
      .select('s.name as stack_name')
      .where('e.stack_id', '=', stackId);
    if (before !== undefined) select = select.where('e.sort_key', '<', before);
    const rows = await select.orderBy('e.sort_key', 'desc').limit(limit).execute();
    return rows.map(toEvent);
  }

  async insertChangeSet(changeSet: ChangeSet): Promise<void> {
    await onUniqueViolation(
      () =>
        this.db
          .insertInto('cfn_change_sets')
          .values({
            change_set_id: changeSet.changeSetId,
            stack_id: changeSet.stackId,
            name: changeSet.name,
            account_id: changeSet.accountId,
            region: changeSet.region,
            change_set_type: changeSet.type,
            status: changeSet.status,
            status_reason: changeSet.statusReason ?? null,
            execution_status: changeSet.executionStatus,
            description: changeSet.description ?? null,
            template_body: changeSet.templateBody,
            parameters: json(changeSet.parameters),
            parameter_values: json(changeSet.parameterValues),
            capabilities: json(changeSet.capabilities),
            tags: json(changeSet.tags),
            notification_arns: json(changeSet.notificationArns),
            role_arn: changeSet.roleArn ?? null,
            on_stack_failure: changeSet.onStackFailure ?? null,
            changes: json(changeSet.changes),
            created_at: changeSet.createdAt.getTime(),
            created_by: changeSet.createdBy ?? null,
          })
          .execute(),
      () => new ConflictError('ALREADY_EXISTS', `ChangeSet [${changeSet.name}] already exists`),
    );
  }

  private changeSets() {
    return this.db
      .selectFrom('cfn_change_sets as c')
      .innerJoin('cfn_stacks as s', 's.stack_id', 'c.stack_id')
      .selectAll('c')
      .select('s.name as stack_name');
  }

  async findChangeSet(changeSetId: string): Promise<ChangeSet | undefined> {
    const row = await this.changeSets().where('c.change_set_id', '=', changeSetId).executeTakeFirst();
    return row === undefined ? undefined : toChangeSet(row);
  }

  async findChangeSetByName(stackId: string, name: string): Promise<ChangeSet | undefined> {
    const row = await this.changeSets()
      .where('c.stack_id', '=', stackId)
      .where('c.name', '=', name)
      .executeTakeFirst();
    return row === undefined ? undefined : toChangeSet(row);
  }

  async listChangeSets(stackId: string): Promise<ChangeSet[]> {
    const rows = await this.changeSets().where('c.stack_id', '=', stackId).orderBy('c.created_at').execute();
    return rows.map(toChangeSet);
  }

  async saveChangeSet(changeSet: ChangeSet): Promise<void> {
    await this.db
      .updateTable('cfn_change_sets')
      .set({
        status: changeSet.status,
        status_reason: changeSet.statusReason ?? null,
        execution_status: changeSet.executionStatus,
      })
      .where('change_set_id', '=', changeSet.changeSetId)
      .execute();
  }

  async deleteChangeSet(changeSetId: string): Promise<void> {
    await this.db.deleteFrom('cfn_change_sets').where('change_set_id', '=', changeSetId).execute();
  }

  async deleteOtherChangeSets(stackId: string, except: string): Promise<void> {
    await this.db
      .deleteFrom('cfn_change_sets')
      .where('stack_id', '=', stackId)
      .where('change_set_id', '<>', except)
      .execute();
  }

  async findExport(accountId: string, region: string, name: string): Promise<StackExport | undefined> {
    const row = await this.db
      .selectFrom('cfn_exports')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('region', '=', region)
      .where('name', '=', name)
      .executeTakeFirst();
    return row === undefined
      ? undefined
      : {
          accountId: row.account_id,
          region: row.region,
          name: row.name,
          value: row.value,
          stackId: row.stack_id,
        };
  }

  async listExports(
    accountId: string,
    region: string,
    after: string | undefined,
    limit: number,
  ): Promise<StackExport[]> {
    let select = this.db
      .selectFrom('cfn_exports')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('region', '=', region);
    if (after !== undefined) select = select.where('name', '>', after);
    const rows = await select.orderBy('name').limit(limit).execute();
    return rows.map((row) => ({
      accountId: row.account_id,
      region: row.region,
      name: row.name,
      value: row.value,
      stackId: row.stack_id,
    }));
  }

  async exportsOf(stackId: string): Promise<StackExport[]> {
    const rows = await this.db
      .selectFrom('cfn_exports')
      .selectAll()
      .where('stack_id', '=', stackId)
      .execute();
    return rows.map((row) => ({
      accountId: row.account_id,
      region: row.region,
      name: row.name,
      value: row.value,
      stackId: row.stack_id,
    }));
  }

  async replaceExports(stackId: string, exports: readonly StackExport[]): Promise<void> {
    await this.db.deleteFrom('cfn_exports').where('stack_id', '=', stackId).execute();
    if (exports.length === 0) return;
    await this.db
      .insertInto('cfn_exports')
      .values(
        exports.map((e) => ({
          account_id: e.accountId,
          region: e.region,
          name: e.name,
          value: e.value,
          stack_id: stackId,
        })),
      )
      .execute();
  }

  async findImporters(
    accountId: string,
    region: string,
    names: readonly string[],
    except: string,
  ): Promise<ExportImporter[]> {
    if (names.length === 0) return [];
    const rows = await this.db
      .selectFrom('cfn_imports as i')
      .innerJoin('cfn_stacks as s', 's.stack_id', 'i.stack_id')
      .select(['i.export_name', 'i.stack_id', 's.name'])
      .where('i.account_id', '=', accountId)
      .where('i.region', '=', region)
      .where('i.export_name', 'in', [...names])
      .where('i.stack_id', '<>', except)
      .where('s.status', '<>', 'DELETE_COMPLETE')
      .orderBy('i.export_name')
      .execute();
    return rows.map((r) => ({ exportName: r.export_name, stackId: r.stack_id, stackName: r.name }));
  }

  async importsOf(stackId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('cfn_imports')
      .select('export_name')
      .where('stack_id', '=', stackId)
      .execute();
    return rows.map((r) => r.export_name);
  }

  async replaceImports(
    stackId: string,
    accountId: string,
    region: string,
    names: readonly string[],
  ): Promise<void> {
    await this.db.deleteFrom('cfn_imports').where('stack_id', '=', stackId).execute();
    if (names.length === 0) return;
    await this.db
      .insertInto('cfn_imports')
      .values(
        [...new Set(names)].map((name) => ({
          stack_id: stackId,
          account_id: accountId,
          region,
          export_name: name,
        })),
      )
      .execute();
  }
}
