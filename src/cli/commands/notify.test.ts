import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { seedTestCatalog } from '../../../test/support/seed-test-catalog.js';
import { createPgliteDb } from '../../db/pglite-db.js';
import { createOrder } from '../../domain/orders/create-order.js';
import { replaceFileWorkflows, setWorkflowPaused } from '../../notifications/workflow-repository.js';
import { readWorkflowsFile } from '../../notifications/workflows-file.js';

const BIN = resolve(import.meta.dirname, '../../../bin/orderops.mjs');

function orderops(args: string[], dataDir: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', STORE_NAME: 'Fernwood Test Store' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => done({ status, stdout, stderr }));
  });
}

// Starts the real CLI process, on an embedded database made for the test.
describe('orderops notify', { timeout: 120_000 }, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'notify-cli-'));
  let orderId = '';

  it('prepares an order in a data directory', async () => {
    const db = await createPgliteDb({ dataDir: join(dataDir, 'pglite'), loadDataDir: new Blob([readFileSync(inject('pgliteTemplate'))]) });
    await seedTestCatalog(db, 'p-cli', [{ sku: 'CLI-TEE', price: '19.00', stock: { 'loc-east-wh': 5 } }]);
    const { order } = await createOrder(
      db,
      {
        channel: 'api',
        external_id: 'cli-1',
        customer: { email: 'cli.buyer@example.com', first_name: 'Noor', last_name: 'Buyer', phone: '518 555 0111' },
        shipping_address: { address1: '1 Main St', city: 'Albany', state: 'NY', country: 'USA', zip: '12207' },
        lines: [{ sku: 'CLI-TEE', quantity: 2 }],
        payment: { method: 'card' },
      },
      { kind: 'api', id: 'test' },
    );
    orderId = order.id;
    const file = await readWorkflowsFile(resolve(import.meta.dirname, '../../../notifications/workflows.yaml'), () => true);
    await replaceFileWorkflows(db, file.workflows.filter((w) => w.id !== 'refund_issued'), { kind: 'api', id: 'test' });
    await setWorkflowPaused(db, 'delivered', true, 'carrier outage', { kind: 'person', id: 'ops@example.com' });
    await db.close();
  });

  it("previews a workflow's first message with the order's own data", async () => {
    const r = await orderops(['notify', 'preview', 'order_confirmed', '--order', orderId.slice(1)], dataDir);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`shown with order ${orderId}`);
    expect(r.stdout).toContain('--- email to cli.buyer@example.com');
    expect(r.stdout).toContain('Noor');
    expect(r.stdout).toContain('--- sms to +15185550111');
    expect(r.stdout).toContain('Fernwood Test Store');
  });

  it('previews with sample data when no order is given, one channel when asked', async () => {
    const r = await orderops(['notify', 'preview', 'delayed', '--channel', 'sms'], dataDir);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('sends delayed-first-order, shown with sample data');
    expect(r.stdout).toContain('--- sms to');
    expect(r.stdout).not.toContain('--- email');
  });

  it('names the option when the workflow, the order or the channel is unknown', async () => {
    const workflow = await orderops(['notify', 'preview', 'shiped'], dataDir);
    expect(workflow.stderr).toContain('<workflow>: no workflow "shiped" in notifications/workflows.yaml');
    expect(workflow.status).toBe(2);
    const order = await orderops(['notify', 'preview', 'shipped', '--order', 'W0000000'], dataDir);
    expect(order.stderr).toContain('--order: order #W0000000 not found');
    expect(order.status).toBe(2);
    const channel = await orderops(['notify', 'preview', 'shipped', '--channel', 'fax'], dataDir);
    expect(channel.stderr).toContain('--channel: must be email or sms');
    expect(channel.status).toBe(2);
  });

  it('lists the workflows with trigger, channel and state', async () => {
    const r = await orderops(['notify', 'workflows'], dataDir);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('8 workflow(s)');
    expect(r.stdout).toMatch(/exception\s+shipment\.exception\s+both\s+exception\s+active/);
    expect(r.stdout).toMatch(/delivered\s+shipment\.delivered\s+preferred\s+delivered\s+paused: carrier outage \(person:ops@example.com\)/);
    expect(r.stdout).toMatch(/refund_issued\s+refund\.issued\s+preferred\s+refund-issued\s+not loaded yet/);
  });
});
