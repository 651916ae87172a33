import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Clock } from '../../core/clock.js';
import type { CloudFormationRepository, Lease } from './cloudformation.repository.js';
import { LeaseLostError, StopRequested } from './stack-engine.js';

/**
 * Runs stack operations in the background of the process that accepted them, and picks up the
 * ones a stopped process left behind. Every running stack is leased: the lease is renewed while
 * the operation runs and lapses when its process stops, after which any process (a restarted one,
 * or another one on the same PostgreSQL) claims the stack and finishes the operation from what the
 * stack records — as the mail outbox's delivery claims work.
 */

export interface OperationRunner {
  run(stackId: string, owner: string): Promise<void>;
}

export interface StackOperationsLogger {
  info(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface StackOperationsOptions {
  runner: OperationRunner;
  repository: CloudFormationRepository;
  clock: Clock;
  logger: StackOperationsLogger;
  /** How long a lease lasts without renewal: the delay before a stopped process's work is resumed. */
  leaseMs?: number;
  /** How often stacks left by stopped processes are looked for. */
  pollIntervalMs?: number;
}

/** The port the cloudformation service starts and awaits operations through. */
export interface StackOperationsPort {
  /** A lease for a stack this process is about to start an operation on. */
  lease(): Lease;
  /** Starts running the (committed, leased) stack's operation in the background. */
  launch(stackId: string): void;
  /** Waits until the stack's operation running here ends, or `timeoutMs` passes. */
  settle(stackId: string, timeoutMs: number): Promise<void>;
}

export class StackOperations implements StackOperationsPort {
  readonly owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  private readonly running = new Map<string, Promise<void>>();
  private readonly leaseMs: number;
  private readonly pollIntervalMs: number;
  private timers: NodeJS.Timeout[] = [];
  private stopped = false;
  private stopping = false;

  constructor(private readonly options: StackOperationsOptions) {
    this.leaseMs = options.leaseMs ?? 5000;
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
  }

  lease(): Lease {
    return { owner: this.owner, until: new Date(this.options.clock.now().getTime() + this.leaseMs) };
  }

  /** Resumes what stopped processes left, then keeps leases fresh and looks for more. */
  start(): void {
    if (this.timers.length > 0 || this.stopped) return;
    const heartbeat = setInterval(() => void this.renew(), Math.max(200, Math.floor(this.leaseMs / 3)));
    const poll = setInterval(() => void this.claimAbandoned(), this.pollIntervalMs);
    heartbeat.unref();
    poll.unref();
    this.timers = [heartbeat, poll];
    void this.claimAbandoned();
  }

  /** Whether operations should stop at their next step (the process is shutting down). */
  get shuttingDown(): boolean {
    return this.stopping;
  }

  /** Lets each running operation finish its current step, then gives up the leases at once. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.stopped = true;
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    await Promise.allSettled([...this.running.values()]);
  }

  launch(stackId: string): void {
    if (this.running.has(stackId) || this.stopped) return;
    const run = this.runOne(stackId).finally(() => this.running.delete(stackId));
    this.running.set(stackId, run);
  }

  async settle(stackId: string, timeoutMs: number): Promise<void> {
    const run = this.running.get(stackId);
    if (run === undefined) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([run, new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
  }

  private async runOne(stackId: string): Promise<void> {
    let release = true;
    try {
      await this.options.runner.run(stackId, this.owner);
    } catch (error) {
      if (error instanceof StopRequested) {
        // Released below, so that the next process resumes at once rather than after the lease.
      } else if (error instanceof LeaseLostError) {
        release = false;
      } else {
        // Kept until the lease runs out: the next attempt comes then, not in a tight loop.
        release = false;
        this.options.logger.error(
          { err: error, stack: stackId },
          'stack operation failed; it will be retried',
        );
      }
    }
    if (release) {
      try {
        await this.options.repository.releaseLease(stackId, this.owner);
      } catch (error) {
        this.options.logger.error({ err: error, stack: stackId }, 'could not release a stack lease');
      }
    }
  }

  private async renew(): Promise<void> {
    if (this.running.size === 0) return;
    try {
      await this.options.repository.renewLeases([...this.running.keys()], this.lease());
    } catch (error) {
      this.options.logger.error({ err: error }, 'could not renew stack leases');
    }
  }

  private async claimAbandoned(): Promise<void> {
    if (this.stopped) return;
    try {
      const now = this.options.clock.now();
      for (const stackId of await this.options.repository.findClaimableStacks(now, 10)) {
        if (this.running.has(stackId) || this.stopped) continue;
        if (await this.options.repository.claimStack(stackId, this.lease(), now)) {
          this.options.logger.info({ stack: stackId }, 'resuming a stack operation');
          this.launch(stackId);
        }
      }
    } catch (error) {
      this.options.logger.error({ err: error }, 'could not look for stack operations to resume');
    }
  }
}
