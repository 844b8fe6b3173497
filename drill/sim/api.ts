import type { SimCall } from './calls';
import type { World } from './world';

/** How the simulator's services answer: one handler per command, given the world it acts on. */

/** One simulated API: input in, output out (or a thrown SDK-shaped error). */
export type SimHandler = (input: unknown, world: World, region: string, call: SimCall) => unknown;

/** A service's simulated API, by command name without the `Command` suffix. */
export type SimApi = Readonly<Record<string, SimHandler>>;

/** Where AWS documents a command must be sent, given the world when it is sent (undefined: anywhere). */
export type DocumentedRegion = (input: unknown, world: World) => string | undefined;
