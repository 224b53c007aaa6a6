import { expect, Browser, BrowserContext, Page } from '@playwright/test';

/** Waits for the WASM to hydrate the page (the hydrate entry marks <body>). */
export async function hydrated(page: Page) {
  await page.locator('body[data-hydrated]').waitFor();
}

/** Signs a demo staff member in, in a fresh context unless one is given, and waits for the live channel. */
export async function signIn(browser: Browser, email: string, path = '/staff', context?: BrowserContext): Promise<Page> {
  const page = await (context ?? (await browser.newContext())).newPage();
  await page.goto('/login');
  await hydrated(page);
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password').fill('demo-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/staff');
  if (path !== '/staff') {
    await page.goto(path);
  }
  await hydrated(page);
  await expect(page.getByRole('status', { name: 'Live updates on' })).toBeVisible();
  return page;
}

/** The free times the booking page's time step offers, or [] when it says the day is full. */
export async function offeredTimes(client: Page): Promise<string[]> {
  const grid = client.getByRole('list', { name: 'Free times' });
  await expect(grid.or(client.getByText('No free times on this day'))).toBeVisible();
  return (await grid.count()) ? grid.getByRole('link').allInnerTexts() : [];
}

/**
 * Walks the booking page's steps up to the time step: the service (the first
 * offered unless named), the associate (any unless named) and the day
 * (`YYYY-MM-DD`), moving the calendar forward month by month as a client would.
 */
export async function chooseDay(client: Page, date: string, opts: { service?: string | RegExp; associate?: string } = {}) {
  const services = client.getByRole('region', { name: 'Choose a service' });
  const service = opts.service ? services.getByRole('link', { name: opts.service }) : services.getByRole('link').first();
  await service.click();
  await expect(client.getByRole('heading', { name: 'Choose a day' })).toBeVisible();
  if (opts.associate) {
    await client.getByLabel('With').selectOption({ label: opts.associate });
    await client.getByRole('button', { name: 'Show free days' }).click();
    await expect(client).toHaveURL(/associate=\d+/);
  }
  const day = client.locator(`.calendar a.day[href*="date=${date}"], .calendar span.day[data-date="${date}"]`);
  for (let i = 0; i < 3 && !(await day.count()); i++) {
    await client.getByRole('link', { name: 'Next month' }).click();
    await expect(client.getByRole('heading', { name: 'Choose a day' })).toBeVisible();
    await client.waitForLoadState('networkidle');
  }
  const free = client.locator(`.calendar a.day[href*="date=${date}"]`);
  if (await free.count()) {
    await free.click();
  } else {
    // A day without free times is not a link; its time step says so.
    const url = new URL(client.url());
    url.searchParams.set('date', date);
    await client.goto(url.toString());
  }
  await expect(client.getByRole('heading', { name: 'Choose a time' })).toBeVisible();
}

/** Chooses a time on the time step and fills the details step; returns once the form is showing. */
export async function chooseTime(client: Page, time?: string) {
  const grid = client.getByRole('list', { name: 'Free times' });
  await (time ? grid.getByRole('link', { name: time, exact: true }) : grid.getByRole('link').first()).click();
  await expect(client.getByRole('heading', { name: 'Your details' })).toBeVisible();
}

/** Books online through every step and returns on the confirmation (the tracking page with `?booked=1`). */
export async function bookOnline(
  client: Page,
  store: string,
  who: { name: string; email?: string; mobile?: string; notes?: string; date: string; time?: string; service?: string | RegExp; associate?: string },
) {
  await client.goto(`/book/${store}`);
  await hydrated(client);
  await chooseDay(client, who.date, who);
  await chooseTime(client, who.time);
  await client.getByLabel('Your name').fill(who.name);
  if (who.email) await client.getByLabel('Email', { exact: true }).fill(who.email);
  if (who.mobile) await client.getByLabel('Mobile').fill(who.mobile);
  if (who.notes) await client.getByLabel('Notes for the store (optional)').fill(who.notes);
  await client.getByRole('button', { name: 'Request appointment' }).click();
  await client.waitForURL(/\/t\/[^?]+\?booked=1/);
}

/** The bell's unread badge (hidden at zero). */
export const badge = (page: Page) => page.getByTestId('bell-badge');

/**
 * The first day after today (`YYYY-MM-DD`) on which `downtown` offers at least
 * `min` free times for its first service. Tests that move an appointment
 * later need a day with room after it: "the first open day" is today until
 * the evening, when only a slot or two is left.
 */
export async function roomyDay(page: Page, min = 8): Promise<string> {
  const info = await (await page.request.post('/api/booking_page', { data: { store: 'downtown' } })).json();
  const day = new Date(`${info.today}T12:00:00Z`);
  for (let i = 0; i < 14; i++) {
    day.setUTCDate(day.getUTCDate() + 1);
    const date = day.toISOString().slice(0, 10);
    const slots = await (await page.request.post('/api/slots', { data: { store: 'downtown', service_id: 1, date, associate_id: null } })).json();
    if (slots.length >= min) return date;
  }
  throw new Error('no day in the next two weeks has room');
}
