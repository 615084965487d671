import { h } from '../element.js';

/** The sign-in form: a plain form post to /login, which answers 303 back to the console. */
export function renderLoginPage(root: HTMLElement, failed: boolean): void {
  root.replaceChildren(
    h('section', { class: 'card narrow' },
      h('h1', {}, 'Sign in'),
      failed ? h('p', { class: 'error', role: 'alert' }, 'Wrong email or password.') : null,
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
