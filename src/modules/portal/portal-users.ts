import type { IdentityStoreRepository } from '../identity-store/identity-store.repository.js';
import { lookupKey, type User } from '../identity-store/identity-store.types.js';

/**
 * Users as the portal finds them: by the identity store alone, since a person signing in has no
 * AWS caller scope. The store's owner and Region come from the store itself.
 */
export const findStoreUser = async (
  repository: IdentityStoreRepository,
  identityStoreId: string,
  userId: string,
): Promise<User | undefined> => {
  const store = await repository.findIdentityStore(identityStoreId);
  if (store === undefined) return undefined;
  return repository.findUser({ identityStoreId, accountId: store.accountId, region: store.region }, userId);
};

export const findStoreUserByName = async (
  repository: IdentityStoreRepository,
  identityStoreId: string,
  userName: string,
): Promise<User | undefined> => {
  const userId = await repository.findUserIdByUserName(identityStoreId, lookupKey(userName));
  return userId === undefined ? undefined : findStoreUser(repository, identityStoreId, userId);
};
