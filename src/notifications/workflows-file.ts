import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { workflowsFileSchema, type WorkflowStep, type WorkflowsFile } from './workflow.js';

/** A workflows file (or API body) that cannot be used; every issue names its path. */
export class WorkflowInputError extends Error {
  constructor(readonly issues: { path: string; message: string }[], prefix = '') {
    super(`${prefix}${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
    this.name = 'WorkflowInputError';
  }
}

export const zodIssues = (error: z.ZodError) =>
  error.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message }));

/** Every template a list of steps sends, branches included. */
export function templatesOf(steps: readonly WorkflowStep[]): string[] {
  return steps.flatMap((s) => ('send' in s ? [s.send.template] : 'if' in s ? [...templatesOf(s.then), ...templatesOf(s.else ?? [])] : []));
}

/**
 * Parses a workflows file's text. `hasTemplate` checks every template a send step names exists,
 * so a typo is refused at load, not found at the first send.
 */
export function parseWorkflowsYaml(text: string, hasTemplate: (name: string) => boolean, label = 'workflows file'): WorkflowsFile {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new WorkflowInputError([{ path: '(file)', message: `is not valid YAML: ${(err as Error).message}` }], `${label}: `);
  }
  const parsed = workflowsFileSchema.safeParse(doc);
  if (!parsed.success) throw new WorkflowInputError(zodIssues(parsed.error), `${label}: `);
  const missing = parsed.data.workflows.flatMap((w, i) =>
    templatesOf(w.steps).filter((t) => !hasTemplate(t)).map((t) => ({ path: `workflows.${i}.steps (${w.id})`, message: `template ${t} does not exist` })),
  );
  if (missing.length) throw new WorkflowInputError(missing, `${label}: `);
  return parsed.data;
}

export async function readWorkflowsFile(path: string, hasTemplate: (name: string) => boolean): Promise<WorkflowsFile> {
  return parseWorkflowsYaml(await readFile(path, 'utf8'), hasTemplate, path);
}

/** Templates live in `templates/` beside the workflows file. */
export const templatesDirOf = (workflowsFile: string): string => join(dirname(workflowsFile), 'templates');
