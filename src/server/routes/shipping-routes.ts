import { CarrierError, type Carrier } from '../../domain/shipping/carrier.js';
import { DomainError } from '../../domain/domain-error.js';
import { fulfilOrder, type FulfilmentResult } from '../../domain/shipping/fulfil-order.js';
import { findShipment, loadLabelPdf } from '../../domain/shipping/shipment-repository.js';
import type { RoutePlugin } from '../route-plugin.js';
import { normaliseOrderId } from './order-routes.js';

/** The fulfilment result as the API shows it. */
export function fulfilmentView(r: FulfilmentResult) {
  return {
    order_id: r.orderId,
    status: r.status,
    labels_bought: r.labelsBought,
    shipments: r.shipments.map((s) => ({
      id: s.id,
      location_id: s.locationId,
      status: s.status,
      carrier_account: s.carrierAccount,
      carrier: s.carrier,
      service: s.service,
      tracking_number: s.trackingNumber,
      rate: s.rateAmount === null ? null : { amount: s.rateAmount, currency: s.rateCurrency },
      promised_at: s.promisedAt?.toISOString() ?? null,
      label_url: s.labelUrl ?? (s.hasLabelPdf ? `/api/shipments/${s.id}/label` : null),
    })),
  };
}

/**
 * `POST /api/orders/:id/fulfil` (idempotent: a second call buys nothing and answers the same
 * shipments) and `GET /api/shipments/:id/label` (the PDF, or a redirect to the carrier's copy).
 * A carrier that fails answers 502 and leaves the shipment to be completed by the next call.
 */
export function shippingRoutes(carriers: readonly Carrier[]): RoutePlugin {
  return (app, { db }) => {
    app.post<{ Params: { id: string } }>('/api/orders/:id/fulfil', async (request, reply) => {
      const id = normaliseOrderId(request.params.id);
      try {
        const result = await fulfilOrder(db, carriers, id, { kind: 'api', id: 'fulfil' });
        return fulfilmentView(result);
      } catch (err) {
        if (!(err instanceof CarrierError)) throw err;
        return reply.code(502).send({ error: err.message, code: err.retryable ? 'carrier_unavailable' : 'carrier_refused' });
      }
    });

    app.get<{ Params: { id: string } }>('/api/shipments/:id/label', async (request, reply) => {
      const raw = request.params.id;
      if (!/^\d{1,18}$/.test(raw)) {
        return reply.code(400).send({ error: 'the shipment id must be a number', code: 'invalid_shipment_id', issues: [{ path: 'id', message: 'must be a number' }] });
      }
      const shipment = await findShipment(db, Number(raw));
      if (!shipment) throw new DomainError('not_found', 'shipment_not_found', `shipment ${raw} not found`);
      const pdf = shipment.hasLabelPdf ? await loadLabelPdf(db, shipment.id) : null;
      if (pdf) {
        return reply
          .header('content-type', 'application/pdf')
          .header('content-disposition', `inline; filename="label-${shipment.id}.pdf"`)
          .send(pdf);
      }
      if (shipment.labelUrl) {
        // The URL is whatever the carrier answered: follow it only to an https copy, never to plain http or a script.
        if (!isHttpsUrl(shipment.labelUrl)) {
          return reply.code(502).send({ error: `the carrier's label URL for shipment ${raw} is not https, so it is not followed`, code: 'label_url_not_https' });
        }
        return reply.redirect(shipment.labelUrl);
      }
      throw new DomainError('not_found', 'label_not_found', `shipment ${raw} has no label`);
    });
  };
}

function isHttpsUrl(url: string): boolean {
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
}
