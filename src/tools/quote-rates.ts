import { z } from 'zod';
import { sharedCarriers } from '../config/shared-carriers.js';
import { quoteOrderRates } from '../domain/shipping/quote-order-rates.js';
import { withCarrierFailure } from './carrier-failure.js';
import { orderIdArg } from './order-id-arg.js';
import { partQuoteView } from './rate-quote-view.js';
import { defineTool } from './tool.js';

export const quoteRates = defineTool({
  name: 'quote_rates',
  description:
    'Quotes shipping for every part of an order that still needs a label (each location it ships from): every enabled carrier\'s rates with service level, price and transit days, and the one buy_label would buy (the cheapest meeting the order\'s service level and promised date). Buys nothing. Parts already labelled are left out; an empty list means every parcel has its label.',
  tier: 'read',
  input: z.object({ order_id: orderIdArg }),
  async run(args, ctx) {
    const parts = await withCarrierFailure(() => quoteOrderRates(ctx.db, sharedCarriers(ctx.config), args.order_id));
    return { order_id: args.order_id, parts: parts.map(partQuoteView) };
  },
});
