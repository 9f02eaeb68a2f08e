/** Small shared pieces: loading a resource, confirmed actions, tables, messages. */
import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from './api';

export const messageOf = (error: unknown): string =>
  error instanceof ApiError ? error.detail : error instanceof Error ? error.message : String(error);

export interface Loaded<T> {
  data: T | null;
  error: string | null;
  loading: boolean;
  reload: () => void;
}

/** Runs `load` now and whenever `key` changes or reload() is called; keeps the last answer while reloading. */
export function useLoad<T>(load: () => Promise<T>, key: string): Loaded<T> {
  const [state, setState] = useState<{ data: T | null; error: string | null; loading: boolean }>({ data: null, error: null, loading: true });
  const [round, setRound] = useState(0);
  const latest = useRef(load);
  latest.current = load;
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    latest.current().then(
      (data) => live && setState({ data, error: null, loading: false }),
      (error: unknown) => live && setState({ data: null, error: messageOf(error), loading: false }),
    );
    return () => {
      live = false;
    };
  }, [key, round]);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  return { ...state, reload };
}

// One confirmation dialog for the whole page: every action goes through confirmAction().
let showConfirm: ((message: string, resolve: (ok: boolean) => void) => void) | null = null;

export function confirmAction(message: string): Promise<boolean> {
  return new Promise((resolve) => (showConfirm ? showConfirm(message, resolve) : resolve(false)));
}

export function ConfirmHost() {
  const dialog = useRef<HTMLDialogElement>(null);
  const [pending, setPending] = useState<{ message: string; resolve: (ok: boolean) => void } | null>(null);
  useEffect(() => {
    showConfirm = (message, resolve) => setPending({ message, resolve });
    return () => {
      showConfirm = null;
    };
  }, []);
  useEffect(() => {
    if (pending && dialog.current && !dialog.current.open) dialog.current.showModal();
  }, [pending]);
  const close = (ok: boolean) => {
    pending?.resolve(ok);
    setPending(null);
    dialog.current?.close();
  };
  // Escape closes a modal <dialog> natively: that is a "no".
  return (
    <dialog ref={dialog} aria-labelledby="confirm-title" onClose={() => pending && close(false)}>
      <h2 id="confirm-title">Please confirm</h2>
      <p>{pending?.message}</p>
      <div class="row">
        <button type="button" class="danger" onClick={() => close(true)}>
          Confirm
        </button>
        <button type="button" autofocus onClick={() => close(false)}>
          Cancel
        </button>
      </div>
    </dialog>
  );
}

export interface Action {
  busy: boolean;
  error: string | null;
  done: string | null;
  /** Asks first, then runs; a refusal shows the API's detail. Resolves true when it ran and worked. */
  run: (question: string, work: () => Promise<unknown>, doneMessage: string) => Promise<boolean>;
}

export function useAction(): Action {
  const [state, setState] = useState<{ busy: boolean; error: string | null; done: string | null }>({ busy: false, error: null, done: null });
  const run = useCallback(async (question: string, work: () => Promise<unknown>, doneMessage: string) => {
    if (!(await confirmAction(question))) return false;
    setState({ busy: true, error: null, done: null });
    try {
      await work();
      setState({ busy: false, error: null, done: doneMessage });
      return true;
    } catch (error) {
      setState({ busy: false, error: messageOf(error), done: null });
      return false;
    }
  }, []);
  return { ...state, run };
}

export function Outcome({ action }: { action: Pick<Action, 'error' | 'done'> }) {
  return (
    <>
      {action.error && (
        <p class="error" role="alert">
          Refused: {action.error}
        </p>
      )}
      {action.done && (
        <p class="done" role="status">
          {action.done}
        </p>
      )}
    </>
  );
}

export function Section(props: { title: string; id: string; children: ComponentChildren; actions?: ComponentChildren }) {
  return (
    <section class="card" aria-labelledby={props.id}>
      <div class="card-head">
        <h2 id={props.id}>{props.title}</h2>
        {props.actions}
      </div>
      {props.children}
    </section>
  );
}

/** The loading, error and empty states every list shares. */
export function LoadState<T>({ loaded, children }: { loaded: Loaded<T>; children: (data: T) => ComponentChildren }) {
  if (loaded.error)
    return (
      <p class="error" role="alert">
        Could not load: {loaded.error}
      </p>
    );
  if (loaded.data === null) return <p class="muted">Loading…</p>;
  return <>{children(loaded.data)}</>;
}

export const when = (iso: unknown): string => (typeof iso === 'string' && iso ? new Date(iso).toLocaleString() : '—');

const cell = (value: unknown): string => {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value)) return when(value);
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
};

/** A plain table of whatever fields the API answers with (for sections whose shape may grow). */
export function AutoTable({ items, caption, omit = [] }: { items: Record<string, unknown>[]; caption: string; omit?: string[] }) {
  if (items.length === 0) return <p class="muted">None.</p>;
  const columns = [...new Set(items.flatMap((item) => Object.keys(item)))].filter((c) => !omit.includes(c));
  return (
    <div class="scroll">
      <table>
        <caption class="sr-only">{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th scope="col">{c}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr>
              {columns.map((c) => (
                <td>{cell(item[c])}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Key/value pairs of one object. */
export function Fields({ value }: { value: Record<string, unknown> }) {
  return (
    <dl class="fields">
      {Object.entries(value).map(([k, v]) => (
        <div>
          <dt>{k}</dt>
          <dd>{cell(v)}</dd>
        </div>
      ))}
    </dl>
  );
}
