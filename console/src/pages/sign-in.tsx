/** Sign in with an admin account (POST /api/login); other accounts are refused with a clear message. */
import { useState } from 'preact/hooks';
import { logIn } from '../api';
import { messageOf } from '../ui';

export function SignInPage() {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    setBusy(true);
    setError(null);
    try {
      await logIn(String(form.get('login') ?? ''), String(form.get('password') ?? ''));
    } catch (e) {
      setError(messageOf(e));
      setBusy(false);
    }
  };
  return (
    <main id="main" class="sign-in">
      <h1>Admin console</h1>
      <p class="muted">Sign in with an admin account. Closing or reloading the tab signs you out.</p>
      <form onSubmit={submit} class="card stack">
        <label>
          Username or email
          <input name="login" autocomplete="username" required autofocus />
        </label>
        <label>
          Password
          <input name="password" type="password" autocomplete="current-password" required />
        </label>
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
      </form>
    </main>
  );
}
