import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { buildServer } from '../../src/server/build-server.js';
import { shippingRoutes } from '../../src/server/routes/shipping-routes.js';
import { insertTestOrder } from '../support/seed-test-catalog.js';
import { describeEachDb } from '../support/test-db.js';

const TOKEN = 'api-token-0123456789abcdef';

describeEachDb('shipment label route', (ctx) => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = buildServer({ db: ctx.db, config: loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', API_TOKEN: TOKEN }), routes: [shippingRoutes([])] });
    await app.ready();
    await insertTestOrder(ctx.db, '#W0000701');
  });
  afterAll(async () => {
    await app.close();
  });

  const shipmentWithLabelAt = async (position: number, url: string) =>
    (
      await ctx.db.query<{ id: number }>(`INSERT INTO shipments (order_id, position, status, label_url) VALUES ('#W0000701', $1, 'pre_transit', $2) RETURNING id`, [
        position,
        url,
      ])
    ).rows[0]!.id;
  const getLabel = (id: number) => app.inject({ method: 'GET', url: `/api/shipments/${id}/label`, headers: { authorization: `Bearer ${TOKEN}` } });

  it("redirects to the carrier's https copy of the label", async () => {
    const res = await getLabel(await shipmentWithLabelAt(1, 'https://shippo-delivery.example/1Z1.pdf'));
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('https://shippo-delivery.example/1Z1.pdf');
  });

  it('refuses to redirect to a label URL that is not https', async () => {
    for (const [i, url] of ['http://carrier.example/1Z2.pdf', 'javascript:alert(1)', '//evil.example/x.pdf', 'not a url'].entries()) {
      const res = await getLabel(await shipmentWithLabelAt(10 + i, url));
      expect(res.statusCode, url).toBe(502);
      expect(res.headers.location).toBeUndefined();
      expect(res.json()).toMatchObject({ code: 'label_url_not_https' });
      expect(res.json().error).toContain('https');
    }
  });
});
