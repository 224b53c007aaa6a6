import { test, expect, APIRequestContext } from '@playwright/test';
import { badge, signIn } from './helpers';

// A busy day in the bell: the items about one appointment fold into one entry
// with a count, filters narrow the list, and archiving puts an entry away
// (read, kept in the archive) on every tab.

async function freeStarts(api: APIRequestContext, days: number): Promise<number[]> {
  for (let d = days; d < days + 10; d++) {
    const day = new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);
    const res = await api.post('/api/slots', { data: { store: 'downtown', service_id: 1, date: day, associate_id: null } });
    const starts = (await res.json()).map((s: { starts_at: number }) => s.starts_at);
    if (starts.length > 3) return starts;
  }
  throw new Error('no open day');
}

test('repeats about one appointment fold into one entry, filters narrow the bell, and archive puts it away on every tab', async ({ browser, request }) => {
  const alice = await signIn(browser, 'associate1@example.com');
  const otherTab = await alice.context().newPage();
  await otherTab.goto('/staff');
  await expect(otherTab.getByRole('status', { name: 'Live updates on' })).toBeVisible();
  const me = await (await alice.request.post('/api/me', { data: {} })).json();
  await alice.getByRole('button', { name: /^Notifications/ }).click();
  const bell = alice.getByRole('dialog', { name: 'Notifications' });
  const markAll = bell.getByRole('button', { name: 'Mark all read' });
  if (await markAll.isEnabled()) await markAll.click();
  await alice.keyboard.press('Escape');
  await expect(badge(alice)).toBeHidden();

  // A request, given to Alice, then moved twice: three items about one appointment.
  const starts = await freeStarts(request, 4);
  const booked = await (
    await request.post('/api/book', {
      data: { request: { store: 'downtown', service_id: 1, starts_at: starts[0], associate_id: null, name: 'Gus Grouped', email: 'gus@example.com',
        mobile: '', language: 'en', notes: '', remind_by_email: true, remind_by_sms: false } },
    })
  ).json();
  expect((await request.post('/api/sign_in', { data: { email: 'manager1@example.com', password: 'demo-password' } })).ok()).toBeTruthy();
  expect((await request.post('/api/assign', { data: { appointment_id: booked.appointment_id, associate_id: me.id } })).ok()).toBeTruthy();
  for (const start of [starts[2], starts[3]]) {
    const a = (await (await request.post('/api/appointment', { data: { id: booked.appointment_id } })).json()).appointment;
    const update = { starts_at: start, service_id: a.service_id, associate_id: a.associate_id, notes: a.notes,
      client_communication: a.client_communication, ask_client_to_confirm: false };
    const res = await request.post('/api/update_appointment', { data: { id: booked.appointment_id, update } });
    expect(res.ok(), await res.text()).toBeTruthy();
  }
  await expect(badge(alice)).toHaveText('3');

  await alice.getByRole('button', { name: /^Notifications/ }).click();
  const gus = bell.getByRole('listitem').filter({ hasText: 'Gus Grouped' });
  await expect(gus).toHaveCount(1);
  await expect(gus).toContainText('Appointment updated');
  await expect(gus).toContainText('3 updates');

  // Unread only keeps it; another kind has nothing of it.
  await bell.getByRole('button', { name: 'Unread', exact: true }).click();
  await expect(bell.getByRole('button', { name: 'Unread', exact: true })).toHaveAttribute('aria-pressed', 'true');
  await expect(gus).toHaveCount(1);
  await bell.getByLabel('Kind').selectOption({ label: 'Messages' });
  await expect(gus).toHaveCount(0);
  await bell.getByLabel('Kind').selectOption({ label: 'Changes' });
  await expect(gus).toHaveCount(1);
  await bell.getByLabel('Kind').selectOption({ label: 'All kinds' });

  // Archived: out of the list, the badge drops on both tabs, kept in the archive.
  await gus.getByRole('button', { name: 'Archive: Appointment updated' }).click();
  await expect(gus).toHaveCount(0);
  await expect(badge(alice)).toBeHidden();
  await expect(badge(otherTab)).toBeHidden();
  await bell.getByRole('button', { name: 'Archived', exact: true }).click();
  await expect(gus).toHaveCount(1);
  await expect(gus.getByRole('button', { name: /^Archive/ })).toHaveCount(0);
  await bell.getByRole('button', { name: 'All', exact: true }).click();
  await expect(gus).toHaveCount(0);

  // The other tab's bell no longer lists it either.
  await otherTab.getByRole('button', { name: /^Notifications/ }).click();
  const otherBell = otherTab.getByRole('dialog', { name: 'Notifications' });
  await expect(otherBell.getByRole('listitem').first().or(otherBell.getByText('No notifications yet.'))).toBeVisible();
  await expect(otherBell.getByRole('listitem').filter({ hasText: 'Gus Grouped' })).toHaveCount(0);
});
