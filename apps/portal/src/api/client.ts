/**
 * The one HTTP client of the portal. Every failure of the API arrives as
 * `{"error":{"code","message","details","requestId"}}` and becomes an ApiError carrying that code,
 * which pages translate (see i18n `errors.*`). The access token lives in memory only; the refresh
 * token in localStorage, so a reload signs the user back in without keeping a bearer token on disk.
 */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly requestId?: string | null,
  ) {
    super(message);
  }
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  user: User;
}

export type Role = 'creator' | 'licensee' | 'finance' | 'admin';

export interface User {
  id: string;
  email: string;
  displayName: string;
  roles: Role[];
  organisationId: string | null;
  createdAt: string;
}

const REFRESH_KEY = 'fairshare.refreshToken';

type Listener = (session: TokenPair | null) => void;

class Session {
  private accessToken: string | null = null;
  private refreshing: Promise<boolean> | null = null;
  private listeners = new Set<Listener>();

  get refreshToken(): string | null {
    try {
      return localStorage.getItem(REFRESH_KEY);
    } catch {
      return null;
    }
  }

  get token(): string | null {
    return this.accessToken;
  }

  set(pair: TokenPair | null): void {
    this.accessToken = pair?.accessToken ?? null;
    try {
      if (pair) localStorage.setItem(REFRESH_KEY, pair.refreshToken);
      else localStorage.removeItem(REFRESH_KEY);
    } catch {}
    for (const l of this.listeners) l(pair);
  }

  onChange(l: Listener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  /** One refresh at a time: concurrent 401s wait for the same answer. */
  refresh(): Promise<boolean> {
    if (!this.refreshing) {
      this.refreshing = this.doRefresh().finally(() => (this.refreshing = null));
    }
    return this.refreshing;
  }

  private async doRefresh(): Promise<boolean> {
    const refreshToken = this.refreshToken;
    if (!refreshToken) return false;
    const res = await fetch('/v1/auth/refresh', { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify({ refreshToken }) }).catch(() => null);
    if (!res) return false;
    if (!res.ok) {
      if (res.status === 401) this.set(null);
      return false;
    }
    this.set((await res.json()) as TokenPair);
    return true;
  }
}

export const session = new Session();

export interface RequestOptions {
  method?: string;
  body?: unknown;
  query?: Record<string, string | number | boolean | undefined | null>;
  idempotencyKey?: string;
  /** Raw body (file upload); sent as is with its content type. */
  raw?: Blob;
  contentType?: string;
  accept?: string;
  signal?: AbortSignal;
}

export function buildUrl(path: string, query?: RequestOptions['query']): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

async function toError(res: Response): Promise<ApiError> {
  const text = await res.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { error?: { code?: string; message?: string; details?: unknown; requestId?: string | null } };
    if (body.error?.code) return new ApiError(res.status, body.error.code, body.error.message ?? '', body.error.details, body.error.requestId);
  } catch {}
  return new ApiError(res.status, `HTTP_${res.status}`, text.slice(0, 200) || res.statusText);
}

async function send(path: string, o: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = { Accept: o.accept ?? 'application/json' };
  if (session.token) headers.Authorization = `Bearer ${session.token}`;
  if (o.idempotencyKey) headers['Idempotency-Key'] = o.idempotencyKey;
  let body: BodyInit | undefined;
  if (o.raw) {
    body = o.raw;
    headers['Content-Type'] = o.contentType ?? (o.raw.type || 'application/octet-stream');
  } else if (o.body !== undefined) {
    body = JSON.stringify(o.body);
    headers['Content-Type'] = 'application/json';
  }
  try {
    return await fetch(buildUrl(path, o.query), { method: o.method ?? (body ? 'POST' : 'GET'), headers, body, signal: o.signal });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, 'NETWORK_ERROR', (e as Error).message);
  }
}

/** A request that retries once after refreshing the access token on a 401. */
export async function request(path: string, o: RequestOptions = {}): Promise<Response> {
  let res = await send(path, o);
  if (res.status === 401 && session.refreshToken && !path.startsWith('/v1/auth/')) {
    if (await session.refresh()) res = await send(path, o);
  }
  if (!res.ok) throw await toError(res);
  return res;
}

export async function api<T = unknown>(path: string, o: RequestOptions = {}): Promise<T> {
  const res = await request(path, o);
  if (res.status === 204) return undefined as T;
  const type = res.headers.get('content-type') ?? '';
  return (type.includes('json') ? await res.json() : await res.text()) as T;
}

/** Downloads an authenticated resource (CSV, PDF, NDJSON) and hands it to the browser as a file. */
export async function download(path: string, filename: string, accept?: string, query?: RequestOptions['query']): Promise<void> {
  const res = await request(path, { accept: accept ?? '*/*', query });
  const blob = await res.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Upload with progress: fetch cannot report upload progress, XMLHttpRequest can. Same error
 * mapping and the same single refresh-and-retry on 401.
 */
export function upload<T>(path: string, file: Blob, o: { contentType?: string; idempotencyKey?: string; onProgress?: (fraction: number) => void; query?: RequestOptions['query'] } = {}): Promise<T> {
  const attempt = () =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', buildUrl(path, o.query));
      xhr.setRequestHeader('Accept', 'application/json');
      xhr.setRequestHeader('Content-Type', o.contentType ?? (file.type || 'application/octet-stream'));
      if (session.token) xhr.setRequestHeader('Authorization', `Bearer ${session.token}`);
      if (o.idempotencyKey) xhr.setRequestHeader('Idempotency-Key', o.idempotencyKey);
      xhr.upload.onprogress = (e) => e.lengthComputable && o.onProgress?.(e.loaded / e.total);
      xhr.onload = () => resolve({ status: xhr.status, text: xhr.responseText });
      xhr.onerror = () => reject(new ApiError(0, 'NETWORK_ERROR', 'The upload was interrupted.'));
      xhr.send(file);
    });
  return (async () => {
    let r = await attempt();
    if (r.status === 401 && (await session.refresh())) r = await attempt();
    if (r.status >= 400) throw await toError(new Response(r.text, { status: r.status }));
    o.onProgress?.(1);
    return (r.text ? JSON.parse(r.text) : undefined) as T;
  })();
}

/** A random key per user action (crypto.randomUUID needs a secure context; getRandomValues does not). */
export function newIdempotencyKey(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}
