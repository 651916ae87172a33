import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AccessServices, accessServicesOn } from '../../../test/support/access-services.js';
import {
  openTestDatabase,
  postgresUnavailableReason,
  testDialects,
} from '../../../test/support/test-databases.js';
import { ManualClock } from '../../core/clock.js';
import { type AppError, isAppError } from '../../core/errors.js';
import type { Database } from '../../storage/database.js';
import { CUSTOM_PROVIDER_ARN } from './application-providers.js';
import { applicationArnOf } from './applications.service.js';

const failure = async (work: Promise<unknown>): Promise<AppError> => {
  try {
    await work;
  } catch (error) {
    if (isAppError(error)) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
};

const pgUnavailable = await postgresUnavailableReason();

for (const dialect of testDialects()) {
  const skipReason = dialect === 'postgres' ? pgUnavailable : undefined;
  const suite = skipReason === undefined ? describe : describe.skip;

  suite(`assigning several principals at once on ${dialect}${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
    let database: Database;
    let s: AccessServices;
    const clock = new ManualClock(new Date('2026-12-01T10:00:00.000Z'));

    beforeAll(async () => {
      database = await openTestDatabase(dialect);
      s = accessServicesOn(database, clock);
    });
    afterAll(async () => {
      await database?.close();
    });

    const tenant = async () => {
      const { scope, instance, instanceArn } = await s.newTenant();
      const store = instance.identityStoreId;
      const person = (userName: string) => ({
        userName,
        displayName: userName,
        name: { givenName: 'Given', familyName: 'Family' },
      });
      const alice = await s.identityStore.createUser(scope, store, person('alice'));
      const bob = await s.identityStore.createUser(scope, store, person('bob'));
      const team = await s.identityStore.createGroup(scope, store, { displayName: 'Team' });
      const app = await s.applications.createApplication(scope, {
        instanceArn,
        providerArn: CUSTOM_PROVIDER_ARN,
        name: 'Notebook',
      });
      return { scope, alice, bob, team, appArn: applicationArnOf(app) };
    };

    it('assigns users and groups together, each once', async () => {
      const { scope, alice, bob, team, appArn } = await tenant();
      const made = await s.applications.createAssignments(scope, appArn, [
        { type: 'USER', id: alice.userId },
        { type: 'GROUP', id: team.groupId },
        { type: 'USER', id: alice.userId },
      ]);
      expect(made.map((a) => a.principal)).toEqual([
        { type: 'USER', id: alice.userId },
        { type: 'GROUP', id: team.groupId },
      ]);
      const listed = await s.applications.listAssignments(scope, appArn, { limit: 10 });
      expect(listed.items.map((a) => a.principal.id).sort()).toEqual([alice.userId, team.groupId].sort());
      expect(listed.items.some((a) => a.principal.id === bob.userId)).toBe(false);
    });

    it('assigns none when one of them cannot be assigned, and says which', async () => {
      const { scope, alice, bob, team, appArn } = await tenant();
      await s.applications.createAssignment(scope, appArn, { type: 'GROUP', id: team.groupId });
      const duplicate = await failure(
        s.applications.createAssignments(scope, appArn, [
          { type: 'USER', id: alice.userId },
          { type: 'GROUP', id: team.groupId },
          { type: 'USER', id: bob.userId },
        ]),
      );
      expect(duplicate.code).toBe('ASSIGNMENT_EXISTS');
      expect(duplicate.message).toContain(team.groupId);
      const missing = await failure(
        s.applications.createAssignments(scope, appArn, [
          { type: 'USER', id: bob.userId },
          { type: 'USER', id: 'no-such-user' },
        ]),
      );
      expect(missing.code).toBe('USER_NOT_FOUND');
      const listed = await s.applications.listAssignments(scope, appArn, { limit: 10 });
      expect(listed.items.map((a) => a.principal.id)).toEqual([team.groupId]);
    });
  });
}
