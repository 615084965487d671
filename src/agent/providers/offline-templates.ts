import { fillSlots, loadPrompt } from '../prompt-library.js';

let sections: Map<string, string> | undefined;

/** The `## name` sections of prompts/offline-replies.md. */
function templates(): Map<string, string> {
  if (sections) return sections;
  sections = new Map();
  const parts = loadPrompt('offline-replies').split(/^## /m).slice(1);
  for (const part of parts) {
    const newline = part.indexOf('\n');
    sections.set(part.slice(0, newline).trim(), part.slice(newline + 1).trim());
  }
  return sections;
}

export function hasTemplate(name: string): boolean {
  return templates().has(name);
}

/** One filled template; a missing template is a programming error. */
export function offlineReply(name: string, slots: Record<string, string | number> = {}): string {
  const t = templates().get(name);
  if (t === undefined) throw new Error(`offline reply template "${name}" is missing from prompts/offline-replies.md`);
  return fillSlots(t, slots);
}
