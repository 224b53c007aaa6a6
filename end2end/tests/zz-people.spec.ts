import { test, expect } from '@playwright/test';
import { hydrated, signIn } from './helpers';

// A manager invites an associate (this server has no mail server, so the
// page hands over the link), the associate joins through it and takes a day
// off, a client books them, then the manager deactivates them: their open tab
// is signed out at once and the appointment is back in the queue, the other
// manager told live. Runs last ("zz-"): it removes a person the other specs
// do not use.

test('invite, join, book, deactivate: the tab is signed out and the appointment goes back to the queue', async ({ browser }) => {
  const manager = await signIn(browser, 'manager1@example.com', '/staff/people');
  const invite = manager.getByRole('form', { name: 'Invite someone' });
  await invite.getByLabel('Their email').fill('dana.new@example.com');
  await invite.getByLabel('Role', { exact: true }).selectOption('associate');
  await invite.getByRole('button', { name: 'Send invitation' }).click();
  const link = (await manager.getByRole('status').filter({ hasText: 'Give them this link' }).locator('code').innerText()).trim();
  expect(link).toContain('/invite/');
  await expect(manager.getByRole('list', { name: 'Open invitations' })).toContainText('dana.new@example.com');

  // Dana opens the link, sets her name and password, and is in.
  const dana = await (await browser.newContext()).newPage();
  await dana.goto(new URL(link).pathname);
  await hydrated(dana);
  await expect(dana.getByText('You are invited as')).toContainText('dana.new@example.com');
  await dana.getByLabel('Your name').fill('Dana New');
  await dana.getByLabel('Choose a password').fill('dana-long-password');
  await dana.getByRole('button', { name: 'Join' }).click();
  await dana.waitForURL('**/staff');
  await hydrated(dana);
  await expect(dana.getByRole('status', { name: 'Live updates on' })).toBeVisible();
  // The link does not work twice.
  const again = await (await browser.newContext()).newPage();
  await again.goto(new URL(link).pathname);
  await expect(again.getByRole('alert')).toContainText('already used');

  // A client books with Dana (through the public API, as the booking page does).
  const api = dana.context().request;
  const me = await (await api.post('/api/me', { data: {} })).json();
  const page = await (await api.post('/api/booking_page', { data: { store: 'downtown' } })).json();
  const slots = await (await api.post('/api/slots', {
    data: { store: 'downtown', service_id: 1, date: page.first_open_day, associate_id: me.id },
  })).json();
  const booked = await (await api.post('/api/book', {
    data: { request: {
      store: 'downtown', service_id: 1, starts_at: slots[slots.length - 1].starts_at, associate_id: me.id,
      name: 'Rita Rebook', email: 'rita@example.com', mobile: '', language: 'en', notes: '', remind_by_email: true, remind_by_sms: false,
    } },
  })).json();
  expect(booked.appointment_id).toBeTruthy();

  // The manager deactivates her: her open tab goes to sign-in at once.
  const other = await signIn(browser, 'manager2@example.com');
  await manager.reload();
  await hydrated(manager);
  await manager.getByRole('button', { name: 'Deactivate Dana New (dana.new@example.com)' }).click();
  await dana.waitForURL('**/login');
  await expect(manager.getByRole('list', { name: 'People' })).not.toContainText('Dana New');
  // Her appointment is back in the queue; the other manager is told live.
  await other.getByRole('button', { name: /Notifications/ }).click();
  const item = other.getByRole('dialog', { name: 'Notifications' }).getByRole('listitem').first();
  await expect(item).toContainText('Appointment updated');
  await expect(item).toContainText('Rita Rebook');
  await expect(item).toContainText('back in the queue');
  await manager.goto('/staff/queue');
  await hydrated(manager);
  await expect(manager.getByRole('list', { name: 'Requests awaiting assignment' })).toContainText('Rita Rebook');
});
