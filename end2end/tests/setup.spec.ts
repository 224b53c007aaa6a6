import { test, expect } from '@playwright/test';
import { chooseDay, hydrated, offeredTimes, signIn } from './helpers';

// A store sets itself up in the browser: an admin gives Downtown a lunch
// break, a manager adds a service, an associate takes a day off, and the
// public booking page offers exactly the times that leaves. The demo store's
// hours are put back at the end (the other specs book on it).

/** The next date (YYYY-MM-DD, London) that is `weekday` (1 = Monday), at least `after` days ahead. */
function next(weekday: number, after: number): string {
  const d = new Date(Date.now() + after * 86_400_000);
  while (((d.getUTCDay() + 6) % 7) + 1 !== weekday) d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

test('an admin sets hours with a lunch break, a manager adds a service, an associate takes a day off; clients see only what is left', async ({ browser }) => {
  const admin = await signIn(browser, 'admin@example.com', '/staff/stores');
  await admin.getByRole('link', { name: 'Profile and hours' }).first().click();
  await expect(admin.getByRole('heading', { name: 'Downtown: setup' })).toBeVisible();
  const hours = admin.getByRole('form', { name: 'Opening hours' });
  for (const day of ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday']) {
    await hours.getByLabel(day).fill('09:00-10:00, 13:00-14:00');
  }
  await hours.getByLabel('Saturday').fill('');
  await hours.getByRole('button', { name: 'Save opening hours' }).click();
  await expect(admin.getByRole('status').filter({ hasText: 'Opening hours saved.' })).toBeVisible();
  // A mistake is explained, naming the day.
  await hours.getByLabel('Monday').fill('09:00-13:00, 12:00-14:00');
  await hours.getByRole('button', { name: 'Save opening hours' }).click();
  await expect(admin.locator('#hours-error')).toHaveText('Monday: 09:00–13:00 overlaps 12:00–14:00.');
  await hours.getByLabel('Monday').fill('09:00-10:00, 13:00-14:00');
  await hours.getByRole('button', { name: 'Save opening hours' }).click();
  await expect(admin.getByRole('status').filter({ hasText: 'Opening hours saved.' })).toBeVisible();

  // A manager adds a service.
  const manager = await signIn(browser, 'manager1@example.com', '/staff/stores');
  await manager.getByRole('link', { name: 'Services' }).first().click();
  await manager.getByText('New service').click();
  const form = manager.getByRole('form', { name: 'Service new' });
  await form.getByLabel('Name (English)').fill('Deluxe colour');
  await form.getByLabel('Duration (minutes)').fill('60');
  await form.getByLabel('Keep free after (minutes)').fill('30');
  await form.getByRole('button', { name: 'Add service' }).click();
  await expect(manager.getByRole('list', { name: 'Services' })).toContainText('Deluxe colour · 60 min');

  // Alice takes next Tuesday off, from her own page.
  const tuesday = next(2, 8);
  const monday = next(1, 8);
  const alice = await signIn(browser, 'associate1@example.com');
  await alice.getByRole('link', { name: 'My hours' }).click();
  await expect(alice.getByRole('heading', { name: 'Alice Associate: working hours' })).toBeVisible();
  const off = alice.getByRole('form', { name: 'Add time off' });
  await off.getByLabel('First day').fill(tuesday);
  await off.getByLabel('Reason (shown to managers)').fill('Dentist');
  await off.getByRole('button', { name: 'Add time off' }).click();
  await expect(alice.getByRole('list', { name: 'Time off' })).toContainText(`${tuesday} · Dentist`);

  // The client: on Monday, only times inside the two openings; on Tuesday nothing with Alice, but others are free.
  const client = await (await browser.newContext()).newPage();
  await client.goto('/book/downtown');
  await hydrated(client);
  await chooseDay(client, monday, { associate: 'Alice Associate' });
  expect(await offeredTimes(client)).toEqual(['09:00', '09:15', '09:30', '13:00', '13:15', '13:30']);
  const atDay = async (date: string, associate?: string) => {
    const url = new URL(client.url());
    url.searchParams.set('date', date);
    if (associate) url.searchParams.set('associate', associate);
    else url.searchParams.delete('associate');
    await client.goto(url.toString());
    return offeredTimes(client);
  };
  const aliceId = new URL(client.url()).searchParams.get('associate')!;
  expect(await atDay(tuesday, aliceId)).toEqual([]);
  expect(await atDay(tuesday)).toEqual(['09:00', '09:15', '09:30', '13:00', '13:15', '13:30']);

  // Put the demo store back as the other specs expect it.
  const nine = (to: string) => [{ from: '09:00', to }];
  const restored = await admin.request.post('/api/save_store_hours', {
    data: { store_id: 1, hours: { days: [nine('18:00'), nine('18:00'), nine('18:00'), nine('20:00'), nine('18:00'), nine('18:00'), []] } },
  });
  expect(restored.ok()).toBeTruthy();
  const me = await (await alice.request.post('/api/me', { data: {} })).json();
  const schedule = await (await alice.request.post('/api/schedule', { data: { store_id: 1, staff_id: me.id } })).json();
  const removed = await alice.request.post('/api/remove_time_off', {
    data: { store_id: 1, staff_id: me.id, time_off_id: schedule.time_off[0].id },
  });
  expect(removed.ok()).toBeTruthy();
});
