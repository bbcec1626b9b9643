import { Injectable } from '@nestjs/common';
import { hash, verify } from '@node-rs/argon2';

/** argon2id with the library's defaults (OWASP-grade parameters). */
@Injectable()
export class PasswordHasher {
  // Verified against when the email is unknown, so both paths cost the same time.
  private readonly decoy = hash('decoy-password-never-valid');

  hash(password: string): Promise<string> {
    return hash(password);
  }

  async verify(passwordHash: string | null, password: string): Promise<boolean> {
    try {
      return await verify(passwordHash ?? (await this.decoy), password);
    } catch {
      return false;
    }
  }
}
