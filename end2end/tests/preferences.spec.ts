import { test, expect } from '@playwright/test';
import { hydrated, roomyDay, signIn } from './helpers';

// Clientbook's "too many notifications": a person chooses, per kind, whether
// it reaches them beyond the bell, and quiet hours; the choice holds, and the
// bell's "Why am I seeing this?" names the preference that applied.

test('an associate chooses how assignments reach them; the choice holds and the bell says which applied', async ({ browser }) => {
  const chloe = await signIn(browser, 'associate3@example.com', '/staff/account');
  const form = chloe.getByRole('form', { name: 'Notification preferences' });
  // The page's own forms hydrate a moment after the shell: wait for this one.
  // After some of the earlier specs, this page sometimes never hydrates below
  // the shell (no error is reported; a reload brings it back): a known fault,
  // see ARCHITECTURE.md's known limits. Reload rather than click a dead form.
  const live = async () => {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await chloe.locator('form.preferences[data-live="true"]').waitFor({ timeout: 5000 });
        return;
      } catch {
        await chloe.reload();
        await hydrated(chloe);
      }
    }
    throw new Error('Account → Notifications did not come alive after three loads');
  };
  await live();
  const push = form.getByLabel('Push: Assignments');
  const email = form.getByLabel('Email: Assignments');
  try {
    await expect(push).toBeChecked();
    await expect(email).not.toBeChecked();
    await push.uncheck();
    await email.check();
    await form.getByLabel('From').fill('20:00');
    await form.getByLabel('Until').fill('08:00');
    await form.getByRole('button', { name: 'Save preferences' }).click();
    await expect(form.getByText('Preferences saved.')).toBeVisible();

    await chloe.reload();
    await hydrated(chloe);
    await live();
    await expect(push).not.toBeChecked();
    await expect(email).toBeChecked();
    await expect(form.getByLabel('Push: New requests')).toBeChecked();
    await expect(form.getByLabel('From')).toHaveValue('20:00');
    await expect(form.getByLabel('Until')).toHaveValue('08:00');

    // A manager gives Chloé a request: her bell still fills, and says why.
    const me = await (await chloe.request.post('/api/me', { data: {} })).json();
    const date = await roomyDay(chloe);
    const slots = await (await chloe.request.post('/api/slots', { data: { store: 'downtown', service_id: 1, date, associate_id: me.id } })).json();
    const booked = await (
      await chloe.request.post('/api/book', {
        data: { request: { store: 'downtown', service_id: 1, starts_at: slots[0].starts_at, associate_id: null, name: 'Pia Preference',
          email: 'pia@example.com', mobile: '', language: 'en', notes: '', remind_by_email: true, remind_by_sms: false } },
      })
    ).json();
    const manager = await signIn(browser, 'manager1@example.com');
    const assigned = await manager.request.post('/api/assign', { data: { appointment_id: booked.appointment_id, associate_id: me.id } });
    expect(assigned.ok()).toBeTruthy();
    await chloe.getByRole('button', { name: /^Notifications/ }).click();
    const item = chloe.getByRole('dialog', { name: 'Notifications' }).getByRole('listitem').filter({ hasText: 'Pia Preference' }).first();
    await expect(item).toContainText('Appointment assigned');
    await item.getByText('Why am I seeing this?').click();
    await expect(item).toContainText('You chose the bell and email for assignments (Account → Notifications).');
  } finally {
    // Back to what everyone has, for the tests after this one.
    const page = await (await chloe.request.post('/api/account', { data: {} })).json();
    const reset = await chloe.request.post('/api/save_preferences', {
      data: {
        preferences: {
          topics: page.preferences.topics.map((t: { topic: string }) => ({ topic: t.topic, delivery: { push: true, email: false } })),
          quiet_from: '',
          quiet_until: '',
        },
      },
    });
    expect(reset.ok()).toBeTruthy();
  }
});
