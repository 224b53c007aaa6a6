import { test, expect, Page } from '@playwright/test';
import { hydrated, signIn } from './helpers';

// Every page works under its Content-Security-Policy: the WASM hydrates, the
// live socket connects, the service worker registers, and the browser reports
// no violation (a refused inline script or style would be one).

function watchViolations(page: Page): string[] {
  const violations: string[] = [];
  page.on('console', (m) => {
    if (m.text().includes('Content Security Policy')) violations.push(`${page.url()}: ${m.text()}`);
  });
  return violations;
}

test('public and staff pages hydrate under their Content-Security-Policy with no violation', async ({ browser, request }) => {
  const context = await browser.newContext();
  const visitor = await context.newPage();
  const seen = watchViolations(visitor);
  for (const path of ['/login', '/book/downtown', '/forgot']) {
    const res = await visitor.goto(path);
    expect(res!.headers()['content-security-policy']).toContain("'nonce-");
    await hydrated(visitor);
  }
  // A booking, then its tracking page.
  const info = await (await request.post('/api/booking_page', { data: { store: 'downtown' } })).json();
  const slots = await (await request.post('/api/slots', {
    data: { store: 'downtown', service_id: 1, date: info.first_open_day, associate_id: null },
  })).json();
  const booked = await request.post('/api/book', {
    data: { request: {
      store: 'downtown', service_id: 1, starts_at: slots[slots.length - 1].starts_at, associate_id: null,
      name: 'Cara Policy', email: 'cara.policy@example.com', mobile: '', language: 'en', notes: '',
      remind_by_email: true, remind_by_sms: false,
    } },
  });
  expect(booked.status()).toBe(200);
  await visitor.goto((await booked.json()).tracking_path);
  await hydrated(visitor);

  const staff = await signIn(browser, 'manager1@example.com', '/staff/queue');
  const staffSeen = watchViolations(staff);
  for (const path of ['/staff', '/staff/clients', '/staff/conversations', '/staff/stores', '/staff/people', '/staff/diagnostics', '/staff/account']) {
    await staff.goto(path);
    await hydrated(staff);
  }
  expect(await staff.evaluate(async () => !!(await navigator.serviceWorker.ready).active)).toBe(true);
  expect([...seen, ...staffSeen]).toEqual([]);
});
