import type { Lifecycle, LifecyclePhase, StudioStatus } from './studio.types.js';

/**
 * The status lifecycle of domains and user profiles, computed from timestamps: Pending → InService
 * after creation, Updating → InService after an update, Deleting → gone after a deletion. AWS takes
 * minutes; here a second, long enough to be observed and short enough for a waiter's first polls.
 * Pure functions of a stored phase and "now", so every process sharing the database agrees and a
 * test moves time with a ManualClock instead of sleeping.
 */
export interface LifecycleTimings {
  pendingMs: number;
  updatingMs: number;
  deletingMs: number;
}

export const DEFAULT_LIFECYCLE_TIMINGS: LifecycleTimings = {
  pendingMs: 1000,
  updatingMs: 1000,
  deletingMs: 1000,
};

/** The lifecycle of a resource entering `phase` at `now`. */
export const enterPhase = (phase: LifecyclePhase, now: Date, timings: LifecycleTimings): Lifecycle => {
  const duration =
    phase === 'Pending' ? timings.pendingMs : phase === 'Updating' ? timings.updatingMs : timings.deletingMs;
  return { phase, phaseUntil: new Date(now.getTime() + duration) };
};

/** The status at `now`; undefined once a deletion has completed (the resource is gone). */
export const statusAt = (lifecycle: Lifecycle, now: Date): StudioStatus | undefined => {
  if (now.getTime() < lifecycle.phaseUntil.getTime()) return lifecycle.phase;
  return lifecycle.phase === 'Deleting' ? undefined : 'InService';
};

/** Whether the resource is being deleted or gone: nothing may change it any more. */
export const isDeleting = (lifecycle: Lifecycle): boolean => lifecycle.phase === 'Deleting';
