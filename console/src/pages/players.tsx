/** Players: the admin search (GET /api/users?search=), by username or email prefix. */
import { useState } from 'preact/hooks';
import { enc, get, type Page, type User } from '../api';
import { Link } from '../router';
import { LoadState, Section, useLoad, when } from '../ui';

export function PlayersPage() {
  const [search, setSearch] = useState(new URLSearchParams(location.search).get('search') ?? '');
  const [query, setQuery] = useState(search);
  const found = useLoad(() => get<Page<User>>(`users?limit=50${query ? `&search=${enc(query)}` : ''}`), query);
  return (
    <>
      <h1>Players</h1>
      <form
        role="search"
        class="row"
        onSubmit={(event) => {
          event.preventDefault();
          setQuery(search.trim());
        }}
      >
        <label>
          Username or email starts with
          <input name="search" type="search" value={search} onInput={(e) => setSearch((e.currentTarget as HTMLInputElement).value)} />
        </label>
        <button type="submit">Search</button>
      </form>
      <Section title={query ? `Players matching “${query}”` : 'Players'} id="results">
        <LoadState loaded={found}>
          {(page) =>
            page.items.length === 0 ? (
              <p class="muted">No player matches.</p>
            ) : (
              <table>
                <caption class="sr-only">Players found</caption>
                <thead>
                  <tr>
                    <th scope="col">Username</th>
                    <th scope="col">Email</th>
                    <th scope="col">Display name</th>
                    <th scope="col">Status</th>
                    <th scope="col">Roles</th>
                    <th scope="col">Joined</th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((user) => (
                    <tr>
                      <td>
                        <Link to={`/players/${enc(user.id)}`}>{user.username}</Link>
                      </td>
                      <td>{user.email}</td>
                      <td>{user.displayName}</td>
                      <td>
                        <span class={`badge ${user.status}`}>{user.status}</span>
                      </td>
                      <td>{user.roles.join(', ')}</td>
                      <td>{when(user.createdAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )
          }
        </LoadState>
        {found.data?.cursor && <p class="muted">More players match: narrow the search.</p>}
      </Section>
    </>
  );
}
