import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Which Lambda invocation (or Step Functions integration) the current async call chain belongs to.
 * The two Parallel branches run their handlers concurrently and interleave at every `await`, so
 * a process-wide `process.env` swap would leak one function's environment into the other; an
 * AsyncLocalStorage store follows each chain across awaits instead.
 */
export interface Invocation {
  /** Exactly the variables the function's process sees. */
  readonly env: Record<string, string>;
  /** Region the function runs in. */
  readonly region: string;
  readonly functionName: string;
  readonly stateName: string;
  readonly executionArn: string;
}

const storage = new AsyncLocalStorage<Invocation>();

/** The invocation the caller runs in, if any. */
export function currentInvocation(): Invocation | undefined {
  return storage.getStore();
}

/** Run `work` as `invocation`: inside it, `process.env` is the invocation's environment. */
export function runAs<T>(invocation: Invocation, work: () => T): T {
  return storage.run(invocation, work);
}

/**
 * Replace `process.env` with a view that reads and writes the current invocation's environment
 * inside {@link runAs}, and the real environment elsewhere. Returns the function that restores it.
 */
export function installEnvironmentView(): () => void {
  const real = process.env;
  const target = (): Record<string, string | undefined> => storage.getStore()?.env ?? real;
  const view = new Proxy(real, {
    get: (_t, key) => (typeof key === 'string' ? target()[key] : undefined),
    set: (_t, key, value) => {
      if (typeof key === 'string') target()[key] = String(value);
      return true;
    },
    has: (_t, key) => typeof key === 'string' && key in target(),
    deleteProperty: (_t, key) => {
      if (typeof key === 'string') delete target()[key];
      return true;
    },
    ownKeys: () => Reflect.ownKeys(target()),
    getOwnPropertyDescriptor: (_t, key) => {
      if (typeof key !== 'string') return undefined;
      const value = target()[key];
      return value === undefined
        ? undefined
        : { value, writable: true, enumerable: true, configurable: true };
    },
  });
  process.env = view;
  return () => {
    process.env = real;
  };
}
