/** The shape every ASL state shares, as far as listing states needs it. */
export interface NestingState {
  readonly Type?: string;
  readonly Branches?: readonly { readonly States?: Readonly<Record<string, NestingState>> }[];
  readonly Iterator?: { readonly States?: Readonly<Record<string, NestingState>> };
  readonly ItemProcessor?: { readonly States?: Readonly<Record<string, NestingState>> };
}

/** One state of a definition, wherever it sits. */
export interface ListedState<S> {
  readonly name: string;
  readonly state: S;
  /** Inside a Parallel branch or a Map iterator (a Fail there ends the branch, not the execution). */
  readonly nested: boolean;
}

/**
 * Every state of `graph`, including those inside Parallel branches and Map iterators, each
 * right after the state that holds it: the one way the drill and the tests list a definition's
 * states.
 */
export function listStates<S extends NestingState>(graph: {
  readonly States?: Readonly<Record<string, S>>;
}): ListedState<S>[] {
  const out: ListedState<S>[] = [];
  const visit = (states: Readonly<Record<string, NestingState>> | undefined, nested: boolean) => {
    for (const [name, state] of Object.entries(states ?? {})) {
      out.push({ name, state: state as S, nested });
      for (const branch of state.Branches ?? []) visit(branch.States, true);
      visit(state.Iterator?.States, true);
      visit(state.ItemProcessor?.States, true);
    }
  };
  visit(graph.States, false);
  return out;
}
