import { MAX_NESTING_DEPTH, type NestingAbove } from './applications.repository.js';

const byId = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The nested-path search over nesting read beforehand, for one user or a page of them: for a user,
 * the shortest chain [H, …, G] of group IDs from one of the user's direct groups H, through nested
 * groups, up to a group G assigned to the application; undefined when there is none.
 *
 * Every group above the user's direct groups gets its smallest depth (1 = directly contains a direct
 * group; at most MAX_NESTING_DEPTH); the nearest assigned group is G (ties by group ID), and the chain
 * is walked down from it one level at a time, taking the child of the level below with the smallest
 * ID. Pure: AccessService reads the facts (`ApplicationsRepository.loadNestingAbove`), this decides
 * the path, the same way for `decideForApplication` and `decideForUsers`.
 */
export const nestedPathFinder = (nesting: NestingAbove): ((userId: string) => string[] | undefined) => {
  const parentsOf = new Map<string, string[]>();
  const childrenOf = new Map<string, string[]>();
  const add = (map: Map<string, string[]>, key: string, value: string): void => {
    const list = map.get(key);
    if (list === undefined) map.set(key, [value]);
    else list.push(value);
  };
  for (const { groupId, memberGroupId } of nesting.edges) {
    add(parentsOf, memberGroupId, groupId);
    add(childrenOf, groupId, memberGroupId);
  }
  const firstChild = (groupId: string, fits: (id: string) => boolean): string | undefined =>
    (childrenOf.get(groupId) ?? []).filter(fits).sort(byId)[0];

  return (userId) => {
    const direct = new Set(nesting.directGroups.get(userId) ?? []);
    // Breadth first from the direct groups' parents: the first level a group is met at is its depth.
    const depthOf = new Map<string, number>();
    let level = new Set([...direct].flatMap((id) => parentsOf.get(id) ?? []));
    for (let depth = 1; level.size > 0 && depth <= MAX_NESTING_DEPTH; depth++) {
      const next = new Set<string>();
      for (const groupId of level) {
        if (depthOf.has(groupId)) continue;
        depthOf.set(groupId, depth);
        for (const parent of parentsOf.get(groupId) ?? []) if (!depthOf.has(parent)) next.add(parent);
      }
      level = next;
    }
    const target = [...depthOf.entries()]
      .filter(([groupId]) => nesting.assignedGroups.has(groupId))
      .sort(([a, da], [b, db]) => da - db || byId(a, b))[0];
    if (target === undefined) return undefined;
    const [targetId, targetDepth] = target;
    const chain = [targetId];
    let current = targetId;
    for (let depth = targetDepth - 1; depth >= 1; depth--) {
      const next = firstChild(current, (id) => depthOf.get(id) === depth);
      // Only nesting read while it changed can break the chain; then nothing is reported.
      if (next === undefined) return undefined;
      chain.unshift(next);
      current = next;
    }
    const first = firstChild(current, (id) => direct.has(id));
    if (first === undefined) return undefined;
    chain.unshift(first);
    return chain;
  };
};
