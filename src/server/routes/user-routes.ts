import { z } from 'zod';
import { passwordProblem } from '../../security/password-hash.js';
import { ROLES } from '../../security/role-policy.js';
import { accountEmailSchema, createUserRepository, type User } from '../../security/user-repository.js';
import { apiActor } from '../api-actor.js';
import type { ApiOperation } from '../api-operation.js';
import { errorBodySchema } from '../error-body-schema.js';
import { pageJson, pageQuery, pageRequestOf, pageSchema } from '../page-query.js';
import { parseRequestBody } from '../parse-request-body.js';
import { parseRequestQuery } from '../parse-request-query.js';
import type { RoutePlugin } from '../route-plugin.js';

const role = z.enum(ROLES, { error: `must be one of ${ROLES.join(', ')}` });
// The same rule the repository enforces, checked here too so a 400 names the field before hashing.
const password = z
  .string({ error: 'is required' })
  .max(1000, 'must be at most 1000 characters')
  .superRefine((value, ctx) => {
    const problem = passwordProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .describe('Never returned, logged or audited; only its hash is kept.');
const name = z.string().trim().max(200, 'must be at most 200 characters');

const createUserBody = z
  .object({
    email: z.string({ error: 'is required' }).pipe(accountEmailSchema),
    name: name.optional(),
    role,
    password,
  })
  .strict();

const updateUserBody = z
  .object({
    role: role.optional(),
    disabled: z.boolean({ error: 'must be true or false' }).optional().describe('true ends the account\'s sessions at once.'),
    name: name.nullable().optional().describe('null or blank clears it.'),
  })
  .strict()
  .refine((b) => b.role !== undefined || b.disabled !== undefined || b.name !== undefined, { message: 'give at least one of role, disabled, name' });

const passwordBody = z.object({ password }).strict();
const userIdParams = z.object({ id: z.string().describe('usr_…') });

const userJsonSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string().nullable(),
  role: z.enum(ROLES),
  disabled: z.boolean(),
  created_at: z.string(),
  last_login_at: z.string().nullable(),
});

const userJson = (u: User): z.infer<typeof userJsonSchema> => ({
  id: u.id,
  email: u.email,
  name: u.name,
  role: u.role,
  disabled: u.disabled,
  created_at: u.createdAt,
  last_login_at: u.lastLoginAt,
});

const adminOnly = 'Admins only (or API_TOKEN).';
const refusals = {
  400: { description: 'A bad field, named in issues', schema: errorBodySchema },
  403: { description: 'The signed-in person is not an admin, or a session sent no CSRF token', schema: errorBodySchema },
};

export const userOperations: ApiOperation[] = [
  {
    method: 'GET',
    path: '/api/users',
    tag: 'people',
    summary: 'List accounts by email',
    description: adminOnly,
    query: pageQuery,
    responses: { 200: { description: 'A page of accounts', schema: pageSchema(userJsonSchema) }, ...refusals },
  },
  {
    method: 'POST',
    path: '/api/users',
    tag: 'people',
    summary: 'Create an account',
    description: `${adminOnly} The password follows the same rules as \`orderops users add\`.`,
    body: createUserBody,
    responses: {
      201: { description: 'Created', schema: z.object({ user: userJsonSchema }) },
      ...refusals,
      409: { description: 'The email (in any case) already has an account', schema: errorBodySchema },
    },
  },
  {
    method: 'PATCH',
    path: '/api/users/:id',
    tag: 'people',
    summary: 'Change an account\'s role, name, or whether it is disabled',
    description: `${adminOnly} Disabling ends the account's sessions. Each change leaves an audit row.`,
    params: userIdParams,
    body: updateUserBody,
    responses: {
      200: { description: 'Changed', schema: z.object({ user: userJsonSchema }) },
      ...refusals,
      404: { description: 'No such account', schema: errorBodySchema },
      409: { description: 'It would leave no enabled admin (code last_admin)', schema: errorBodySchema },
    },
  },
  {
    method: 'POST',
    path: '/api/users/:id/password',
    tag: 'people',
    summary: 'Set a new password for an account (admin reset)',
    description: `${adminOnly} Ends the account's sessions.`,
    params: userIdParams,
    body: passwordBody,
    responses: {
      200: { description: 'Set', schema: z.object({ user: userJsonSchema }) },
      ...refusals,
      404: { description: 'No such account', schema: errorBodySchema },
    },
  },
];

/** People management over HTTP: the same repository `orderops users` uses. */
export const userRoutes: RoutePlugin = (app, deps) => {
  const users = createUserRepository(deps.db, { hashRounds: deps.config.PASSWORD_HASH_ROUNDS });

  app.get('/api/users', async (request, reply) => {
    const q = parseRequestQuery(pageQuery, request.query);
    void reply.header('cache-control', 'no-store');
    return pageJson(await users.listPage(pageRequestOf(q)), userJson);
  });

  app.post('/api/users', async (request, reply) => {
    const body = parseRequestBody(createUserBody, request.body);
    const user = await users.add(body, apiActor(request));
    return reply.code(201).send({ user: userJson(user) });
  });

  app.patch<{ Params: { id: string } }>('/api/users/:id', async (request) => {
    const body = parseRequestBody(updateUserBody, request.body);
    return { user: userJson(await users.update(request.params.id, body, apiActor(request))) };
  });

  app.post<{ Params: { id: string } }>('/api/users/:id/password', async (request) => {
    const body = parseRequestBody(passwordBody, request.body);
    return { user: userJson(await users.setPassword(request.params.id, body.password, apiActor(request))) };
  });
};
