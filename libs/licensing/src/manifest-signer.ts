import { createHash, createPrivateKey, createPublicKey, KeyObject, sign } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '@fairshare/config';

/**
 * Signs licence certificates with the platform's Ed25519 key (AppConfig.MANIFEST_SIGNING_KEY:
 * base64 of a PKCS#8 PEM). The key ID is the first 16 hex digits of the SHA-256 of the public
 * key's SPKI DER, so a verifier can tell which key signed after a rotation.
 */
@Injectable()
export class ManifestSigner {
  private readonly privateKey: KeyObject;
  readonly publicKeyPem: string;
  readonly keyId: string;

  constructor(config: AppConfig) {
    this.privateKey = createPrivateKey(Buffer.from(config.MANIFEST_SIGNING_KEY, 'base64').toString('utf8'));
    if (this.privateKey.asymmetricKeyType !== 'ed25519') throw new Error('MANIFEST_SIGNING_KEY must be an Ed25519 private key');
    const publicKey = createPublicKey(this.privateKey);
    this.publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    this.keyId = createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16);
  }

  /** Base64 Ed25519 signature of the UTF-8 bytes of `payload`. */
  sign(payload: string): string {
    return sign(null, Buffer.from(payload, 'utf8'), this.privateKey).toString('base64');
  }
}
