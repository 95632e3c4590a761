import {
  BrokenCircuitError,
  BulkheadRejectedError,
  CircuitBreakerPolicy,
  CircuitState,
  ConsecutiveBreaker,
  bulkhead,
  circuitBreaker,
  handleWhen,
  type BulkheadPolicy,
} from 'cockatiel';
import type { GraphQLError } from 'graphql';
import { departmentUnavailable, ErrorCode } from '../shared/errors';
import { logger } from '../shared/logger';
import { subgraphCallsRejected, subgraphCircuitState } from './metrics';

/** How the gateway protects itself from one department (docs/deploy.md, "A department hangs"). */
export interface BreakerSettings {
  /** Consecutive failed calls (timeout, unreachable, 5xx) that open the circuit. */
  failures: number;
  /** How long an open circuit refuses calls before one trial call may go through (half-open). */
  halfOpenAfterMs: number;
  /**
   * Calls to one department in flight at once (bulkhead); more wait in a queue of `maxQueued`,
   * beyond that they are refused. A queued call whose request has run out of time when its turn
   * comes is dropped then, so the queue can be long: it absorbs bursts, the deadline bounds the wait.
   */
  maxConcurrent: number;
  maxQueued: number;
}

export const DEFAULT_BREAKER: BreakerSettings = { failures: 3, halfOpenAfterMs: 5_000, maxConcurrent: 64, maxQueued: 1024 };

export type CircuitName = 'closed' | 'open' | 'half-open' | 'isolated';

/**
 * Probes in a row that must get no answer before the department is isolated: one probe round can
 * time out for the gateway's own reasons (its event loop blocked, every probe late at once).
 */
const PROBE_FAILURES_TO_ISOLATE = 2;

const NAMES: Record<CircuitState, CircuitName> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Isolated]: 'isolated',
};

/** A call whose request's time ran out while it waited for the bulkhead: the gateway's load, not the department's failure (the circuit does not count it). */
class QueuedTooLong extends Error {}

/** A failure that says the department did not answer (not one where it answered and refused). */
function isUnavailable(err: unknown): boolean {
  return (err as Partial<GraphQLError> | null)?.extensions?.code === ErrorCode.DepartmentUnavailable;
}

/**
 * One department's circuit breaker and bulkhead (cockatiel). Fed by the data path (each call's
 * outcome) and by the health probe: two probes in a row that get no answer isolate the department
 * until a probe gets one again, and a probe answer closes a circuit the data path had opened, so a
 * department that comes back is used again within one probe interval. While open (or isolated, or
 * while the one half-open trial call runs) calls fail at once with `DEPARTMENT_UNAVAILABLE`,
 * reason "circuit open": a hung department costs the few calls that open the circuit a timeout,
 * not every request.
 */
export class DepartmentCircuit {
  private readonly breaker: CircuitBreakerPolicy;
  private readonly bulkhead: BulkheadPolicy;
  private isolation: { dispose(): void } | undefined;
  private probesUnanswered = 0;

  constructor(
    readonly department: string,
    settings: BreakerSettings,
  ) {
    this.breaker = circuitBreaker(handleWhen(isUnavailable), { halfOpenAfter: settings.halfOpenAfterMs, breaker: new ConsecutiveBreaker(settings.failures) });
    this.bulkhead = bulkhead(settings.maxConcurrent, settings.maxQueued);
    subgraphCircuitState.set({ subgraph: department }, CircuitState.Closed);
    // Open and isolated refuse calls alike: a change between the two is not logged again.
    let logged: CircuitState = CircuitState.Closed;
    this.breaker.onStateChange((state) => {
      subgraphCircuitState.set({ subgraph: department }, state);
      const refusing = state === CircuitState.Open || state === CircuitState.Isolated;
      if (refusing && (logged === CircuitState.Open || logged === CircuitState.Isolated)) return;
      logged = state;
      const circuit = NAMES[state];
      if (state === CircuitState.Closed) logger.info({ subgraph: department, circuit }, 'circuit closed: calls go through again');
      else if (state === CircuitState.HalfOpen) logger.info({ subgraph: department, circuit }, 'circuit half-open: one trial call goes through');
      else logger.warn({ subgraph: department, circuit }, 'circuit open: calls fail at once with DEPARTMENT_UNAVAILABLE');
    });
  }

  get state(): CircuitName {
    return NAMES[this.breaker.state];
  }

  /**
   * Runs one call to the department, or refuses it at once when the circuit is not closed or the
   * bulkhead is full, or when its turn in the queue comes after `deadline` (epoch ms).
   */
  async call<T>(fn: () => Promise<T>, deadline = Infinity): Promise<T> {
    // cockatiel queues the calls that arrive during a half-open trial until it ends; a hung department would make them all wait.
    if (this.breaker.state === CircuitState.HalfOpen) throw this.refuse('circuit open');
    try {
      return await this.breaker.execute(() => this.bulkhead.execute(() => (Date.now() < deadline ? fn() : Promise.reject(new QueuedTooLong()))));
    } catch (err) {
      if (err instanceof BrokenCircuitError) throw this.refuse('circuit open');
      if (err instanceof BulkheadRejectedError) throw this.refuse('too many calls in flight');
      if (err instanceof QueuedTooLong) throw this.refuse('no time left after waiting in its queue');
      throw err;
    }
  }

  /** The health probe's verdict: `false` when the department gave no answer at all. */
  probed(answered: boolean): void {
    if (!answered) {
      if (++this.probesUnanswered >= PROBE_FAILURES_TO_ISOLATE) this.isolation ??= this.breaker.isolate();
      return;
    }
    this.probesUnanswered = 0;
    if (this.isolation) {
      this.isolation.dispose();
      this.isolation = undefined;
    } else if (this.breaker.state === CircuitState.Open) {
      // An answer to the probe is as good as a trial call: isolating and releasing closes the circuit.
      this.breaker.isolate().dispose();
    }
  }

  private refuse(reason: string): GraphQLError {
    subgraphCallsRejected.inc({ subgraph: this.department, reason });
    return departmentUnavailable(this.department, reason);
  }
}
