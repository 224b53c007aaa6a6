// An independent check of what Frontdesk sends to push services, used by the
// Rust integration tests: the payload is decrypted with the npm `http_ece`
// package (not the Rust `ece` crate Frontdesk uses) and the VAPID JWT is
// verified with node:crypto.
//
//   node push-check.cjs keys        -> a subscription key pair and auth secret
//   node push-check.cjs open < json -> {plaintext, header, claims, k, valid}
const ece = require('http_ece');
const crypto = require('crypto');
const fs = require('fs');

const cmd = process.argv[2];
if (cmd === 'keys') {
  const ecdh = crypto.createECDH('prime256v1');
  ecdh.generateKeys();
  console.log(JSON.stringify({
    private: ecdh.getPrivateKey('base64url'),
    p256dh: ecdh.getPublicKey('base64url'),
    auth: crypto.randomBytes(16).toString('base64url'),
  }));
} else if (cmd === 'open') {
  const input = JSON.parse(fs.readFileSync(0, 'utf8'));
  const ecdh = crypto.createECDH('prime256v1');
  ecdh.setPrivateKey(Buffer.from(input.private, 'base64url'));
  const plaintext = ece.decrypt(Buffer.from(input.body, 'base64'), {
    version: 'aes128gcm', privateKey: ecdh, authSecret: input.auth,
  });
  const m = /^vapid t=([^,\s]+),\s*k=([^,\s]+)$/.exec(input.authorization);
  if (!m) throw new Error(`not a VAPID Authorization header: ${input.authorization}`);
  const [h, p, s] = m[1].split('.');
  const k = Buffer.from(m[2], 'base64url');
  const key = crypto.createPublicKey({
    format: 'jwk',
    key: { kty: 'EC', crv: 'P-256', x: k.subarray(1, 33).toString('base64url'), y: k.subarray(33, 65).toString('base64url') },
  });
  const valid = crypto.verify('sha256', Buffer.from(`${h}.${p}`), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(s, 'base64url'));
  console.log(JSON.stringify({
    plaintext: plaintext.toString('utf8'),
    header: JSON.parse(Buffer.from(h, 'base64url')),
    claims: JSON.parse(Buffer.from(p, 'base64url')),
    k: m[2],
    valid,
  }));
} else {
  console.error('usage: node push-check.cjs keys|open');
  process.exit(2);
}
