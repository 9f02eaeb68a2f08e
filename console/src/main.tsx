/** The admin console: sign in, then Players, Moderation, Live and Catalog, as far as the API serves them. */
import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { currentUser, logOut, onSessionChange, type User } from './api';
import { loadFeatures, type Features } from './features';
import { CatalogPage } from './pages/catalog';
import { LivePage } from './pages/live';
import { ModerationPage } from './pages/moderation';
import { PlayerPage } from './pages/player';
import { PlayersPage } from './pages/players';
import { SignInPage } from './pages/sign-in';
import { Link, useRoute } from './router';
import { ConfirmHost } from './ui';

export const hasModeration = (f: Features) => f.has('GET /api/admin/reports', 'POST /api/admin/reports/{id}/resolve');
export const hasCatalog = (f: Features) => f.has('GET /api/games', 'POST /api/games', 'PUT /api/games/{id}', 'DELETE /api/games/{id}');

function Shell({ user, features }: { user: User; features: Features }) {
  const route = useRoute();
  // After an in-page navigation, keyboard and screen-reader users start at the new content.
  const main = useRef<HTMLElement>(null);
  const firstRoute = useRef(route);
  useEffect(() => {
    if (route !== firstRoute.current) main.current?.focus();
  }, [route]);
  const player = /^\/players\/([^/]+)$/.exec(route);
  const sections = [
    { to: '/', label: 'Players', current: route === '/' || route.startsWith('/players') },
    ...(hasModeration(features) ? [{ to: '/moderation', label: 'Moderation', current: route === '/moderation' }] : []),
    { to: '/live', label: 'Live', current: route === '/live' },
    ...(hasCatalog(features) ? [{ to: '/catalog', label: 'Catalog', current: route === '/catalog' }] : []),
  ];
  let page;
  if (player?.[1]) page = <PlayerPage id={decodeURIComponent(player[1])} features={features} />;
  else if (route === '/moderation' && hasModeration(features)) page = <ModerationPage />;
  else if (route === '/live') page = <LivePage />;
  else if (route === '/catalog' && hasCatalog(features)) page = <CatalogPage />;
  else page = <PlayersPage />;
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <strong class="brand">Admin console</strong>
        <nav aria-label="Sections">
          <ul>
            {sections.map((s) => (
              <li>
                <Link to={s.to} current={s.current}>
                  {s.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <span class="who">
          Signed in as <strong>{user.username}</strong>
        </span>
        <button type="button" onClick={() => void logOut()}>
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1} ref={main}>
        {page}
      </main>
    </>
  );
}

function App() {
  const [user, setUser] = useState<User | null>(currentUser());
  const [features, setFeatures] = useState<Features | null>(null);
  useEffect(() => onSessionChange(setUser), []);
  useEffect(() => {
    void loadFeatures().then(setFeatures);
  }, []);
  return (
    <>
      {user && !features && <p class="muted">Loading…</p>}
      {user && features && <Shell user={user} features={features} />}
      {!user && <SignInPage />}
      <ConfirmHost />
    </>
  );
}

render(<App />, document.getElementById('app') as HTMLElement);
