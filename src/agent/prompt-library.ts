import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROMPTS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'prompts');

const cache = new Map<string, string>();

/** The text of `prompts/<name>.md`, read once. */
export function loadPrompt(name: string): string {
  let text = cache.get(name);
  if (text === undefined) {
    text = readFileSync(join(PROMPTS_DIR, `${name}.md`), 'utf8').trim();
    cache.set(name, text);
  }
  return text;
}

/** Fills `{{slot}}` placeholders; a slot without a value is an error, so a prompt never ships with holes. */
export function fillSlots(template: string, slots: Record<string, string | number>): string {
  return template.replace(/\{\{\s*([a-z_]+)\s*\}\}/g, (_m, key: string) => {
    const value = slots[key];
    if (value === undefined) throw new Error(`prompt slot {{${key}}} has no value`);
    return String(value);
  });
}

export function renderPrompt(name: string, slots: Record<string, string | number> = {}): string {
  return fillSlots(loadPrompt(name), slots);
}

const sectionCache = new Map<string, Map<string, string>>();

/** The `## name` sections of `prompts/<name>.md`, for files that hold many short texts. */
export function loadPromptSections(name: string): Map<string, string> {
  let sections = sectionCache.get(name);
  if (sections) return sections;
  sections = new Map();
  for (const part of loadPrompt(name).split(/^## /m).slice(1)) {
    const newline = part.indexOf('\n');
    sections.set(part.slice(0, newline).trim(), part.slice(newline + 1).trim());
  }
  sectionCache.set(name, sections);
  return sections;
}
