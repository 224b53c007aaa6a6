// Verifies webhook deliveries with the official Standard Webhooks library
// (npm `standardwebhooks`), so the server's signatures are checked by code
// that is not ours. Used by the Rust integration tests
// (server/tests/api/webhook_receiver.rs) and by hand.
//
// Input on stdin: one JSON object, or an array of them:
//   {"secret": "whsec_...", "headers": {"webhook-id": "...", "webhook-timestamp": "...",
//    "webhook-signature": "..."}, "body": "<the raw body, as a string>"}
// Output: one JSON line per item, in order: {"ok":true} or {"ok":false,"error":"..."}.
// Exit status 0, whatever the verdicts; 2 when stdin is not JSON.
// The library also refuses timestamps more than 5 minutes from this machine's
// clock and (by default) bodies that are not JSON.
"use strict";

const { Webhook } = require("standardwebhooks");

function verifyOne(item) {
  try {
    if (item === null || typeof item !== "object") {
      throw new Error("each item must be an object with secret, headers and body");
    }
    new Webhook(item.secret).verify(item.body, item.headers || {});
    return { ok: true };
  } catch (e) {
    const name = e && e.name && e.name !== "Error" ? `${e.name}: ` : "";
    return { ok: false, error: `${name}${e && e.message ? e.message : String(e)}` };
  }
}

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => {
  input += chunk;
});
process.stdin.on("end", () => {
  let parsed;
  try {
    parsed = JSON.parse(input);
  } catch (e) {
    process.stderr.write(`verify-webhook: stdin is not JSON: ${e.message}\n`);
    process.exit(2);
  }
  const items = Array.isArray(parsed) ? parsed : [parsed];
  const out = items.map((item) => JSON.stringify(verifyOne(item))).join("\n");
  process.stdout.write(out ? `${out}\n` : "");
});
