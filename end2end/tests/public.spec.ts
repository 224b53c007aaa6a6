import { test, expect } from '@playwright/test';
import { chooseDay, chooseTime, hydrated } from './helpers';

// The client's side as clients meet it: in their browser's language from the
// first page, without JavaScript (a slow phone before the WASM arrives, or
// none at all), and what the booking page costs to download.

test('a client whose browser asks for French gets the booking page, and then the tracking page, in French', async ({ browser }) => {
  const client = await (await browser.newContext({ locale: 'fr-FR' })).newPage();
  await client.goto('/book/downtown');
  await expect(client.locator('html')).toHaveAttribute('lang', 'fr');
  await expect(client).toHaveTitle('Prendre rendez-vous · Downtown');
  await hydrated(client);
  await expect(client.getByRole('heading', { name: 'Choisissez une prestation' })).toBeVisible();
  // Another language is one link away, and the choice is kept through the steps.
  await client.getByRole('link', { name: 'English' }).click();
  await expect(client.getByRole('heading', { name: 'Choose a service' })).toBeVisible();
  await expect(client.locator('html')).toHaveAttribute('lang', 'en');
  await client.getByRole('link', { name: 'Français' }).click();

  await client.getByRole('region', { name: 'Choisissez une prestation' }).getByRole('link').first().click();
  await client.getByRole('link', { name: /^Prochain jour libre/ }).click();
  await client.getByRole('list', { name: 'Créneaux libres' }).getByRole('link').first().click();
  await client.getByLabel('Votre nom').fill('Léa Dubois');
  await client.getByLabel('E-mail', { exact: true }).fill('lea@example.com');
  await client.getByRole('button', { name: 'Demander le rendez-vous' }).click();
  await client.waitForURL(/\/t\/[^?]+\?booked=1/);
  await expect(client.getByRole('heading', { name: 'Demande reçue' })).toBeVisible();
  await expect(client.locator('html')).toHaveAttribute('lang', 'fr');
  await expect(client).toHaveTitle('Votre rendez-vous · Downtown');
});

test('without JavaScript a client books through the steps, keeps what they typed when refused, and cancels', async ({ browser }) => {
  const client = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  await client.goto('/book/downtown');
  // A week ahead: far enough for the store's cancellation cut-off.
  const day = new Date(Date.now() + 8 * 86_400_000);
  while (day.getUTCDay() === 0) day.setUTCDate(day.getUTCDate() + 1);
  await chooseDay(client, day.toISOString().slice(0, 10));
  await chooseTime(client);

  // A refused form comes back with the reason beside the field and nothing typed lost.
  await client.getByLabel('Email', { exact: true }).fill('nadia@example.com');
  await client.getByLabel('Notes for the store (optional)').fill('Allergic to lavender');
  const refused = client.waitForResponse((r) => r.request().method() === 'POST');
  await client.getByRole('button', { name: 'Request appointment' }).click();
  expect((await refused).status()).toBe(422);
  await expect(client.locator('#name-error')).toHaveText('Please enter your name.');
  await expect(client.getByLabel('Email', { exact: true })).toHaveValue('nadia@example.com');
  await expect(client.getByLabel('Notes for the store (optional)')).toHaveValue('Allergic to lavender');

  await client.getByLabel('Your name').fill('Nadia Noscript');
  await client.getByRole('button', { name: 'Request appointment' }).click();
  await client.waitForURL(/\/t\/[^?]+\?booked=1/);
  await expect(client.getByRole('heading', { name: 'Request received' })).toBeVisible();
  await expect(client.getByText("Awaiting the store's confirmation")).toBeVisible();

  await client.getByRole('button', { name: 'Cancel booking' }).click();
  await client.getByLabel('Reason (optional)').fill('Plans changed');
  await client.getByRole('button', { name: 'Cancel my booking' }).click();
  await expect(client.getByRole('status').filter({ hasText: 'Your booking is cancelled.' })).toBeVisible();
  await expect(client.locator('dd.status')).toHaveText('Cancelled');
});

test('the booking page: what a first visit downloads, and how soon it works on a slow phone (printed)', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  const sizes = new Map<string, { url: string; bytes: number }>();
  cdp.on('Network.responseReceived', (e) => sizes.set(e.requestId, { url: e.response.url, bytes: 0 }));
  cdp.on('Network.loadingFinished', (e) => {
    const s = sizes.get(e.requestId);
    if (s) s.bytes = e.encodedDataLength;
  });
  await page.goto('/book/downtown');
  await hydrated(page);
  await page.waitForLoadState('networkidle');
  const parts = [...sizes.values()];
  const total = parts.reduce((n, p) => n + p.bytes, 0);
  for (const p of parts) console.log(`  ${(p.bytes / 1024).toFixed(1).padStart(8)} KB  ${new URL(p.url).pathname}`);
  console.log(`booking page, first visit: ${(total / 1024).toFixed(1)} KB transferred (target ≤ 400 KB)`);
  // Served precompressed, under a hashed name a browser keeps.
  const wasm = await page.request.get(parts.find((p) => p.url.endsWith('.wasm'))!.url, { headers: { 'accept-encoding': 'br' } });
  expect(wasm.headers()['content-encoding']).toBe('br');
  expect(wasm.headers()['cache-control']).toBe('public, max-age=31536000, immutable');

  // Slow 4G with a CPU four times slower: when the form shows, and when it works.
  const slow = await browser.newContext();
  const phone = await slow.newPage();
  const throttle = await slow.newCDPSession(phone);
  await throttle.send('Network.enable');
  await throttle.send('Network.emulateNetworkConditions', {
    offline: false, latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8,
  });
  await throttle.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  const start = Date.now();
  await phone.goto('/book/downtown', { waitUntil: 'commit' });
  await phone.getByRole('heading', { name: 'Choose a service' }).waitFor();
  const shown = Date.now() - start;
  await hydrated(phone);
  const works = Date.now() - start;
  console.log(`booking page on Slow 4G, 4x CPU: shown at ${(shown / 1000).toFixed(1)} s, hydrated at ${(works / 1000).toFixed(1)} s (it works as links and forms from the first)`);
});
