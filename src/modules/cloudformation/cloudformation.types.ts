/**
 * CloudFormation stacks as studio-sso keeps them: camelCase and Dates, statuses with AWS's names.
 * The wire shapes live in cloudformation.aws.ts.
 */

export type StackStatus =
  | 'CREATE_IN_PROGRESS'
  | 'CREATE_FAILED'
  | 'CREATE_COMPLETE'
  | 'ROLLBACK_IN_PROGRESS'
  | 'ROLLBACK_FAILED'
  | 'ROLLBACK_COMPLETE'
  | 'DELETE_IN_PROGRESS'
  | 'DELETE_FAILED'
  | 'DELETE_COMPLETE'
  | 'UPDATE_IN_PROGRESS'
  | 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS'
  | 'UPDATE_COMPLETE'
  | 'UPDATE_FAILED'
  | 'UPDATE_ROLLBACK_IN_PROGRESS'
  | 'UPDATE_ROLLBACK_FAILED'
  | 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS'
  | 'UPDATE_ROLLBACK_COMPLETE'
  | 'REVIEW_IN_PROGRESS';

export type ResourceStatus =
  | 'CREATE_IN_PROGRESS'
  | 'CREATE_FAILED'
  | 'CREATE_COMPLETE'
  | 'DELETE_IN_PROGRESS'
  | 'DELETE_FAILED'
  | 'DELETE_COMPLETE'
  | 'DELETE_SKIPPED'
  | 'UPDATE_IN_PROGRESS'
  | 'UPDATE_FAILED'
  | 'UPDATE_COMPLETE'
  | 'ROLLBACK_IN_PROGRESS'
  | 'ROLLBACK_COMPLETE'
  | 'ROLLBACK_FAILED'
  | 'UPDATE_ROLLBACK_IN_PROGRESS'
  | 'UPDATE_ROLLBACK_COMPLETE'
  | 'UPDATE_ROLLBACK_FAILED';

export type OnFailure = 'ROLLBACK' | 'DELETE' | 'DO_NOTHING';
export type Capability = 'CAPABILITY_IAM' | 'CAPABILITY_NAMED_IAM' | 'CAPABILITY_AUTO_EXPAND';

/** The statuses in which a stack has no operation running and may be updated. */
export const UPDATABLE_STATUSES: ReadonlySet<StackStatus> = new Set([
  'CREATE_COMPLETE',
  'UPDATE_COMPLETE',
  'UPDATE_ROLLBACK_COMPLETE',
]);

export const isInProgress = (status: StackStatus): boolean =>
  status.endsWith('_IN_PROGRESS') && status !== 'REVIEW_IN_PROGRESS';

export interface Tag {
  key: string;
  value: string;
}

export interface StackParameterValue {
  key: string;
  value: string;
  resolvedValue?: string;
}

export interface StackOutput {
  key: string;
  value: string;
  description?: string;
  exportName?: string;
}

/** What a stack operation needs to carry on after a restart; kept on the stack while it runs. */
export interface StackOperation {
  kind: 'CREATE' | 'UPDATE' | 'DELETE';
  /** forward → (rollback) → cleanup; `delete` is a stack deletion, also after a failed create with OnFailure DELETE. */
  phase: 'forward' | 'rollback' | 'cleanup' | 'rollback-cleanup' | 'delete';
  principalArn: string;
  onFailure: OnFailure;
  retainExceptOnCreate?: boolean;
  /** DeleteStack's RetainResources. */
  retainResources?: string[];
  /** Ref values of the parameters, by key (NoEcho ones too: the stack needs them). */
  parameterValues: Record<string, string | string[]>;
  /** The resources whose failure started the rollback, for the stack's status reason. */
  failedResources?: string[];
  changeSetId?: string;
  clientRequestToken?: string;
  /** UPDATE: the stack as it was, restored by a rollback. */
  previous?: {
    templateBody: string;
    parameters: StackParameterValue[];
    parameterValues: Record<string, string | string[]>;
    outputs: StackOutput[];
    description?: string;
    capabilities: Capability[];
    tags: Tag[];
    imports: string[];
  };
}

export interface Stack {
  stackId: string;
  accountId: string;
  region: string;
  name: string;
  status: StackStatus;
  statusReason?: string;
  description?: string;
  /** Absent only while a CREATE change set is under review. */
  templateBody?: string;
  parameters: StackParameterValue[];
  /** Keys of the parameters declared NoEcho, masked on the way out. */
  noEcho: string[];
  capabilities: Capability[];
  tags: Tag[];
  outputs: StackOutput[];
  notificationArns: string[];
  roleArn?: string;
  timeoutInMinutes?: number;
  disableRollback: boolean;
  terminationProtection: boolean;
  /** The change set last executed on the stack. */
  changeSetId?: string;
  operation?: StackOperation;
  createdAt: Date;
  createdBy?: string;
  lastUpdatedAt?: Date;
  deletedAt?: Date;
}

/** What an operation did to a resource, so that a rollback can undo it and a cleanup finish it. */
export type ResourceAction =
  | 'create'
  | 'update'
  | 'replace'
  /** An update's rollback went back to the old physical resource; `previous` is the new one, to delete. */
  | 'restore';

export interface ResourceSnapshot {
  type: string;
  physicalId: string;
  properties: Record<string, unknown>;
  attributes: Record<string, unknown>;
  deletionPolicy?: string;
  updateReplacePolicy?: string;
}

export interface StackResource {
  stackId: string;
  logicalId: string;
  type: string;
  physicalId?: string;
  status: ResourceStatus;
  statusReason?: string;
  properties: Record<string, unknown>;
  attributes: Record<string, unknown>;
  deletionPolicy?: string;
  updateReplacePolicy?: string;
  metadata?: unknown;
  /** The operation in progress: what it did, and the resource as it was before (update, replace). */
  action?: ResourceAction;
  previous?: ResourceSnapshot;
  /** Set once the delete call succeeded while the service finishes the deletion. */
  deleteRequested?: boolean;
  updatedAt: Date;
}

export interface StackEvent {
  eventId: string;
  stackId: string;
  stackName: string;
  /** Orders events: time, then the order they were written in. */
  sortKey: string;
  timestamp: Date;
  logicalId: string;
  physicalId?: string;
  resourceType: string;
  status: string;
  reason?: string;
  properties?: string;
  clientRequestToken?: string;
}

export type ChangeSetStatus =
  | 'CREATE_PENDING'
  | 'CREATE_IN_PROGRESS'
  | 'CREATE_COMPLETE'
  | 'DELETE_COMPLETE'
  | 'FAILED';
export type ExecutionStatus =
  | 'UNAVAILABLE'
  | 'AVAILABLE'
  | 'EXECUTE_IN_PROGRESS'
  | 'EXECUTE_COMPLETE'
  | 'EXECUTE_FAILED'
  | 'OBSOLETE';

export interface ResourceChangeDetail {
  attribute: 'Properties';
  name: string;
  requiresRecreation: 'Never' | 'Conditionally' | 'Always';
  evaluation: 'Static' | 'Dynamic';
  changeSource: 'DirectModification' | 'ResourceReference' | 'ParameterReference' | 'ResourceAttribute';
}

export interface ResourceChange {
  action: 'Add' | 'Modify' | 'Remove';
  logicalId: string;
  physicalId?: string;
  resourceType: string;
  replacement?: 'True' | 'False' | 'Conditional';
  scope: string[];
  details: ResourceChangeDetail[];
}

export interface ChangeSet {
  changeSetId: string;
  name: string;
  stackId: string;
  stackName: string;
  accountId: string;
  region: string;
  type: 'CREATE' | 'UPDATE';
  status: ChangeSetStatus;
  statusReason?: string;
  executionStatus: ExecutionStatus;
  description?: string;
  templateBody: string;
  parameters: StackParameterValue[];
  parameterValues: Record<string, string | string[]>;
  capabilities: Capability[];
  tags: Tag[];
  notificationArns: string[];
  roleArn?: string;
  onStackFailure?: OnFailure;
  changes: ResourceChange[];
  createdAt: Date;
  createdBy?: string;
}

export interface StackExport {
  accountId: string;
  region: string;
  name: string;
  value: string;
  stackId: string;
}
