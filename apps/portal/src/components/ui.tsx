import { ButtonHTMLAttributes, DependencyList, FormEvent, InputHTMLAttributes, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes, useCallback, useEffect, useId, useRef, useState } from 'react';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/en';
import { formatMoney } from '../format';

export interface AsyncState<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

/** Loads data for a page; reload() fetches again. Stale answers are ignored. */
export function useAsync<T>(fn: () => Promise<T>, deps: DependencyList): AsyncState<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  const seq = useRef(0);
  useEffect(() => {
    const mine = ++seq.current;
    setState((s) => ({ ...s, loading: true }));
    fn().then(
      (data) => mine === seq.current && setState({ data, loading: false }),
      (error) => mine === seq.current && setState((s) => ({ data: s.data, error, loading: false })),
    );
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((x) => x + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}

/** Calls fn every `ms` while `active` is true (e.g. a run computing, a licence pending payment). */
export function usePolling(active: boolean, fn: () => void, ms = 1000): void {
  const ref = useRef(fn);
  ref.current = fn;
  useEffect(() => {
    if (!active) return;
    const id = setInterval(() => ref.current(), ms);
    return () => clearInterval(id);
  }, [active, ms]);
}

/** Runs a form action: busy flag, translated error, optional success message. */
export function useAction<A extends unknown[]>(fn: (...args: A) => Promise<unknown>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = useCallback(
    async (...args: A) => {
      setBusy(true);
      setError(null);
      try {
        await fn(...args);
        return true;
      } catch (e) {
        setError(e);
        return false;
      } finally {
        setBusy(false);
      }
    },
    [fn],
  );
  return { busy, error, run, setError };
}

export function ErrorBox({ error }: { error: unknown }) {
  const { tError } = useI18n();
  if (!error) return null;
  return (
    <div className="alert alert-error" role="alert">
      {tError(error)}
    </div>
  );
}

export function Notice({ children, kind = 'info' }: { children: ReactNode; kind?: 'info' | 'success' | 'warning' }) {
  return (
    <div className={`alert alert-${kind}`} role="status">
      {children}
    </div>
  );
}

export function Loading() {
  const { t } = useI18n();
  return (
    <p className="muted" role="status" aria-live="polite">
      {t('common.loading')}
    </p>
  );
}

/** Loading / error / content for one AsyncState. */
export function Async<T>({ state, children }: { state: AsyncState<T>; children: (data: T) => ReactNode }) {
  if (state.data !== undefined) return <>{children(state.data)}</>;
  if (state.error) return <ErrorBox error={state.error} />;
  return <Loading />;
}

export function Page({ title, intro, actions, children }: { title: string; intro?: ReactNode; actions?: ReactNode; children: ReactNode }) {
  return (
    <>
      <div className="page-head">
        <div>
          <h1 id="page-title">{title}</h1>
          {intro && <p className="lead">{intro}</p>}
        </div>
        {actions && <div className="page-actions">{actions}</div>}
      </div>
      {children}
    </>
  );
}

export function Section({ title, children, id }: { title: string; children: ReactNode; id?: string }) {
  const hid = useId();
  return (
    <section className="card" aria-labelledby={hid} id={id}>
      <h2 id={hid}>{title}</h2>
      {children}
    </section>
  );
}

type FieldProps = { label: string; hint?: string; error?: string };

export function TextField({ label, hint, error, ...input }: FieldProps & InputHTMLAttributes<HTMLInputElement>) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} aria-describedby={hint ? `${id}-hint` : undefined} aria-invalid={error ? true : undefined} {...input} />
      {hint && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
    </div>
  );
}

export function TextArea({ label, hint, ...input }: FieldProps & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea id={id} aria-describedby={hint ? `${id}-hint` : undefined} {...input} />
      {hint && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
    </div>
  );
}

export function SelectField({ label, hint, options, ...select }: FieldProps & SelectHTMLAttributes<HTMLSelectElement> & { options: { value: string; label: string }[] }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} aria-describedby={hint ? `${id}-hint` : undefined} {...select}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {hint && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
    </div>
  );
}

/** A switch: a real checkbox (keyboard and screen readers know it) styled as a toggle. */
export function Toggle({ label, checked, onChange, disabled, hint }: { label: string; checked: boolean; onChange: (v: boolean) => void; disabled?: boolean; hint?: string }) {
  const id = useId();
  return (
    <div className="toggle">
      <input id={id} type="checkbox" role="switch" checked={checked} disabled={disabled} onChange={(e) => onChange(e.target.checked)} aria-describedby={hint ? `${id}-hint` : undefined} />
      <label htmlFor={id}>{label}</label>
      {hint && (
        <span className="hint" id={`${id}-hint`}>
          {hint}
        </span>
      )}
    </div>
  );
}

export function Form({ onSubmit, children, label, className }: { onSubmit: () => void | Promise<unknown>; children: ReactNode; label?: string; className?: string }) {
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void onSubmit();
  };
  return (
    <form onSubmit={submit} aria-label={label} className={className} noValidate={false}>
      {children}
    </form>
  );
}

export function Button({ busy, children, kind = 'primary', ...rest }: { busy?: boolean; kind?: 'primary' | 'secondary' | 'danger' | 'link' } & ButtonHTMLAttributes<HTMLButtonElement>) {
  return (
    <button className={`btn btn-${kind}`} disabled={busy || rest.disabled} aria-busy={busy || undefined} type={rest.type ?? 'button'} {...rest}>
      {children}
    </button>
  );
}

export function Money({ minor, currency }: { minor: string | null | undefined; currency: string | null | undefined }) {
  const { locale } = useI18n();
  const neg = typeof minor === 'string' && minor.startsWith('-');
  return <span className={`money${neg ? ' negative' : ''}`}>{formatMoney(minor, currency, locale)}</span>;
}

/** Amounts per currency: one row per currency, one column per figure (minor units as strings). */
export function CurrencyTable<R extends { currency: string }>({ rows, columns }: { rows: readonly R[]; columns: { label: string; minor: (row: R) => string | null | undefined }[] }) {
  const { t } = useI18n();
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">{t('common.currency')}</th>
            {columns.map((c) => (
              <th scope="col" className="num" key={c.label}>{c.label}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.currency}>
              <td>{r.currency}</td>
              {columns.map((c) => (
                <td className="num" key={c.label}>
                  <Money minor={c.minor(r)} currency={r.currency} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ProgressBar({ value, label }: { value: number; label: string }) {
  const pct = Math.max(0, Math.min(100, Math.round(value)));
  return (
    <div className="progress">
      <div className="progress-label">
        {label} <span>{pct} %</span>
      </div>
      <div className="progress-track" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
        <div className="progress-fill" style={{ width: `${pct}%` }} />
      </div>
    </div>
  );
}

/** A status as a coloured badge with a translated label (`status.<value>`). */
export function Status({ value }: { value: string }) {
  const { t } = useI18n();
  const key = `status.${value}` as MessageKey;
  const label = t(key);
  return <span className={`badge badge-${value.replace(/[^a-z_]/gi, '')}`}>{label === key ? value : label}</span>;
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}

export function Dl({ items }: { items: [string, ReactNode][] }) {
  return (
    <dl className="dl">
      {items.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

/**
 * Something people know by name (a work's title, a person, an organisation) with its ID as
 * secondary text: the name reads first, the ID stays there to copy. `you` replaces the name when
 * the ID is the signed-in user's. Without a name, the ID alone.
 */
export function Named({ name, id, you, short }: { name: string | null | undefined; id: string; you?: boolean; short?: boolean }) {
  const { t } = useI18n();
  const label = you ? t('runs.you') : name;
  if (!label) return <code title={id}>{short ? id.slice(0, 8) : id}</code>;
  return (
    <span className="named">
      <span className="named-name">{label}</span>{' '}
      <code className="named-id" title={id}>
        {short ? id.slice(0, 8) : id}
      </code>
    </span>
  );
}
