/**
 * Parser for Stripe's form encoding: `a[b][0][c]=v`, `expand[]=x`, `expand[0]=x`.
 * The `stripe` client writes nested params this way (qs "indices" format); Stripe's servers
 * also accept empty brackets as "append". Values stay strings, as on the wire: each endpoint
 * converts what it needs (integers, booleans) and reports bad values the way Stripe does.
 */
export type FormValue = string | FormValue[] | FormObject;
export interface FormObject {
  [key: string]: FormValue;
}

export class FormEncodingError extends Error {
  constructor(
    message: string,
    readonly param: string,
  ) {
    super(message);
  }
}

/** Keys that would reach Object.prototype if a container were a plain object. */
const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'constructor', 'prototype']);

export function parseForm(body: string): FormObject {
  const root: FormObject = Object.create(null) as FormObject;
  if (body.trim() === '') return root;
  for (const pair of body.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const rawKey = eq === -1 ? pair : pair.slice(0, eq);
    const rawValue = eq === -1 ? '' : pair.slice(eq + 1);
    const key = decode(rawKey);
    const value = decode(rawValue);
    assign(root, splitKey(key), value, key);
  }
  return toArrays(root) as FormObject;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    throw new FormEncodingError(`Invalid URL encoding: ${s}`, s);
  }
}

/** `line_items[0][price_data][currency]` → ['line_items', '0', 'price_data', 'currency']. */
function splitKey(key: string): string[] {
  const open = key.indexOf('[');
  if (open === -1) return [key];
  const segments = [key.slice(0, open)];
  const rest = key.slice(open);
  const re = /\[([^\]]*)\]/g;
  let consumed = 0;
  for (let m = re.exec(rest); m; m = re.exec(rest)) {
    if (m.index !== consumed) break;
    segments.push(m[1]);
    consumed = m.index + m[0].length;
  }
  if (consumed !== rest.length || segments[0] === '') {
    throw new FormEncodingError(`Invalid parameter name: ${key}`, key);
  }
  return segments;
}

function assign(root: FormObject, path: string[], value: string, fullKey: string): void {
  let node: FormObject = root;
  for (let i = 0; i < path.length; i++) {
    let segment = path[i];
    if (FORBIDDEN_SEGMENTS.has(segment)) throw new FormEncodingError(`Invalid parameter name: ${fullKey}`, fullKey);
    // `[]` appends: give it the next free index so it sorts after earlier items.
    if (segment === '') segment = String(Object.keys(node).length);
    const last = i === path.length - 1;
    if (last) {
      if (segment in node && typeof node[segment] !== 'string') {
        throw new FormEncodingError(`Invalid hash or array for parameter ${fullKey}`, fullKey);
      }
      node[segment] = value;
      return;
    }
    const existing = node[segment];
    if (existing === undefined) {
      const child = Object.create(null) as FormObject;
      node[segment] = child;
      node = child;
    } else if (typeof existing === 'string') {
      throw new FormEncodingError(`Invalid hash or array for parameter ${fullKey}`, fullKey);
    } else {
      node = existing as FormObject;
    }
  }
}

/** Containers whose keys are all integers become arrays, ordered by index. */
function toArrays(value: FormValue): FormValue {
  if (typeof value === 'string' || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  for (const k of keys) value[k] = toArrays(value[k]);
  if (keys.length > 0 && keys.every((k) => /^\d+$/.test(k))) {
    return keys
      .map((k) => [Number(k), value[k]] as const)
      .sort((a, b) => a[0] - b[0])
      .map(([, v]) => v);
  }
  return value;
}
