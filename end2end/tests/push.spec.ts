import { test, expect } from '@playwright/test';
import { signIn } from './helpers';

// The installable app and the browser half of Web Push. Headless Chromium
// without a network cannot reach a real push service, so the push itself is
// delivered through the DevTools protocol (ServiceWorker.deliverPushMessage).

test('the web app manifest is served and valid, with its icons', async ({ request }) => {
  const res = await request.get('/manifest.webmanifest');
  expect(res.status()).toBe(200);
  expect(res.headers()['content-type']).toContain('application/manifest+json');
  const m = await res.json();
  expect(m).toMatchObject({ name: 'Frontdesk', short_name: 'Frontdesk', display: 'standalone', start_url: '/staff', theme_color: '#1d4e89' });
  const sizes = m.icons.map((i: any) => `${i.sizes}:${i.purpose}`);
  expect(sizes).toEqual(expect.arrayContaining(['192x192:any', '512x512:any', '512x512:maskable']));
  for (const icon of m.icons) {
    const img = await request.get(icon.src);
    expect(img.status()).toBe(200);
    expect(img.headers()['content-type']).toBe('image/png');
  }
  const sw = await request.get('/sw.js');
  expect(sw.headers()['content-type']).toContain('javascript');
});

test('the service worker shows a pushed notification that opens the appointment; diagnostics reflect the device', async ({ browser }) => {
  const context = await browser.newContext();
  await context.grantPermissions(['notifications']);
  const page = await signIn(browser, 'associate1@example.com', '/staff', context);

  // The staff shell registers the service worker without asking anything.
  const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
  expect(scope).toMatch(/\/$/);

  const cdp = await context.newCDPSession(page);
  const registrationId = await new Promise<string>((resolve) => {
    cdp.on('ServiceWorker.workerRegistrationUpdated', (e: any) => {
      const r = e.registrations.find((r: any) => r.scopeURL === scope && !r.isDeleted);
      if (r) resolve(r.registrationId);
    });
    cdp.send('ServiceWorker.enable');
  });
  const origin = new URL(page.url()).origin;
  await cdp.send('ServiceWorker.deliverPushMessage', {
    origin, registrationId,
    data: JSON.stringify({ title: 'Appointment assigned', body: 'Haircut with Ann Lee on Tue 24 Nov', url: '/staff/appointments/1', tag: 'appointment-1', unread: 1 }),
  });
  await expect.poll(async () => page.evaluate(async () => {
    const reg = await navigator.serviceWorker.ready;
    return (await reg.getNotifications()).map((n) => ({ title: n.title, body: n.body, tag: n.tag, url: n.data && n.data.url }));
  })).toEqual([{ title: 'Appointment assigned', body: 'Haircut with Ann Lee on Tue 24 Nov', tag: 'appointment-1', url: '/staff/appointments/1' }]);

  // A later push about the same appointment replaces it rather than stacking.
  await cdp.send('ServiceWorker.deliverPushMessage', {
    origin, registrationId,
    data: JSON.stringify({ title: 'Appointment updated', body: 'When: 10:00 → 11:00', url: '/staff/appointments/1', tag: 'appointment-1', unread: 2 }),
  });
  await expect.poll(async () => page.evaluate(async () => {
    const reg = await navigator.serviceWorker.ready;
    return (await reg.getNotifications()).map((n) => n.title);
  })).toEqual(['Appointment updated']);

  // Read on another device: a silent push closes it here.
  await cdp.send('ServiceWorker.deliverPushMessage', {
    origin, registrationId, data: JSON.stringify({ silent: true, tags: ['appointment-1'], all: false, unread: 0 }),
  });
  await expect.poll(async () => page.evaluate(async () => (await (await navigator.serviceWorker.ready).getNotifications()).length)).toBe(0);

  // Diagnostics: reached from the bell, shows the permission, and a clear error when subscribing cannot work here.
  await page.getByRole('button', { name: /Notifications/ }).click();
  await page.getByRole('link', { name: /Diagnostics/ }).click();
  await page.waitForURL('**/staff/diagnostics');
  await expect(page.getByTestId('permission')).toHaveText('Allowed');
  await expect(page.getByTestId('subscribed')).toHaveText('Not subscribed');
  await page.getByRole('button', { name: 'Turn on notifications on this device' }).click();
  await expect(page.getByRole('alert')).toContainText('Could not turn on notifications', { timeout: 30_000 });
  await page.getByRole('button', { name: 'Send test notification' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'No device has notifications turned on yet.' })).toBeVisible();
});
