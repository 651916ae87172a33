import type { Clock } from '../../core/clock.js';
import type { Scope } from '../../core/scope.js';
import type { UnitOfWork } from '../../core/unit-of-work.js';
import type { IdentityStoreService } from '../identity-store/identity-store.service.js';
import type { User, UserStatus } from '../identity-store/identity-store.types.js';
import type { SessionsRepositories } from './sessions.service.js';

/** What a change of a user's access did: the user as it is now, and how many portal sessions ended. */
export interface UserAccessChange {
  user: User;
  sessionsEnded: number;
}

/**
 * What an admin does to a user's access to the portal: disable (the user cannot sign in, and every
 * session they have ends at once, not at its next use), enable, and sign out everywhere. The
 * status is set by the identity store service itself, inside this service's transaction, so a
 * disabled user never keeps a live session and a failed change leaves both as they were.
 */
export class UserLifecycleService {
  constructor(
    private readonly uow: UnitOfWork<SessionsRepositories>,
    private readonly identityStore: IdentityStoreService,
    /** The identity store service on a transaction's repositories (see joinedUnitOfWork). */
    private readonly identityStoreWithin: (within: SessionsRepositories) => IdentityStoreService,
    private readonly clock: Clock,
  ) {}

  /** ENABLED or DISABLED; disabling ends every portal session of the user in the same transaction. */
  async setUserStatus(
    scope: Scope,
    identityStoreId: string,
    userId: string,
    status: UserStatus,
  ): Promise<UserAccessChange> {
    return this.uow.transaction(async (within) => {
      const user = await this.identityStoreWithin(within).setUserStatus(
        scope,
        identityStoreId,
        userId,
        status,
      );
      const sessionsEnded =
        status === 'DISABLED' ? await within.sessions.endSessionsOfUser(user.userId, this.clock.now()) : 0;
      return { user, sessionsEnded };
    });
  }

  /** Ends every live portal session of the user; they must sign in again. */
  async signOutEverywhere(scope: Scope, identityStoreId: string, userId: string): Promise<UserAccessChange> {
    const user = await this.identityStore.describeUser(scope, identityStoreId, userId);
    const sessionsEnded = await this.uow.repositories.sessions.endSessionsOfUser(
      user.userId,
      this.clock.now(),
    );
    return { user, sessionsEnded };
  }
}
