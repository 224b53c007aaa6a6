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
