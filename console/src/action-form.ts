import { ApiError, postJson } from './api-client.js';
import { links } from './console-links.js';
import { h } from './element.js';

/** What an action endpoint answers: done now, or an approval an approver (never the asker) decides. */
type ActionAnswer = { status: 'done'; result: unknown } | { status: 'pending_approval'; approval: { id: string }; created: boolean };

export interface ActionSpec {
  /** Unique on the page, for ids and test hooks. */
  id: string;
  label: string;
  path: string;
  /** The text field the endpoint takes (reason, note, resolution), or none. */
  field?: { name: string; label: string; required: boolean };
  /** Called after the action ran now, to draw the page again. */
  onDone: () => Promise<void>;
}

/**
 * One action as a small form: a reason field when the action takes one, a button, and a message
 * that says what happened: done, or waiting for an approver with a link to the approval.
 */
export function actionForm(spec: ActionSpec): HTMLElement {
  const message = h('p', { class: 'message', role: 'status', id: `${spec.id}-message` });
  const input = spec.field
    ? h('input', { id: `${spec.id}-${spec.field.name}`, name: spec.field.name, type: 'text', required: spec.field.required, maxlength: 200 })
    : null;
  const button = h('button', { type: 'submit', 'data-action': spec.id }, spec.label);
  const submit = async (e: Event) => {
    e.preventDefault();
    const value = input?.value.trim() ?? '';
    if (spec.field?.required && value.length < 3) {
      message.textContent = `${spec.field.label} is required (at least 3 characters).`;
      input?.focus();
      return;
    }
    button.disabled = true;
    try {
      const answer = await postJson<ActionAnswer>(spec.path, spec.field && value ? { [spec.field.name]: value } : {});
      if (answer.status === 'done') {
        await spec.onDone();
        return;
      }
      message.replaceChildren(
        answer.created ? 'Requested: an approver decides it. ' : 'Already requested and waiting for an approver. ',
        h('a', { href: links.approval(answer.approval.id) }, 'See the approval'),
      );
    } catch (err) {
      message.textContent = err instanceof ApiError ? err.message : String(err);
    } finally {
      button.disabled = false;
    }
  };
  return h('form', { class: 'action', onsubmit: submit },
    input ? h('label', { for: input.id }, spec.field!.label) : null,
    input,
    button,
    message,
  );
}
