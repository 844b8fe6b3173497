/**
 * SDK clients cached per class and region at module scope, so a warm Lambda reuses connections and
 * one process (the drill) can serve both regions' orchestrators.
 */
type ClientCtor<C> = new (config: { region: string; maxAttempts?: number }) => C;

const cache = new Map<ClientCtor<unknown>, Map<string, unknown>>();

/**
 * A client of `ctor` for `region`. SDK retries are limited to one extra attempt: the state
 * machine owns retry with backoff, so its budget is visible in the execution history.
 */
export function clientFor<C>(ctor: ClientCtor<C>, region: string): C {
  let byRegion = cache.get(ctor as ClientCtor<unknown>);
  if (!byRegion) {
    byRegion = new Map();
    cache.set(ctor as ClientCtor<unknown>, byRegion);
  }
  let client = byRegion.get(region) as C | undefined;
  if (!client) {
    client = new ctor({ region, maxAttempts: 2 });
    byRegion.set(region, client);
  }
  return client;
}
