import { test, expect, Browser, Page } from '@playwright/test';
import { bookOnline, chooseDay, hydrated, offeredTimes } from './helpers';
import { EMPTY_INSTALL, MAIL_SINK } from '../ports';

// A business starts from nothing, on a server started without --demo that
// sends mail through a real SMTP server (the sink of `smtp-sink.cjs`): the
// first admin, a store with a lunch break, a service with a buffer, people
// invited by email, an associate's own hours and day off, what a client is
// offered, and a deactivation that signs the associate out and puts their
// booking back in the queue with the manager told live.

/** A page of the empty install in a fresh browser context. */
async function open(browser: Browser, path: string): Promise<Page> {
  const page = await (await browser.newContext({ baseURL: EMPTY_INSTALL })).newPage();
  await page.goto(path);
  await hydrated(page);
  return page;
}

async function signIn(browser: Browser, email: string, password: string): Promise<Page> {
  const page = await open(browser, '/login');
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/staff');
  await hydrated(page);
  await expect(page.getByRole('status', { name: 'Live updates on' })).toBeVisible();
  return page;
}

type Mail = { to: string[]; subject: string; text: string };

/** The newest email the SMTP sink received for `address`. */
async function mailTo(address: string): Promise<Mail> {
  let found: Mail | undefined;
  await expect
    .poll(async () => {
      const all: Mail[] = await (await fetch(MAIL_SINK)).json();
      found = all.reverse().find((m) => m.to.includes(address));
      return found !== undefined;
    }, { timeout: 15_000 })
    .toBe(true);
  return found!;
}

/** The path of the invitation link in an email. */
function invitationPath(mail: Mail): string {
  const link = mail.text.match(/https?:\/\/\S+\/invite\/[A-Za-z0-9_-]+/);
  expect(link, mail.text).not.toBeNull();
  return new URL(link![0]).pathname;
}

/** The next date (YYYY-MM-DD) that is `weekday` (1 = Monday), at least `after` days ahead. */
function next(weekday: number, after: number): string {
  const d = new Date(Date.now() + after * 86_400_000);
  while (((d.getUTCDay() + 6) % 7) + 1 !== weekday) d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

async function join(browser: Browser, mail: Mail, name: string, password: string): Promise<Page> {
  const page = await open(browser, invitationPath(mail));
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel('Choose a password').fill(password);
  await page.getByRole('button', { name: 'Join' }).click();
  await page.waitForURL('**/staff');
  await hydrated(page);
  await expect(page.getByRole('status', { name: 'Live updates on' })).toBeVisible();
  return page;
}

test('from an empty install: setup, a store with a lunch break, a service, people invited by email, their hours, a booking, a deactivation', async ({ browser }) => {
  // The first admin and store.
  const setup = await open(browser, '/setup');
  await setup.getByLabel('Your name').fill('Ada Owner');
  await setup.getByLabel('Your email').fill('ada@riverside.test');
  await setup.getByLabel('Password (10 characters or more)').fill('ada-long-password');
  await setup.getByLabel('Store name').fill('Head Office');
  await setup.getByLabel('Store address on the web').fill('head-office');
  await setup.getByLabel('Store time zone').fill('Europe/London');
  await setup.getByRole('button', { name: 'Create the first admin' }).click();
  await expect(setup.getByText('Done.')).toBeVisible();
  const login = await open(browser, '/login');
  await expect(login.locator('body')).not.toContainText('demo-password');

  // A second store, with a lunch break, in euros.
  const ada = await signIn(browser, 'ada@riverside.test', 'ada-long-password');
  await ada.goto('/staff/stores');
  await hydrated(ada);
  await ada.getByText('New store').click();
  const create = ada.getByRole('form', { name: 'New store' });
  await create.getByLabel('Store name').fill('Riverside');
  await create.getByLabel('Booking page address').fill('riverside');
  await create.getByLabel('Address', { exact: true }).fill('1 River Walk');
  await create.getByLabel('Time zone').fill('Europe/London');
  await create.getByLabel('Prices in').selectOption('EUR');
  await create.getByRole('button', { name: 'Create store' }).click();
  await ada.waitForURL(/\/staff\/stores\/\d+$/);
  const storeId = ada.url().split('/').pop();
  await hydrated(ada);
  const hours = ada.getByRole('form', { name: 'Opening hours' });
  for (const day of ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday']) {
    await hours.getByLabel(day).fill('09:00-12:00, 13:00-17:00');
  }
  await hours.getByRole('button', { name: 'Save opening hours' }).click();
  await expect(ada.getByRole('status').filter({ hasText: 'Opening hours saved.' })).toBeVisible();

  // A 45-minute service with 15 minutes kept free after it, named in French too.
  await ada.goto(`/staff/stores/${storeId}/services`);
  await hydrated(ada);
  await ada.getByText('New service').click();
  const service = ada.getByRole('form', { name: 'Service new' });
  await service.getByLabel('Name (English)').fill('Beard trim');
  await service.getByLabel('Name in Français').fill('Taille de barbe');
  await service.getByLabel('Duration (minutes)').fill('45');
  await service.getByLabel(/^Price in EUR/).fill('20');
  await service.getByLabel('Keep free after (minutes)').fill('15');
  await service.getByRole('button', { name: 'Add service' }).click();
  await expect(ada.getByRole('list', { name: 'Services' })).toContainText('Beard trim · 45 min · €20.00');

  // An associate and a manager are invited; the invitations arrive by email.
  await ada.goto('/staff/people');
  await hydrated(ada);
  const invite = ada.getByRole('form', { name: 'Invite someone' });
  for (const [email, role] of [['sam@riverside.test', 'associate'], ['mo@riverside.test', 'manager']]) {
    await invite.getByLabel('Their email').fill(email);
    await invite.getByLabel('Store', { exact: true }).selectOption({ label: 'Riverside' });
    await invite.getByLabel('Role', { exact: true }).selectOption(role);
    await invite.getByRole('button', { name: 'Send invitation' }).click();
    await expect(ada.getByRole('list', { name: 'Open invitations' })).toContainText(email);
  }
  await expect(ada.getByRole('status').filter({ hasText: 'Invitation sent.' })).toBeVisible();
  const samMail = await mailTo('sam@riverside.test');
  expect(samMail.subject).toBe('You are invited to Frontdesk');
  expect(samMail.text).toContain('Ada Owner invited you to join Riverside');
  const sam = await join(browser, samMail, 'Sam Stylist', 'sam-long-password');
  const mo = await join(browser, await mailTo('mo@riverside.test'), 'Mo Manager', 'mo-long-password');

  // Sam works 10:00 to 15:00 and takes next Tuesday off.
  const monday = next(1, 8);
  const tuesday = next(2, 8);
  await sam.getByRole('link', { name: 'My hours' }).click();
  await expect(sam.getByRole('heading', { name: 'Sam Stylist: working hours' })).toBeVisible();
  const work = sam.getByRole('form', { name: 'Working hours' });
  await work.getByLabel("My own hours (within the store's)").check();
  for (const day of ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday']) {
    await work.getByLabel(day).fill('10:00-15:00');
  }
  await work.getByRole('button', { name: 'Save working hours' }).click();
  await expect(sam.getByRole('status').filter({ hasText: 'Working hours saved.' })).toBeVisible();
  const off = sam.getByRole('form', { name: 'Add time off' });
  await off.getByLabel('First day').fill(tuesday);
  await off.getByLabel('Reason (shown to managers)').fill('Training');
  await off.getByRole('button', { name: 'Add time off' }).click();
  await expect(sam.getByRole('list', { name: 'Time off' })).toContainText(`${tuesday} · Training`);

  // The client is offered only times inside both the store's and Sam's hours, none on his day off.
  const client = await open(browser, '/book/riverside');
  await expect(client.getByRole('region', { name: 'Choose a service' })).toContainText('Beard trim · 45 min · €20.00');
  await expect(client.getByText('1 River Walk')).toBeVisible();
  await expect(client.getByText('Times are London time.')).toBeVisible();
  await chooseDay(client, monday, { service: /Beard trim/, associate: 'Sam Stylist' });
  const offered = await offeredTimes(client);
  expect(offered).toContain('10:00');
  for (const t of offered) {
    const start = minutes(t);
    const inside = (from: string, to: string) => start >= minutes(from) && start + 45 <= minutes(to);
    expect(inside('10:00', '12:00') || inside('13:00', '15:00'), `${t} is inside both`).toBe(true);
  }
  expect(offered).toContain('13:00');
  // Sam's day off has no free times.
  const tuesdayUrl = new URL(client.url());
  tuesdayUrl.searchParams.set('date', tuesday);
  await client.goto(tuesdayUrl.toString());
  await expect(client.getByText('No free times on this day')).toBeVisible();

  // The client books Sam on Monday at 10:00.
  await bookOnline(client, 'riverside', { service: /Beard trim/, associate: 'Sam Stylist', date: monday, time: '10:00', name: 'Rosa Client', email: 'rosa@example.com' });
  await expect(client.getByRole('heading', { name: /Request received|Appointment confirmed/ })).toBeVisible();

  // Ada deactivates Sam: his tab is signed out at once; Mo is told live and finds the booking in the queue.
  await ada.reload();
  await hydrated(ada);
  await ada.getByRole('button', { name: 'Deactivate Sam Stylist (sam@riverside.test)' }).click();
  await sam.waitForURL('**/login');
  await mo.getByRole('button', { name: /Notifications/ }).click();
  const bell = mo.getByRole('dialog', { name: 'Notifications' });
  await expect(bell).toContainText('back in the queue');
  await expect(bell).toContainText('Rosa Client');
  await mo.goto('/staff/queue');
  await hydrated(mo);
  await expect(mo.getByRole('list', { name: 'Requests awaiting assignment' })).toContainText('Rosa Client');
});
