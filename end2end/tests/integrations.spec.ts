import { test, expect } from '@playwright/test';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { signIn } from './helpers';

// An admin connects an outside tool: adds a webhook endpoint, sends a test
// that a real local receiver acknowledges, reads the delivery log, and
// creates an API key that is shown once.

test('an admin adds a webhook endpoint, tests it, reads its log, and creates an API key', async ({ browser }) => {
  const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  const receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const port = (receiver.address() as AddressInfo).port;

  try {
    const admin = await signIn(browser, 'admin@example.com', '/staff/integrations');
    await expect(admin.getByRole('heading', { name: 'Integrations' })).toBeVisible();
    await admin.getByText('Add an endpoint').click();
    await admin.getByLabel('URL', { exact: true }).fill(`http://127.0.0.1:${port}/hook`);
    await admin.getByRole('button', { name: 'Add endpoint' }).click();
    const endpoint = admin.getByRole('list', { name: 'Webhook endpoints' }).getByRole('listitem').first();
    await expect(endpoint).toContainText(`POST http://127.0.0.1:${port}/hook`);
    await expect(endpoint).toContainText('enabled');

    await endpoint.getByRole('button', { name: 'Show' }).click();
    await expect(endpoint.locator('code.secret')).toContainText('whsec_');

    await endpoint.getByRole('button', { name: 'Send test' }).click();
    await expect.poll(() => received.length).toBe(1);
    expect(JSON.parse(received[0].body).type).toBe('webhook.test');
    expect(received[0].headers['webhook-signature']).toMatch(/^v1,/);

    await endpoint.getByText('Delivery log').click();
    const first = endpoint.locator('.delivery').first();
    await expect(async () => {
      await endpoint.getByRole('button', { name: 'Refresh' }).click();
      await expect(first).toContainText('webhook.test · succeeded', { timeout: 1_000 });
    }).toPass({ timeout: 10_000 });
    await first.locator('summary').click();
    await expect(first.locator('table.attempts')).toContainText('204');

    await admin.getByLabel('Key name').fill('CRM sync');
    await admin.getByRole('button', { name: 'Create key' }).click();
    const shown = admin.getByRole('status').filter({ hasText: 'not shown again' }).locator('code');
    await expect(shown).toContainText('fdk_');
    // Copied with one tap, exactly.
    await admin.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await admin.getByRole('button', { name: 'Copy key' }).click();
    await expect(admin.getByText('Copied.')).toBeVisible();
    expect(await admin.evaluate(() => navigator.clipboard.readText())).toBe(await shown.textContent());
    await expect(admin.getByRole('list', { name: 'API keys' })).toContainText('CRM sync');
  } finally {
    receiver.close();
  }
});

test('the webhook and API references are served, with the OpenAPI document', async ({ page, request }) => {
  await page.goto('/docs/webhooks');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(page.getByText('webhook-signature').first()).toBeVisible();
  await expect(page.getByText('content.booking.trackingPage.canConfirm').first()).toBeVisible();
  await page.goto('/docs/api');
  await expect(page.getByText('/api/v1/appointments').first()).toBeVisible();
  const doc = await (await request.get('/api/openapi.json')).json();
  expect(doc.openapi).toMatch(/^3\.1/);
});
