import { defineConfig } from '@playwright/test';
import { port, emptyPort, smtpPort, sinkPort, stripePort, EMPTY_INSTALL, FAKE_STRIPE, MAIL_SINK } from './ports';

// `cargo xtask test` builds the site and the server, picks free ports and a
// fresh data directory, and passes them here; Playwright starts the servers.
const bin = process.env.FRONTDESK_BIN || '../target/debug/frontdesk';
const data = process.env.FRONTDESK_E2E_DATA || `/tmp/frontdesk-e2e-${port}`;
// What both Frontdesk servers are started with.
const serverEnv = {
  FRONTDESK_SITE_ROOT: process.env.FRONTDESK_SITE_ROOT || '../target/site',
  RUST_LOG: 'warn',
};

export default defineConfig({
  testDir: './tests',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list'], ['json', { outputFile: 'results.json' }]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync',
      ],
    },
  },
  webServer: [
    {
      command: `rm -rf ${data} && ${bin} --demo --addr 127.0.0.1:${port} --data-dir ${data}`,
      url: `http://127.0.0.1:${port}/login`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: 'pipe',
      env: {
        ...serverEnv,
        // The integrations test's receiver listens on loopback, which the SSRF guard otherwise refuses.
        FRONTDESK_WEBHOOK_ALLOW: '127.0.0.1',
        // Payment links are made through the local stand-in of Stripe's API.
        FRONTDESK_STRIPE_API: FAKE_STRIPE,
      },
    },
    {
      command: `node fake-stripe.cjs ${stripePort}`,
      url: `${FAKE_STRIPE}/_test/events`,
      reuseExistingServer: false,
      timeout: 30_000,
    },
    {
      command: `node smtp-sink.cjs ${smtpPort} ${sinkPort}`,
      url: MAIL_SINK,
      reuseExistingServer: false,
      timeout: 30_000,
    },
    {
      command: `rm -rf ${data}.empty && ${bin} --addr 127.0.0.1:${emptyPort} --data-dir ${data}.empty`,
      url: `${EMPTY_INSTALL}/setup`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: 'pipe',
      env: {
        ...serverEnv,
        FRONTDESK_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
        FRONTDESK_MAIL_FROM: 'Frontdesk <frontdesk@e2e.test>',
      },
    },
  ],
});
