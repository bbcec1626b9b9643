'use strict';
// Development secrets kept in .data/dev-secrets.json so that tokens, manifest signatures, the
// Stripe webhook secret and the first admin's password survive restarts. Never used in production.

const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');

const GENERATORS = {
  JWT_SECRET: () => crypto.randomBytes(48).toString('base64url'),
  // Ed25519 private key, PKCS#8 PEM, base64-encoded into one line.
  MANIFEST_SIGNING_KEY: () => {
    const { privateKey } = crypto.generateKeyPairSync('ed25519');
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' });
    return Buffer.from(pem, 'utf8').toString('base64');
  },
  STRIPE_WEBHOOK_SECRET: () => `whsec_${crypto.randomBytes(24).toString('hex')}`,
  // At least 12 characters (the config's rule), no characters that need quoting in a shell.
  ADMIN_PASSWORD: () => `fs-${crypto.randomBytes(15).toString('base64url').replace(/[-_]/g, 'x')}`,
};

class DevSecrets {
  constructor(file) {
    this.file = file;
    this.values = {};
    this.dirty = false;
    try {
      const parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
      if (parsed && typeof parsed === 'object') this.values = parsed;
    } catch (e) {
      if (e.code !== 'ENOENT') {
        // A damaged file: keep it aside rather than silently replacing the secrets in it.
        const aside = `${file}.broken-${Date.now()}`;
        fs.renameSync(file, aside);
        console.warn(`[start] ${file} could not be read (${e.message}); moved to ${aside}, generating new secrets`);
      }
    }
  }

  /** The stored value of `name`, generated (and marked for saving) the first time. */
  get(name) {
    if (typeof this.values[name] !== 'string' || !this.values[name]) {
      const generate = GENERATORS[name];
      if (!generate) throw new Error(`no generator for ${name}`);
      this.values[name] = generate();
      this.dirty = true;
    }
    return this.values[name];
  }

  save() {
    if (!this.dirty) return;
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, `${JSON.stringify(this.values, null, 2)}\n`, { mode: 0o600 });
    fs.renameSync(tmp, this.file);
    this.dirty = false;
  }
}

module.exports = { DevSecrets, GENERATORS };
