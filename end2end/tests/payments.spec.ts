import { test, expect } from '@playwright/test';
import { badge, bookOnline, hydrated, roomyDay, signIn } from './helpers';
import { FAKE_STRIPE } from '../ports';

// An admin connects Stripe, staff send a payment link from the appointment,
// the client pays on the provider's page (the local stand-in of Stripe, whose
// event is signed by the official library), and the associate's bell says
// "Payment received" live.

test('staff send a payment link, the client pays, and the associate hears of it at once', async ({ browser, request }) => {
  const admin = await signIn(browser, 'admin@example.com', '/staff/stores/1');
  await hydrated(admin);
  await admin.getByLabel('Secret key').fill('sk_test_e2e_downtown');
  await admin.getByLabel('Webhook signing secret').fill('whsec_e2e_downtown');
  await admin.getByRole('button', { name: 'Connect Stripe' }).click();
  await expect(admin.getByText(/Stripe is connected/)).toBeVisible();
  await expect(admin.getByLabel('Secret key')).toHaveValue('');
  const webhookUrl = (await admin.locator('.webhook-url').textContent())!.trim();
  expect(webhookUrl).toMatch(/\/hooks\/stripe\/1$/);
  const registered = await request.post(`${FAKE_STRIPE}/_test/accounts`, {
    data: { secret_key: 'sk_test_e2e_downtown', webhook_secret: 'whsec_e2e_downtown', webhook_url: webhookUrl },
  });
  expect(registered.ok()).toBeTruthy();

  // A booking with Alice, approved.
  const alice = await signIn(browser, 'associate1@example.com');
  const me = await (await alice.request.post('/api/me', { data: {} })).json();
  let starts: number[] = [];
  for (let d = 12; d < 30 && starts.length === 0; d++) {
    const day = new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);
    const res = await request.post('/api/slots', { data: { store: 'downtown', service_id: 1, date: day, associate_id: me.id } });
    starts = (await res.json()).map((s: { starts_at: number }) => s.starts_at);
  }
  const booked = await (
    await request.post('/api/book', {
      data: { request: { store: 'downtown', service_id: 1, starts_at: starts[0], associate_id: me.id, name: 'Bob Smith', email: 'bob.pays@example.com',
        mobile: '', language: 'en', notes: '', remind_by_email: true, remind_by_sms: false } },
    })
  ).json();
  const id = booked.appointment_id;
  await alice.getByRole('button', { name: /^Notifications/ }).click();
  const bell = alice.getByRole('dialog', { name: 'Notifications' });
  const markAll = bell.getByRole('button', { name: 'Mark all read' });
  if (await markAll.isEnabled()) await markAll.click();
  await alice.keyboard.press('Escape');
  await expect(badge(alice)).toBeHidden();

  // The manager sends the link; the amount is the service's price.
  const manager = await signIn(browser, 'manager1@example.com', `/staff/appointments/${id}`);
  await hydrated(manager);
  const payments = manager.getByRole('region', { name: 'Payments' });
  await expect(payments.getByLabel('Amount')).toHaveValue('35.00');
  await payments.getByLabel('Note for the client (optional)').fill('For your haircut');
  await payments.getByRole('button', { name: 'Send payment link' }).click();
  await expect(payments.getByText('Payment link sent to the client.')).toBeVisible();
  await expect(payments.getByText('Waiting for the client')).toBeVisible();

  // The client pays from the tracking page, on the provider's page.
  const client = await (await browser.newContext()).newPage();
  await client.goto(booked.tracking_path);
  await hydrated(client);
  await client.getByRole('link', { name: 'Pay £35.00' }).click();
  await expect(client.locator('.amount')).toHaveText('35.00 GBP');
  await client.getByRole('button', { name: 'Pay 35.00' }).click();
  await expect(client.getByText('Thank you! Your payment is being confirmed')).toBeVisible();

  // Alice's bell rings without a reload.
  await expect(badge(alice)).toHaveText('1');
  await alice.getByRole('button', { name: /^Notifications/ }).click();
  await expect(bell.getByRole('listitem').first()).toContainText('Payment received');
  await expect(bell.getByRole('listitem').first()).toContainText('£35.00 from Bob Smith');
  await bell.getByLabel('Kind').selectOption({ label: 'Payments' });
  await expect(bell.getByRole('listitem').filter({ hasText: 'Bob Smith' })).toHaveCount(1);

  // The appointment page shows it paid, live.
  await expect(payments.getByText('Paid', { exact: false }).first()).toBeVisible();
  await client.reload();
  await expect(client.getByText('£35.00 paid, thank you')).toBeVisible();
});

// A store that asks for a deposit: the client books on the booking page, is
// asked to pay on the provider's page, comes back to their booking, and only
// then does the manager hear of the request.
test('with a deposit, an online booking is held until the client pays, then the store hears of it live', async ({ browser, request }) => {
  const admin = await signIn(browser, 'admin@example.com');
  const connected = await admin.request.post('/api/connect_payments', {
    data: { store: 1, secret_key: 'sk_test_e2e_downtown', webhook_secret: 'whsec_e2e_downtown' },
  });
  expect(connected.ok()).toBeTruthy();
  const account = await (await admin.request.post('/api/payment_account', { data: { store: 1 } })).json();
  await request.post(`${FAKE_STRIPE}/_test/accounts`, {
    data: { secret_key: 'sk_test_e2e_downtown', webhook_secret: 'whsec_e2e_downtown', webhook_url: account.webhook_url },
  });

  const manager = await signIn(browser, 'manager1@example.com', '/staff/stores/1/notifications');
  const settings = manager.getByRole('group', { name: 'Deposit at online booking' });
  await settings.getByLabel('A fixed deposit').check();
  await manager.getByLabel('Deposit amount (GBP)').fill('10');
  await manager.getByRole('button', { name: 'Save settings' }).click();
  await expect(manager.getByText('Saved. The next event uses these settings.')).toBeVisible();
  try {
    await manager.goto('/staff');
    await hydrated(manager);
    const unreadBefore = Number((await badge(manager).textContent()) || '0');

    const client = await (await browser.newContext()).newPage();
    await bookOnline(client, 'downtown', { name: 'Dana Deposit', email: 'dana@example.com', date: await roomyDay(client) });
    await expect(client.getByRole('heading', { name: 'One step left: your deposit' })).toBeVisible();
    await expect(client.getByText(/Your time is held until .+\. Pay the £10\.00 deposit/)).toBeVisible();
    await manager.waitForTimeout(500);
    expect(Number((await badge(manager).textContent()) || '0')).toBe(unreadBefore);

    await client.getByRole('link', { name: 'Pay £10.00' }).first().click();
    await expect(client.locator('.amount')).toHaveText('10.00 GBP');
    await client.getByRole('button', { name: 'Pay 10.00' }).click();
    await client.waitForURL(/\/t\/[^?]+\?lang=en&paid=1/);
    await expect(client.getByText('Thank you! Your payment is being confirmed')).toBeVisible();

    // Now it is a request, and the manager is told without a reload.
    await expect.poll(async () => Number((await badge(manager).textContent()) || '0')).toBeGreaterThan(unreadBefore);
    await manager.getByRole('button', { name: /^Notifications/ }).click();
    const bell = manager.getByRole('dialog', { name: 'Notifications' });
    await expect(bell.getByRole('listitem').filter({ hasText: 'Dana Deposit' }).first()).toBeVisible();
    await client.reload();
    await expect(client.getByText('£10.00 paid, thank you')).toBeVisible();
    await expect(client.getByText(/Your time is held/)).toBeHidden();
  } finally {
    // Later tests book online without a deposit.
    const page = await (await manager.request.post('/api/store_settings', { data: { store_id: 1 } })).json();
    const off = await manager.request.post('/api/save_store_settings', {
      data: { settings: { ...page.settings, deposit_rule: 'none', deposit_amount: '' } },
    });
    expect(off.ok()).toBeTruthy();
  }
});
