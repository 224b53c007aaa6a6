// Where the servers of the browser tests listen; `cargo xtask test` picks free
// ports and passes them in, and a manual run takes these defaults.
export const port = Number(process.env.FRONTDESK_E2E_PORT || 3999);
// An empty install (no --demo) that sends mail to a real SMTP sink, for the
// spec that starts from nothing; the sink lists what it received over HTTP.
export const emptyPort = Number(process.env.FRONTDESK_E2E_EMPTY_PORT || port + 1);
export const smtpPort = Number(process.env.FRONTDESK_E2E_SMTP_PORT || port + 2);
export const sinkPort = Number(process.env.FRONTDESK_E2E_SINK_PORT || port + 3);
export const EMPTY_INSTALL = `http://127.0.0.1:${emptyPort}`;
export const MAIL_SINK = `http://127.0.0.1:${sinkPort}/messages`;
// The local stand-in of Stripe's API (fake-stripe.cjs) the demo server takes payments through.
export const stripePort = Number(process.env.FRONTDESK_E2E_STRIPE_PORT || port + 4);
export const FAKE_STRIPE = `http://127.0.0.1:${stripePort}`;
