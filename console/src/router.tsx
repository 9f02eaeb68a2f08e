/** Client-side routes under /console/ (the server answers index.html for any of them). */
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';

export const BASE = '/console';
const listeners = new Set<() => void>();

export function navigate(path: string): void {
  history.pushState(null, '', `${BASE}${path}`);
  for (const listener of listeners) listener();
}

/** The path below /console, e.g. "/players/42". */
export function useRoute(): string {
  const read = () => location.pathname.slice(BASE.length) || '/';
  const [path, setPath] = useState(read);
  useEffect(() => {
    const update = () => setPath(read());
    listeners.add(update);
    window.addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      window.removeEventListener('popstate', update);
    };
  }, []);
  return path;
}

/** A real link (middle-click, copy address) that navigates in place on a plain click. */
export function Link(props: { to: string; children: ComponentChildren; current?: boolean }) {
  return (
    <a
      href={`${BASE}${props.to}`}
      aria-current={props.current ? 'page' : undefined}
      onClick={(event) => {
        if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
        event.preventDefault();
        navigate(props.to);
      }}
    >
      {props.children}
    </a>
  );
}
