import { test, expect, APIRequestContext, Browser, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { chooseDay, hydrated, signIn } from './helpers';

// Staff on a phone and clients on a small screen: the bell as a sheet that
// closes the ways a phone user expects, a compact menu, no page wider than
// the screen, tap targets a thumb can hit, and no serious accessibility fault.

const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 3 };
const narrow = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true };

/** A booking a week or more ahead, so the lists have an appointment to open. */
async function someBooking(api: APIRequestContext, name: string) {
  for (let d = 7; d < 17; d++) {
    const day = new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);
    const slots = await (await api.post('/api/slots', { data: { store: 'downtown', service_id: 1, date: day, associate_id: null } })).json();
    if (!slots.length) continue;
    const res = await api.post('/api/book', {
      data: { request: { store: 'downtown', service_id: 1, starts_at: slots[slots.length - 1].starts_at, associate_id: null, name,
        email: `${name.toLowerCase().replace(' ', '.')}@example.com`, mobile: '', language: 'en', notes: 'a long note '.repeat(12),
        remind_by_email: true, remind_by_sms: false } },
    });
    expect(res.ok(), await res.text()).toBeTruthy();
    return;
  }
  throw new Error('no free time');
}

async function phoneSignIn(browser: Browser, email: string, path = '/staff', size = phone): Promise<Page> {
  return signIn(browser, email, path, await browser.newContext(size));
}

/** How far the page reaches past the screen's right edge, in CSS pixels (0 when it does not scroll sideways). */
async function overflow(page: Page): Promise<{ by: number; widest: string }> {
  return page.evaluate(() => {
    const by = document.documentElement.scrollWidth - window.innerWidth;
    let widest = '';
    if (by > 0) {
      let right = 0;
      for (const el of Array.from(document.querySelectorAll('body *'))) {
        const r = el.getBoundingClientRect();
        if (r.right > right) {
          right = r.right;
          widest = `${el.tagName.toLowerCase()}.${el.className} (${Math.round(r.right)} px)`;
        }
      }
    }
    return { by, widest };
  });
}

/** Visible controls smaller than 44 px in height (WCAG 2.5.5; links inside running text are exempt). */
async function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll('button, select, input:not([type=hidden]):not([type=checkbox]):not([type=radio]), a.button, nav a, .choices a, .slot-grid a'))
      .filter((el) => {
        const r = el.getBoundingClientRect();
        const style = getComputedStyle(el);
        return r.width > 0 && r.height > 0 && style.visibility !== 'hidden' && r.height < 43.5;
      })
      .map((el) => `${el.tagName.toLowerCase()} "${(el.textContent || el.getAttribute('aria-label') || '').trim().slice(0, 40)}" ${Math.round(el.getBoundingClientRect().height)} px`),
  );
}

/** The serious and critical violations axe-core finds against WCAG 2 A/AA. */
async function axeViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

test('on a phone the bell is a sheet on the screen that Escape, a tap outside, Close and the back gesture all close', async ({ browser }) => {
  const manager = await phoneSignIn(browser, 'manager1@example.com', '/staff/queue');
  const bellButton = manager.getByRole('button', { name: /^Notifications/ });
  const sheet = manager.getByRole('dialog', { name: 'Notifications' });
  await expect(bellButton).toBeInViewport();

  await bellButton.click();
  await expect(sheet).toBeVisible();
  const box = (await sheet.boundingBox())!;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(390);
  expect(box.width).toBeGreaterThan(380);
  // Focus moves into the sheet, and back to the bell when it closes.
  await expect(sheet).toBeFocused();
  await manager.keyboard.press('Escape');
  await expect(sheet).toBeHidden();
  await expect(bellButton).toBeFocused();

  // A tap below the sheet closes it.
  await bellButton.click();
  await expect(sheet).toBeVisible();
  await manager.mouse.click(195, 835);
  await expect(sheet).toBeHidden();

  // Its Close button does.
  await bellButton.click();
  await sheet.getByRole('button', { name: 'Close notifications' }).click();
  await expect(sheet).toBeHidden();

  // The back gesture closes it and stays on the page.
  const url = manager.url();
  await bellButton.click();
  await expect(sheet).toBeVisible();
  await manager.goBack();
  await expect(sheet).toBeHidden();
  expect(manager.url()).toBe(url);
  // Closing it by hand took its history entry back: one more back leaves the page.
  await bellButton.click();
  await manager.keyboard.press('Escape');
  await expect(sheet).toBeHidden();
  expect(manager.url()).toBe(url);
});

test('on a phone the staff menu folds into a button and the header stays one short bar', async ({ browser }) => {
  const manager = await phoneSignIn(browser, 'manager1@example.com', '/staff');
  const bar = (await manager.locator('header.topbar').boundingBox())!;
  expect(bar.height).toBeLessThanOrEqual(64);
  const menu = manager.getByRole('button', { name: 'Menu' });
  const nav = manager.getByRole('navigation', { name: 'Main' });
  await expect(menu).toHaveAttribute('aria-expanded', 'false');
  await expect(nav.getByRole('link', { name: 'Assignment queue' })).toBeHidden();
  await menu.click();
  await expect(menu).toHaveAttribute('aria-expanded', 'true');
  await expect(nav.getByRole('link', { name: 'Assignment queue' })).toBeVisible();
  await manager.keyboard.press('Escape');
  await expect(nav.getByRole('link', { name: 'Assignment queue' })).toBeHidden();
  await menu.click();
  await nav.getByRole('link', { name: 'Assignment queue' }).click();
  await manager.waitForURL('**/staff/queue');
  await expect(nav.getByRole('link', { name: 'Clients' })).toBeHidden();
});

test('no page scrolls sideways at 360 px, controls are thumb-sized, and axe finds nothing serious', async ({ browser, request }) => {
  await someBooking(request, 'Maximilian Longname-Worthington');
  const manager = await phoneSignIn(browser, 'manager1@example.com', '/staff', narrow);
  // An appointment page: it holds the long tracking link and the client's email.
  await manager.goto('/staff');
  await hydrated(manager);
  const first = manager.getByRole('list', { name: 'Appointments' }).getByRole('link').first();
  await first.click();
  await manager.waitForURL(/\/staff\/appointments\/\d+/);
  const appointment = new URL(manager.url()).pathname;

  const staffPages = ['/staff', '/staff/queue', '/staff/calendar', '/staff/calendar?view=week', appointment, '/staff/clients', '/staff/conversations', '/staff/client-messages',
    '/staff/stores', '/staff/account', '/staff/integrations', '/staff/diagnostics'];
  const faults: string[] = [];
  for (const path of staffPages) {
    await manager.goto(path);
    await hydrated(manager);
    const o = await overflow(manager);
    if (o.by > 0) faults.push(`${path} scrolls sideways by ${o.by} px: ${o.widest}`);
    for (const t of await smallTargets(manager)) faults.push(`${path}: small target ${t}`);
    for (const v of await axeViolations(manager)) faults.push(`${path}: ${v}`);
  }
  // Signed in as an admin, the reference pages.
  const admin = await phoneSignIn(browser, 'admin@example.com', '/staff', narrow);
  for (const path of ['/docs', '/docs/webhooks', '/docs/api']) {
    await admin.goto(path);
    const o = await overflow(admin);
    if (o.by > 0) faults.push(`${path} scrolls sideways by ${o.by} px: ${o.widest}`);
  }

  // The client's side: every booking step, and the tracking page.
  const client = await (await browser.newContext(narrow)).newPage();
  await client.goto('/book/downtown');
  await hydrated(client);
  const check = async (label: string) => {
    const o = await overflow(client);
    if (o.by > 0) faults.push(`${label} scrolls sideways by ${o.by} px: ${o.widest}`);
    for (const t of await smallTargets(client)) faults.push(`${label}: small target ${t}`);
    for (const v of await axeViolations(client)) faults.push(`${label}: ${v}`);
  };
  await check('booking: service');
  const day = new Date(Date.now() + 7 * 86_400_000);
  while (day.getUTCDay() === 0) day.setUTCDate(day.getUTCDate() + 1);
  await chooseDay(client, day.toISOString().slice(0, 10));
  await check('booking: time');
  await client.getByRole('link', { name: 'Change' }).nth(1).click();
  await expect(client.getByRole('heading', { name: 'Choose a day' })).toBeVisible();
  await check('booking: date');
  await client.goBack();
  await client.getByRole('list', { name: 'Free times' }).getByRole('link').first().click();
  await check('booking: details');
  await client.getByLabel('Your name').fill('Phil Phone');
  await client.getByLabel('Email', { exact: true }).fill('phil@example.com');
  await client.getByRole('button', { name: 'Request appointment' }).click();
  await client.waitForURL(/\?booked=1/);
  await expect(client.getByRole('heading', { name: 'Request received' })).toBeVisible();
  await check('tracking page');
  await client.goto('/login');
  await check('sign-in page');

  expect(faults).toEqual([]);
});

test('at a desk size axe finds nothing serious on the staff and client pages either', async ({ browser, request }) => {
  await someBooking(request, 'Dora Desk');
  const desk = { viewport: { width: 1280, height: 800 } };
  const faults: string[] = [];
  const manager = await signIn(browser, 'manager1@example.com', '/staff', await browser.newContext(desk));
  const first = manager.getByRole('list', { name: 'Appointments' }).getByRole('link').first();
  await first.click();
  await manager.waitForURL(/\/staff\/appointments\/\d+/);
  const appointment = new URL(manager.url()).pathname;
  for (const path of ['/staff', '/staff/queue', '/staff/calendar', appointment, '/staff/clients', '/staff/conversations', '/staff/client-messages',
    '/staff/stores', '/staff/account', '/staff/diagnostics']) {
    await manager.goto(path);
    await hydrated(manager);
    for (const v of await axeViolations(manager)) faults.push(`${path}: ${v}`);
  }
  // The bell panel open, with its filters.
  await manager.getByRole('button', { name: /^Notifications/ }).click();
  await expect(manager.getByRole('dialog', { name: 'Notifications' })).toBeVisible();
  for (const v of await axeViolations(manager)) faults.push(`bell panel: ${v}`);

  const client = await (await browser.newContext(desk)).newPage();
  await client.goto('/book/downtown');
  await hydrated(client);
  for (const v of await axeViolations(client)) faults.push(`booking: ${v}`);
  const day = new Date(Date.now() + 9 * 86_400_000);
  while (day.getUTCDay() === 0) day.setUTCDate(day.getUTCDate() + 1);
  await chooseDay(client, day.toISOString().slice(0, 10));
  for (const v of await axeViolations(client)) faults.push(`booking, time step: ${v}`);
  expect(faults).toEqual([]);
});
