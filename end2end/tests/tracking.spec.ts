import { test, expect, APIRequestContext } from '@playwright/test';
import { hydrated } from './helpers';

// The client's tracking page in French: move, cancel, and confirm a change
// the store proposed — each through the same domain code as staff actions.

/** Free starts for the first service on the first open day at least `days` ahead. */
async function slotsAhead(api: APIRequestContext, days: number): Promise<{ day: string; starts: number[] }> {
  for (let d = days; d < days + 10; d++) {
    const day = new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);
    const res = await api.post('/api/slots', { data: { store: 'downtown', service_id: 1, date: day, associate_id: null } });
    const starts = (await res.json()).map((s: { starts_at: number }) => s.starts_at);
    if (starts.length > 2) return { day, starts };
  }
  throw new Error('no open day');
}

/** Books in French, has a manager approve it; returns the tracking path and the appointment id. */
async function approvedFrenchBooking(api: APIRequestContext, start: number, email: string): Promise<{ path: string; id: number }> {
  const booked = await (
    await api.post('/api/book', {
      data: {
        request: {
          store: 'downtown', service_id: 1, starts_at: start, associate_id: null, name: 'Zoé Martin', email,
          mobile: '', language: 'fr', notes: '', remind_by_email: true, remind_by_sms: false,
        },
      },
    })
  ).json();
  expect(booked.tracking_path).toMatch(/^\/t\//);
  const signIn = await api.post('/api/sign_in', { data: { email: 'manager1@example.com', password: 'demo-password' } });
  expect(signIn.ok()).toBeTruthy();
  const approve = await api.post('/api/appointment_step', { data: { id: booked.appointment_id, step: 'approve' } });
  expect(approve.ok()).toBeTruthy();
  return { path: booked.tracking_path, id: booked.appointment_id };
}

test('a client moves, then cancels, their booking in French', async ({ page, request }) => {
  const { starts } = await slotsAhead(request, 3);
  const { path } = await approvedFrenchBooking(request, starts[0], 'zoe.move@example.com');

  await page.goto(path);
  await hydrated(page);
  await expect(page.getByRole('heading', { name: 'Votre rendez-vous' })).toBeVisible();
  await expect(page.locator('dd.status')).toHaveText('Confirmé');
  const before = await page.locator('dd.when').textContent();
  await expect(page.getByRole('link', { name: "Ajouter à l'agenda" })).toHaveAttribute('href', `${path}/calendar.ics`);

  await page.getByRole('button', { name: "Changer la date ou l'heure" }).click();
  const times = page.getByRole('radio');
  await expect(times.first()).toBeVisible();
  await times.nth(2).click();
  await page.getByRole('button', { name: 'Déplacer mon rendez-vous' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Votre rendez-vous a été déplacé.' })).toBeVisible();
  await expect(page.locator('dd.when')).not.toHaveText(before!);

  await page.getByRole('button', { name: 'Annuler le rendez-vous' }).click();
  await page.getByLabel('Motif (facultatif)').fill('Un empêchement');
  await page.getByRole('button', { name: 'Annuler mon rendez-vous' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Votre rendez-vous est annulé.' })).toBeVisible();
  await expect(page.locator('dd.status')).toHaveText('Annulé');
  await expect(page.getByRole('button', { name: 'Annuler le rendez-vous' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Reprendre rendez-vous' })).toBeVisible();
});

test('a client confirms the change the store proposed, straight from the message button', async ({ page, request }) => {
  const { starts } = await slotsAhead(request, 4);
  const { path, id } = await approvedFrenchBooking(request, starts[0], 'zoe.confirm@example.com');
  const a = (await (await request.post('/api/appointment', { data: { id } })).json()).appointment;
  const proposed = await request.post('/api/update_appointment', {
    data: {
      id,
      update: {
        starts_at: starts[2], service_id: a.service_id, associate_id: a.associate_id, notes: a.notes,
        client_communication: a.client_communication, ask_client_to_confirm: true,
      },
    },
  });
  expect(proposed.ok()).toBeTruthy();

  // The email's "confirm" button opens the flow; nothing happens until the client clicks.
  await page.goto(`${path}?action=confirm`);
  await hydrated(page);
  await expect(page.locator('dd.status')).toHaveText('En attente de votre confirmation');
  await expect(page.getByText('Le magasin a modifié votre rendez-vous.')).toBeVisible();
  await expect(page.getByText('Confirmer le rendez-vous tel qu’indiqué ci-dessus ?').or(page.getByText("Confirmer le rendez-vous tel qu'indiqué ci-dessus ?"))).toBeVisible();
  await page.getByRole('button', { name: 'Oui, je confirme' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Merci, votre rendez-vous est confirmé.' })).toBeVisible();
  await expect(page.locator('dd.status')).toHaveText('Confirmé');

  // A link asking for something no longer possible says why, in French.
  await page.goto(`${path}?action=confirm`);
  await hydrated(page);
  await expect(page.getByRole('alert')).toHaveText("Il n'y a aucune modification à confirmer.");
});
