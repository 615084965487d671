import { h } from '../element.js';

/** What the login page shows besides the form: a failure that brought the browser back, and single sign-on. */
export interface LoginPageState {
  /** The password form was refused (`?failed=1`). */
  failed: boolean;
  /** Why a single sign-on came back without signing in (`?sso_failed=<reason>`), if it did. */
  ssoFailed: string | null;
  /** Whether GET /auth/oidc/start signs people in (GET /auth/methods). */
  sso: boolean;
}

const SSO_FAILURES: Record<string, string> = {
  no_account: 'Single sign-on worked, but there is no orderops account for that email. Ask an admin to add you.',
  disabled: 'That orderops account is disabled.',
  email_unverified: 'Your sign-on provider has not verified that email address.',
  linked_elsewhere: 'That email belongs to an account linked to another sign-on identity.',
  denied: 'Single sign-on was cancelled.',
  expired: 'That sign-on link has expired or was already used. Try again.',
  unavailable: 'The sign-on provider cannot be reached right now. Sign in with your password or try again later.',
};

/** The sign-in form: a plain form post to /login, which answers 303 back to the console. */
export function renderLoginPage(root: HTMLElement, state: LoginPageState): void {
  const ssoMessage = state.ssoFailed === null ? null : (SSO_FAILURES[state.ssoFailed] ?? 'Single sign-on did not work. Try again, or sign in with your password.');
  root.replaceChildren(
    h('section', { class: 'card narrow' },
      h('h1', {}, 'Sign in'),
      state.failed ? h('p', { class: 'error', role: 'alert' }, 'Wrong email or password.') : null,
      ssoMessage ? h('p', { class: 'error', role: 'alert' }, ssoMessage) : null,
      state.sso ? h('p', {}, h('a', { href: '/auth/oidc/start', class: 'sso-link' }, 'Sign in with single sign-on')) : null,
      h('form', { method: 'post', action: '/login', class: 'stack' },
        h('input', { type: 'hidden', name: 'next', value: '/console/' }),
        h('label', { for: 'login-email' }, 'Email'),
        h('input', { id: 'login-email', name: 'email', type: 'email', autocomplete: 'username', required: true }),
        h('label', { for: 'login-password' }, 'Password'),
        h('input', { id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true }),
        h('button', { type: 'submit' }, 'Sign in'),
      ),
    ),
  );
}
