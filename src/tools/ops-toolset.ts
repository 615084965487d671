import { OPS_TOOLS } from './all-tools.js';
import { createToolset, type Toolset } from './toolset.js';

/** Every tool, for staff conversations. */
export function opsToolset(): Toolset {
  return createToolset('ops', OPS_TOOLS);
}
