import { NotFoundError } from '../../core/errors.js';
import type { Scope } from '../../core/scope.js';
import type { UnitOfWork } from '../../core/unit-of-work.js';
import type { IdentityStoreService } from '../identity-store/identity-store.service.js';
import {
  type AccessDecision,
  type AccessFacts,
  decideAccess,
  NAMED_GROUPS,
  needsNesting,
} from './access-decision.js';
import type { AccessUserFacts, ApplicationsRepository } from './applications.repository.js';
import {
  type ApplicationsRepositories,
  type ApplicationsService,
  applicationArnOf,
} from './applications.service.js';
import type { Application, GroupRef } from './applications.types.js';
import { nestedPathFinder } from './nested-path.js';

export interface AccessQuestion {
  applicationArn: string;
  userId: string;
}

/** A question as people ask it: a user by user name or ID, an application by name or ARN. */
export interface NamedAccessQuestion {
  user: string;
  application: string;
}

export interface AccessibleApplication {
  application: Application;
  decision: AccessDecision;
}

const userNotFound = (userId: string): NotFoundError =>
  new NotFoundError(
    'USER_NOT_FOUND',
    `User ${userId} does not exist in the identity store of this instance.`,
    {
      resourceType: 'USER',
      resourceId: userId,
    },
  );

const accessApplication = (application: Application) => ({
  applicationArn: applicationArnOf(application),
  applicationId: application.applicationId,
  name: application.name,
  status: application.status,
  assignmentRequired: application.assignmentRequired,
});

/**
 * The shortest chain [H, …, G] from one of each user's direct groups H, through nested groups, up to
 * a group G assigned to the application, by user ID (users without one are left out): the nesting
 * in two queries and the group names in a third, whatever the number of users; read only for
 * refusals that nothing else explains.
 */
const findNestedPaths = async (
  applications: ApplicationsRepository,
  applicationId: string,
  userIds: readonly string[],
): Promise<Map<string, GroupRef[]>> => {
  if (userIds.length === 0) return new Map();
  const pathOf = nestedPathFinder(await applications.loadNestingAbove(applicationId, userIds));
  const chains = userIds.flatMap((userId) => {
    const chain = pathOf(userId);
    return chain === undefined ? [] : [[userId, chain] as const];
  });
  const names = await applications.findGroupNames([...new Set(chains.flatMap(([, chain]) => chain))]);
  return new Map(
    chains.map(([userId, chain]) => [
      userId,
      chain.map((groupId) => ({ groupId, displayName: names.get(groupId) ?? groupId })),
    ]),
  );
};

/**
 * The shortest chain [H, …, G] from one of the user's direct groups H, through nested groups, up to
 * a group G assigned to the application; undefined when there is none. The levels query gives every
 * group above the user's groups at its smallest depth; the chain is then walked down from the
 * nearest assigned group, one level at a time, ties broken by group ID. A few small queries, and
 * only for a refusal that nothing else explains. One user's question (the portal, CreateUserProfile)
 * takes this path: measured 3× faster than loading every nesting edge as the page path does; the
 * property test in access.decide-for-users.test.ts holds the two to the same answers.
 */
const findNestedPath = async (
  applications: ApplicationsRepository,
  applicationId: string,
  userId: string,
): Promise<GroupRef[] | undefined> => {
  const levels = await applications.listAncestorLevels(applicationId, userId);
  const target = levels
    .filter((l) => l.assigned)
    .sort((a, b) => a.depth - b.depth || byId(a.groupId, b.groupId))[0];
  if (target === undefined) return undefined;
  const depthOf = new Map(levels.map((l) => [l.groupId, l.depth]));
  const chain = [target.groupId];
  let current = target.groupId;
  for (let depth = target.depth - 1; depth >= 1; depth--) {
    const children = await applications.listMemberGroupIds(current);
    const next = children.filter((id) => depthOf.get(id) === depth).sort(byId)[0];
    // Only a concurrent change to the nesting can break the chain; then nothing is reported.
    if (next === undefined) return undefined;
    chain.unshift(next);
    current = next;
  }
  const direct = await applications.findDirectGroupInside(current, userId);
  if (direct === undefined) return undefined;
  chain.unshift(direct);
  const names = await applications.findGroupNames(chain);
  return chain.map((groupId) => ({ groupId, displayName: names.get(groupId) ?? groupId }));
};

const byId = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The facts of one user without the nesting, which `needsNesting` tells whether to read. */
const factsOf = (
  application: Application,
  { directlyAssigned, ...user }: AccessUserFacts,
  granting: readonly GroupRef[],
): AccessFacts => ({
  application: accessApplication(application),
  user,
  directlyAssigned,
  grantingGroups: granting.slice(0, NAMED_GROUPS),
  moreGrantingGroups: granting.length > NAMED_GROUPS,
});

/**
 * Effective access: the one place that answers "may this user open this application, and why".
 * It reads the facts fresh on every question (three indexed queries when access is granted) and
 * leaves the judgement to the pure `decideAccess`, so the portal, SageMaker's CreateUserProfile,
 * the console and the CLI cannot disagree.
 */
export class AccessService {
  constructor(
    private readonly uow: UnitOfWork<ApplicationsRepositories>,
    private readonly applications: ApplicationsService,
    private readonly identityStore: IdentityStoreService,
  ) {}

  /** The decision for a user of the application's identity store; an unknown user is USER not found. */
  async decideAccess(scope: Scope, question: AccessQuestion): Promise<AccessDecision> {
    const application = await this.applications.ownedApplication(scope, question.applicationArn);
    return this.decideForApplication(application, question.userId);
  }

  /** As `decideAccess`, for a caller that already holds the application (e.g. a SageMaker domain's). */
  async decideForApplication(application: Application, userId: string): Promise<AccessDecision> {
    const { applications } = this.uow.repositories;
    const user = await applications.findAccessUser(
      application.identityStoreId,
      userId,
      application.applicationId,
    );
    if (user === undefined) throw userNotFound(userId);
    const granting = await applications.listGrantingGroups(
      application.applicationId,
      userId,
      NAMED_GROUPS + 1,
    );
    const facts = factsOf(application, user, granting);
    if (!needsNesting(facts)) return decideAccess(facts);
    return decideAccess({
      ...facts,
      nestedPath: await findNestedPath(applications, application.applicationId, userId),
    });
  }

  /**
   * `decideForApplication` for a page of users of the application's identity store at once (the
   * console's onboarding table), by user ID; users not in the store are left out. The same facts,
   * read for all of them together: two queries, and three more when some refusal needs the nesting,
   * whatever the number of users; the same `decideAccess` decides.
   */
  async decideForUsers(
    application: Application,
    userIds: readonly string[],
  ): Promise<Map<string, AccessDecision>> {
    const { applications } = this.uow.repositories;
    const unique = [...new Set(userIds)];
    const users = await applications.findAccessUsers(
      application.identityStoreId,
      unique,
      application.applicationId,
    );
    const granting = await applications.listGrantingGroupsOfUsers(
      application.applicationId,
      users.map((user) => user.userId),
      NAMED_GROUPS + 1,
    );
    const facts = users.map((user) => factsOf(application, user, granting.get(user.userId) ?? []));
    const paths = await findNestedPaths(
      applications,
      application.applicationId,
      facts.filter(needsNesting).map((f) => f.user.userId),
    );
    return new Map(
      facts.map((f) => [
        f.user.userId,
        decideAccess(needsNesting(f) ? { ...f, nestedPath: paths.get(f.user.userId) } : f),
      ]),
    );
  }

  /** `decideAccess` for names people use (explain-access, the console), with what was resolved. */
  async explain(
    scope: Scope,
    question: NamedAccessQuestion,
  ): Promise<{ application: Application; decision: AccessDecision }> {
    const application = await this.applications.resolveApplication(scope, question.application);
    const user = await this.identityStore.resolveUser(scope, application.identityStoreId, question.user);
    return { application, decision: await this.decideForApplication(application, user.userId) };
  }

  /**
   * Every application of the store's instance the user may open, by application ID, each with its
   * decision (always allowed; it names the first granting group only): the portal's list. The same
   * rule as `decideAccess`, over all applications at once, in four queries whatever the number of
   * groups.
   */
  async applicationsAccessibleBy(
    scope: Scope,
    subject: { identityStoreId: string; userId: string },
  ): Promise<AccessibleApplication[]> {
    const { instances, applications } = this.uow.repositories;
    const instance = await instances.findInstanceOfAccount(scope.accountId);
    if (
      instance === undefined ||
      instance.region !== scope.region ||
      instance.identityStoreId !== subject.identityStoreId
    ) {
      throw new NotFoundError(
        'IDENTITY_STORE_NOT_FOUND',
        `Identity store ${subject.identityStoreId} does not exist.`,
        {
          resourceType: 'IDENTITY_STORE',
          resourceId: subject.identityStoreId,
        },
      );
    }
    const user = await applications.findAccessUser(subject.identityStoreId, subject.userId);
    if (user === undefined) throw userNotFound(subject.userId);
    const { directlyAssigned: _none, ...accessUser } = user;
    const summary = await applications.summarizeUserAssignments(subject.userId);
    const direct = new Set(summary.direct);
    const viaGroups = new Map(summary.viaGroups.map((v) => [v.applicationId, v]));
    const candidates = await applications.listApplicationsOpenOr(instance.instanceId, [
      ...new Set([...summary.direct, ...viaGroups.keys()]),
    ]);
    return candidates
      .map((application) => {
        const via = viaGroups.get(application.applicationId);
        return {
          application,
          decision: decideAccess({
            application: accessApplication(application),
            user: accessUser,
            directlyAssigned: direct.has(application.applicationId),
            grantingGroups: via === undefined ? [] : [via.firstGroup],
            moreGrantingGroups: via !== undefined && via.groupCount > 1,
          }),
        };
      })
      .filter((entry) => entry.decision.allowed);
  }
}
