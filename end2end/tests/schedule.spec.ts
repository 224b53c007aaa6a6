import { test, expect } from '@playwright/test';
import { hydrated, signIn } from './helpers';

// The staff calendar: a manager's day has a column per associate, a booking
// made elsewhere appears in it live, and the week view lays the days side by side.

test('a booking made in another browser appears live in the manager\'s day, in its associate\'s column, and in the week', async ({ browser }) => {
  const manager = await signIn(browser, 'manager1@example.com');
  const client = await browser.newContext();
  const alice = (await (await client.request.post('/api/booking_page', { data: { store: 'downtown', lang: null } })).json()).associates
    .find((a: { name: string }) => a.name === 'Alice Associate');
  let day = '';
  let starts: number[] = [];
  for (let d = 5; d < 15 && !starts.length; d++) {
    day = new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);
    const res = await client.request.post('/api/slots', { data: { store: 'downtown', service_id: 1, date: day, associate_id: alice.id } });
    starts = (await res.json()).map((s: { starts_at: number }) => s.starts_at);
  }
  expect(starts.length).toBeGreaterThan(0);

  await manager.getByRole('link', { name: 'Calendar' }).click();
  await manager.waitForURL('**/staff/calendar');
  await manager.getByLabel('Day').fill(day);
  await manager.getByRole('button', { name: 'Show' }).click();
  await manager.waitForURL(`**/staff/calendar?**date=${day}**`);
  await hydrated(manager);
  const schedule = manager.getByRole('table', { name: 'Schedule' });
  await expect(schedule.getByRole('columnheader', { name: 'Alice Associate' })).toBeVisible();
  await expect(schedule.getByRole('link', { name: /Xavier Live/ })).toHaveCount(0);

  const booked = await client.request.post('/api/book', {
    data: { request: { store: 'downtown', service_id: 1, starts_at: starts[0], associate_id: alice.id, name: 'Xavier Live',
      email: 'xavier@example.com', mobile: '', language: 'en', notes: '', remind_by_email: true, remind_by_sms: false } },
  });
  expect(booked.ok(), await booked.text()).toBeTruthy();

  // No reload: the live channel brings it, in Alice's column.
  const entry = schedule.getByRole('link', { name: /Xavier Live/ });
  await expect(entry).toBeVisible();
  const column = await schedule.getByRole('columnheader').allInnerTexts();
  const cell = entry.locator('xpath=ancestor::td[1]');
  const index = await cell.evaluate((td) => (td as HTMLTableCellElement).cellIndex);
  expect(column[index]).toBe('Alice Associate');

  await manager.getByRole('link', { name: 'Week view' }).click();
  await expect(schedule.getByRole('columnheader')).toHaveCount(8);
  await expect(schedule.getByRole('link', { name: /Xavier Live/ })).toContainText('Alice Associate');
  await schedule.getByRole('link', { name: /Xavier Live/ }).click();
  await manager.waitForURL(/\/staff\/appointments\/\d+/);
});
