import type { AccessUser } from './access-decision.js';
import type { Application, ApplicationAssignment, GroupRef, Principal } from './applications.types.js';

export interface ApplicationPageQuery {
  /** Sort key (ID) of the last item already returned. */
  after?: string;
  limit: number;
}

export interface ApplicationFilter {
  accountId?: string;
  providerArn?: string;
}

export type ApplicationChanges = Partial<
  Pick<Application, 'name' | 'description' | 'status' | 'portalOptions' | 'assignmentRequired'>
>;

/** A principal of the identity store, with the name people know it by (user name, group display name). */
export interface PrincipalRef extends Principal {
  name: string;
}

/** How a user is assigned to the applications of an instance: directly, and through direct groups. */
export interface UserAssignmentSummary {
  /** Applications the user is assigned to itself. */
  direct: string[];
  /** Per application reached through the user's direct groups: the first such group (by ID) and how many. */
  viaGroups: { applicationId: string; firstGroup: GroupRef; groupCount: number }[];
}

/** `memberGroupId` is directly inside `groupId`. */
export interface NestingEdge {
  groupId: string;
  memberGroupId: string;
}

/**
 * What the nested-path search of some users needs, read in one go: the users' direct groups, every
 * nesting edge on the way up from them, and which groups up there are assigned to the application.
 */
export interface NestingAbove {
  /** User ID → the groups the user is a direct member of. */
  directGroups: ReadonlyMap<string, readonly string[]>;
  /** Every edge whose inner group is one of those direct groups or a group above them. */
  edges: readonly NestingEdge[];
  /** The groups of `edges` that are assigned to the application. */
  assignedGroups: ReadonlySet<string>;
}

/** The access facts of one user of a store, as `findAccessUser` and `findAccessUsers` read them. */
export type AccessUserFacts = AccessUser & { directlyAssigned: boolean };

/** Nesting deeper than this is not followed (cycles are refused; such depths do not occur). */
export const MAX_NESTING_DEPTH = 32;

/** A group above the user's direct groups: its smallest nesting depth (1 = contains a direct group). */
export interface AncestorLevel {
  groupId: string;
  depth: number;
  /** Whether the group is assigned to the application asked about. */
  assigned: boolean;
}

/**
 * Storage port of applications and assignments. Uniqueness and references are the database's:
 * a second assignment of one principal throws the core's ConflictError, an assignment to a
 * principal or application deleted meanwhile a NotFoundError, never a driver error. Deleting a
 * user, group, application or instance deletes its assignments through foreign keys.
 *
 * The access reads (the last group) read identity-store tables too: the access decision must take a
 * few indexed round trips, with joins, whatever the size of the directory.
 */
export interface ApplicationsRepository {
  /** Throws ConflictError CLIENT_TOKEN_IN_USE when the instance has an application with its client token. */
  insertApplication(application: Application): Promise<void>;
  /** The application with its instance's identity store. */
  findApplication(applicationId: string): Promise<Application | undefined>;
  findApplicationByClientToken(instanceId: string, clientToken: string): Promise<Application | undefined>;
  /** Applications of the instance named exactly `name`, by ID (names need not be unique). */
  findApplicationsByName(instanceId: string, name: string): Promise<Application[]>;
  /** Applications of the instance ordered by ID. */
  listApplications(
    instanceId: string,
    filter: ApplicationFilter,
    page: ApplicationPageQuery,
  ): Promise<Application[]>;
  updateApplication(applicationId: string, changes: ApplicationChanges): Promise<boolean>;
  /** Deletes the application and (cascade) its assignments; false when there was none. */
  deleteApplication(applicationId: string): Promise<boolean>;

  /** The user or group, when it is in the identity store. */
  findPrincipal(identityStoreId: string, principal: Principal): Promise<PrincipalRef | undefined>;

  insertAssignment(assignment: ApplicationAssignment): Promise<void>;
  findAssignment(applicationId: string, principal: Principal): Promise<ApplicationAssignment | undefined>;
  /** Which of these user or group IDs have an assignment of their own to the application. */
  findAssignedPrincipalIds(applicationId: string, principalIds: string[]): Promise<string[]>;
  deleteAssignment(applicationId: string, principal: Principal): Promise<boolean>;
  /** Direct assignments of the application, ordered by principal ID. */
  listAssignmentsOfApplication(
    applicationId: string,
    page: ApplicationPageQuery,
  ): Promise<ApplicationAssignment[]>;
  /**
   * IDs of the instance's applications the principal is assigned to, ordered by ID, one each. For a
   * USER: its own assignments and those of the groups it is a DIRECT member of; for a GROUP: its own.
   */
  listApplicationIdsAssignedTo(
    instanceId: string,
    principal: Principal,
    options: ApplicationPageQuery & { applicationId?: string },
  ): Promise<string[]>;

  /** The user of the store and, given an application, whether it is assigned to it itself; one query. */
  findAccessUser(
    identityStoreId: string,
    userId: string,
    applicationId?: string,
  ): Promise<AccessUserFacts | undefined>;
  /** `findAccessUser` for many users of the store at once (those not in it are left out); one query. */
  findAccessUsers(
    identityStoreId: string,
    userIds: readonly string[],
    applicationId: string,
  ): Promise<AccessUserFacts[]>;
  /** Granting groups: the user's direct groups assigned to the application, the first `limit` by ID. */
  listGrantingGroups(applicationId: string, userId: string, limit: number): Promise<GroupRef[]>;
  /** `listGrantingGroups` for many users at once, by user ID (users without any are left out); one query. */
  listGrantingGroupsOfUsers(
    applicationId: string,
    userIds: readonly string[],
    limit: number,
  ): Promise<Map<string, GroupRef[]>>;
  /** The nesting above the users' direct groups, for the nested-path search; two queries. */
  loadNestingAbove(applicationId: string, userIds: readonly string[]): Promise<NestingAbove>;
  /**
   * The groups above the user's direct groups (through nested groups, up to MAX_NESTING_DEPTH), each
   * at its smallest depth, and whether it is assigned to the application; one recursive query. The
   * one-user path: a few rows per group, where loadNestingAbove returns every edge for a page.
   */
  listAncestorLevels(applicationId: string, userId: string): Promise<AncestorLevel[]>;
  /** IDs of the groups directly inside the group. */
  listMemberGroupIds(groupId: string): Promise<string[]>;
  /** The first group (by ID) directly inside the group that the user is a direct member of. */
  findDirectGroupInside(groupId: string, userId: string): Promise<string | undefined>;
  findGroupNames(groupIds: readonly string[]): Promise<Map<string, string>>;
  /** The user's assignments, own and through direct groups, over every instance (one store's users are one instance's). */
  summarizeUserAssignments(userId: string): Promise<UserAssignmentSummary>;
  /** The instance's applications that are listed in `applicationIds` or require no assignment. */
  listApplicationsOpenOr(instanceId: string, applicationIds: readonly string[]): Promise<Application[]>;
}
