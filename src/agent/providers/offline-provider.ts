import type { ChatMessage, ModelProvider, ModelRequest, ModelResponse, TextBlock, ToolUseBlock } from './model-provider.js';
import { zeroUsage } from './model-provider.js';
import {
  cancelReasonOf,
  classifyIntent,
  extractEntities,
  isConfirmation,
  isDenial,
  mentions,
  needsPerson,
  NOT_ARRIVED,
  parseAddress,
  stem,
  words,
  type OfflineIntent,
} from './offline-intent.js';
import { customerActionWords, formatAddress, formatOptions, money, type ToolOutcome } from './offline-action-words.js';
import { BRIEFING_INBOX_INPUT, BRIEFING_LOW_STOCK_INPUT } from '../read-daily-briefing.js';
import { approvalsReply, briefingReply, customerLookupReply, lowStockReply, opsStatusExtras } from './offline-ops-replies.js';
import { hasTemplate, offlineReply } from './offline-templates.js';

type Step = { calls: { name: string; input: Record<string, unknown> }[] } | { reply: string };

const CONFIRM_MARK = 'Reply YES to confirm';
const FOLLOW_UP_MARKS = [CONFIRM_MARK, 'Could you tell me the order number', 'Please send the new address'];
const OUTCOME_RE = /^Approval update for request (apr_[a-z0-9]+) \(([a-z_]+)\): (executed|failed|rejected|expired) by/;

const textOf = (m: ChatMessage) =>
  m.content
    .filter((b): b is TextBlock => b.type === 'text')
    .map((b) => b.text)
    .join('\n');
const isUserText = (m: ChatMessage) => m.role === 'user' && m.content.some((b) => b.type === 'text');

/** "hasn't arrived", "never got it", "still not received". */
const NOT_RECEIVED = /\b(hasn'?t|has not|haven'?t|have not|didn'?t|did not|never|still not|not yet|not)\s+(come|came|arrived?|received?|got(ten)?|get|shown up|turned up)\b/;

function statusText(status: string): string {
  const key = `status_${status}`;
  return hasTemplate(key) ? offlineReply(key) : `is ${status}`;
}

/**
 * A deterministic model for running without an API key. It recognises a fixed set of intents,
 * pulls order ids and emails from the text, calls the same tools Claude would, and writes its
 * replies from templates in prompts/offline-replies.md. Anything else goes to a person: it never
 * guesses. It keeps no state: every call re-reads the conversation.
 */
export class OfflineProvider implements ModelProvider {
  readonly name = 'offline' as const;
  readonly model = 'offline-intents-v1';
  private counter = 0;

  async complete(request: ModelRequest): Promise<ModelResponse> {
    let step = this.plan(request);
    const lastUserText = request.messages.findLastIndex(isUserText);
    const first = !request.messages.slice(0, Math.max(lastUserText, 0)).some((m) => m.role === 'assistant');
    const available = new Set(request.tools.map((t) => t.name));
    const { persona, customerId } = request.context;
    // A customer's first reply greets them by name, so their profile is read along with the first lookup.
    const allResults = this.resultsSince(request.messages, -1);
    const profile = allResults.find((r) => r.ok && r.name === 'get_customer_details' && r.input.customer_id === customerId);
    if (persona === 'customer' && customerId && first && !profile && request.toolChoice !== 'none' && available.has('get_customer_details')) {
      const lookup = { name: 'get_customer_details', input: { customer_id: customerId } };
      if ('reply' in step) step = { calls: [lookup] };
      else if (!step.calls.some((c) => c.name === lookup.name)) step = { calls: [lookup, ...step.calls] };
    }
    if ('reply' in step) {
      let text = step.reply;
      // The note about running without a language model is for staff; customers get a plain answer.
      if (first && persona === 'ops') text = `${text}\n\n${offlineReply('offline_notice')}`;
      const name = profile?.data?.name?.first_name;
      if (first && persona === 'customer' && typeof name === 'string' && name.trim()) text = `${offlineReply('greeting', { name: name.trim() })}\n\n${text}`;
      return { content: [{ type: 'text', text }], stopReason: 'end_turn', usage: zeroUsage(), model: this.model };
    }
    const calls = step.calls.filter((c) => available.has(c.name));
    if (calls.length === 0) return this.handoffResponse(persona);
    const content: ToolUseBlock[] = calls.map((c) => ({ type: 'tool_use', id: `toolu_offline_${++this.counter}`, name: c.name, input: c.input }));
    return { content, stopReason: 'tool_use', usage: zeroUsage(), model: this.model };
  }

  private handoffResponse(persona: string): ModelResponse {
    return { content: [{ type: 'text', text: offlineReply(persona === 'ops' ? 'ops_handoff' : 'handoff') }], stopReason: 'end_turn', usage: zeroUsage(), model: this.model };
  }

  private plan(request: ModelRequest): Step {
    const { messages } = request;
    const lastUserTextIndex = messages.findLastIndex(isUserText);
    if (lastUserTextIndex < 0) return { reply: offlineReply('help') };
    const current = textOf(messages[lastUserTextIndex]!);
    const results = this.resultsSince(messages, lastUserTextIndex);
    if (request.toolChoice === 'none') return { reply: this.waitingReply(request, results) };

    const outcome = OUTCOME_RE.exec(current);
    if (outcome) return { reply: this.outcomeReply(outcome[1]!, outcome[3]!, current, request) };

    const previousAssistant = messages.slice(0, lastUserTextIndex).findLast((m) => m.role === 'assistant');
    if (previousAssistant && textOf(previousAssistant).includes(CONFIRM_MARK) && isDenial(current)) {
      return { reply: offlineReply('not_confirmed') };
    }
    const { text, confirmed } = this.effectiveRequest(messages, lastUserTextIndex);
    const entities = extractEntities(text);
    const intent: OfflineIntent = classifyIntent(text, entities, request.context.persona);
    const persona = request.context.persona;
    const ctx = { text, confirmed, entities, persona, customerId: request.context.customerId, results };

    switch (intent) {
      case 'help':
        return { reply: offlineReply(persona === 'ops' ? 'ops_help' : 'help') };
      case 'policy':
        return this.policy(ctx);
      case 'customer_lookup':
        return persona === 'ops' ? this.customerLookup(ctx) : this.handoff(ctx);
      case 'low_stock':
        return persona === 'ops' ? this.lowStock(ctx) : this.handoff(ctx);
      case 'list_approvals':
        return persona === 'ops' ? this.listApprovals(ctx) : this.handoff(ctx);
      case 'briefing':
        return persona === 'ops' ? this.briefing(ctx) : this.handoff(ctx);
      case 'wismo':
        return this.wismo(ctx);
      case 'cancel':
      case 'return':
      case 'exchange':
      case 'address':
        return this.change(intent, ctx);
      case 'stock':
        return this.stock(ctx);
      case 'list_held':
        return persona === 'ops' ? this.listHeld(ctx) : this.handoff(ctx);
      case 'hold':
      case 'release':
        return persona === 'ops' ? this.holdOrRelease(intent, ctx) : this.handoff(ctx);
      default:
        return this.handoff(ctx);
    }
  }

  /** Tool calls and their results after the given user message, in order. */
  private resultsSince(messages: ChatMessage[], index: number): ToolOutcome[] {
    const calls = new Map<string, ToolUseBlock>();
    const out: ToolOutcome[] = [];
    for (const m of messages.slice(index + 1)) {
      for (const b of m.content) {
        if (b.type === 'tool_use') calls.set(b.id, b);
        if (b.type === 'tool_result') {
          const call = calls.get(b.tool_use_id);
          let data: unknown = null;
          try {
            data = JSON.parse(b.content);
          } catch {
            data = b.content;
          }
          out.push({ name: call?.name ?? '?', input: call?.input ?? {}, ok: !b.is_error, data, error: b.is_error ? b.content.replace(/^Error:\s*/, '') : '' });
        }
      }
    }
    return out;
  }

  /**
   * The request this message continues: after a question of ours ("which order?", "reply YES")
   * the earlier request and the answer are read together.
   */
  private effectiveRequest(messages: ChatMessage[], index: number): { text: string; confirmed: boolean } {
    const current = textOf(messages[index]!);
    const previousAssistant = messages.slice(0, index).findLast((m) => m.role === 'assistant');
    const asked = previousAssistant ? textOf(previousAssistant) : '';
    if (!FOLLOW_UP_MARKS.some((mark) => asked.includes(mark))) return { text: current, confirmed: false };
    const previousUser = messages.slice(0, index).findLastIndex(isUserText);
    if (previousUser < 0) return { text: current, confirmed: false };
    const earlier = this.effectiveRequest(messages, previousUser);
    if (asked.includes(CONFIRM_MARK)) {
      return isConfirmation(current) ? { text: earlier.text, confirmed: true } : { text: current, confirmed: false };
    }
    return { text: `${earlier.text}\n${current}`, confirmed: false };
  }

  private find(results: ToolOutcome[], name: string, pred: (r: ToolOutcome) => boolean = () => true): ToolOutcome | undefined {
    return results.find((r) => r.name === name && pred(r));
  }

  private wismo(ctx: Ctx): Step {
    const orderResults = ctx.results.filter((r) => r.name === 'get_order_details');
    if (ctx.entities.orderIds.length > 0) {
      if (orderResults.length === 0) {
        const lookups = ctx.entities.orderIds.map((id) => ({ name: 'get_order_details', input: { order_id: id } }));
        // Staff also get the order's risk flags, so a status answer says why an order is held.
        const flags = ctx.persona === 'ops' ? ctx.entities.orderIds.map((id) => ({ name: 'list_flags', input: { subject_id: id, status: 'any', limit: 5 } })) : [];
        return { calls: [...lookups, ...flags] };
      }
      return this.statusReply(orderResults, ctx);
    }
    if (ctx.persona === 'customer' && ctx.customerId) {
      const profile = this.find(ctx.results, 'get_customer_details');
      if (!profile) return { calls: [{ name: 'get_customer_details', input: { customer_id: ctx.customerId } }] };
      if (!profile.ok) return this.handoff(ctx);
      const ids: string[] = profile.data.orders ?? [];
      if (ids.length === 0) return { reply: offlineReply('no_orders', { filter: 'on your account' }) };
      if (orderResults.length === 0) return { calls: ids.slice(-8).map((id) => ({ name: 'get_order_details', input: { order_id: id } })) };
      return this.statusReply(orderResults, ctx);
    }
    if (ctx.entities.emails.length > 0) {
      const found = this.find(ctx.results, 'find_customer');
      if (!found) return { calls: [{ name: 'find_customer', input: { email: ctx.entities.emails[0] } }] };
      if (!found.ok) return { reply: offlineReply('customer_not_found', { what: `the email ${ctx.entities.emails[0]}` }) };
      const listed = this.find(ctx.results, 'search_orders');
      if (!listed) return { calls: [{ name: 'search_orders', input: { customer_id: found.data.customer_id } }] };
      return { reply: this.opsList(listed, `for ${ctx.entities.emails[0]}`) };
    }
    return { reply: offlineReply('need_order_id', { what: 'check where it is' }) };
  }

  /**
   * The status of the orders looked up. "It hasn't arrived" about an order our records show as
   * delivered is a delivery problem, not a status question: a person takes it, with the status attached.
   */
  private statusReply(orderResults: ToolOutcome[], ctx: Ctx): Step {
    const lines = orderResults.map((r) => this.statusLine(r, ctx)).join('\n');
    const notArrived = NOT_RECEIVED.test(ctx.text.toLowerCase()) || NOT_ARRIVED.test(ctx.text.toLowerCase());
    if (ctx.persona === 'customer' && notArrived && orderResults.some((r) => r.ok && r.data.status === 'delivered')) {
      return this.handoff(ctx, lines, 'Order shows as delivered but the customer says it has not arrived.');
    }
    return { reply: lines };
  }

  private statusLine(r: ToolOutcome, ctx: Ctx): string {
    const id = String(r.input.order_id ?? '');
    if (!r.ok) return this.lookupError(id, r.error, ctx);
    const tracking = (r.data.fulfillments ?? []).flatMap((f: { tracking_id: string[] }) => f.tracking_id);
    const line = offlineReply('order_status', {
      order_id: r.data.order_id,
      status_text: statusText(r.data.status),
      tracking: tracking.length ? ` ${offlineReply('tracking_line', { tracking: tracking.join(', ') })}` : '',
    });
    if (ctx.persona !== 'ops') return line;
    return `${line}${opsStatusExtras(r.data, this.find(ctx.results, 'list_flags', (f) => f.input.subject_id === id))}`;
  }

  private lookupError(orderId: string, error: string, ctx: Ctx): string {
    if (/not on your account/.test(error)) return offlineReply('not_your_record', { what: `order ${orderId}` });
    return offlineReply('order_not_found', { order_id: orderId, whose: ctx.persona === 'customer' ? 'your account' : 'file' });
  }

  /** The order a change is about: named in the text, or the customer's only order. */
  private targetOrder(ctx: Ctx): { id: string } | { step: Step } {
    if (ctx.entities.orderIds.length > 0) return { id: ctx.entities.orderIds[0]! };
    if (ctx.persona === 'customer' && ctx.customerId) {
      const profile = this.find(ctx.results, 'get_customer_details');
      if (!profile) return { step: { calls: [{ name: 'get_customer_details', input: { customer_id: ctx.customerId } }] } };
      const ids: string[] = profile.ok ? (profile.data.orders ?? []) : [];
      if (ids.length === 1) return { id: ids[0]! };
    }
    return { step: { reply: '' } };
  }

  private change(intent: 'cancel' | 'return' | 'exchange' | 'address', ctx: Ctx): Step {
    const what = { cancel: 'cancel it', return: 'start the return', exchange: 'arrange the exchange', address: 'change the address' }[intent];
    if (intent === 'address' && ctx.entities.orderIds.length === 0 && ctx.persona === 'customer' && !/\border\b/i.test(ctx.text)) {
      return this.customerAddress(ctx);
    }
    const target = this.targetOrder(ctx);
    if ('step' in target) {
      if ('reply' in target.step && target.step.reply === '') return { reply: offlineReply('need_order_id', { what }) };
      return target.step;
    }
    const orderId = target.id;
    const details = this.find(ctx.results, 'get_order_details', (r) => r.input.order_id === orderId);
    if (!details) return { calls: [{ name: 'get_order_details', input: { order_id: orderId } }] };
    if (!details.ok) return { reply: this.lookupError(orderId, details.error, ctx) };
    const order = details.data;
    const actionTool = { cancel: 'cancel_order', return: 'return_order_items', exchange: 'exchange_order_items', address: 'modify_order_address' }[intent];
    const acted = this.find(ctx.results, actionTool);
    if (acted) return { reply: this.actedReply(intent, acted, order, ctx) };

    const items = (order.items ?? []) as { name: string; item_id: string; price: number; product_id: string; options: Record<string, string> }[];
    const itemNames = (list: typeof items) => list.map((i) => i.name).join(', ');
    const paymentMethod = order.payment_history?.[0]?.payment_method_id as string | undefined;
    if (intent === 'cancel') {
      if (order.status !== 'pending') return { reply: offlineReply('cannot_cancel', { order_id: orderId, status_text: statusText(order.status) }) };
      const reason = cancelReasonOf(ctx.text);
      if (ctx.persona === 'customer' && !ctx.confirmed) {
        return { reply: offlineReply('confirm_cancel', { order_id: orderId, items: itemNames(items), reason, total: money(order.total ?? 0) }) };
      }
      return { calls: [{ name: 'cancel_order', input: { order_id: orderId, reason } }] };
    }
    if (intent === 'address') {
      if (order.status !== 'pending') return { reply: offlineReply('cannot_modify', { order_id: orderId, status_text: statusText(order.status) }) };
      const address = parseAddress(ctx.text);
      if (!address) return { reply: offlineReply('need_address') };
      if (ctx.persona === 'customer' && !ctx.confirmed) return { reply: offlineReply('confirm_address', { order_id: orderId, address: formatAddress(address) }) };
      return { calls: [{ name: 'modify_order_address', input: { order_id: orderId, ...address } }] };
    }
    if (order.status !== 'delivered') return { reply: offlineReply('cannot_return', { order_id: orderId, status_text: statusText(order.status) }) };
    const tokens = words(ctx.text);
    const named = items.filter((i) => namesProduct(tokens, i.name) !== null);
    if (intent === 'return') {
      const chosen = named.length ? named : items;
      if (!paymentMethod) return this.handoff(ctx);
      if (ctx.persona === 'customer' && !ctx.confirmed) {
        const amount = chosen.reduce((s, i) => s + Math.round(i.price * 100), 0) / 100;
        return { reply: offlineReply('confirm_return', { items: itemNames(chosen), order_id: orderId, amount: money(amount), method: paymentMethod }) };
      }
      return { calls: [{ name: 'return_order_items', input: { order_id: orderId, item_ids: chosen.map((i) => i.item_id), payment_method_id: paymentMethod } }] };
    }
    // Exchange: one item, one new variant chosen by option words in the message.
    const item = named.length === 1 ? named[0] : items.length === 1 ? items[0] : undefined;
    if (!item || !paymentMethod) return this.unclearExchange(orderId, ctx);
    const product = this.find(ctx.results, 'get_product_details', (r) => r.input.product_id === item.product_id);
    if (!product) return { calls: [{ name: 'get_product_details', input: { product_id: item.product_id } }] };
    if (!product.ok) return this.unclearExchange(orderId, ctx);
    const variant = chooseVariant(product.data.variants ?? {}, item, tokens, ctx.text);
    if (!variant) return this.unclearExchange(orderId, ctx);
    if (ctx.persona === 'customer' && !ctx.confirmed) {
      return {
        reply: offlineReply('confirm_exchange', {
          old_item: `${item.name} (${formatOptions(item.options)})`,
          new_item: formatOptions(variant.options),
          order_id: orderId,
          difference: money(variant.price - item.price),
          method: paymentMethod,
        }),
      };
    }
    return {
      calls: [{ name: 'exchange_order_items', input: { order_id: orderId, item_ids: [item.item_id], new_item_ids: [variant.item_id], payment_method_id: paymentMethod } }],
    };
  }

  private unclearExchange(orderId: string, ctx: Ctx): Step {
    if (!this.find(ctx.results, 'handoff_to_human')) {
      return { calls: [{ name: 'handoff_to_human', input: { summary: `Exchange on order ${orderId}: could not tell which item or new option. Message: ${ctx.text.slice(0, 500)}` } }] };
    }
    return { reply: offlineReply('exchange_unclear', { order_id: orderId }) };
  }

  private customerAddress(ctx: Ctx): Step {
    const address = parseAddress(ctx.text);
    if (!address) return { reply: offlineReply('need_address') };
    const acted = this.find(ctx.results, 'modify_customer_address');
    if (acted) return { reply: this.actedReply('address', acted, null, ctx) };
    if (!ctx.confirmed) return { reply: offlineReply('confirm_address', { order_id: 'your account (default address)', address: formatAddress(address) }) };
    return { calls: [{ name: 'modify_customer_address', input: { customer_id: ctx.customerId, ...address } }] };
  }

  private actedReply(intent: string, acted: ToolOutcome, order: any, ctx: Ctx): string {
    if (!acted.ok) {
      if (/not on your account/.test(acted.error)) return offlineReply('not_your_record', { what: String(acted.input.order_id ?? acted.input.payment_method_id ?? 'that record') });
      return offlineReply('tool_failed', { error: acted.error });
    }
    if (acted.data?.status === 'pending_approval') return this.pendingReply(ctx.persona, acted, ctx.results);
    if (intent === 'address') {
      const a = acted.input as Record<string, string>;
      return offlineReply('done_address', { order_id: String(acted.input.order_id ?? order?.order_id ?? 'your account'), address: formatAddress(a) });
    }
    return offlineReply('tool_failed', { error: 'unexpected result' });
  }

  private stock(ctx: Ctx): Step {
    const types = this.find(ctx.results, 'list_product_types');
    if (!types) return { calls: [{ name: 'list_product_types', input: {} }] };
    if (!types.ok) return this.handoff(ctx);
    const tokens = words(ctx.text);
    const names = Object.keys(types.data as Record<string, string>);
    // The product named in full; failing that, the one product whose last word ("lamp") is named.
    const full = names.filter((n) => namesProduct(tokens, n) === 'full').sort((a, b) => b.length - a.length);
    const byHead = names.filter((n) => namesProduct(tokens, n) === 'head');
    const match = full[0] ?? (byHead.length === 1 ? byHead[0] : undefined);
    if (!match) return { reply: offlineReply('product_not_found', { names: names.slice(0, 12).join(', ') }) };
    const productId = (types.data as Record<string, string>)[match]!;
    const product = this.find(ctx.results, 'get_product_details');
    if (!product) return { calls: [{ name: 'get_product_details', input: { product_id: productId } }] };
    if (!product.ok) return this.handoff(ctx);
    const variants = Object.values(product.data.variants ?? {}) as { item_id: string; options: Record<string, string>; available: boolean }[];
    const inventory = ctx.results.filter((r) => r.name === 'get_inventory');
    if (ctx.persona === 'ops' && inventory.length === 0 && variants.length > 0) {
      return { calls: variants.slice(0, 20).map((v) => ({ name: 'get_inventory', input: { item_id: v.item_id } })) };
    }
    const lines = variants.slice(0, 20).map((v) => {
      const inv = inventory.find((r) => r.input.item_id === v.item_id);
      const stock = inv?.ok
        ? `${inv.data.totals.available} available (${inv.data.totals.on_hand} on hand, ${inv.data.totals.reserved} reserved)`
        : v.available
          ? 'available'
          : 'not available';
      return offlineReply('stock_line', { options: formatOptions(v.options), stock });
    });
    return { reply: offlineReply('stock_reply', { product: match, lines: lines.join('\n') }) };
  }

  private listHeld(ctx: Ctx): Step {
    const listed = this.find(ctx.results, 'search_orders');
    if (!listed) return { calls: [{ name: 'search_orders', input: { status: 'on_hold', limit: 50 } }] };
    return { reply: this.opsList(listed, 'on hold') };
  }

  private opsList(listed: ToolOutcome, filter: string): string {
    if (!listed.ok) return offlineReply('tool_failed', { error: listed.error });
    const orders = listed.data.orders as { order_id: string; status: string; customer_id: string; total: number; hold_reason?: string }[];
    if (orders.length === 0) return offlineReply('no_orders', { filter });
    const lines = orders.map((o) =>
      offlineReply('ops_order_line', { order_id: o.order_id, status: o.status, customer_id: o.customer_id, total: money(o.total), hold: o.hold_reason ? ` — held: ${o.hold_reason}` : '' }),
    );
    return offlineReply('ops_orders_list', { count: orders.length, filter, lines: lines.join('\n') });
  }

  private holdOrRelease(intent: 'hold' | 'release', ctx: Ctx): Step {
    const orderId = ctx.entities.orderIds[0];
    if (!orderId) return { reply: offlineReply('need_order_id', { what: intent === 'hold' ? 'put it on hold' : 'release it' }) };
    const tool = intent === 'hold' ? 'hold_order' : 'release_order';
    const acted = this.find(ctx.results, tool);
    if (!acted) {
      const because = /(?:\b(?:because|reason:?|due to|as)|\s[-\u2013\u2014])\s+(.{3,200})$/i.exec(ctx.text.trim())?.[1];
      return intent === 'hold'
        ? { calls: [{ name: tool, input: { order_id: orderId, reason: because ?? 'held on request of ops staff' } }] }
        : { calls: [{ name: tool, input: { order_id: orderId, ...(because ? { note: because } : {}) } }] };
    }
    if (!acted.ok) return { reply: intent === 'hold' ? offlineReply('hold_failed', { order_id: orderId, error: acted.error }) : offlineReply('tool_failed', { error: acted.error }) };
    if (acted.data?.status === 'pending_approval') return { reply: offlineReply('ops_waiting_approval', { approval_id: acted.data.approval_id, what: acted.data.what }) };
    return { reply: offlineReply('done_hold', { order_id: orderId, reason: String(acted.input.reason) }) };
  }

  private handoff(ctx: Ctx, before = '', why = 'Request the offline assistant does not handle.'): Step {
    if (!this.find(ctx.results, 'handoff_to_human')) {
      return { calls: [{ name: 'handoff_to_human', input: { summary: `${why} Message: ${ctx.text.slice(0, 800)}` } }] };
    }
    const said = offlineReply(ctx.persona === 'ops' ? 'ops_handoff' : 'handoff');
    return { reply: before ? `${before}\n${said}` : said };
  }

  private customerLookup(ctx: Ctx): Step {
    const email = ctx.entities.emails[0]!;
    const found = this.find(ctx.results, 'find_customer');
    if (!found) return { calls: [{ name: 'find_customer', input: { email } }] };
    if (!found.ok) return { reply: offlineReply('customer_not_found', { what: `the email ${email}` }) };
    const customerId = found.data.customer_id;
    const profile = this.find(ctx.results, 'get_customer_details');
    const listed = this.find(ctx.results, 'search_orders');
    if (!profile || !listed) {
      return {
        calls: [
          { name: 'get_customer_details', input: { customer_id: customerId } },
          { name: 'search_orders', input: { customer_id: customerId, limit: 50 } },
        ],
      };
    }
    return { reply: customerLookupReply(email, profile, listed) };
  }

  private lowStock(ctx: Ctx): Step {
    const low = this.find(ctx.results, 'list_low_stock');
    if (!low) return { calls: [{ name: 'list_low_stock', input: { limit: 15 } }] };
    return { reply: lowStockReply(low) };
  }

  private listApprovals(ctx: Ctx): Step {
    const inbox = this.find(ctx.results, 'get_inbox');
    if (!inbox) return { calls: [{ name: 'get_inbox', input: { kinds: ['approval'], limit: 50 } }] };
    return { reply: approvalsReply(inbox) };
  }

  private briefing(ctx: Ctx): Step {
    const inbox = this.find(ctx.results, 'get_inbox');
    const low = this.find(ctx.results, 'list_low_stock');
    if (!inbox || !low) return { calls: [{ name: 'get_inbox', input: { ...BRIEFING_INBOX_INPUT } }, { name: 'list_low_stock', input: { ...BRIEFING_LOW_STOCK_INPUT } }] };
    return { reply: briefingReply(inbox, low, new Date()) };
  }

  /** A general question about how the store works, answered from the best knowledge-base passage. */
  private policy(ctx: Ctx): Step {
    const searched = this.find(ctx.results, 'search_knowledge_base');
    if (!searched) return { calls: [{ name: 'search_knowledge_base', input: { query: policyQuery(ctx.text), limit: 2 } }] };
    const passages = (searched.ok ? (searched.data.passages ?? []) : []) as { cite: string; text: string }[];
    if (passages.length === 0) return this.handoff(ctx, '', 'Policy question the knowledge base did not answer.');
    const answer = passages.map((p) => offlineReply('policy_answer', { cite: p.cite, text: String(p.text).replace(/\s+/g, ' ').trim() })).join('\n');
    // The policy is the answer to the question; a fault or complaint beside it still needs a person.
    return needsPerson(ctx.text) ? this.handoff(ctx, answer, 'Policy question that also needs a person.') : { reply: answer };
  }

  private waitingReply(request: ModelRequest, results: ToolOutcome[]): string {
    const pending = results.filter((r) => r.ok && r.data?.status === 'pending_approval');
    const last = pending[pending.length - 1];
    if (!last) return offlineReply(request.context.persona === 'ops' ? 'ops_handoff' : 'handoff');
    return this.pendingReply(request.context.persona, last, this.resultsSince(request.messages, -1));
  }

  /** What to say about a request that now waits: for staff, or first for the sender's confirmation code. */
  private pendingReply(persona: string, acted: ToolOutcome, results: readonly ToolOutcome[]): string {
    if (persona === 'ops') return offlineReply('ops_waiting_approval', { approval_id: acted.data.approval_id, what: acted.data.what });
    // The approval's own summary is written for staff (tool names, customer ids, status codes).
    const slots = { approval_id: acted.data.approval_id, what: customerActionWords(acted, results) };
    return offlineReply(acted.data.approval_status === 'awaiting_confirmation' ? 'waiting_confirmation' : 'waiting_approval', slots);
  }

  private outcomeReply(approvalId: string, status: string, text: string, request: ModelRequest): string {
    const results = this.resultsSince(request.messages, -1);
    const acted = results.find((r) => r.ok && r.data?.approval_id === approvalId);
    const what = !acted ? '' : request.context.persona === 'ops' ? `${acted.data.what} ` : `to ${customerActionWords(acted, results)} `;
    if (status === 'failed') {
      const error = /failed: (.*)$/m.exec(text)?.[1] ?? 'an error';
      return offlineReply('outcome_failed', { approval_id: approvalId, error, what });
    }
    return offlineReply(`outcome_${status}`, { approval_id: approvalId, detail: '', what });
  }
}

interface Ctx {
  text: string;
  confirmed: boolean;
  entities: ReturnType<typeof extractEntities>;
  persona: 'ops' | 'customer';
  customerId: string | undefined;
  results: ToolOutcome[];
}

/** Words every policy passage could match, left out so the search ranks on what the question is about. */
const POLICY_STOP_WORDS = new Set(
  'a an the is are was be to of for in on at by it its my your our we you i me do does did can could would will how long what whats when where which there this that get usually any policy policies please pls'.split(' '),
);

/**
 * The knowledge-base query for a policy question: its content words, plus the topic a question
 * about time implies ("how long ... to get to Texas" asks about shipping times).
 */
function policyQuery(text: string): string {
  const content = words(text).filter((w) => w.length > 2 && !POLICY_STOP_WORDS.has(w.replace(/'s$/, '')));
  const lower = text.toLowerCase();
  const about = /\b(how long|how many (business )?days|how soon)\b/.test(lower)
    ? /\brefund/.test(lower)
      ? ['refund', 'business', 'days']
      : /\b(return|send\w* back)/.test(lower)
        ? ['return', 'window']
        : /\b(get|arriv|deliver|ship|take)/.test(lower)
          ? ['shipping', 'times', 'region', 'business', 'days']
          : []
    : [];
  return [...new Set([...content, ...about])].join(' ').slice(0, 300) || text.slice(0, 300);
}

const SIZE_WORDS: Record<string, string> = { small: 's', medium: 'm', large: 'l', xlarge: 'xl', xsmall: 'xs', med: 'm', lg: 'l', sm: 's' };

/**
 * Whether the message names a product: 'full' for its whole name (also written as one word,
 * "tshirts" for T-Shirt), 'head' for only its last word ("the lamp" for Desk Lamp).
 */
function namesProduct(tokens: string[], name: string): 'full' | 'head' | null {
  const expanded = tokens.flatMap((t) => (t.includes('-') ? [t, ...t.split('-').filter(Boolean), t.replace(/-/g, '')] : [t]));
  const parts = name.toLowerCase().split(/[\s-]+/).filter(Boolean);
  const significant = parts.filter((p) => p.length >= 2);
  if (mentions(expanded, parts.join('')) || (significant.length > 0 && significant.every((p) => mentions(expanded, p)))) return 'full';
  const head = parts[parts.length - 1];
  return head && head.length >= 3 && mentions(expanded, head) ? 'head' : null;
}


/** The available variant whose option values the message names most, other than the current one. */
function chooseVariant(
  variants: Record<string, { item_id: string; options: Record<string, string>; available: boolean; price: number }>,
  item: { item_id: string; options: Record<string, string> },
  tokens: string[],
  text: string,
): { item_id: string; options: Record<string, string>; price: number } | undefined {
  const said = new Set(tokens.flatMap((t) => [t, SIZE_WORDS[t] ?? t]));
  for (const [phrase, size] of [[/\bextra[- ]large\b/, 'xl'], [/\bextra[- ]small\b/, 'xs']] as const) if (phrase.test(text.toLowerCase())) said.add(size);
  // Whole words only: the "l" of size L is not the l in "pls".
  const named = (value: string) => words(value).every((w) => said.has(w) || [...said].some((t) => w.length > 2 && stem(t) === stem(w)));
  let best: { v: (typeof variants)[string]; score: number } | undefined;
  let tie = false;
  for (const v of Object.values(variants)) {
    if (!v.available || v.item_id === item.item_id) continue;
    let score = 0;
    for (const [key, value] of Object.entries(v.options)) {
      if (item.options[key] !== value && named(value)) score += 2;
      else if (item.options[key] === value) score += 0.1;
    }
    if (score < 2) continue;
    if (!best || score > best.score) {
      best = { v, score };
      tie = false;
    } else if (score === best.score) tie = true;
  }
  return best && !tie ? best.v : undefined;
}
