/** Live: who is online now (GET /api/active-users), refreshed every 5 seconds while the page is open. */
import { useEffect } from 'preact/hooks';
import { enc, get, type Page } from '../api';
import { Link } from '../router';
import { LoadState, Section, useLoad, when } from '../ui';

interface OnlineUser {
  userId: string;
  username: string | null;
  status: string;
  lastSeenAt: string;
}

const PAGE = 100;
export const LIVE_REFRESH_MS = 5_000;

export function LivePage() {
  const online = useLoad(() => get<Page<OnlineUser>>(`active-users?limit=${PAGE}`), 'live');
  useEffect(() => {
    const timer = setInterval(online.reload, LIVE_REFRESH_MS);
    return () => clearInterval(timer);
  }, [online.reload]);
  return (
    <>
      <h1>Live</h1>
      <LoadState loaded={online}>
        {(page) => (
          <>
            <p class="big" role="status" aria-live="polite">
              <span id="online-count">{page.cursor ? `${PAGE}+` : page.items.length}</span> online now
            </p>
            <Section title="Active players" id="active">
              {page.items.length === 0 ? (
                <p class="muted">Nobody is online.</p>
              ) : (
                <table>
                  <caption class="sr-only">Players online</caption>
                  <thead>
                    <tr>
                      <th scope="col">Player</th>
                      <th scope="col">Status</th>
                      <th scope="col">Last seen</th>
                    </tr>
                  </thead>
                  <tbody>
                    {page.items.map((u) => (
                      <tr>
                        <td>
                          <Link to={`/players/${enc(u.userId)}`}>{u.username ?? u.userId}</Link>
                        </td>
                        <td>{u.status}</td>
                        <td>{when(u.lastSeenAt)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </Section>
          </>
        )}
      </LoadState>
      <p class="muted">Refreshed every {LIVE_REFRESH_MS / 1000} seconds.</p>
    </>
  );
}
