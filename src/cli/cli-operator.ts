import { userInfo } from 'node:os';
import type { Actor } from '../domain/actor.js';

/** The person at the terminal, as audit rows and approvals name them. */
export const cliOperator = (): Actor => ({ kind: 'person', id: `cli:${userInfo().username}` });
