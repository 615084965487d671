import { z } from 'zod';
import type { ToolSpec } from '../agent/providers/model-provider.js';
import type { AgentTool } from './tool.js';

/** The Messages API definition of a tool, derived from its zod schema (never written twice). */
export function toolSpec(tool: AgentTool): ToolSpec {
  const { $schema: _ignored, ...schema } = z.toJSONSchema(tool.input, { io: 'input' }) as Record<string, unknown>;
  return { name: tool.name, description: tool.description, input_schema: schema };
}
