import { randomUUID } from 'node:crypto';
import type { Clock } from '../../core/clock.js';
import { AppError, ConflictError, NotFoundError, ValidationError } from '../../core/errors.js';
import { decodePageToken, encodePageToken, type Page } from '../../core/pagination.js';
import type { Scope } from '../../core/scope.js';
import type { UnitOfWork } from '../../core/unit-of-work.js';
import type { CloudFormationRepository } from './cloudformation.repository.js';
import {
  type Capability,
  type ChangeSet,
  isInProgress,
  type OnFailure,
  type Stack,
  type StackEvent,
  type StackExport,
  type StackOperation,
  type StackResource,
  type StackStatus,
  type Tag,
  UPDATABLE_STATUSES,
} from './cloudformation.types.js';
import { eventSortKey } from './event-order.js';
import type { ProviderRegistry } from './resource-providers.js';
import { computeChanges, type StackChanges } from './stack-changes.js';
import {
  type EvaluatedTemplate,
  evaluateExportNames,
  evaluateTemplate,
  importLookup,
  importNames,
  resourceValues,
  templateOf,
} from './stack-evaluation.js';
import type { StackOperationsPort } from './stack-operations.js';
import { isListParameterType, type ParameterDeclaration, type Template } from './template.js';
import { analyzeTemplate, type TemplateSummary } from './template-analysis.js';
import { type GivenParameter, resolveParameters, type StackParameter } from './template-parameters.js';

/**
 * The CloudFormation API's use cases: checks a template and its parameters before anything starts
 * (so that a bad template is a ValidationError of the call, as AWS's), records the stack with its
 * operation and first event, and hands the operation to the background runner. Reads answer from
 * what the stacks record.
 */

export interface CloudFormationRepositories {
  cloudformation: CloudFormationRepository;
}

export interface CloudFormationServiceOptions {
  uow: UnitOfWork<CloudFormationRepositories>;
  providers: ProviderRegistry;
  operations: StackOperationsPort;
  clock: Clock;
  /**
   * How long DescribeStacks of a stack waits for its operation running here to end. The CLI's and
   * SDK's waiters poll at once and then every 30 seconds: answered when the operation has ended,
   * their first poll sees the outcome.
   */
  settleMs?: number;
}

export interface TemplateSource {
  templateBody?: string;
  templateUrl?: string;
}

export interface CreateStackRequest extends TemplateSource {
  stackName: string;
  parameters?: GivenParameter[];
  capabilities?: Capability[];
  disableRollback?: boolean;
  onFailure?: OnFailure;
  tags?: Tag[];
  notificationArns?: string[];
  roleArn?: string;
  timeoutInMinutes?: number;
  enableTerminationProtection?: boolean;
  retainExceptOnCreate?: boolean;
  clientRequestToken?: string;
}

export interface UpdateStackRequest extends TemplateSource {
  stackName: string;
  usePreviousTemplate?: boolean;
  parameters?: GivenParameter[];
  capabilities?: Capability[];
  tags?: Tag[];
  notificationArns?: string[];
  roleArn?: string;
  disableRollback?: boolean;
  retainExceptOnCreate?: boolean;
  clientRequestToken?: string;
}

export interface DeleteStackRequest {
  stackName: string;
  retainResources?: string[];
  clientRequestToken?: string;
}

export interface CreateChangeSetRequest extends TemplateSource {
  stackName: string;
  changeSetName: string;
  changeSetType?: 'CREATE' | 'UPDATE' | 'IMPORT';
  usePreviousTemplate?: boolean;
  parameters?: GivenParameter[];
  capabilities?: Capability[];
  tags?: Tag[];
  notificationArns?: string[];
  roleArn?: string;
  description?: string;
  onStackFailure?: OnFailure;
}

export interface ChangeSetRef {
  changeSetName: string;
  stackName?: string;
}

export interface ExecuteChangeSetRequest extends ChangeSetRef {
  disableRollback?: boolean;
  retainExceptOnCreate?: boolean;
  clientRequestToken?: string;
}

export interface TemplateInfo {
  template: Template;
  summary: TemplateSummary;
}

export interface StackResourceView {
  stack: Stack;
  resource: StackResource;
}

const TEMPLATE_BODY_LIMIT = 51_200;
const STACK_NAME = /^[a-zA-Z][-a-zA-Z0-9]*$/;
const PAGE_SIZE = 100;
const MASK = '****';
const USER_INITIATED = 'User Initiated';

const notFound = (name: string): ValidationError =>
  new ValidationError(`Stack with id ${name} does not exist`, 'STACK_NOT_FOUND');

const changeSetNotFound = (name: string): AppError =>
  new NotFoundError('CHANGE_SET_NOT_FOUND', `ChangeSet [${name}] does not exist`);

const isStackId = (name: string): boolean => name.startsWith('arn:');

/** Ref values of the stack's parameters, from the texts it keeps and the types the template declares. */
export const parameterValuesOf = (
  declarations: readonly ParameterDeclaration[],
  parameters: readonly StackParameter[],
): Record<string, string | string[]> => {
  const values: Record<string, string | string[]> = {};
  for (const parameter of parameters) {
    const declaration = declarations.find((d) => d.key === parameter.key);
    const text = parameter.resolvedValue ?? parameter.value;
    values[parameter.key] =
      declaration !== undefined && isListParameterType(declaration.type)
        ? text.split(',').map((v) => v.trim())
        : text;
  }
  return values;
};

export class CloudFormationService {
  private readonly settleMs: number;

  constructor(private readonly options: CloudFormationServiceOptions) {
    this.settleMs = options.settleMs ?? 10_000;
  }

  private get repo(): CloudFormationRepository {
    return this.options.uow.repositories.cloudformation;
  }

  private get now(): Date {
    return this.options.clock.now();
  }

  // Templates

  private templateBody(source: TemplateSource): string {
    if (source.templateBody !== undefined && source.templateUrl !== undefined) {
      throw new ValidationError('You cannot specify both TemplateBody and TemplateURL.', 'TEMPLATE_SOURCE');
    }
    if (source.templateUrl !== undefined) {
      throw new ValidationError(
        'TemplateURL is not supported: studio-sso has no S3 to read templates from. Pass the template as TemplateBody (aws cloudformation deploy --template-file does).',
        'TEMPLATE_URL_UNSUPPORTED',
      );
    }
    if (source.templateBody === undefined) {
      throw new ValidationError('Either Template URL or Template Body must be specified.', 'TEMPLATE_SOURCE');
    }
    if (Buffer.byteLength(source.templateBody) > TEMPLATE_BODY_LIMIT) {
      throw new ValidationError(
        `1 validation error detected: Value '[templateBody]' at 'templateBody' failed to satisfy constraint: Member must have length less than or equal to ${TEMPLATE_BODY_LIMIT}`,
        'TEMPLATE_TOO_LARGE',
      );
    }
    return source.templateBody;
  }

  private inspect(body: string): TemplateInfo {
    const template = templateOf(body);
    return { template, summary: analyzeTemplate(template, this.options.providers) };
  }

  private checkCapabilities(
    summary: TemplateSummary,
    given: readonly Capability[],
    changeSet: boolean,
  ): void {
    const has = (c: Capability) => given.includes(c);
    if (summary.capabilities.includes('CAPABILITY_NAMED_IAM') && !has('CAPABILITY_NAMED_IAM')) {
      throw new AppError(
        'Validation',
        'INSUFFICIENT_CAPABILITIES',
        'Requires capabilities : [CAPABILITY_NAMED_IAM]',
      );
    }
    if (
      summary.capabilities.includes('CAPABILITY_IAM') &&
      !has('CAPABILITY_IAM') &&
      !has('CAPABILITY_NAMED_IAM')
    ) {
      throw new AppError(
        'Validation',
        'INSUFFICIENT_CAPABILITIES',
        'Requires capabilities : [CAPABILITY_IAM]',
      );
    }
    // A change set shows the processed template before it runs, which is what the capability acknowledges.
    if (summary.needsAutoExpand && !changeSet && !has('CAPABILITY_AUTO_EXPAND')) {
      throw new AppError(
        'Validation',
        'INSUFFICIENT_CAPABILITIES',
        'Requires capabilities : [CAPABILITY_AUTO_EXPAND]',
      );
    }
  }

  /**
   * Everything checked before an operation starts: template, capabilities, parameters, conditions,
   * references, export names, and the exports it imports.
   */
  private async prepare(
    scope: Scope,
    body: string,
    request: { parameters?: GivenParameter[]; capabilities?: Capability[]; notificationArns?: string[] },
    target: { stackName: string; stackId: string; previous?: Stack },
    changeSet: boolean,
  ) {
    const { template, summary } = this.inspect(body);
    this.checkCapabilities(summary, request.capabilities ?? [], changeSet);
    const previous = target.previous;
    const resolved = await resolveParameters(template.parameters, request.parameters ?? [], {
      ...(previous !== undefined
        ? { previous: new Map(previous.parameters.map((p) => [p.key, p.value])) }
        : {}),
      ssm: (name) => this.repo.findSsmParameterValue(scope.accountId, scope.region, name),
    });
    const parameterValues = Object.fromEntries(resolved.values);
    const evaluated = evaluateTemplate(template, parameterValues, {
      accountId: scope.accountId,
      region: scope.region,
      stackName: target.stackName,
      stackId: target.stackId,
      notificationArns: request.notificationArns ?? previous?.notificationArns ?? [],
    });
    evaluateExportNames(evaluated);
    const imports = importNames(evaluated);
    const exports = new Map<string, string>();
    for (const name of imports) {
      const found = await this.repo.findExport(scope.accountId, scope.region, name);
      if (found === undefined || found.stackId === target.stackId) {
        throw new ValidationError(`No export named ${name} found.`, 'EXPORT_NOT_FOUND');
      }
      exports.set(name, found.value);
    }
    return { template, summary, resolved, parameterValues, evaluated, imports, exports };
  }

  private async changesOf(
    stack: Stack,
    evaluated: EvaluatedTemplate,
    exports: ReadonlyMap<string, string>,
  ): Promise<StackChanges> {
    const rows = new Map((await this.repo.listResources(stack.stackId)).map((r) => [r.logicalId, r]));
    const declared = new Map(evaluated.template.resources.map((r) => [r.logicalId, r]));
    const values = {
      resources: resourceValues(rows, this.options.providers, declared),
      importValue: importLookup(exports),
    };
    return computeChanges(evaluated, rows, values, this.options.providers, stack.outputs);
  }

  private stackArn(scope: Scope, name: string): string {
    return `arn:aws:cloudformation:${scope.region}:${scope.accountId}:stack/${name}/${randomUUID()}`;
  }

  private event(stack: Stack, status: StackStatus, reason: string | undefined, token?: string): StackEvent {
    const at = this.now;
    return {
      eventId: randomUUID(),
      stackId: stack.stackId,
      stackName: stack.name,
      sortKey: eventSortKey(at),
      timestamp: at,
      logicalId: stack.name,
      physicalId: stack.stackId,
      resourceType: 'AWS::CloudFormation::Stack',
      status,
      ...(reason !== undefined ? { reason } : {}),
      ...(token !== undefined ? { clientRequestToken: token } : {}),
    };
  }

  // Lookups

  /** A stack by name (live ones) or by stack ID (deleted ones too), in the caller's account and Region. */
  private async findStack(scope: Scope, name: string): Promise<Stack | undefined> {
    const stack = isStackId(name)
      ? await this.repo.findStack(name)
      : await this.repo.findLiveStackByName(scope.accountId, scope.region, name);
    if (stack === undefined || stack.accountId !== scope.accountId || stack.region !== scope.region)
      return undefined;
    return stack;
  }

  private async existingStack(scope: Scope, name: string): Promise<Stack> {
    const stack = await this.findStack(scope, name);
    if (stack === undefined) throw notFound(name);
    return stack;
  }

  private checkStackName(name: string): void {
    if (!STACK_NAME.test(name) || name.length > 128) {
      throw new ValidationError(
        `1 validation error detected: Value '${name}' at 'stackName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*`,
        'STACK_NAME_INVALID',
      );
    }
  }

  private checkUpdatable(stack: Stack): void {
    if (!UPDATABLE_STATUSES.has(stack.status)) {
      throw new ValidationError(
        `Stack:${stack.stackId} is in ${stack.status} state and can not be updated.`,
        'STACK_NOT_UPDATABLE',
      );
    }
  }

  // Stacks

  async createStack(scope: Scope, request: CreateStackRequest): Promise<Stack> {
    this.checkStackName(request.stackName);
    if (request.disableRollback !== undefined && request.onFailure !== undefined) {
      throw new ValidationError(
        'You cannot specify both DisableRollback and OnFailure.',
        'ON_FAILURE_CONFLICT',
      );
    }
    const body = this.templateBody(request);
    if (
      (await this.repo.findLiveStackByName(scope.accountId, scope.region, request.stackName)) !== undefined
    ) {
      throw new ConflictError('ALREADY_EXISTS', `Stack [${request.stackName}] already exists`);
    }
    const stackId = this.stackArn(scope, request.stackName);
    const prepared = await this.prepare(
      scope,
      body,
      request,
      { stackName: request.stackName, stackId },
      false,
    );
    const now = this.now;
    const onFailure: OnFailure =
      request.disableRollback === true ? 'DO_NOTHING' : (request.onFailure ?? 'ROLLBACK');
    const operation: StackOperation = {
      kind: 'CREATE',
      phase: 'forward',
      principalArn: scope.principalArn,
      onFailure,
      parameterValues: prepared.parameterValues,
      ...(request.retainExceptOnCreate === true ? { retainExceptOnCreate: true } : {}),
      ...(request.clientRequestToken !== undefined ? { clientRequestToken: request.clientRequestToken } : {}),
    };
    const stack: Stack = {
      stackId,
      accountId: scope.accountId,
      region: scope.region,
      name: request.stackName,
      status: 'CREATE_IN_PROGRESS',
      statusReason: USER_INITIATED,
      ...(prepared.template.description !== undefined ? { description: prepared.template.description } : {}),
      templateBody: body,
      parameters: prepared.resolved.parameters,
      noEcho: prepared.template.parameters.filter((p) => p.noEcho).map((p) => p.key),
      capabilities: request.capabilities ?? [],
      tags: request.tags ?? [],
      outputs: [],
      notificationArns: request.notificationArns ?? [],
      ...(request.roleArn !== undefined ? { roleArn: request.roleArn } : {}),
      ...(request.timeoutInMinutes !== undefined ? { timeoutInMinutes: request.timeoutInMinutes } : {}),
      disableRollback: request.disableRollback === true,
      terminationProtection: request.enableTerminationProtection === true,
      operation,
      createdAt: now,
      createdBy: scope.principalArn,
    };
    await this.options.uow.transaction(async ({ cloudformation }) => {
      await cloudformation.insertStack(stack, this.options.operations.lease());
      await cloudformation.insertEvents([
        this.event(stack, 'CREATE_IN_PROGRESS', USER_INITIATED, request.clientRequestToken),
      ]);
      await cloudformation.replaceImports(stackId, scope.accountId, scope.region, prepared.imports);
    });
    this.options.operations.launch(stackId);
    return stack;
  }

  async updateStack(scope: Scope, request: UpdateStackRequest): Promise<Stack> {
    const stack = await this.findStack(scope, request.stackName);
    if (stack === undefined || stack.status === 'DELETE_COMPLETE') {
      throw new ValidationError(`Stack [${request.stackName}] does not exist`, 'STACK_NOT_FOUND');
    }
    this.checkUpdatable(stack);
    const body =
      request.usePreviousTemplate === true ? (stack.templateBody ?? '') : this.templateBody(request);
    const prepared = await this.prepare(
      scope,
      body,
      request,
      { stackName: stack.name, stackId: stack.stackId, previous: stack },
      false,
    );
    const { changes, outputsChanged } = await this.changesOf(stack, prepared.evaluated, prepared.exports);
    const tags = request.tags ?? stack.tags;
    if (changes.length === 0 && !outputsChanged && JSON.stringify(tags) === JSON.stringify(stack.tags)) {
      throw new ValidationError('No updates are to be performed.', 'NO_UPDATES');
    }
    await this.startUpdate(scope, stack, body, prepared, {
      capabilities: request.capabilities ?? [],
      tags,
      notificationArns: request.notificationArns ?? stack.notificationArns,
      ...(request.roleArn !== undefined ? { roleArn: request.roleArn } : {}),
      disableRollback: request.disableRollback === true,
      ...(request.retainExceptOnCreate === true ? { retainExceptOnCreate: true } : {}),
      ...(request.clientRequestToken !== undefined ? { clientRequestToken: request.clientRequestToken } : {}),
    });
    return stack;
  }

  private async startUpdate(
    scope: Scope,
    stack: Stack,
    body: string,
    prepared: Awaited<ReturnType<CloudFormationService['prepare']>>,
    settings: {
      capabilities: Capability[];
      tags: Tag[];
      notificationArns: string[];
      roleArn?: string;
      disableRollback: boolean;
      retainExceptOnCreate?: boolean;
      clientRequestToken?: string;
      changeSetId?: string;
    },
  ): Promise<void> {
    const previousImports = await this.repo.importsOf(stack.stackId);
    const previousTemplate = templateOf(stack.templateBody ?? body);
    const operation: StackOperation = {
      kind: 'UPDATE',
      phase: 'forward',
      principalArn: scope.principalArn,
      onFailure: settings.disableRollback ? 'DO_NOTHING' : 'ROLLBACK',
      parameterValues: prepared.parameterValues,
      ...(settings.retainExceptOnCreate === true ? { retainExceptOnCreate: true } : {}),
      ...(settings.clientRequestToken !== undefined
        ? { clientRequestToken: settings.clientRequestToken }
        : {}),
      ...(settings.changeSetId !== undefined ? { changeSetId: settings.changeSetId } : {}),
      previous: {
        templateBody: stack.templateBody ?? body,
        parameters: stack.parameters,
        parameterValues: parameterValuesOf(previousTemplate.parameters, stack.parameters),
        outputs: stack.outputs,
        ...(stack.description !== undefined ? { description: stack.description } : {}),
        capabilities: stack.capabilities,
        tags: stack.tags,
        imports: previousImports,
      },
    };
    const updated: Stack = {
      ...stack,
      status: 'UPDATE_IN_PROGRESS',
      statusReason: USER_INITIATED,
      templateBody: body,
      parameters: prepared.resolved.parameters,
      noEcho: prepared.template.parameters.filter((p) => p.noEcho).map((p) => p.key),
      capabilities: settings.capabilities,
      tags: settings.tags,
      notificationArns: settings.notificationArns,
      disableRollback: settings.disableRollback,
      operation,
      lastUpdatedAt: this.now,
      ...(settings.roleArn !== undefined ? { roleArn: settings.roleArn } : {}),
      ...(settings.changeSetId !== undefined ? { changeSetId: settings.changeSetId } : {}),
    };
    if (prepared.template.description !== undefined) updated.description = prepared.template.description;
    else delete updated.description;
    await this.options.uow.transaction(async ({ cloudformation }) => {
      const current = await cloudformation.findStack(stack.stackId);
      if (
        current === undefined ||
        current.operation !== undefined ||
        !UPDATABLE_STATUSES.has(current.status)
      ) {
        throw new ValidationError(
          `Stack:${stack.stackId} is in ${current?.status ?? stack.status} state and can not be updated.`,
          'STACK_BUSY',
        );
      }
      // Saving the operation makes the stack busy; the lease then makes this process the one to run it.
      await cloudformation.saveStack(updated);
      if (!(await cloudformation.claimStack(stack.stackId, this.options.operations.lease(), this.now))) {
        throw new ValidationError(
          `Stack:${stack.stackId} is in ${stack.status} state and can not be updated.`,
          'STACK_BUSY',
        );
      }
      await cloudformation.insertEvents([
        this.event(updated, 'UPDATE_IN_PROGRESS', USER_INITIATED, settings.clientRequestToken),
      ]);
      await cloudformation.replaceImports(stack.stackId, scope.accountId, scope.region, [
        ...new Set([...previousImports, ...prepared.imports]),
      ]);
    });
    this.options.operations.launch(stack.stackId);
  }

  async deleteStack(scope: Scope, request: DeleteStackRequest): Promise<void> {
    const stack = await this.findStack(scope, request.stackName);
    if (stack === undefined || stack.status === 'DELETE_COMPLETE' || stack.status === 'DELETE_IN_PROGRESS')
      return;
    if (stack.terminationProtection) {
      throw new ValidationError(
        `Stack [${stack.name}] cannot be deleted while TerminationProtection is enabled`,
        'TERMINATION_PROTECTION',
      );
    }
    if (isInProgress(stack.status) || stack.operation !== undefined) {
      throw new ValidationError(
        `Stack [${stack.name}] cannot be deleted while in status ${stack.status}`,
        'STACK_BUSY',
      );
    }
    if (
      request.retainResources !== undefined &&
      request.retainResources.length > 0 &&
      stack.status !== 'DELETE_FAILED'
    ) {
      throw new ValidationError(
        `Invalid operation on stack [${stack.stackId}]. RetainResources can only be specified when the stack is in the DELETE_FAILED state`,
        'RETAIN_RESOURCES',
      );
    }
    const now = this.now;
    if (stack.status === 'REVIEW_IN_PROGRESS' || stack.templateBody === undefined) {
      await this.options.uow.transaction(async ({ cloudformation }) => {
        const deleted: Stack = { ...stack, status: 'DELETE_COMPLETE', deletedAt: now };
        delete deleted.statusReason;
        await cloudformation.saveStack(deleted);
        await cloudformation.deleteOtherChangeSets(stack.stackId, '');
        await cloudformation.insertEvents([
          this.event(stack, 'DELETE_IN_PROGRESS', USER_INITIATED, request.clientRequestToken),
          this.event(stack, 'DELETE_COMPLETE', undefined, request.clientRequestToken),
        ]);
      });
      return;
    }
    const template = templateOf(stack.templateBody);
    const operation: StackOperation = {
      kind: 'DELETE',
      phase: 'delete',
      principalArn: scope.principalArn,
      onFailure: 'DO_NOTHING',
      parameterValues: parameterValuesOf(template.parameters, stack.parameters),
      ...(request.retainResources !== undefined ? { retainResources: request.retainResources } : {}),
      ...(request.clientRequestToken !== undefined ? { clientRequestToken: request.clientRequestToken } : {}),
    };
    const deleting: Stack = {
      ...stack,
      status: 'DELETE_IN_PROGRESS',
      statusReason: USER_INITIATED,
      operation,
    };
    await this.options.uow.transaction(async ({ cloudformation }) => {
      const current = await cloudformation.findStack(stack.stackId);
      if (current === undefined || current.operation !== undefined) {
        throw new ValidationError(
          `Stack [${stack.name}] cannot be deleted while in status ${current?.status ?? stack.status}`,
          'STACK_BUSY',
        );
      }
      await cloudformation.saveStack(deleting);
      if (!(await cloudformation.claimStack(stack.stackId, this.options.operations.lease(), now))) {
        throw new ValidationError(
          `Stack [${stack.name}] cannot be deleted while in status ${stack.status}`,
          'STACK_BUSY',
        );
      }
      await cloudformation.insertEvents([
        this.event(deleting, 'DELETE_IN_PROGRESS', USER_INITIATED, request.clientRequestToken),
      ]);
    });
    this.options.operations.launch(stack.stackId);
  }

  /** A stack, masked for the caller; a stack whose operation runs here is answered once it ends (see settleMs). */
  async describeStack(scope: Scope, name: string): Promise<Stack> {
    let stack = await this.existingStack(scope, name);
    if (stack.operation !== undefined) {
      await this.options.operations.settle(stack.stackId, this.settleMs);
      stack = (await this.repo.findStack(stack.stackId)) ?? stack;
    }
    return masked(stack);
  }

  async describeStacks(scope: Scope, nextToken?: string): Promise<Page<Stack>> {
    const listing = 'describe-stacks';
    const after = decodePageToken(listing, nextToken);
    const rows = await this.repo.listStacks({
      accountId: scope.accountId,
      region: scope.region,
      includeDeleted: false,
      ...(after !== undefined ? { after } : {}),
      limit: PAGE_SIZE + 1,
    });
    return pageOf(listing, rows, (row) => masked(row.stack));
  }

  async listStacks(
    scope: Scope,
    statuses: readonly StackStatus[] | undefined,
    nextToken?: string,
  ): Promise<Page<Stack>> {
    const listing = `list-stacks:${(statuses ?? []).join(',')}`;
    const after = decodePageToken(listing, nextToken);
    const rows = await this.repo.listStacks({
      accountId: scope.accountId,
      region: scope.region,
      includeDeleted: true,
      ...(statuses !== undefined ? { statuses } : {}),
      ...(after !== undefined ? { after } : {}),
      limit: PAGE_SIZE + 1,
    });
    return pageOf(listing, rows, (row) => row.stack);
  }

  async describeStackEvents(scope: Scope, name: string, nextToken?: string): Promise<Page<StackEvent>> {
    const stack = await this.existingStack(scope, name);
    const listing = `events:${stack.stackId}`;
    const before = decodePageToken(listing, nextToken);
    const events = await this.repo.listEvents(stack.stackId, before, PAGE_SIZE + 1);
    const items = events.slice(0, PAGE_SIZE);
    const last = items[items.length - 1];
    return events.length > PAGE_SIZE && last !== undefined
      ? { items, nextToken: encodePageToken(listing, last.sortKey) }
      : { items };
  }

  async describeStackResource(scope: Scope, name: string, logicalId: string): Promise<StackResourceView> {
    const stack = await this.existingStack(scope, name);
    const resource = (await this.repo.listResources(stack.stackId)).find((r) => r.logicalId === logicalId);
    if (resource === undefined) {
      throw new ValidationError(
        `Resource ${logicalId} does not exist for stack ${name}`,
        'RESOURCE_NOT_FOUND',
      );
    }
    return { stack, resource };
  }

  async describeStackResources(
    scope: Scope,
    query: { stackName?: string; logicalId?: string; physicalId?: string },
  ): Promise<StackResourceView[]> {
    let stack: Stack | undefined;
    if (query.stackName !== undefined) {
      stack = await this.existingStack(scope, query.stackName);
    } else if (query.physicalId !== undefined) {
      const [found] = await this.repo.findResourcesByPhysicalId(
        scope.accountId,
        scope.region,
        query.physicalId,
      );
      stack = found === undefined ? undefined : await this.repo.findStack(found.stackId);
      if (stack === undefined) {
        throw new ValidationError(`Stack for ${query.physicalId} does not exist`, 'STACK_NOT_FOUND');
      }
    } else {
      throw new ValidationError(
        'Either StackName or PhysicalResourceId must be specified.',
        'STACK_NAME_REQUIRED',
      );
    }
    const found = stack;
    const resources = await this.repo.listResources(found.stackId);
    return resources
      .filter((r) => query.logicalId === undefined || r.logicalId === query.logicalId)
      .map((resource) => ({ stack: found, resource }));
  }

  async listStackResources(scope: Scope, name: string, nextToken?: string): Promise<Page<StackResource>> {
    const stack = await this.existingStack(scope, name);
    const listing = `resources:${stack.stackId}`;
    const after = decodePageToken(listing, nextToken);
    const resources = (await this.repo.listResources(stack.stackId))
      .sort((a, b) => (a.logicalId < b.logicalId ? -1 : 1))
      .filter((r) => after === undefined || r.logicalId > after);
    const items = resources.slice(0, PAGE_SIZE);
    const last = items[items.length - 1];
    return resources.length > PAGE_SIZE && last !== undefined
      ? { items, nextToken: encodePageToken(listing, last.logicalId) }
      : { items };
  }

  async getTemplate(scope: Scope, query: { stackName?: string; changeSetName?: string }): Promise<string> {
    if (query.changeSetName !== undefined) {
      return (
        await this.findChangeSet(scope, {
          changeSetName: query.changeSetName,
          ...(query.stackName !== undefined ? { stackName: query.stackName } : {}),
        })
      ).templateBody;
    }
    if (query.stackName === undefined)
      throw new ValidationError('StackName or ChangeSetName must be specified.', 'STACK_NAME_REQUIRED');
    const stack = await this.existingStack(scope, query.stackName);
    if (stack.templateBody !== undefined) return stack.templateBody;
    const [latest] = (await this.repo.listChangeSets(stack.stackId)).reverse();
    if (latest === undefined) throw notFound(query.stackName);
    return latest.templateBody;
  }

  async templateSummary(scope: Scope, query: TemplateSource & { stackName?: string }): Promise<TemplateInfo> {
    if (
      query.stackName !== undefined &&
      query.templateBody === undefined &&
      query.templateUrl === undefined
    ) {
      return this.inspect(await this.getTemplate(scope, { stackName: query.stackName }));
    }
    return this.inspect(this.templateBody(query));
  }

  async validateTemplate(source: TemplateSource): Promise<TemplateInfo> {
    return this.inspect(this.templateBody(source));
  }

  async listExports(scope: Scope, nextToken?: string): Promise<Page<StackExport>> {
    const listing = 'exports';
    const after = decodePageToken(listing, nextToken);
    const rows = await this.repo.listExports(scope.accountId, scope.region, after, PAGE_SIZE + 1);
    const items = rows.slice(0, PAGE_SIZE);
    const last = items[items.length - 1];
    return rows.length > PAGE_SIZE && last !== undefined
      ? { items, nextToken: encodePageToken(listing, last.name) }
      : { items };
  }

  // Change sets

  async createChangeSet(scope: Scope, request: CreateChangeSetRequest): Promise<ChangeSet> {
    const type = request.changeSetType ?? 'UPDATE';
    if (type === 'IMPORT') {
      throw new ValidationError(
        'ChangeSetType IMPORT is not supported: studio-sso cannot import existing resources into a stack.',
        'IMPORT_UNSUPPORTED',
      );
    }
    const existing = await this.findStack(scope, request.stackName);
    let stack: Stack;
    let newStack: Stack | undefined;
    if (type === 'CREATE') {
      this.checkStackName(request.stackName);
      if (
        existing !== undefined &&
        existing.status !== 'REVIEW_IN_PROGRESS' &&
        existing.status !== 'DELETE_COMPLETE'
      ) {
        throw new ConflictError(
          'ALREADY_EXISTS',
          `Stack [${request.stackName}] already exists and cannot be created again with the changeSet [${request.changeSetName}].`,
        );
      }
      if (existing !== undefined && existing.status === 'REVIEW_IN_PROGRESS') {
        stack = existing;
      } else {
        newStack = {
          stackId: this.stackArn(scope, request.stackName),
          accountId: scope.accountId,
          region: scope.region,
          name: request.stackName,
          status: 'REVIEW_IN_PROGRESS',
          statusReason: USER_INITIATED,
          parameters: [],
          noEcho: [],
          capabilities: [],
          tags: [],
          outputs: [],
          notificationArns: [],
          disableRollback: false,
          terminationProtection: false,
          createdAt: this.now,
          createdBy: scope.principalArn,
        };
        stack = newStack;
      }
    } else {
      if (
        existing === undefined ||
        existing.status === 'DELETE_COMPLETE' ||
        existing.status === 'REVIEW_IN_PROGRESS'
      ) {
        throw new ValidationError(`Stack [${request.stackName}] does not exist`, 'STACK_NOT_FOUND');
      }
      this.checkUpdatable(existing);
      stack = existing;
    }
    const body =
      request.usePreviousTemplate === true && type === 'UPDATE'
        ? (stack.templateBody ?? '')
        : this.templateBody(request);
    const prepared = await this.prepare(
      scope,
      body,
      request,
      { stackName: stack.name, stackId: stack.stackId, ...(type === 'UPDATE' ? { previous: stack } : {}) },
      true,
    );
    let changes: ChangeSet['changes'];
    let empty = false;
    if (type === 'CREATE') {
      changes = prepared.evaluated.plan.resources.map((r) => ({
        action: 'Add' as const,
        logicalId: r.logicalId,
        resourceType: r.type,
        scope: [],
        details: [],
      }));
    } else {
      const computed = await this.changesOf(stack, prepared.evaluated, prepared.exports);
      changes = computed.changes;
      const tags = request.tags ?? stack.tags;
      empty =
        changes.length === 0 &&
        !computed.outputsChanged &&
        JSON.stringify(tags) === JSON.stringify(stack.tags);
    }
    const changeSet: ChangeSet = {
      changeSetId: `arn:aws:cloudformation:${scope.region}:${scope.accountId}:changeSet/${request.changeSetName}/${randomUUID()}`,
      name: request.changeSetName,
      stackId: stack.stackId,
      stackName: stack.name,
      accountId: scope.accountId,
      region: scope.region,
      type,
      status: empty ? 'FAILED' : 'CREATE_COMPLETE',
      ...(empty
        ? {
            statusReason:
              "The submitted information didn't contain changes. Submit different information to create a change set.",
          }
        : {}),
      executionStatus: empty ? 'UNAVAILABLE' : 'AVAILABLE',
      ...(request.description !== undefined ? { description: request.description } : {}),
      templateBody: body,
      parameters: prepared.resolved.parameters,
      parameterValues: prepared.parameterValues,
      capabilities: request.capabilities ?? [],
      tags: request.tags ?? (type === 'UPDATE' ? stack.tags : []),
      notificationArns: request.notificationArns ?? stack.notificationArns,
      ...(request.roleArn !== undefined ? { roleArn: request.roleArn } : {}),
      ...(request.onStackFailure !== undefined ? { onStackFailure: request.onStackFailure } : {}),
      changes,
      createdAt: this.now,
      createdBy: scope.principalArn,
    };
    await this.options.uow.transaction(async ({ cloudformation }) => {
      if (newStack !== undefined) {
        await cloudformation.insertStack(newStack);
        await cloudformation.insertEvents([this.event(newStack, 'REVIEW_IN_PROGRESS', USER_INITIATED)]);
      }
      await cloudformation.insertChangeSet(changeSet);
    });
    return changeSet;
  }

  private async findChangeSet(scope: Scope, ref: ChangeSetRef): Promise<ChangeSet> {
    let changeSet: ChangeSet | undefined;
    if (ref.changeSetName.startsWith('arn:')) {
      changeSet = await this.repo.findChangeSet(ref.changeSetName);
    } else {
      if (ref.stackName === undefined) {
        throw new ValidationError(
          'StackName must be specified if ChangeSetName is not specified as an ARN.',
          'STACK_NAME_REQUIRED',
        );
      }
      const stack = await this.findStack(scope, ref.stackName);
      if (stack === undefined) throw changeSetNotFound(ref.changeSetName);
      changeSet = await this.repo.findChangeSetByName(stack.stackId, ref.changeSetName);
    }
    if (
      changeSet === undefined ||
      changeSet.accountId !== scope.accountId ||
      changeSet.region !== scope.region
    ) {
      throw changeSetNotFound(ref.changeSetName);
    }
    return changeSet;
  }

  async describeChangeSet(scope: Scope, ref: ChangeSetRef): Promise<ChangeSet> {
    const changeSet = await this.findChangeSet(scope, ref);
    const template = templateOf(changeSet.templateBody);
    const noEcho = new Set(template.parameters.filter((p) => p.noEcho).map((p) => p.key));
    return {
      ...changeSet,
      parameters: changeSet.parameters.map((p) => (noEcho.has(p.key) ? { key: p.key, value: MASK } : p)),
    };
  }

  async listChangeSets(scope: Scope, stackName: string): Promise<ChangeSet[]> {
    const stack = await this.existingStack(scope, stackName);
    return this.repo.listChangeSets(stack.stackId);
  }

  async deleteChangeSet(scope: Scope, ref: ChangeSetRef): Promise<void> {
    const changeSet = await this.findChangeSet(scope, ref);
    if (changeSet.executionStatus === 'EXECUTE_IN_PROGRESS') {
      throw new AppError(
        'Conflict',
        'INVALID_CHANGE_SET_STATUS',
        `ChangeSet [${changeSet.changeSetId}] cannot be deleted in its current status of [EXECUTE_IN_PROGRESS]`,
      );
    }
    await this.repo.deleteChangeSet(changeSet.changeSetId);
  }

  async executeChangeSet(scope: Scope, request: ExecuteChangeSetRequest): Promise<void> {
    const changeSet = await this.findChangeSet(scope, request);
    if (changeSet.executionStatus !== 'AVAILABLE') {
      throw new AppError(
        'Conflict',
        'INVALID_CHANGE_SET_STATUS',
        `ChangeSet [${changeSet.changeSetId}] cannot be executed in its current execution status of [${changeSet.executionStatus}]`,
      );
    }
    const stack = await this.repo.findStack(changeSet.stackId);
    if (stack === undefined) throw changeSetNotFound(request.changeSetName);
    const body = changeSet.templateBody;
    // Checked again: exports may have gone and parameters' SSM values changed since the change set was made.
    const prepared = await this.prepare(
      scope,
      body,
      {
        parameters: changeSet.parameters.map((p) => ({ key: p.key, value: p.value })),
        capabilities: changeSet.capabilities,
        notificationArns: changeSet.notificationArns,
      },
      {
        stackName: stack.name,
        stackId: stack.stackId,
        ...(changeSet.type === 'UPDATE' ? { previous: stack } : {}),
      },
      true,
    );
    const executing: ChangeSet = { ...changeSet, executionStatus: 'EXECUTE_IN_PROGRESS' };
    if (changeSet.type === 'UPDATE') {
      this.checkUpdatable(stack);
      await this.repo.saveChangeSet(executing);
      await this.repo.deleteOtherChangeSets(stack.stackId, changeSet.changeSetId);
      await this.startUpdate(scope, stack, body, prepared, {
        capabilities: changeSet.capabilities,
        tags: changeSet.tags,
        notificationArns: changeSet.notificationArns,
        ...(changeSet.roleArn !== undefined ? { roleArn: changeSet.roleArn } : {}),
        disableRollback: request.disableRollback === true,
        ...(request.retainExceptOnCreate === true ? { retainExceptOnCreate: true } : {}),
        ...(request.clientRequestToken !== undefined
          ? { clientRequestToken: request.clientRequestToken }
          : {}),
        changeSetId: changeSet.changeSetId,
      });
      return;
    }
    if (stack.status !== 'REVIEW_IN_PROGRESS') {
      throw new ValidationError(
        `Stack:${stack.stackId} is in ${stack.status} state and can not be updated.`,
        'STACK_NOT_UPDATABLE',
      );
    }
    const onFailure: OnFailure =
      request.disableRollback === true ? 'DO_NOTHING' : (changeSet.onStackFailure ?? 'ROLLBACK');
    const operation: StackOperation = {
      kind: 'CREATE',
      phase: 'forward',
      principalArn: scope.principalArn,
      onFailure,
      parameterValues: prepared.parameterValues,
      changeSetId: changeSet.changeSetId,
      ...(request.retainExceptOnCreate === true ? { retainExceptOnCreate: true } : {}),
      ...(request.clientRequestToken !== undefined ? { clientRequestToken: request.clientRequestToken } : {}),
    };
    const creating: Stack = {
      ...stack,
      status: 'CREATE_IN_PROGRESS',
      statusReason: USER_INITIATED,
      ...(prepared.template.description !== undefined ? { description: prepared.template.description } : {}),
      templateBody: body,
      parameters: prepared.resolved.parameters,
      noEcho: prepared.template.parameters.filter((p) => p.noEcho).map((p) => p.key),
      capabilities: changeSet.capabilities,
      tags: changeSet.tags,
      notificationArns: changeSet.notificationArns,
      ...(changeSet.roleArn !== undefined ? { roleArn: changeSet.roleArn } : {}),
      disableRollback: request.disableRollback === true,
      changeSetId: changeSet.changeSetId,
      operation,
    };
    await this.options.uow.transaction(async ({ cloudformation }) => {
      // A stack under review runs nothing: saving its operation makes it busy, then it is leased here.
      await cloudformation.saveStack(creating);
      if (!(await cloudformation.claimStack(stack.stackId, this.options.operations.lease(), this.now))) {
        throw new ValidationError(`Stack:${stack.stackId} is busy.`, 'STACK_BUSY');
      }
      await cloudformation.saveChangeSet(executing);
      await cloudformation.deleteOtherChangeSets(stack.stackId, changeSet.changeSetId);
      await cloudformation.insertEvents([
        this.event(creating, 'CREATE_IN_PROGRESS', USER_INITIATED, request.clientRequestToken),
      ]);
      await cloudformation.replaceImports(stack.stackId, scope.accountId, scope.region, prepared.imports);
    });
    this.options.operations.launch(stack.stackId);
  }
}

/** NoEcho parameters as `****`, the way DescribeStacks shows them. */
const masked = (stack: Stack): Stack => {
  if (stack.noEcho.length === 0) return stack;
  const noEcho = new Set(stack.noEcho);
  return {
    ...stack,
    parameters: stack.parameters.map((p) => (noEcho.has(p.key) ? { key: p.key, value: MASK } : p)),
  };
};

const pageOf = <T>(
  listing: string,
  rows: Array<{ stack: Stack; key: string }>,
  map: (row: { stack: Stack; key: string }) => T,
): Page<T> => {
  const page = rows.slice(0, PAGE_SIZE);
  const last = page[page.length - 1];
  const items = page.map(map);
  return rows.length > PAGE_SIZE && last !== undefined
    ? { items, nextToken: encodePageToken(listing, last.key) }
    : { items };
};
