// A local stand-in for the part of Stripe's API that Frontdesk uses, for the
// Rust integration tests and the browser tests (Stripe itself cannot be
// reached from here). It speaks the documented protocol: form-encoded
// `POST /v1/checkout/sessions` (and `.../{id}/expire`) and `POST /v1/refunds` with the secret key as
// the bearer, `Idempotency-Key` honoured, Stripe-shaped JSON answers and
// errors; and it posts events back to the account's webhook endpoint signed
// by the official Stripe library (npm `stripe`,
// `webhooks.generateTestHeaderString`), so Frontdesk's signature check is
// proven against an implementation that is not ours.
//
// Started as `node fake-stripe.cjs [port]` (0 or none: any free port); it
// prints `listening <port>` on its first line.
//
// Test-only controls (not Stripe's):
//   POST /_test/accounts  {secret_key, webhook_secret, webhook_url}: an account and where its events go
//   GET  /pay/<session>   the hosted payment page; its form POSTs /pay/<session> to pay
//   POST /_test/pay/<session>          pay without the page; answers the webhook's status
//   POST /_test/expire/<session>       expire an open session (as at its expires_at)
//   POST /_test/resend/<event id>      post an event again, exactly as before (same id, fresh signature)
//   POST /_test/sign {payload, secret, timestamp?}  a Stripe-Signature header for any payload
//   GET  /_test/events                 every event sent, with the endpoint's answer
"use strict";

const http = require("http");
const Stripe = require("stripe");

const stripe = new Stripe("sk_test_signing_only");
const accounts = new Map(); // secret key -> {webhook_secret, webhook_url}
const sessions = new Map(); // id -> session (with .account)
const intents = new Map(); // payment intent -> {session, charge, amount, refunded, refunds}
const idempotent = new Map(); // key + path -> [status, body]
const events = []; // {id, type, body, account, status}
let counter = 0;
const nextId = (prefix) => `${prefix}_test_${Date.now().toString(36)}${(++counter).toString(36).padStart(4, "0")}`;

function send(res, status, body, type = "application/json") {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  res.writeHead(status, { "content-type": type });
  res.end(text);
}

function stripeError(res, status, message, type = "invalid_request_error") {
  send(res, status, { error: { type, message } });
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    let data = "";
    req.setEncoding("utf8");
    req.on("data", (c) => (data += c));
    req.on("end", () => resolve(data));
    req.on("error", reject);
  });
}

function account(req) {
  const auth = req.headers.authorization || "";
  const key = auth.startsWith("Bearer ") ? auth.slice(7) : "";
  return accounts.has(key) ? [key, accounts.get(key)] : [key, null];
}

async function deliver(event) {
  const acct = accounts.get(event.account);
  const header = stripe.webhooks.generateTestHeaderString({ payload: event.body, secret: acct.webhook_secret });
  try {
    const answer = await fetch(acct.webhook_url, {
      method: "POST",
      headers: { "content-type": "application/json", "stripe-signature": header, "user-agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)" },
      body: event.body,
    });
    event.status = answer.status;
    event.answer = await answer.text();
  } catch (e) {
    event.status = 0;
    event.answer = String(e);
  }
  return event;
}

function makeEvent(accountKey, type, object) {
  const id = nextId("evt");
  const body = JSON.stringify({
    id,
    object: "event",
    api_version: "2024-06-20",
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    pending_webhooks: 1,
    type,
    data: { object },
  });
  const event = { id, type, body, account: accountKey, status: null };
  events.push(event);
  return event;
}

function publicSession(s) {
  const { account: _a, ...rest } = s;
  return rest;
}

async function pay(session) {
  if (session.status !== "open") return null;
  const intent = nextId("pi");
  const charge = nextId("ch");
  session.status = "complete";
  session.payment_status = "paid";
  session.payment_intent = intent;
  intents.set(intent, { session: session.id, charge, amount: session.amount_total, refunded: 0, refunds: [], account: session.account });
  return deliver(makeEvent(session.account, "checkout.session.completed", publicSession(session)));
}

function page(session) {
  const amount = (session.amount_total / 100).toFixed(2);
  const open = session.status === "open";
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Pay ${amount} ${session.currency.toUpperCase()}</title></head>
<body><main><h1>Test payment page</h1><p class="amount">${amount} ${session.currency.toUpperCase()}</p>
<p class="item">${session.line_items_name.replace(/[<>&"]/g, "")}</p>
${open ? `<form method="post" action="/pay/${session.id}"><button type="submit">Pay ${amount}</button></form>` : `<p class="status">This session is ${session.status}.</p>`}
</main></body></html>`;
}

async function handle(req, res) {
  const url = new URL(req.url, "http://localhost");
  const path = url.pathname;
  const raw = req.method === "POST" ? await readBody(req) : "";
  const form = new URLSearchParams(raw);

  if (req.method === "POST" && path === "/_test/accounts") {
    const a = JSON.parse(raw);
    accounts.set(a.secret_key, { webhook_secret: a.webhook_secret, webhook_url: a.webhook_url });
    return send(res, 200, { ok: true });
  }
  if (req.method === "POST" && path === "/_test/sign") {
    const a = JSON.parse(raw);
    const header = stripe.webhooks.generateTestHeaderString({ payload: a.payload, secret: a.secret, timestamp: a.timestamp });
    return send(res, 200, { header });
  }
  if (req.method === "GET" && path === "/_test/events") {
    return send(res, 200, events.map(({ id, type, status, body }) => ({ id, type, status, body })));
  }
  if (req.method === "POST" && path.startsWith("/_test/resend/")) {
    const event = events.find((e) => e.id === path.slice("/_test/resend/".length));
    if (!event) return send(res, 404, { error: "no such event" });
    const again = await deliver({ ...event });
    return send(res, 200, { status: again.status, answer: again.answer });
  }
  if (req.method === "POST" && (path.startsWith("/_test/pay/") || path.startsWith("/_test/expire/"))) {
    const expire = path.startsWith("/_test/expire/");
    const session = sessions.get(path.split("/").pop());
    if (!session) return send(res, 404, { error: "no such session" });
    if (expire) {
      if (session.status !== "open") return send(res, 409, { error: `session is ${session.status}` });
      session.status = "expired";
      const e = await deliver(makeEvent(session.account, "checkout.session.expired", publicSession(session)));
      return send(res, 200, { event: e.id, status: e.status, answer: e.answer });
    }
    const e = await pay(session);
    if (!e) return send(res, 409, { error: `session is ${session.status}` });
    return send(res, 200, { event: e.id, status: e.status, answer: e.answer, payment_intent: session.payment_intent });
  }
  if (path.startsWith("/pay/")) {
    const session = sessions.get(path.slice(5));
    if (!session) return send(res, 404, "No such payment page.", "text/plain");
    if (req.method === "GET") return send(res, 200, page(session), "text/html; charset=utf-8");
    await pay(session);
    res.writeHead(303, { location: session.success_url });
    return res.end();
  }

  // Stripe's API.
  if (!path.startsWith("/v1/")) return send(res, 404, { error: { message: "Unrecognized request URL." } });
  const [key, acct] = account(req);
  if (!acct) return stripeError(res, 401, `Invalid API Key provided: ${key.slice(0, 8)}****`, "invalid_request_error");
  const ikey = req.headers["idempotency-key"];
  const remembered = ikey && idempotent.get(`${key} ${path} ${ikey}`);
  if (remembered) return send(res, remembered[0], remembered[1]);
  const answer = (status, body) => {
    if (ikey) idempotent.set(`${key} ${path} ${ikey}`, [status, body]);
    send(res, status, body);
  };

  if (req.method === "POST" && path === "/v1/checkout/sessions") {
    const amount = Number(form.get("line_items[0][price_data][unit_amount]"));
    const currency = form.get("line_items[0][price_data][currency]");
    if (form.get("mode") !== "payment") return stripeError(res, 400, "Missing required param: mode.");
    if (!Number.isInteger(amount) || amount < 1) return stripeError(res, 400, "Invalid integer: unit_amount.");
    if (!currency || currency !== currency.toLowerCase()) return stripeError(res, 400, "Invalid currency.");
    for (const p of ["success_url", "cancel_url"]) if (!form.get(p)) return stripeError(res, 400, `Missing required param: ${p}.`);
    // Stripe takes 30 minutes to 24 hours from now; the tests move the
    // server's clock, not this one's, so only the form of it is checked here.
    const expiresAt = form.has("expires_at") ? Number(form.get("expires_at")) : Math.floor(Date.now() / 1000) + 86400;
    if (!Number.isInteger(expiresAt) || expiresAt < 1) return stripeError(res, 400, "Invalid integer: expires_at.");
    const id = nextId("cs");
    const host = req.headers.host;
    const metadata = {};
    for (const [k, v] of form) {
      const m = /^metadata\[(.+)\]$/.exec(k);
      if (m) metadata[m[1]] = v;
    }
    const session = {
      id,
      object: "checkout.session",
      amount_subtotal: amount,
      amount_total: amount,
      currency,
      client_reference_id: form.get("client_reference_id"),
      customer_email: form.get("customer_email"),
      locale: form.get("locale"),
      metadata,
      mode: "payment",
      payment_intent: null,
      payment_status: "unpaid",
      status: "open",
      success_url: form.get("success_url"),
      cancel_url: form.get("cancel_url"),
      expires_at: expiresAt,
      url: `http://${host}/pay/${id}`,
      line_items_name: form.get("line_items[0][price_data][product_data][name]") || "",
      account: key,
    };
    sessions.set(id, session);
    return answer(200, publicSession(session));
  }
  const expireMatch = /^\/v1\/checkout\/sessions\/([^/]+)\/expire$/.exec(path);
  if (req.method === "POST" && expireMatch) {
    const session = sessions.get(expireMatch[1]);
    if (!session || session.account !== key) return stripeError(res, 404, `No such checkout.session: '${expireMatch[1]}'`);
    if (session.status !== "open") {
      return answer(400, { error: { type: "invalid_request_error", message: `Only Checkout Sessions with a status in ["open"] can be expired. This session has a status of "${session.status}".` } });
    }
    session.status = "expired";
    answer(200, publicSession(session));
    setTimeout(() => deliver(makeEvent(key, "checkout.session.expired", publicSession(session))), 50);
    return;
  }
  if (req.method === "GET" && path.startsWith("/v1/checkout/sessions/")) {
    const session = sessions.get(path.split("/").pop());
    if (!session || session.account !== key) return stripeError(res, 404, "No such checkout.session.");
    return send(res, 200, publicSession(session));
  }
  if (req.method === "POST" && path === "/v1/refunds") {
    const pi = intents.get(form.get("payment_intent"));
    if (!pi || pi.account !== key) return stripeError(res, 404, `No such payment_intent: '${form.get("payment_intent")}'`);
    const amount = form.has("amount") ? Number(form.get("amount")) : pi.amount - pi.refunded;
    if (!Number.isInteger(amount) || amount < 1 || amount > pi.amount - pi.refunded) {
      return stripeError(res, 400, `Refund amount (${amount}) is greater than unrefunded amount on charge (${pi.amount - pi.refunded})`);
    }
    pi.refunded += amount;
    const refund = { id: nextId("re"), object: "refund", amount, charge: pi.charge, payment_intent: form.get("payment_intent"), status: "succeeded", currency: sessions.get(pi.session).currency };
    pi.refunds.push(refund);
    answer(200, refund);
    // Stripe reports it to the endpoint a moment later.
    const charge = {
      id: pi.charge,
      object: "charge",
      amount: pi.amount,
      amount_refunded: pi.refunded,
      currency: refund.currency,
      payment_intent: refund.payment_intent,
      refunded: pi.refunded === pi.amount,
      refunds: { object: "list", data: pi.refunds.slice().reverse() },
    };
    setTimeout(() => deliver(makeEvent(key, "charge.refunded", charge)), 50);
    return;
  }
  return stripeError(res, 404, "Unrecognized request URL.");
}

const server = http.createServer((req, res) => {
  handle(req, res).catch((e) => {
    process.stderr.write(`fake-stripe: ${e.stack || e}\n`);
    if (!res.headersSent) send(res, 500, { error: { message: String(e) } });
  });
});
server.listen(Number(process.argv[2] || 0), "127.0.0.1", () => {
  process.stdout.write(`listening ${server.address().port}\n`);
});
