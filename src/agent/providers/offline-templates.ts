import { fillSlots, loadPromptSections } from '../prompt-library.js';

/** The `## name` sections of prompts/offline-replies.md. */
const templates = () => loadPromptSections('offline-replies');

export function hasTemplate(name: string): boolean {
  return templates().has(name);
}

/** One filled template; a missing template is a programming error. */
export function offlineReply(name: string, slots: Record<string, string | number> = {}): string {
  const t = templates().get(name);
  if (t === undefined) throw new Error(`offline reply template "${name}" is missing from prompts/offline-replies.md`);
  return fillSlots(t, slots);
}
