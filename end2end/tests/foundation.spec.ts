import { test, expect, Page, APIRequestContext } from '@playwright/test';
import { hydrated, signIn } from './helpers';

// Steps 2-6 of the foundation issue, in a real Chromium: a client books, both
// managers' bells light up without a reload, a manager assigns, the associate
// is told live, reads it, and the live channel catches up after a drop.

const badge = (page: Page) => page.getByTestId('bell-badge');

async function bookThroughApi(request: APIRequestContext, name: string, slotIndex: number, associateId: number | null = null) {
  const page = await (await request.post('/api/booking_page', { data: { store: 'downtown' } })).json();
  const slots = await (await request.post('/api/slots', {
    data: { store: 'downtown', service_id: 3, date: page.first_open_day, associate_id: associateId },
  })).json();
  const res = await request.post('/api/book', {
    data: { request: {
      store: 'downtown', service_id: 3, starts_at: slots[slotIndex].starts_at, associate_id: associateId,
      name, email: `${name.toLowerCase().replace(/\W+/g, '.')}@example.com`, mobile: '', language: 'en', notes: '',
      remind_by_email: true, remind_by_sms: false,
    } },
  });
  expect(res.status()).toBe(200);
  return res.json();
}

test.describe.serial('booking to bell', () => {
  test('client books, managers see it live, manager assigns, associate is told and reads it', async ({ browser }) => {
    const manager1 = await signIn(browser, 'manager1@example.com', '/staff/queue');
    const manager2 = await signIn(browser, 'manager2@example.com');
    const associate = await signIn(browser, 'associate1@example.com');
    await expect(badge(manager1)).toBeHidden();
    await expect(badge(associate)).toBeHidden();

    // The client books on the public page, step by step: service, the next free day, a time, details.
    const client = await (await browser.newContext()).newPage();
    await client.goto('/book/downtown');
    await hydrated(client);
    await expect(client).toHaveTitle('Book an appointment · Downtown');
    await client.getByRole('region', { name: 'Choose a service' }).getByRole('link').first().click();
    await client.getByRole('link', { name: /^Next free day:/ }).click();
    await expect(client.getByRole('heading', { name: 'Choose a time' })).toBeVisible();
    await client.getByRole('list', { name: 'Free times' }).getByRole('link').first().click();
    // Submitting with nothing filled in explains each problem next to its field.
    await client.getByRole('button', { name: 'Request appointment' }).click();
    await expect(client.locator('#name-error')).toHaveText('Please enter your name.');
    await expect(client.locator('#email-error')).toContainText('email address or a mobile number');
    await client.getByLabel('Your name').fill('Nora Client');
    await client.getByLabel('Email', { exact: true }).fill('nora@example.com');
    await client.getByLabel('Notes for the store (optional)').fill('First visit');
    await client.getByRole('button', { name: 'Request appointment' }).click();
    // The confirmation is the tracking page itself, with the link to keep.
    await expect(client.getByRole('heading', { name: 'Request received' })).toBeVisible();
    await expect(client).toHaveTitle('Your booking · Downtown');
    await expect(client.getByText("Awaiting the store's confirmation")).toBeVisible();

    // Both managers' bells go to 1 without a reload; the request tops the queue.
    await expect(badge(manager1)).toHaveText('1');
    await expect(badge(manager2)).toHaveText('1');
    const queue = manager1.getByRole('list', { name: 'Requests awaiting assignment' });
    await expect(queue.getByRole('listitem').first()).toContainText('Nora Client');
    await expect(badge(associate)).toBeHidden();

    // The manager assigns it; the associate is told live, the manager is not.
    await manager1.getByLabel('Associate for Nora Client').selectOption({ label: 'Alice Associate' });
    await manager1.getByRole('button', { name: 'Assign', exact: true }).click();
    // The store approves by hand: the request stays queued, now awaiting approval.
    await expect(queue.getByRole('listitem').first()).toContainText('Awaiting approval · Alice Associate');
    await expect(badge(associate)).toHaveText('1');
    // Handled: the request alert is settled for both managers, live.
    await expect(badge(manager1)).toBeHidden();
    await expect(badge(manager2)).toBeHidden();

    // The associate opens the bell, clicks the item, lands on the appointment; it is read.
    await associate.getByRole('button', { name: /Notifications, 1 unread/ }).click();
    const panel = associate.getByRole('dialog', { name: 'Notifications' });
    const first = panel.getByRole('listitem').first();
    await expect(first).toContainText('Appointment assigned');
    await first.getByRole('link').click();
    await associate.waitForURL(/\/staff\/appointments\/\d+$/);
    await expect(associate.getByRole('heading', { name: /Nora Client/ })).toBeVisible();
    await expect(badge(associate)).toBeHidden();

    // Two tabs of the same person stay in step.
    const tab2 = await associate.context().newPage();
    await tab2.goto('/staff');
    await hydrated(tab2);
    await expect(tab2.getByRole('status', { name: 'Live updates on' })).toBeVisible();
    const me = await (await associate.request.post('/api/me', { data: {} })).json();
    await bookThroughApi(associate.request, 'Otto Chosen', 0, me.id);
    await expect(badge(associate)).toHaveText('1');
    await expect(badge(tab2)).toHaveText('1');
    await tab2.getByRole('button', { name: /Notifications/ }).click();
    await expect(tab2.getByRole('dialog', { name: 'Notifications' }).getByRole('listitem').first()).toContainText('New appointment');
    await tab2.getByRole('button', { name: 'Mark all read' }).click();
    await expect(badge(tab2)).toBeHidden();
    await expect(badge(associate)).toBeHidden();
  });

  test('after the live connection drops, the bell catches up with nothing lost or doubled', async ({ browser }) => {
    const manager = await signIn(browser, 'manager2@example.com');
    await manager.getByRole('button', { name: /Notifications/ }).click();
    await manager.getByRole('button', { name: 'Mark all read' }).click();
    await expect(badge(manager)).toBeHidden();
    const before = await manager.getByRole('dialog', { name: 'Notifications' }).getByRole('listitem').count();
    await manager.getByRole('button', { name: /Notifications/ }).click(); // close

    // Drop the socket and stay offline for a few seconds, as a sleeping laptop would.
    await manager.evaluate(() => (window as any).__frontdeskDropLive(4000));
    await expect(manager.getByRole('status', { name: 'Reconnecting' })).toBeVisible();
    await bookThroughApi(manager.request, 'Missed One', 1);
    await bookThroughApi(manager.request, 'Missed Two', 2);
    await expect(badge(manager)).toBeHidden(); // nothing arrives while offline

    // Back online: exactly the two missed items, once each.
    await expect(manager.getByRole('status', { name: 'Live updates on' })).toBeVisible({ timeout: 15_000 });
    await expect(badge(manager)).toHaveText('2');
    await manager.getByRole('button', { name: /Notifications, 2 unread/ }).click();
    const items = manager.getByRole('dialog', { name: 'Notifications' }).getByRole('listitem');
    await expect(items).toHaveCount(before + 2);
    await expect(items.nth(0)).toContainText('Missed Two');
    await expect(items.nth(1)).toContainText('Missed One');
    await expect(items.filter({ hasText: 'Missed One' })).toHaveCount(1);
    await expect(items.filter({ hasText: 'Missed Two' })).toHaveCount(1);
  });
});
