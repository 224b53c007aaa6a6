import { test, expect, Page } from '@playwright/test';
import { hydrated, roomyDay, signIn } from './helpers';

// The Clientbook flows "staff creates an appointment" and "an appointment is
// updated", each with three browser contexts: the acting manager (never
// notified of their own action), the associate (told live), and another
// manager (not concerned).

/** The unread count, read from the bell button's accessible name. */
async function unread(page: Page): Promise<number> {
  const label = await page.getByRole('button', { name: /Notifications, \d+ unread/ }).getAttribute('aria-label');
  return Number(label!.match(/(\d+) unread/)![1]);
}

const bellButton = (page: Page, n: number) => page.getByRole('button', { name: `Notifications, ${n} unread` });

test.describe.serial('staff flows', () => {
  let appointmentUrl = '';

  test('staff creates an appointment from a client profile: the associate is told live, nobody else', async ({ browser }) => {
    const manager = await signIn(browser, 'manager1@example.com');
    const associate = await signIn(browser, 'associate2@example.com');
    const other = await signIn(browser, 'manager2@example.com');
    const [m0, a0, o0] = [await unread(manager), await unread(associate), await unread(other)];

    // A new client, then their profile.
    await manager.getByRole('link', { name: 'Clients' }).click();
    await manager.getByText('New client').click();
    await manager.getByLabel('Name', { exact: true }).fill('Paula Profile');
    await manager.getByLabel('Client email').fill('paula@example.com');
    await manager.getByRole('button', { name: 'Add client' }).click();
    await expect(manager.getByRole('heading', { name: 'Paula Profile' })).toBeVisible();

    // Book for her with Ben, at the first free time of a day with room to move it later.
    const day = await roomyDay(manager);
    await manager.getByLabel('Associate', { exact: true }).selectOption({ label: 'Ben Associate' });
    await manager.getByLabel('Date', { exact: true }).fill(day);
    const time = manager.getByLabel('Time', { exact: true });
    await expect(time.locator('option')).not.toHaveCount(1);
    await time.selectOption({ index: 1 });
    await manager.getByRole('button', { name: 'Book appointment' }).click();
    await manager.waitForURL(/\/staff\/appointments\/\d+$/);
    appointmentUrl = new URL(manager.url()).pathname;
    await expect(manager.getByRole('heading', { name: 'Haircut with Paula Profile' })).toBeVisible();
    await expect(manager.getByRole('link', { name: 'paula@example.com' })).toHaveAttribute('href', 'mailto:paula@example.com');

    // Ben is told at once; the manager who did it and the other manager are not.
    await expect(bellButton(associate, a0 + 1)).toBeVisible();
    await associate.getByRole('button', { name: /Notifications/ }).click();
    const item = associate.getByRole('dialog', { name: 'Notifications' }).getByRole('listitem').first();
    await expect(item).toContainText('New appointment');
    await expect(item).toContainText('Paula Profile');
    await item.getByText('Why am I seeing this?').click();
    await expect(item).toContainText('You are the associate assigned to this appointment.');
    await associate.waitForTimeout(500);
    expect(await unread(manager)).toBe(m0);
    expect(await unread(other)).toBe(o0);

    // The client's profile lists the appointment.
    await manager.goto(manager.url().replace(/\/staff\/appointments\/\d+$/, '/staff/clients'));
    await hydrated(manager);
    await manager.getByLabel('Search clients').fill('paula');
    await manager.getByRole('link', { name: /Paula Profile/ }).click();
    await expect(manager.getByRole('list', { name: 'Appointment history' }).getByRole('listitem')).toHaveCount(1);
  });

  test('an appointment is updated: the associate sees what changed, live; then it is cancelled', async ({ browser }) => {
    const manager = await signIn(browser, 'manager1@example.com');
    const associate = await signIn(browser, 'associate2@example.com');
    const other = await signIn(browser, 'manager2@example.com');
    await associate.goto(appointmentUrl);
    await hydrated(associate);
    const [m0, a0, o0] = [await unread(manager), await unread(associate), await unread(other)];

    await manager.goto(appointmentUrl);
    await hydrated(manager);
    await manager.getByText('Change date, time or details').click();
    const time = manager.getByLabel('Time', { exact: true });
    // The free times load in the browser; wait until they are there.
    await expect.poll(async () => time.locator('option').count()).toBeGreaterThan(3);
    const current = await time.inputValue();
    const options = await time.locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value).filter((v) => v));
    const later = options.find((v) => Number(v) > Number(current) + 3600)!;
    await time.selectOption(later);
    await expect(time).toHaveValue(later);
    const whenBefore = await manager.locator('dl.facts dd').first().innerText();
    await manager.getByLabel('Notes', { exact: true }).fill('Bring the colour chart');
    await manager.getByRole('button', { name: 'Save changes' }).click();
    await expect(manager.locator('dl.facts dd').first()).not.toHaveText(whenBefore);
    await expect(manager.locator('dl.facts')).toContainText('Bring the colour chart');

    // The associate's bell and open appointment page update without a reload.
    await expect(bellButton(associate, a0 + 1)).toBeVisible();
    await expect(associate.getByText('Bring the colour chart')).toBeVisible();
    await associate.getByRole('button', { name: /Notifications/ }).click();
    const item = associate.getByRole('dialog', { name: 'Notifications' }).getByRole('listitem').first();
    await expect(item).toContainText('Appointment updated');
    await expect(item).toContainText('→');
    await expect(item).toContainText('Maya Manager');
    await associate.getByRole('button', { name: /Notifications/ }).click();

    // Cancelled by the manager: the associate is told who cancelled.
    await manager.getByText('Cancel appointment').click();
    await manager.getByLabel('Reason (optional)').fill('Client called');
    await manager.getByRole('button', { name: 'Confirm cancellation' }).click();
    await expect(manager.locator('.status')).toHaveText('Cancelled');
    await expect(bellButton(associate, a0 + 2)).toBeVisible();
    await associate.getByRole('button', { name: /Notifications/ }).click();
    await expect(associate.getByRole('dialog', { name: 'Notifications' }).getByRole('listitem').first()).toContainText('cancelled by Maya Manager');
    await expect(associate.getByRole('list', { name: 'History' }).getByRole('listitem').first()).toContainText('Cancelled');

    await manager.waitForTimeout(500);
    expect(await unread(manager)).toBe(m0);
    expect(await unread(other)).toBe(o0);
  });
});

test('a client writes from the tracking page: the associate is told live, opens the conversation and replies', async ({ browser }) => {
  const associate = await signIn(browser, 'associate3@example.com');
  const manager = await signIn(browser, 'manager1@example.com');
  const [a0, m0] = [await unread(associate), await unread(manager)];

  // The client books with Chloé and writes from the booking's tracking page.
  const client = await (await browser.newContext()).newPage();
  const me = await (await associate.request.post('/api/me', { data: {} })).json();
  const page = await (await client.request.post('/api/booking_page', { data: { store: 'downtown' } })).json();
  const slots = await (await client.request.post('/api/slots', {
    data: { store: 'downtown', service_id: 1, date: page.first_open_day, associate_id: me.id },
  })).json();
  const booked = await (await client.request.post('/api/book', {
    data: { request: {
      store: 'downtown', service_id: 1, starts_at: slots[slots.length - 1].starts_at, associate_id: me.id,
      name: 'Mia Message', email: 'mia@example.com', mobile: '', language: 'en', notes: '', remind_by_email: true, remind_by_sms: false,
    } },
  })).json();
  await expect(bellButton(associate, a0 + 1)).toBeVisible(); // "New appointment" with her
  await client.goto(booked.tracking_path);
  await hydrated(client);
  await client.getByLabel('Your message').fill('Is there parking nearby?');
  await client.getByRole('button', { name: 'Send message' }).click();
  await expect(client.getByRole('status').filter({ hasText: 'Sent.' })).toBeVisible();

  // Chloé is told at once and opens the conversation from the bell.
  await expect(bellButton(associate, a0 + 2)).toBeVisible();
  await associate.getByRole('button', { name: /Notifications/ }).click();
  const item = associate.getByRole('dialog', { name: 'Notifications' }).getByRole('listitem').first();
  await expect(item).toContainText('New message');
  await expect(item).toContainText('Mia Message: Is there parking nearby?');
  await item.getByRole('link').click();
  await associate.waitForURL(/\/staff\/conversations\/\d+$/);
  await expect(associate.getByRole('list', { name: 'Messages' })).toContainText('Is there parking nearby?');
  await associate.getByLabel('Reply').fill('Yes, behind the store.');
  await associate.getByRole('button', { name: 'Send reply' }).click();
  await expect(associate.getByRole('list', { name: 'Messages' }).getByRole('listitem')).toHaveCount(2);
  await expect(associate.getByRole('list', { name: 'Messages' })).toContainText('Chloé Associate');

  // The store approves by hand, so the managers were told of the request;
  // the conversation has an associate, so they are not told of the message.
  await manager.waitForTimeout(300);
  expect(await unread(manager)).toBe(m0 + 1);
});
