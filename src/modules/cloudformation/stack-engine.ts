import { randomUUID } from 'node:crypto';
import type { Clock } from '../../core/clock.js';
import { type AppError, isAppError } from '../../core/errors.js';
import type { UnitOfWork } from '../../core/unit-of-work.js';
import type { CloudFormationRepository } from './cloudformation.repository.js';
import type {
  ResourceSnapshot,
  ResourceStatus,
  Stack,
  StackEvent,
  StackExport,
  StackOutput,
  StackResource,
  StackStatus,
} from './cloudformation.types.js';
import { eventSortKey } from './event-order.js';
import {
  type AnyResourceProvider,
  changedProperties,
  type ProviderContext,
  type ProviderRegistry,
  propertiesValidationFailed,
  ResourceFailure,
  type ResourceState,
  requiresReplacement,
} from './resource-providers.js';
import {
  type EvaluatedTemplate,
  evaluateOutputs,
  evaluatePolicy,
  evaluateProperties,
  evaluateTemplate,
  importLookup,
  importNames,
  resourceValues,
  type StackValues,
  templateOf,
} from './stack-evaluation.js';
import type { ResourceDeclaration } from './template.js';
import { TemplateError } from './template-errors.js';

/**
 * Runs stack operations, one step at a time, each step a transaction: a resource's service call
 * and the stack's record of its outcome commit together, so a process that stops mid-operation
 * leaves no resource the stack does not know of, and the next process to take the stack's lease
 * carries on from what is recorded. Resources are created in dependency order (those whose
 * dependencies are done, in parallel), updated in place or replaced, and deleted in reverse order;
 * a failure rolls back (or not, as asked) with events worded as AWS's.
 */

export interface CloudFormationRepositories {
  cloudformation: CloudFormationRepository;
}

export interface EngineLogger {
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface StackEngineOptions<R extends CloudFormationRepositories, S> {
  uow: UnitOfWork<R>;
  /** The services providers call, bound to one step's transaction. */
  servicesOn(within: R): S;
  providers: ProviderRegistry;
  clock: Clock;
  logger: EngineLogger;
  /** Test-only: a pause after every step, so a test can stop the process between two resources. */
  stepDelayMs?: number;
  /** Whether the process is shutting down: operations then stop between two steps. */
  shouldStop?(): boolean;
  /** How often a deletion that the service finishes later is looked at, and for how long. */
  deletePollMs?: number;
  deleteTimeoutMs?: number;
}

/** Thrown between two steps when the process is shutting down: the next process carries on. */
export class StopRequested extends Error {
  constructor() {
    super('shutting down');
  }
}

/** This process no longer holds the stack's lease: another one carries on. */
export class LeaseLostError extends Error {
  constructor() {
    super('stack lease lost');
  }
}

const STACK_TYPE = 'AWS::CloudFormation::Stack';
const REPLACING = 'Requested update requires the creation of a new physical resource; hence creating one.';
const INITIATED = 'Resource creation Initiated';

const HANDLER_ERROR_CODES: Record<AppError['kind'], string> = {
  NotFound: 'NotFound',
  Conflict: 'AlreadyExists',
  InUse: 'ResourceConflict',
  Validation: 'InvalidRequest',
  AccessDenied: 'AccessDenied',
  LimitExceeded: 'ServiceLimitExceeded',
  Unauthenticated: 'AccessDenied',
  Internal: 'InternalFailure',
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const snapshot = (row: StackResource): ResourceSnapshot => ({
  type: row.type,
  physicalId: row.physicalId ?? '',
  properties: row.properties,
  attributes: row.attributes,
  ...(row.deletionPolicy !== undefined ? { deletionPolicy: row.deletionPolicy } : {}),
  ...(row.updateReplacePolicy !== undefined ? { updateReplacePolicy: row.updateReplacePolicy } : {}),
});

const stateOf = (row: {
  physicalId?: string;
  properties: Record<string, unknown>;
  attributes: Record<string, unknown>;
}): ResourceState => ({
  physicalId: row.physicalId ?? '',
  properties: row.properties,
  attributes: row.attributes,
});

const withoutAction = (row: StackResource): StackResource => {
  const { action: _a, previous: _p, deleteRequested: _d, ...rest } = row;
  return rest;
};

type Decision =
  | { kind: 'noop'; properties: Record<string, unknown> }
  | { kind: 'create' | 'update' | 'replace'; properties: Record<string, unknown> }
  | { kind: 'fail'; reason: string; creating: boolean };

export class StackEngine<R extends CloudFormationRepositories, S> {
  private readonly deletePollMs: number;
  private readonly deleteTimeoutMs: number;

  constructor(private readonly options: StackEngineOptions<R, S>) {
    this.deletePollMs = options.deletePollMs ?? 100;
    this.deleteTimeoutMs = options.deleteTimeoutMs ?? 120_000;
  }

  private get repo(): CloudFormationRepository {
    return this.options.uow.repositories.cloudformation;
  }

  /** Runs the stack's operation to its end, unless this process loses the stack's lease first. */
  async run(stackId: string, owner: string): Promise<void> {
    for (;;) {
      const stack = await this.repo.findStack(stackId);
      const operation = stack?.operation;
      if (stack === undefined || operation === undefined) return;
      const step = new OperationRun(this, this.options, stack, owner);
      switch (operation.phase) {
        case 'forward':
          await step.forward();
          break;
        case 'rollback':
          if (operation.kind === 'UPDATE') await step.rollbackUpdate();
          else await step.deleteAll('rollback');
          break;
        case 'delete':
          await step.deleteAll('delete');
          break;
        case 'cleanup':
          await step.cleanup(false);
          break;
        case 'rollback-cleanup':
          await step.cleanup(true);
          break;
      }
    }
  }

  get pollMs(): number {
    return this.deletePollMs;
  }

  get timeoutMs(): number {
    return this.deleteTimeoutMs;
  }
}

/** One pass of one phase of a stack's operation. */
class OperationRun<R extends CloudFormationRepositories, S> {
  private readonly operation: NonNullable<Stack['operation']>;
  private evaluatedTemplate: EvaluatedTemplate | undefined;

  constructor(
    private readonly engine: StackEngine<R, S>,
    private readonly options: StackEngineOptions<R, S>,
    private stack: Stack,
    private readonly owner: string,
  ) {
    if (stack.operation === undefined) throw new Error('no operation');
    this.operation = stack.operation;
  }

  private get now(): Date {
    return this.options.clock.now();
  }

  private get repo(): CloudFormationRepository {
    return this.options.uow.repositories.cloudformation;
  }

  /** A transaction that first checks that this process still holds the stack's lease. */
  private tx<T>(work: (within: R) => Promise<T>): Promise<T> {
    return this.options.uow.transaction(async (within) => {
      if (!(await within.cloudformation.holdsLease(this.stack.stackId, this.owner, this.now))) {
        throw new LeaseLostError();
      }
      return work(within);
    });
  }

  private event(
    fields: Omit<StackEvent, 'eventId' | 'stackId' | 'stackName' | 'sortKey' | 'timestamp'>,
  ): StackEvent {
    const at = this.now;
    return {
      eventId: randomUUID(),
      stackId: this.stack.stackId,
      stackName: this.stack.name,
      sortKey: eventSortKey(at),
      timestamp: at,
      ...fields,
      ...(this.operation.clientRequestToken !== undefined
        ? { clientRequestToken: this.operation.clientRequestToken }
        : {}),
    };
  }

  private stackEvent(status: StackStatus, reason?: string): StackEvent {
    return this.event({
      logicalId: this.stack.name,
      physicalId: this.stack.stackId,
      resourceType: STACK_TYPE,
      status,
      ...(reason !== undefined ? { reason } : {}),
    });
  }

  private resourceEvent(
    row: { logicalId: string; type: string; physicalId?: string },
    status: ResourceStatus,
    reason?: string,
    properties?: Record<string, unknown>,
  ): StackEvent {
    return this.event({
      logicalId: row.logicalId,
      ...(row.physicalId !== undefined ? { physicalId: row.physicalId } : {}),
      resourceType: row.type,
      status,
      ...(reason !== undefined && reason !== '' ? { reason } : {}),
      ...(properties !== undefined ? { properties: JSON.stringify(properties) } : {}),
    });
  }

  private evaluated(): EvaluatedTemplate {
    if (this.evaluatedTemplate === undefined) {
      const body = this.stack.templateBody;
      if (body === undefined) throw new Error(`stack ${this.stack.stackId} has no template`);
      this.evaluatedTemplate = evaluateTemplate(
        templateOf(body),
        this.operation.parameterValues,
        this.identity(),
      );
    }
    return this.evaluatedTemplate;
  }

  private identity() {
    return {
      accountId: this.stack.accountId,
      region: this.stack.region,
      stackName: this.stack.name,
      stackId: this.stack.stackId,
      notificationArns: this.stack.notificationArns,
    };
  }

  private async rows(): Promise<Map<string, StackResource>> {
    return new Map((await this.repo.listResources(this.stack.stackId)).map((r) => [r.logicalId, r]));
  }

  private async values(
    evaluated: EvaluatedTemplate,
    rows: ReadonlyMap<string, StackResource>,
  ): Promise<StackValues> {
    const exports = new Map<string, string>();
    for (const name of importNames(evaluated)) {
      const found = await this.repo.findExport(this.stack.accountId, this.stack.region, name);
      if (found !== undefined) exports.set(name, found.value);
    }
    const declared = new Map(evaluated.template.resources.map((r) => [r.logicalId, r]));
    return {
      resources: resourceValues(rows, this.options.providers, declared),
      importValue: importLookup(exports),
    };
  }

  private provider(type: string): AnyResourceProvider {
    const provider = this.options.providers.get(type);
    if (provider === undefined) throw new ResourceFailure(`Resource type ${type} is not supported.`);
    return provider;
  }

  private context(within: R, logicalId: string): ProviderContext<S> {
    const { stack } = this;
    return {
      scope: { accountId: stack.accountId, region: stack.region, principalArn: this.operation.principalArn },
      stackId: stack.stackId,
      stackName: stack.name,
      logicalId,
      services: this.options.servicesOn(within),
      records: {
        holder: (type, physicalId, { regional }) =>
          within.cloudformation.findResourceHolder({
            accountId: stack.accountId,
            ...(regional ? { region: stack.region } : {}),
            type,
            physicalId,
            except: { stackId: stack.stackId, logicalId },
          }),
      },
      clock: this.options.clock,
    };
  }

  /** A failure as the resource's status reason: CloudFormation's own words, or the service's message. */
  private reason(error: unknown): string {
    if (error instanceof ResourceFailure || error instanceof TemplateError) return error.message;
    if (isAppError(error)) {
      return `Resource handler returned message: "${error.message}" (RequestToken: ${randomUUID()}, HandlerErrorCode: ${HANDLER_ERROR_CODES[error.kind]})`;
    }
    this.options.logger.error(
      { err: error, stack: this.stack.stackId },
      'resource handler failed unexpectedly',
    );
    return 'Internal Failure';
  }

  private async pause(): Promise<void> {
    if (this.options.stepDelayMs !== undefined && this.options.stepDelayMs > 0)
      await sleep(this.options.stepDelayMs);
    if (this.options.shouldStop?.() === true) throw new StopRequested();
  }

  /** Moves the stack to a new status (and phase, or to rest when `phase` is null), with its event. */
  private async transition(
    status: StackStatus,
    reason: string | undefined,
    phase: NonNullable<Stack['operation']>['phase'] | null,
    extra: (within: R, stack: Stack) => Promise<void> = async () => {},
  ): Promise<void> {
    await this.tx(async (within) => {
      const stack: Stack = { ...this.stack, status };
      if (reason === undefined) delete stack.statusReason;
      else stack.statusReason = reason;
      if (phase === null) delete stack.operation;
      else stack.operation = { ...this.operation, phase };
      await extra(within, stack);
      await within.cloudformation.saveStack(stack);
      await within.cloudformation.insertEvents([this.stackEvent(status, reason)]);
      if (phase === null && this.operation.changeSetId !== undefined) {
        const changeSet = await within.cloudformation.findChangeSet(this.operation.changeSetId);
        if (changeSet !== undefined) {
          const succeeded = status === 'CREATE_COMPLETE' || status === 'UPDATE_COMPLETE';
          await within.cloudformation.saveChangeSet({
            ...changeSet,
            executionStatus: succeeded ? 'EXECUTE_COMPLETE' : 'EXECUTE_FAILED',
          });
        }
      }
      this.stack = stack;
    });
  }

  private async clearActions(within: R, keep: (row: StackResource) => boolean = () => true): Promise<void> {
    for (const row of await within.cloudformation.listResources(this.stack.stackId)) {
      if (!keep(row)) {
        await within.cloudformation.deleteResource(row.stackId, row.logicalId);
      } else if (row.action !== undefined || row.previous !== undefined || row.deleteRequested) {
        await within.cloudformation.saveResource(withoutAction(row));
      }
    }
  }

  // Create and update: resources in dependency order

  async forward(): Promise<void> {
    const evaluated = this.evaluated();
    const settled = new Set<string>();
    for (;;) {
      const rows = await this.rows();
      const failed = [...rows.values()].filter(
        (r) => r.action !== undefined && (r.status === 'CREATE_FAILED' || r.status === 'UPDATE_FAILED'),
      );
      if (failed.length > 0) return this.failForward(failed);
      const values = await this.values(evaluated, rows);
      const ready: Array<{ resource: ResourceDeclaration; decision: Decision; row?: StackResource }> = [];
      // Resources left as they are settle at once and may unblock others: look until nothing moves.
      for (let moved = true; moved; ) {
        moved = false;
        for (const resource of evaluated.plan.resources) {
          const id = resource.logicalId;
          if (settled.has(id) || ready.some((r) => r.resource.logicalId === id)) continue;
          const row = rows.get(id);
          if (
            row?.action !== undefined &&
            (row.status === 'CREATE_COMPLETE' || row.status === 'UPDATE_COMPLETE')
          ) {
            settled.add(id);
            moved = true;
            continue;
          }
          const dependencies = evaluated.plan.dependencies.get(id) ?? new Set<string>();
          if (![...dependencies].every((d) => settled.has(d))) continue;
          const decision = this.decide(evaluated, resource, row, values);
          if (decision.kind === 'noop') {
            settled.add(id);
            moved = true;
            await this.refreshPolicies(evaluated, resource, row);
            continue;
          }
          ready.push({ resource, decision, ...(row !== undefined ? { row } : {}) });
        }
      }
      if (evaluated.plan.resources.every((r) => settled.has(r.logicalId)))
        return this.finishForward(evaluated, rows);
      if (ready.length === 0) throw new Error(`stack ${this.stack.stackId}: no resource can proceed`);
      await Promise.all(
        ready.map(({ resource, decision, row }) => this.apply(evaluated, resource, decision, row)),
      );
      await this.pause();
    }
  }

  private decide(
    evaluated: EvaluatedTemplate,
    resource: ResourceDeclaration,
    row: StackResource | undefined,
    values: StackValues,
  ): Decision {
    const creating = row === undefined || row.physicalId === undefined || row.action === 'create';
    let properties: Record<string, unknown>;
    try {
      properties = evaluateProperties(evaluated, resource, values);
    } catch (error) {
      return { kind: 'fail', reason: this.reason(error), creating };
    }
    if (creating || row === undefined) return { kind: 'create', properties };
    if (row.action === 'replace' || row.action === 'update') return { kind: row.action, properties };
    const provider = this.options.providers.get(resource.type);
    if (provider === undefined)
      return { kind: 'fail', reason: `Resource type ${resource.type} is not supported.`, creating };
    if (row.type !== resource.type) return { kind: 'replace', properties };
    const changed = changedProperties(row.properties, properties);
    if (changed.length === 0) return { kind: 'noop', properties };
    if (!requiresReplacement(provider, changed)) return { kind: 'update', properties };
    const identity = provider.identity ?? [];
    if (
      identity.length > 0 &&
      identity.every((name) => properties[name] !== undefined && !changed.includes(name))
    ) {
      return {
        kind: 'fail',
        creating: false,
        reason: `CloudFormation cannot update a stack when a custom-named resource requires replacing. Rename ${identity
          .map((name) => String(properties[name]))
          .join('|')} and update the stack again.`,
      };
    }
    return { kind: 'replace', properties };
  }

  /** A resource left as it is may still get a new DeletionPolicy or UpdateReplacePolicy. */
  private async refreshPolicies(
    evaluated: EvaluatedTemplate,
    resource: ResourceDeclaration,
    row: StackResource | undefined,
  ): Promise<void> {
    if (row === undefined) return;
    let deletionPolicy: string | undefined;
    let updateReplacePolicy: string | undefined;
    try {
      deletionPolicy = evaluatePolicy(evaluated, resource, 'deletionPolicy');
      updateReplacePolicy = evaluatePolicy(evaluated, resource, 'updateReplacePolicy');
    } catch {
      return;
    }
    if (row.deletionPolicy === deletionPolicy && row.updateReplacePolicy === updateReplacePolicy) return;
    await this.tx(async (within) => {
      const updated: StackResource = { ...row };
      if (deletionPolicy === undefined) delete updated.deletionPolicy;
      else updated.deletionPolicy = deletionPolicy;
      if (updateReplacePolicy === undefined) delete updated.updateReplacePolicy;
      else updated.updateReplacePolicy = updateReplacePolicy;
      await within.cloudformation.saveResource(updated);
    });
  }

  /** Creates, updates or replaces one resource: in progress, then the service call and its outcome. */
  private async apply(
    evaluated: EvaluatedTemplate,
    resource: ResourceDeclaration,
    decision: Decision,
    row: StackResource | undefined,
  ): Promise<void> {
    const { logicalId, type } = resource;
    const base: StackResource = row ?? {
      stackId: this.stack.stackId,
      logicalId,
      type,
      status: 'CREATE_IN_PROGRESS',
      properties: {},
      attributes: {},
      updatedAt: this.now,
    };
    if (resource.metadata !== undefined) base.metadata = resource.metadata;
    if (decision.kind === 'fail') {
      await this.recordFailure(
        base,
        decision.creating ? 'CREATE_FAILED' : 'UPDATE_FAILED',
        decision.reason,
        decision.creating ? 'create' : (row?.action ?? 'update'),
      );
      return;
    }
    if (decision.kind === 'noop') return;
    const kind = decision.kind;
    const { properties } = decision;
    const inProgress: ResourceStatus = kind === 'create' ? 'CREATE_IN_PROGRESS' : 'UPDATE_IN_PROGRESS';
    const resuming = row?.action === kind && row.status === inProgress;
    let marked: StackResource = base;
    if (!resuming) {
      marked = {
        ...base,
        type: kind === 'replace' ? base.type : type,
        status: inProgress,
        action: kind,
        updatedAt: this.now,
        ...(kind !== 'create' && row !== undefined ? { previous: snapshot(row) } : {}),
      };
      delete marked.statusReason;
      await this.tx(async (within) => {
        await within.cloudformation.saveResource(marked);
        await within.cloudformation.insertEvents([
          this.resourceEvent(marked, inProgress, kind === 'replace' ? REPLACING : undefined, properties),
        ]);
      });
    }
    let deletionPolicy: string | undefined;
    let updateReplacePolicy: string | undefined;
    try {
      deletionPolicy = evaluatePolicy(evaluated, resource, 'deletionPolicy');
      updateReplacePolicy = evaluatePolicy(evaluated, resource, 'updateReplacePolicy');
      const provider = this.provider(type);
      checkProperties(provider, logicalId, properties);
      await this.tx(async (within) => {
        const ctx = this.context(within, logicalId);
        let done: StackResource;
        if (kind === 'update') {
          const previous = marked.previous ?? snapshot(marked);
          const attributes = await provider.update?.(ctx, stateOf(previous), properties);
          done = {
            ...marked,
            properties,
            attributes: { ...previous.attributes, ...attributes },
            status: 'UPDATE_COMPLETE',
          };
        } else {
          const created = await provider.create(ctx, properties);
          done = {
            ...marked,
            type,
            physicalId: created.physicalId,
            properties,
            attributes: created.attributes,
            status: kind === 'create' ? 'CREATE_COMPLETE' : 'UPDATE_COMPLETE',
          };
        }
        if (deletionPolicy === undefined) delete done.deletionPolicy;
        else done.deletionPolicy = deletionPolicy;
        if (updateReplacePolicy === undefined) delete done.updateReplacePolicy;
        else done.updateReplacePolicy = updateReplacePolicy;
        done.updatedAt = this.now;
        await within.cloudformation.saveResource(done);
        const events =
          kind === 'update'
            ? [this.resourceEvent(done, 'UPDATE_COMPLETE')]
            : [
                this.resourceEvent(done, inProgress, INITIATED),
                this.resourceEvent(done, kind === 'create' ? 'CREATE_COMPLETE' : 'UPDATE_COMPLETE'),
              ];
        await within.cloudformation.insertEvents(events);
      });
    } catch (error) {
      if (error instanceof LeaseLostError) throw error;
      await this.recordFailure(
        marked,
        kind === 'create' ? 'CREATE_FAILED' : 'UPDATE_FAILED',
        this.reason(error),
        kind,
      );
    }
  }

  private async recordFailure(
    row: StackResource,
    status: 'CREATE_FAILED' | 'UPDATE_FAILED',
    reason: string,
    action: StackResource['action'],
  ): Promise<void> {
    await this.tx(async (within) => {
      // An update or replacement that failed leaves the resource as it was.
      const failed: StackResource = { ...row, status, statusReason: reason, updatedAt: this.now };
      if (action !== undefined) failed.action = action;
      await within.cloudformation.saveResource(failed);
      await within.cloudformation.insertEvents([this.resourceEvent(failed, status, reason)]);
    });
  }

  private failureReason(failed: readonly StackResource[], tail: string): string {
    const created = failed.filter((r) => r.status === 'CREATE_FAILED').map((r) => r.logicalId);
    const updated = failed.filter((r) => r.status === 'UPDATE_FAILED').map((r) => r.logicalId);
    const parts = [
      created.length > 0 ? `The following resource(s) failed to create: [${created.join(', ')}].` : '',
      updated.length > 0 ? `The following resource(s) failed to update: [${updated.join(', ')}].` : '',
    ].filter((p) => p !== '');
    return `${parts.join(' ')} ${tail}`.trimEnd();
  }

  private async failForward(failed: readonly StackResource[], reason?: string): Promise<void> {
    const failedIds = failed.map((r) => r.logicalId);
    const operation = { ...this.operation, failedResources: failedIds };
    this.stack = { ...this.stack, operation };
    Object.assign(this.operation, operation);
    if (this.operation.kind === 'CREATE') {
      if (this.operation.onFailure === 'DO_NOTHING') {
        await this.transition('CREATE_FAILED', reason ?? this.failureReason(failed, ''), null, (within) =>
          this.clearActions(within),
        );
      } else if (this.operation.onFailure === 'DELETE') {
        await this.transition(
          'DELETE_IN_PROGRESS',
          reason ?? this.failureReason(failed, 'Delete requested by user.'),
          'delete',
        );
      } else {
        await this.transition(
          'ROLLBACK_IN_PROGRESS',
          reason ?? this.failureReason(failed, 'Rollback requested by user.'),
          'rollback',
        );
      }
      return;
    }
    if (this.stack.disableRollback) {
      // Kept as it is, but the physical resources that replacements made obsolete go, or they would be orphans.
      await this.transition('UPDATE_IN_PROGRESS', reason ?? this.failureReason(failed, ''), 'cleanup');
      return;
    }
    await this.transition(
      'UPDATE_ROLLBACK_IN_PROGRESS',
      reason ?? this.failureReason(failed, ''),
      'rollback',
    );
  }

  private async finishForward(
    evaluated: EvaluatedTemplate,
    rows: ReadonlyMap<string, StackResource>,
  ): Promise<void> {
    let outputs: StackOutput[];
    try {
      outputs = evaluateOutputs(evaluated, await this.values(evaluated, rows));
    } catch (error) {
      return this.failForward([], this.reason(error));
    }
    const { accountId, region, stackId } = this.stack;
    const exports: StackExport[] = outputs.flatMap((o) =>
      o.exportName === undefined ? [] : [{ accountId, region, name: o.exportName, value: o.value, stackId }],
    );
    for (const e of exports) {
      const existing = await this.repo.findExport(accountId, region, e.name);
      if (existing !== undefined && existing.stackId !== stackId) {
        const holder = await this.repo.findStack(existing.stackId);
        return this.failForward(
          [],
          `Export with name ${e.name} is already exported by stack ${holder?.name ?? existing.stackId}. Rollback requested by user.`,
        );
      }
    }
    const current = await this.repo.exportsOf(stackId);
    const gone = current.filter((c) => !exports.some((e) => e.name === c.name && e.value === c.value));
    const importers = await this.repo.findImporters(
      accountId,
      region,
      gone.map((g) => g.name),
      stackId,
    );
    const first = importers[0];
    if (first !== undefined) {
      const removed = !exports.some((e) => e.name === first.exportName);
      return this.failForward(
        [],
        removed
          ? `Export ${first.exportName} cannot be deleted as it is in use by ${first.stackName}`
          : `Cannot update export ${first.exportName} as it is in use by ${first.stackName}`,
      );
    }
    if (this.operation.kind === 'CREATE') {
      await this.transition('CREATE_COMPLETE', undefined, null, async (within, stack) => {
        stack.outputs = outputs;
        await within.cloudformation.replaceExports(stackId, exports);
        await this.clearActions(within);
      });
      return;
    }
    await this.transition(
      'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS',
      undefined,
      'cleanup',
      async (within, stack) => {
        stack.outputs = outputs;
        await within.cloudformation.replaceExports(stackId, exports);
      },
    );
  }

  // Deletion: the whole stack, or a failed creation's rollback

  async deleteAll(mode: 'rollback' | 'delete'): Promise<void> {
    const { accountId, region, stackId } = this.stack;
    if (mode === 'delete') {
      const exported = await this.repo.exportsOf(stackId);
      const importers = await this.repo.findImporters(
        accountId,
        region,
        exported.map((e) => e.name),
        stackId,
      );
      const first = importers[0];
      if (first !== undefined) {
        await this.transition(
          'DELETE_FAILED',
          `Export ${first.exportName} cannot be deleted as it is in use by ${first.stackName}`,
          null,
          (within) => this.clearActions(within),
        );
        return;
      }
    }
    const dependencies = this.dependencyGraph([this.stack.templateBody], [this.operation.parameterValues]);
    const retain = (row: StackResource): boolean => {
      if (mode === 'delete') {
        return (
          row.deletionPolicy === 'Retain' ||
          row.deletionPolicy === 'RetainExceptOnCreate' ||
          (this.operation.retainResources ?? []).includes(row.logicalId)
        );
      }
      return row.deletionPolicy === 'Retain' && this.operation.retainExceptOnCreate !== true;
    };
    const failed = await this.deleteInOrder(
      dependencies,
      (rows) =>
        [...rows.values()].filter((r) => r.status !== 'DELETE_COMPLETE' && r.status !== 'DELETE_SKIPPED'),
      (row) => ({ target: stateOf(row), retain: retain(row), removeRow: false }),
    );
    if (mode === 'rollback') {
      if (failed.length > 0) {
        await this.transition(
          'ROLLBACK_FAILED',
          `The following resource(s) failed to delete: [${failed.join(', ')}]. `,
          null,
          (within) => this.clearActions(within),
        );
        return;
      }
      if (this.operation.onFailure === 'DELETE') {
        await this.transition('DELETE_IN_PROGRESS', undefined, 'delete');
        return;
      }
      await this.transition('ROLLBACK_COMPLETE', undefined, null, async (within) => {
        await this.clearActions(within);
        await within.cloudformation.replaceImports(stackId, accountId, region, []);
      });
      return;
    }
    if (failed.length > 0) {
      await this.transition(
        'DELETE_FAILED',
        `The following resource(s) failed to delete: [${failed.join(', ')}]. `,
        null,
        (within) => this.clearActions(within),
      );
      return;
    }
    await this.transition('DELETE_COMPLETE', undefined, null, async (within, stack) => {
      stack.deletedAt = this.now;
      await this.clearActions(within);
      await within.cloudformation.replaceExports(stackId, []);
      await within.cloudformation.replaceImports(stackId, accountId, region, []);
      await within.cloudformation.deleteOtherChangeSets(stackId, '');
    });
  }

  /** Who depends on whom, under the given templates (current, and the previous one of an update). */
  private dependencyGraph(
    bodies: ReadonlyArray<string | undefined>,
    parameterValues: ReadonlyArray<Record<string, string | string[]>>,
  ): Map<string, Set<string>> {
    const graph = new Map<string, Set<string>>();
    bodies.forEach((body, i) => {
      if (body === undefined) return;
      try {
        const evaluated = evaluateTemplate(templateOf(body), parameterValues[i] ?? {}, this.identity());
        for (const [id, deps] of evaluated.plan.dependencies) {
          const set = graph.get(id) ?? new Set<string>();
          for (const d of deps) set.add(d);
          graph.set(id, set);
        }
      } catch {
        // A template that no longer evaluates gives no order; resources are then deleted as found.
      }
    });
    return graph;
  }

  /**
   * Deletes what `pick` selects, a resource only once nothing selected still depends on it; returns
   * the logical IDs that failed to delete.
   */
  private async deleteInOrder(
    dependencies: ReadonlyMap<string, ReadonlySet<string>>,
    pick: (rows: ReadonlyMap<string, StackResource>) => StackResource[],
    plan: (row: StackResource) => {
      target: ResourceState;
      retain: boolean;
      removeRow: boolean;
      type?: string;
    },
  ): Promise<string[]> {
    const failed = new Set<string>();
    for (;;) {
      const rows = await this.rows();
      const remaining = pick(rows).filter((r) => !failed.has(r.logicalId));
      if (remaining.length === 0) return [...failed];
      const remainingIds = new Set(remaining.map((r) => r.logicalId));
      const blockedByFailure = (id: string) => [...failed].some((f) => dependencies.get(f)?.has(id));
      const ready = remaining.filter(
        (row) =>
          ![...remainingIds].some(
            (other) => other !== row.logicalId && dependencies.get(other)?.has(row.logicalId),
          ) && !blockedByFailure(row.logicalId),
      );
      if (ready.length === 0) {
        // What is left depends on something that failed to delete: it stays, and so fails too.
        for (const row of remaining) failed.add(row.logicalId);
        continue;
      }
      const outcomes = await Promise.all(ready.map((row) => this.deleteOne(row, plan(row))));
      outcomes.forEach((ok, i) => {
        const row = ready[i];
        if (!ok && row !== undefined) failed.add(row.logicalId);
      });
      await this.pause();
    }
  }

  /** Deletes one resource (or its previous physical resource); whether it went (or was kept). */
  private async deleteOne(
    row: StackResource,
    how: { target: ResourceState; retain: boolean; removeRow: boolean; type?: string },
  ): Promise<boolean> {
    const type = how.type ?? row.type;
    const shown = {
      logicalId: row.logicalId,
      type,
      ...(how.target.physicalId !== '' ? { physicalId: how.target.physicalId } : {}),
    };
    const finish = async (within: R, status: 'DELETE_COMPLETE' | 'DELETE_SKIPPED') => {
      if (how.removeRow) {
        await within.cloudformation.deleteResource(row.stackId, row.logicalId);
      } else if (row.previous !== undefined && how.target.physicalId === row.previous.physicalId) {
        // Only the previous physical resource went: the resource itself stays.
        const { previous: _p, deleteRequested: _d, ...rest } = row;
        await within.cloudformation.saveResource({ ...rest, updatedAt: this.now });
      } else {
        const { deleteRequested: _d, ...rest } = row;
        await within.cloudformation.saveResource({ ...rest, status, updatedAt: this.now });
      }
      await within.cloudformation.insertEvents([this.resourceEvent(shown, status)]);
    };
    // A resource that never came to exist has nothing to delete.
    if (
      how.target.physicalId === '' ||
      row.status === 'CREATE_FAILED' ||
      (row.status === 'CREATE_IN_PROGRESS' && row.physicalId === undefined)
    ) {
      await this.tx((within) => finish(within, 'DELETE_COMPLETE'));
      return true;
    }
    if (how.retain) {
      await this.tx((within) => finish(within, 'DELETE_SKIPPED'));
      return true;
    }
    const provider = this.options.providers.get(type);
    try {
      if (provider === undefined) throw new ResourceFailure(`Resource type ${type} is not supported.`);
      if (!row.deleteRequested) {
        await this.tx(async (within) => {
          await within.cloudformation.insertEvents([this.resourceEvent(shown, 'DELETE_IN_PROGRESS')]);
          if (how.target.physicalId === row.physicalId && !how.removeRow) {
            await within.cloudformation.saveResource({
              ...row,
              status: 'DELETE_IN_PROGRESS',
              updatedAt: this.now,
            });
          }
        });
        await this.tx(async (within) => {
          await provider.delete(this.context(within, row.logicalId), how.target);
          if (provider.isDeleted === undefined) {
            await finish(within, 'DELETE_COMPLETE');
          } else {
            const status =
              how.target.physicalId === row.physicalId && !how.removeRow ? 'DELETE_IN_PROGRESS' : row.status;
            await within.cloudformation.saveResource({
              ...row,
              status,
              deleteRequested: true,
              updatedAt: this.now,
            });
          }
        });
        if (provider.isDeleted === undefined) return true;
      }
      // The service finishes the deletion later (a Deleting phase): wait for it, outside any transaction.
      const deadline = Date.now() + this.engine.timeoutMs;
      const isDeleted = provider.isDeleted;
      if (isDeleted === undefined) return true;
      for (;;) {
        const gone = await this.options.uow.transaction((within) =>
          isDeleted.call(provider, this.context(within, row.logicalId), how.target),
        );
        if (gone) break;
        if (Date.now() > deadline)
          throw new ResourceFailure(`Timed out waiting for ${type} ${how.target.physicalId} to be deleted.`);
        await sleep(this.engine.pollMs);
      }
      const fresh = (await this.rows()).get(row.logicalId) ?? row;
      await this.tx(async (within) => {
        const { deleteRequested: _d, ...rest } = fresh;
        row = rest;
        await finish(within, 'DELETE_COMPLETE');
      });
      return true;
    } catch (error) {
      if (error instanceof LeaseLostError) throw error;
      const reason = this.reason(error);
      await this.tx(async (within) => {
        if (how.target.physicalId === row.physicalId && !how.removeRow) {
          const { deleteRequested: _d, ...rest } = row;
          await within.cloudformation.saveResource({
            ...rest,
            status: 'DELETE_FAILED',
            statusReason: reason,
            updatedAt: this.now,
          });
        }
        await within.cloudformation.insertEvents([this.resourceEvent(shown, 'DELETE_FAILED', reason)]);
      });
      return false;
    }
  }

  // Update: rollback and cleanup

  async rollbackUpdate(): Promise<void> {
    const rows = await this.rows();
    const failed: string[] = [];
    for (const row of [...rows.values()].reverse()) {
      const previous = row.previous;
      if (row.action === 'update' && previous !== undefined) {
        if (row.status !== 'UPDATE_COMPLETE') {
          await this.tx((within) =>
            within.cloudformation.saveResource({
              ...withoutAction(row),
              ...restoreFrom(previous),
              status: 'UPDATE_COMPLETE',
              updatedAt: this.now,
            }),
          );
          continue;
        }
        const restored = { ...withoutAction(row), ...restoreFrom(previous), updatedAt: this.now };
        try {
          await this.tx(async (within) => {
            await within.cloudformation.insertEvents([this.resourceEvent(restored, 'UPDATE_IN_PROGRESS')]);
          });
          await this.tx(async (within) => {
            const provider = this.provider(row.type);
            const attributes = await provider.update?.(
              this.context(within, row.logicalId),
              stateOf(row),
              previous.properties,
            );
            const done: StackResource = {
              ...restored,
              attributes: { ...previous.attributes, ...attributes },
              status: 'UPDATE_COMPLETE',
            };
            await within.cloudformation.saveResource(done);
            await within.cloudformation.insertEvents([this.resourceEvent(done, 'UPDATE_COMPLETE')]);
          });
        } catch (error) {
          if (error instanceof LeaseLostError) throw error;
          failed.push(row.logicalId);
          const reason = this.reason(error);
          await this.tx(async (within) => {
            await within.cloudformation.saveResource({
              ...row,
              status: 'UPDATE_FAILED',
              statusReason: reason,
              updatedAt: this.now,
            });
            await within.cloudformation.insertEvents([this.resourceEvent(row, 'UPDATE_FAILED', reason)]);
          });
        }
      } else if (row.action === 'replace' && previous !== undefined) {
        if (row.status !== 'UPDATE_COMPLETE') {
          // The new physical resource was never made: the old one is still the resource.
          await this.tx((within) =>
            within.cloudformation.saveResource({
              ...withoutAction(row),
              ...restoreFrom(previous),
              status: 'UPDATE_COMPLETE',
              updatedAt: this.now,
            }),
          );
          continue;
        }
        // Back to the old physical resource; the new one is removed in the cleanup.
        const restored: StackResource = {
          ...row,
          ...restoreFrom(previous),
          status: 'UPDATE_COMPLETE',
          action: 'restore',
          previous: snapshot(row),
          updatedAt: this.now,
        };
        await this.tx(async (within) => {
          await within.cloudformation.saveResource(restored);
          await within.cloudformation.insertEvents([
            this.resourceEvent(restored, 'UPDATE_IN_PROGRESS'),
            this.resourceEvent(restored, 'UPDATE_COMPLETE'),
          ]);
        });
      }
    }
    if (failed.length > 0) {
      await this.transition(
        'UPDATE_ROLLBACK_FAILED',
        `The following resource(s) failed to update: [${failed.join(', ')}]. `,
        null,
        (within) => this.clearActions(within),
      );
      return;
    }
    await this.transition('UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS', undefined, 'rollback-cleanup');
  }

  /**
   * After an update (or its rollback): deletes the physical resources that replacements made
   * obsolete and the resources the template no longer has (or, after a rollback, those the update
   * had added), dependents first.
   */
  async cleanup(rollback: boolean): Promise<void> {
    const previous = this.operation.previous;
    const evaluated = rollback ? undefined : this.evaluated();
    const inTemplate = new Set(evaluated?.plan.resources.map((r) => r.logicalId) ?? []);
    const failedUpdate = !rollback && this.operation.failedResources !== undefined;
    const dependencies = this.dependencyGraph(
      [this.stack.templateBody, previous?.templateBody],
      [this.operation.parameterValues, previous?.parameterValues ?? {}],
    );
    const removes = (row: StackResource): boolean =>
      rollback ? row.action === 'create' : !failedUpdate && !inTemplate.has(row.logicalId);
    const obsolete = (row: StackResource): boolean =>
      row.previous !== undefined && (rollback ? row.action === 'restore' : row.action === 'replace');
    const cleanupFailures = await this.deleteInOrder(
      dependencies,
      (rows) => [...rows.values()].filter((r) => removes(r) || obsolete(r)),
      (row) => {
        if (removes(row)) {
          return {
            target: stateOf(row),
            retain:
              !rollback && (row.deletionPolicy === 'Retain' || row.deletionPolicy === 'RetainExceptOnCreate'),
            removeRow: true,
          };
        }
        const old = row.previous as ResourceSnapshot;
        return {
          target: stateOf(old),
          retain: !rollback && old.updateReplacePolicy === 'Retain',
          removeRow: false,
          type: old.type,
        };
      },
    );
    if (cleanupFailures.length > 0) {
      this.options.logger.warn(
        { stack: this.stack.stackId, resources: cleanupFailures },
        'stack cleanup left resources it could not delete',
      );
    }
    const { accountId, region, stackId } = this.stack;
    if (rollback && previous !== undefined) {
      await this.transition('UPDATE_ROLLBACK_COMPLETE', undefined, null, async (within, stack) => {
        stack.templateBody = previous.templateBody;
        stack.parameters = previous.parameters;
        stack.outputs = previous.outputs;
        stack.capabilities = previous.capabilities;
        stack.tags = previous.tags;
        if (previous.description === undefined) delete stack.description;
        else stack.description = previous.description;
        await within.cloudformation.replaceExports(
          stackId,
          previous.outputs.flatMap((o) =>
            o.exportName === undefined
              ? []
              : [{ accountId, region, name: o.exportName, value: o.value, stackId }],
          ),
        );
        await within.cloudformation.replaceImports(stackId, accountId, region, previous.imports);
        await this.clearActions(within);
      });
      return;
    }
    const imports = evaluated === undefined ? [] : importNames(evaluated);
    const final: StackStatus = failedUpdate ? 'UPDATE_FAILED' : 'UPDATE_COMPLETE';
    // A failed update without rollback keeps what the previous template imported as well.
    const kept = failedUpdate ? [...imports, ...(previous?.imports ?? [])] : imports;
    await this.transition(final, failedUpdate ? this.stack.statusReason : undefined, null, async (within) => {
      await within.cloudformation.replaceImports(stackId, accountId, region, kept);
      await this.clearActions(within);
    });
  }
}

const restoreFrom = (previous: ResourceSnapshot): Partial<StackResource> => ({
  type: previous.type,
  physicalId: previous.physicalId,
  properties: previous.properties,
  attributes: previous.attributes,
  ...(previous.deletionPolicy !== undefined ? { deletionPolicy: previous.deletionPolicy } : {}),
  ...(previous.updateReplacePolicy !== undefined
    ? { updateReplacePolicy: previous.updateReplacePolicy }
    : {}),
});

/** The checks every resource type's handler makes first: known properties, required ones present. */
export const checkProperties = (
  provider: AnyResourceProvider,
  logicalId: string,
  properties: Record<string, unknown>,
): void => {
  for (const name of Object.keys(properties)) {
    if (provider.properties[name] === undefined)
      throw new ResourceFailure(`Encountered unsupported property ${name}`);
  }
  for (const [name, spec] of Object.entries(provider.properties)) {
    if (spec.required === true && (properties[name] === undefined || properties[name] === null)) {
      throw propertiesValidationFailed(logicalId, `#: required key [${name}] not found`);
    }
  }
};
