import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { SHARED_DATASETS_DIR, sharedDatasetAvailable } from '../../test/support/shared-dataset.js';
import type { ExpectedStep, Pristine, ReplayCase } from './replay-task.js';

/** The shared tau-retail data drop (never copied into the repo), or TAU_RETAIL_DIR when set. */
export const TAU_RETAIL_ROOT = process.env.TAU_RETAIL_DIR ?? resolve(SHARED_DATASETS_DIR, 'tau-retail');
export const TAU_V1_DIR = resolve(TAU_RETAIL_ROOT, 'tau-bench');
export const TAU_V2_DIR = resolve(TAU_RETAIL_ROOT, 'tau2-bench');

/** True when the data is there; false to skip when it is not, except under CI=true, which throws (see sharedDatasetAvailable). */
export const tauDatasetPresent = (): boolean =>
  sharedDatasetAvailable(
    `the tau-retail dataset under ${TAU_RETAIL_ROOT}`,
    existsSync(resolve(TAU_V1_DIR, 'users.json')) && existsSync(resolve(TAU_V1_DIR, 'expected_replay.json')),
  );

const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;

export const V1_SPLITS = ['test', 'train', 'dev'] as const;

interface V1Task {
  user_id: string;
  instruction: string;
  actions: { name: string; kwargs: Record<string, unknown> }[];
  outputs?: string[];
}

/** A v1 task with what an episode needs besides the replay: who the customer is and what they want. */
export type V1Case = ReplayCase & { split: string; index: number; userId: string; instruction: string; outputs: string[] };
interface V1Expected {
  task_index: number;
  steps: ExpectedStep[];
  changed_records: ReplayCase['changed'];
}
interface V2Task {
  id: string;
  evaluation_criteria: { actions: { name: string; arguments: Record<string, unknown> }[] };
}
interface V2Expected {
  id: string;
  steps: ExpectedStep[];
  changed_records: ReplayCase['changed'];
}

/** The pristine v1 users and orders, to compare untouched records against. */
export function loadPristine(): Pristine {
  return { users: readJson(resolve(TAU_V1_DIR, 'users.json')), orders: readJson(resolve(TAU_V1_DIR, 'orders.json')) };
}

/** Every v1 task of the three splits paired with its reference replay. */
export function loadV1Cases(): V1Case[] {
  const expected = readJson<{ splits: Record<string, V1Expected[]> }>(resolve(TAU_V1_DIR, 'expected_replay.json'));
  return V1_SPLITS.flatMap((split) => {
    const tasks = readJson<V1Task[]>(resolve(TAU_V1_DIR, `tasks_${split}.json`));
    const byIndex = new Map(expected.splits[split]!.map((e) => [e.task_index, e]));
    return tasks.map((t, index) => {
      const e = byIndex.get(index);
      if (!e) throw new Error(`expected_replay.json has no ${split} task ${index}`);
      return {
        split,
        index,
        version: 'v1' as const,
        label: `v1 ${split} #${index}`,
        userId: t.user_id,
        instruction: t.instruction,
        outputs: t.outputs ?? [],
        actions: t.actions.map((a) => ({ name: a.name, args: a.kwargs })),
        steps: e.steps,
        changed: e.changed_records,
      };
    });
  });
}

/** Every task of tau2-bench/tasks.json paired with its reference replay. */
export function loadV2Cases(): (ReplayCase & { id: string })[] {
  const expected = readJson<{ task_files: Record<string, V2Expected[]> }>(resolve(TAU_V2_DIR, 'expected_replay.json'));
  const byId = new Map(expected.task_files['tasks.json']!.map((e) => [e.id, e]));
  return readJson<V2Task[]>(resolve(TAU_V2_DIR, 'tasks.json')).map((t) => {
    const e = byId.get(t.id);
    if (!e) throw new Error(`expected_replay.json has no v2 task ${t.id}`);
    return {
      id: t.id,
      version: 'v2' as const,
      label: `v2 task ${t.id}`,
      actions: t.evaluation_criteria.actions.map((a) => ({ name: a.name, args: a.arguments })),
      steps: e.steps,
      changed: e.changed_records,
    };
  });
}
