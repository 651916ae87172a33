import type {
  ChangeSet,
  Stack,
  StackEvent,
  StackExport,
  StackResource,
  StackStatus,
} from './cloudformation.types.js';

export interface StackListQuery {
  accountId: string;
  region: string;
  /** Deleted stacks too (ListStacks); DescribeStacks lists live stacks only. */
  includeDeleted: boolean;
  statuses?: readonly StackStatus[];
  /** The sort key (created_at + stack ID) of the last stack of the previous page. */
  after?: string;
  limit: number;
}

export interface Lease {
  owner: string;
  until: Date;
}

export interface ExportImporter {
  exportName: string;
  stackId: string;
  stackName: string;
}

/** The storage port of the cloudformation module, methods named by what they are for. */
export interface CloudFormationRepository {
  // Stacks
  /** Inserts a new stack, optionally already leased to the process that will run its operation. */
  insertStack(stack: Stack, lease?: Lease): Promise<void>;
  findStack(stackId: string): Promise<Stack | undefined>;
  findLiveStackByName(accountId: string, region: string, name: string): Promise<Stack | undefined>;
  listStacks(query: StackListQuery): Promise<Array<{ stack: Stack; key: string }>>;
  /** Writes every mutable column of the stack. */
  saveStack(stack: Stack): Promise<void>;

  // Leases on stacks with an operation running
  /** Takes the stack's lease if it is free, expired or already ours; whether it was taken. */
  claimStack(stackId: string, lease: Lease, now: Date): Promise<boolean>;
  /** Busy stacks whose lease is free or has run out. */
  findClaimableStacks(now: Date, limit: number): Promise<string[]>;
  renewLeases(stackIds: readonly string[], lease: Lease): Promise<void>;
  releaseLease(stackId: string, owner: string): Promise<void>;
  /**
   * Whether `owner` still holds the stack's lease; inside a transaction it also keeps another
   * process from claiming the stack until the transaction ends.
   */
  holdsLease(stackId: string, owner: string, now: Date): Promise<boolean>;

  // Resources
  listResources(stackId: string): Promise<StackResource[]>;
  saveResource(resource: StackResource): Promise<void>;
  deleteResource(stackId: string, logicalId: string): Promise<void>;
  /** Live stacks' resources with this physical ID in the account and Region. */
  findResourcesByPhysicalId(accountId: string, region: string, physicalId: string): Promise<StackResource[]>;
  /**
   * The stack holding a live resource of this type and physical ID in the account (and Region when
   * `region` is given), other than `except`.
   */
  findResourceHolder(query: {
    accountId: string;
    region?: string;
    type: string;
    physicalId: string;
    except: { stackId: string; logicalId: string };
  }): Promise<string | undefined>;
  /** The value of a recorded AWS::SSM::Parameter by its name. */
  findSsmParameterValue(accountId: string, region: string, name: string): Promise<string | undefined>;

  // Events
  insertEvents(events: readonly StackEvent[]): Promise<void>;
  /** Newest first; `before` is the sort key of the last event of the previous page. */
  listEvents(stackId: string, before: string | undefined, limit: number): Promise<StackEvent[]>;

  // Change sets
  insertChangeSet(changeSet: ChangeSet): Promise<void>;
  findChangeSet(changeSetId: string): Promise<ChangeSet | undefined>;
  findChangeSetByName(stackId: string, name: string): Promise<ChangeSet | undefined>;
  listChangeSets(stackId: string): Promise<ChangeSet[]>;
  saveChangeSet(changeSet: ChangeSet): Promise<void>;
  deleteChangeSet(changeSetId: string): Promise<void>;
  /** Removes every change set of the stack but `except` (after an execution, as AWS does). */
  deleteOtherChangeSets(stackId: string, except: string): Promise<void>;

  // Exports and imports
  findExport(accountId: string, region: string, name: string): Promise<StackExport | undefined>;
  listExports(
    accountId: string,
    region: string,
    after: string | undefined,
    limit: number,
  ): Promise<StackExport[]>;
  exportsOf(stackId: string): Promise<StackExport[]>;
  /** Replaces the stack's exports; a name another stack exports is a unique violation. */
  replaceExports(stackId: string, exports: readonly StackExport[]): Promise<void>;
  /** The live stacks other than `except` that import any of these exports. */
  findImporters(
    accountId: string,
    region: string,
    names: readonly string[],
    except: string,
  ): Promise<ExportImporter[]>;
  importsOf(stackId: string): Promise<string[]>;
  replaceImports(stackId: string, accountId: string, region: string, names: readonly string[]): Promise<void>;
}
