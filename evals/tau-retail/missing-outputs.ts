/**
 * The v1 outputs rule: each expected output must appear, ignoring case, in at least one of the
 * agent's messages with its commas removed. Only the agent's side loses commas, so "625.60" needs
 * exactly that text ("$625.6" does not count). Returns the outputs no message contains.
 */
export function missingOutputs(outputs: readonly string[], agentMessages: readonly string[]): string[] {
  const said = agentMessages.map((m) => m.toLowerCase().replace(/,/g, ''));
  return outputs.filter((o) => !said.some((m) => m.includes(o.toLowerCase())));
}
