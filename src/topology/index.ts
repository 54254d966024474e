import { type FunctionName, TOPOLOGY } from './pipelines.js';
import type { FunctionDef, PortName, Topology } from './types.js';

export { type FunctionName, TOPOLOGY } from './pipelines.js';
export type * from './types.js';

/** The function of that name; throws naming the known ones otherwise. */
export function functionDef(name: string, topology: Topology = TOPOLOGY): FunctionDef {
  const found = topology.functions.find((f) => f.name === name);
  if (!found) {
    throw new Error(`unknown function ${name}; the topology has ${topology.functions.map((f) => f.name).join(', ')}`);
  }
  return found;
}

export function isFunctionName(name: string, topology: Topology = TOPOLOGY): name is FunctionName {
  return topology.functions.some((f) => f.name === name);
}

/** Ports backed by services that live inside the VPC in AWS (OpenSearch, Neptune, ElastiCache). */
const VPC_PORTS: ReadonlySet<PortName> = new Set(['status', 'cache', 'search', 'graph', 'interactions', 'recommender']);

/** Whether the function needs the VPC on the aws target: it uses a port backed by a VPC-only service. */
export function needsVpc(fn: FunctionDef): boolean {
  return fn.ports.some((port) => VPC_PORTS.has(port));
}

/** A route's full local path, stage included: `/v1/{bucket}/{object+}`. */
export function stagedPath(path: string, topology: Topology = TOPOLOGY): string {
  return `/${topology.api.stage}${path}`;
}
