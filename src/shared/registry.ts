/** What a subgraph serves: a department's records, or the audit trail's read side (for oversight, 监督). */
export type SubgraphKind = 'department' | 'audit';

/**
 * Every subgraph of the hub, one line each: its default port (`<NAME>_PORT` overrides it) and its
 * kind. Data only, so that configuration, docker and kubernetes read the list without loading any
 * subgraph code; src/subgraphs/index.ts pairs each name with its definition, and the type checker
 * holds the two to the same names. `hub new-department` adds one line here.
 */
export const SUBGRAPH_REGISTRY = {
  grid: { port: 4101, kind: 'department' },
  police: { port: 4102, kind: 'department' },
  procuratorate: { port: 4103, kind: 'department' },
  court: { port: 4104, kind: 'department' },
  justice: { port: 4105, kind: 'department' },
  petition: { port: 4107, kind: 'department' },
  hotline: { port: 4108, kind: 'department' },
  audit: { port: 4106, kind: 'audit' },
  workflow: { port: 4109, kind: 'department' },
} as const satisfies Record<string, { port: number; kind: SubgraphKind }>;

export type SubgraphName = keyof typeof SUBGRAPH_REGISTRY;
/** The departments: every subgraph but the audit trail's. */
export type Department = { [N in SubgraphName]: (typeof SUBGRAPH_REGISTRY)[N]['kind'] extends 'department' ? N : never }[SubgraphName];

/** Every subgraph's name, in the registry's order. */
export const SUBGRAPHS = Object.keys(SUBGRAPH_REGISTRY) as SubgraphName[];
export const DEPARTMENTS = SUBGRAPHS.filter((s): s is Department => SUBGRAPH_REGISTRY[s].kind === 'department');
