import { ApiError } from './emulator-errors';
import type { FormObject, FormValue } from './form-encoding';

/** Reading Stripe-style params with Stripe's own complaints. */
export class Params {
  constructor(
    readonly raw: FormObject,
    private readonly prefix = '',
  ) {}

  /** Stripe refuses any parameter it does not know. */
  allowOnly(...names: string[]): this {
    for (const key of Object.keys(this.raw)) {
      if (!names.includes(key) && key !== 'expand') {
        throw ApiError.invalid(`Received unknown parameter: ${this.name(key)}`, this.name(key), 'parameter_unknown');
      }
    }
    return this;
  }

  has(key: string): boolean {
    return this.raw[key] !== undefined;
  }

  string(key: string): string | undefined {
    const v = this.raw[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'string') throw ApiError.invalid(`Invalid string: ${this.name(key)}`, this.name(key), 'parameter_invalid_string');
    return v;
  }

  requiredString(key: string): string {
    const v = this.string(key);
    if (v === undefined || v === '') throw missing(this.name(key));
    return v;
  }

  oneOf<T extends string>(key: string, allowed: readonly T[]): T | undefined {
    const v = this.string(key);
    if (v === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(v)) {
      throw ApiError.invalid(
        `Invalid ${this.name(key)}: must be one of ${allowed.join(', ')}`,
        this.name(key),
        'parameter_invalid_string',
      );
    }
    return v as T;
  }

  integer(key: string, min = 0): number | undefined {
    const v = this.string(key);
    if (v === undefined) return undefined;
    if (!/^-?\d+$/.test(v) || !Number.isSafeInteger(Number(v))) {
      throw ApiError.invalid(`Invalid integer: ${v}`, this.name(key), 'parameter_invalid_integer');
    }
    const n = Number(v);
    if (n < min) {
      throw ApiError.invalid(`This value must be greater than or equal to ${min}.`, this.name(key), 'parameter_invalid_integer');
    }
    return n;
  }

  requiredInteger(key: string, min = 0): number {
    const v = this.integer(key, min);
    if (v === undefined) throw missing(this.name(key));
    return v;
  }

  boolean(key: string): boolean | undefined {
    const v = this.string(key);
    if (v === undefined) return undefined;
    if (v !== 'true' && v !== 'false') throw ApiError.invalid(`Invalid boolean: ${v}`, this.name(key), 'parameter_invalid_boolean');
    return v === 'true';
  }

  object(key: string): Params | undefined {
    const v = this.raw[key];
    if (v === undefined || v === '') return undefined;
    if (typeof v === 'string' || Array.isArray(v)) throw ApiError.invalid(`Invalid object`, this.name(key), 'parameter_invalid_object');
    return new Params(v, this.name(key));
  }

  requiredObject(key: string): Params {
    const v = this.object(key);
    if (!v) throw missing(this.name(key));
    return v;
  }

  array(key: string): Params[] {
    const v = this.raw[key];
    if (v === undefined) return [];
    if (!Array.isArray(v)) throw ApiError.invalid(`Invalid array`, this.name(key), 'parameter_invalid_array');
    return v.map((item, i) => {
      if (typeof item === 'string' || Array.isArray(item)) throw ApiError.invalid(`Invalid object`, `${this.name(key)}[${i}]`);
      return new Params(item, `${this.name(key)}[${i}]`);
    });
  }

  stringArray(key: string): string[] {
    const v: FormValue | undefined = this.raw[key];
    if (v === undefined) return [];
    const items = Array.isArray(v) ? v : [v];
    return items.map((item) => {
      if (typeof item !== 'string') throw ApiError.invalid(`Invalid array`, this.name(key), 'parameter_invalid_array');
      return item;
    });
  }

  /** Stripe's metadata limits: 50 keys, keys up to 40 characters, values up to 500. */
  metadata(key = 'metadata'): Record<string, string> {
    const v = this.raw[key];
    if (v === undefined || v === '') return {};
    if (typeof v === 'string' || Array.isArray(v)) throw ApiError.invalid('Invalid object', this.name(key), 'parameter_invalid_object');
    const entries = Object.entries(v);
    if (entries.length > 50) throw ApiError.invalid('Metadata can have up to 50 keys.', this.name(key));
    const out: Record<string, string> = {};
    for (const [k, value] of entries) {
      if (typeof value !== 'string') throw ApiError.invalid(`Invalid string: ${this.name(key)}[${k}]`, `${this.name(key)}[${k}]`);
      if (k.length > 40) throw ApiError.invalid(`Metadata keys can be up to 40 characters long.`, `${this.name(key)}[${k}]`);
      if (value.length > 500) throw ApiError.invalid(`Metadata values can be up to 500 characters long.`, `${this.name(key)}[${k}]`);
      // Stripe deletes a key when it is set to the empty string.
      if (value !== '') out[k] = value;
    }
    return out;
  }

  expand(): string[] {
    return this.stringArray('expand');
  }

  private name(key: string): string {
    return this.prefix ? `${this.prefix}[${key}]` : key;
  }
}

function missing(param: string): ApiError {
  return ApiError.invalid(`Missing required param: ${param}.`, param, 'parameter_missing');
}
