/** How an outside service orderops uses is doing; the core (database, API) is reported separately. */
export type DependencyState = 'connecting' | 'ready' | 'failing';

export interface DependencyHealth {
  state: DependencyState;
  /** The last failure, kept until the next success. */
  lastError: string | null;
  /** When the next attempt to connect is due (ISO time); null while ready or mid-attempt. */
  nextAttemptAt: string | null;
}

/**
 * Where the parts of the service report the outside services they depend on, so `/healthz` can
 * show them without knowing the parts. A degraded dependency never makes the service unhealthy:
 * the API, email and jobs keep serving while Slack (say) reconnects.
 */
export interface HealthRegistry {
  /** Adds a dependency; `read` is called on every health request and must not block. */
  add(name: string, read: () => DependencyHealth): void;
  /** The current health of every dependency added, by name. */
  snapshot(): Record<string, DependencyHealth>;
}

// Keys the health answer already uses for the core.
const RESERVED = new Set(['status', 'db', 'orders', 'error']);

export function createHealthRegistry(): HealthRegistry {
  const readers = new Map<string, () => DependencyHealth>();
  return {
    add(name, read) {
      if (RESERVED.has(name)) throw new Error(`"${name}" is part of the core health answer; name the dependency differently`);
      if (readers.has(name)) throw new Error(`a dependency named "${name}" is already reported`);
      readers.set(name, read);
    },
    snapshot() {
      return Object.fromEntries([...readers].map(([name, read]) => [name, read()]));
    },
  };
}
