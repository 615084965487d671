import type { ToolSpec } from '../agent/providers/model-provider.js';
import type { AgentTool, Persona } from './tool.js';
import { toolSpec } from './tool-json-schema.js';

/** The tools one conversation may call, looked up by name. */
export interface Toolset {
  persona: Persona;
  /** Set for a customer toolset: every tool refuses records of anyone else. */
  customerId?: string;
  tools: readonly AgentTool[];
  get(name: string): AgentTool | undefined;
  specs(): ToolSpec[];
}

export function createToolset(persona: Persona, tools: readonly AgentTool[], customerId?: string): Toolset {
  const byName = new Map(tools.map((t) => [t.name, t]));
  if (byName.size !== tools.length) throw new Error('duplicate tool names in a toolset');
  let specs: ToolSpec[] | undefined;
  return {
    persona,
    ...(customerId !== undefined ? { customerId } : {}),
    tools,
    get: (name) => byName.get(name),
    specs: () => (specs ??= tools.map(toolSpec)),
  };
}
