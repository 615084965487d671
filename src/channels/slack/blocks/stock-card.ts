import type { InventoryBySku } from '../../../domain/inventory/get-inventory-by-sku.js';
import { escapeMrkdwn } from '../format/escape-mrkdwn.js';
import { fieldsSection } from './fields-section.js';
import { context, section } from './layout-blocks.js';
import type { Block, SlackMessage } from './slack-message.js';

/** The blocks of one SKU's stock card: totals as fields, then one line per location. */
export function stockCardBlocks(stock: InventoryBySku): Block[] {
  const perLocation = stock.locations
    .slice(0, 10)
    .map((l) => `${escapeMrkdwn(l.location_name)}${l.active ? '' : ' (inactive)'}: ${l.available} available / ${l.on_hand} on hand / ${l.reserved} reserved`)
    .join('\n');
  return [
    section(`*${escapeMrkdwn(stock.name)}* · SKU \`${escapeMrkdwn(stock.sku)}\``),
    fieldsSection([
      ['Available', String(stock.totals.available)],
      ['On hand', String(stock.totals.on_hand)],
      ['Reserved', String(stock.totals.reserved)],
      ['Locations', String(stock.locations.length)],
    ]),
    context(perLocation || 'no stock levels at any location'),
  ];
}

export function stockCardFallback(stock: InventoryBySku): string {
  return `${stock.name} (${stock.sku}): ${stock.totals.available} available, ${stock.totals.on_hand} on hand, ${stock.totals.reserved} reserved`;
}

export function stockCardMessage(stocks: InventoryBySku[]): SlackMessage {
  return {
    text: stocks.map(stockCardFallback).join('\n'),
    blocks: stocks.flatMap((s) => stockCardBlocks(s)),
  };
}
