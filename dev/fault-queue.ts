/**
 * Scripted faults per route, as the Discord, Mattermost and Teams emulators take them: each route's
 * faults in the order given, each for `times` calls; "*" for any route (a route may be kept out of it:
 * Teams' sign-in routes, which a fault of the connector does not touch).
 */
export interface FaultQueue<Fault> {
  /** Queues `fault` for the next `times` calls of `route` ("*": any route). */
  add(route: string, fault: Fault, times: number): void;
  /** The fault the next call of `route` meets, if any (a route's own first, then "*"), counted down. */
  take(route: string): Fault | undefined;
  /** Drops every fault not met yet. */
  clear(): void;
}

export function createFaultQueue<Fault>(options: { notForAnyRoute?: readonly string[] } = {}): FaultQueue<Fault> {
  const faults = new Map<string, { fault: Fault; remaining: number }[]>();
  return {
    add(route, fault, times) {
      const queue = faults.get(route) ?? [];
      queue.push({ fault, remaining: times });
      faults.set(route, queue);
    },
    take(route) {
      for (const key of [route, "*"]) {
        if (key === "*" && options.notForAnyRoute?.includes(route)) continue;
        const head = faults.get(key)?.[0];
        if (head === undefined) continue;
        head.remaining -= 1;
        if (head.remaining <= 0) faults.get(key)!.shift();
        return head.fault;
      }
      return undefined;
    },
    clear: () => faults.clear(),
  };
}
