/** Catalog: list, create, edit (If-Match with the ETag read just before) and delete games. */
import { useState } from 'preact/hooks';
import { call, enc, get, type Page } from '../api';
import { LoadState, Outcome, Section, useAction, useLoad } from '../ui';

interface Game {
  gameId: string;
  title: string;
  genre: string;
  price: { amount: string; currency: string };
  description: string;
}

interface Draft {
  title: string;
  genre: string;
  amount: string;
  currency: string;
  description: string;
}

const EMPTY: Draft = { title: '', genre: '', amount: '0.00', currency: 'EUR', description: '' };
const draftOf = (g: Game): Draft => ({ title: g.title, genre: g.genre, amount: g.price.amount, currency: g.price.currency, description: g.description });
const bodyOf = (d: Draft) => ({ title: d.title, genre: d.genre, price: { amount: d.amount, currency: d.currency }, description: d.description });

export function CatalogPage() {
  const games = useLoad(() => get<Page<Game>>('games?limit=100'), 'games');
  const [editing, setEditing] = useState<Game | null>(null);
  return (
    <>
      <h1>Catalog</h1>
      <Section title="Games" id="games" actions={<button type="button" onClick={games.reload}>Refresh</button>}>
        <LoadState loaded={games}>
          {(page) =>
            page.items.length === 0 ? (
              <p class="muted">No game yet.</p>
            ) : (
              <table>
                <caption class="sr-only">Games</caption>
                <thead>
                  <tr>
                    <th scope="col">Title</th>
                    <th scope="col">Genre</th>
                    <th scope="col">Price</th>
                    <th scope="col">Actions</th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((g) => (
                    <GameRow game={g} onEdit={() => setEditing(g)} onDeleted={games.reload} />
                  ))}
                </tbody>
              </table>
            )
          }
        </LoadState>
      </Section>
      {editing ? (
        <GameForm
          key={editing.gameId}
          title={`Edit “${editing.title}”`}
          initial={draftOf(editing)}
          submitLabel="Save changes"
          question={(d) => `Save the changes to “${d.title}”?`}
          save={async (d) => {
            // The ETag of what the admin sees now: a change made meanwhile is refused (412), not overwritten.
            const current = await call<Game>('GET', `games/${enc(editing.gameId)}`);
            const etag = current.headers.get('etag');
            await call('PUT', `games/${enc(editing.gameId)}`, bodyOf(d), etag ? { 'If-Match': etag } : {});
          }}
          onDone={() => {
            setEditing(null);
            games.reload();
          }}
          onCancel={() => setEditing(null)}
        />
      ) : (
        <GameForm title="Add a game" initial={EMPTY} submitLabel="Create game" question={(d) => `Create “${d.title}”?`} save={(d) => call('POST', 'games', bodyOf(d))} onDone={games.reload} />
      )}
    </>
  );
}

function GameRow({ game, onEdit, onDeleted }: { game: Game; onEdit: () => void; onDeleted: () => void }) {
  const action = useAction();
  const remove = async () => {
    if (await action.run(`Delete “${game.title}” from the catalog?`, () => call('DELETE', `games/${enc(game.gameId)}`), 'Deleted.')) onDeleted();
  };
  return (
    <tr data-game={game.gameId}>
      <td>{game.title}</td>
      <td>{game.genre}</td>
      <td>
        {game.price.amount} {game.price.currency}
      </td>
      <td class="row">
        <button type="button" onClick={onEdit} aria-label={`Edit ${game.title}`}>
          Edit
        </button>
        <button type="button" class="danger" onClick={() => void remove()} disabled={action.busy} aria-label={`Delete ${game.title}`}>
          Delete
        </button>
        <Outcome action={action} />
      </td>
    </tr>
  );
}

function GameForm(props: {
  title: string;
  initial: Draft;
  submitLabel: string;
  question: (d: Draft) => string;
  save: (d: Draft) => Promise<unknown>;
  onDone: () => void;
  onCancel?: () => void;
}) {
  const action = useAction();
  const [draft, setDraft] = useState(props.initial);
  const set = (field: keyof Draft) => (e: Event) => setDraft({ ...draft, [field]: (e.currentTarget as HTMLInputElement).value });
  const submit = async (event: Event) => {
    event.preventDefault();
    if (await action.run(props.question(draft), () => props.save(draft), 'Saved.')) {
      setDraft(props.initial);
      props.onDone();
    }
  };
  return (
    <Section title={props.title} id="game-form">
      <form class="stack" onSubmit={submit}>
        <label>
          Title
          <input name="title" required maxLength={200} value={draft.title} onInput={set('title')} />
        </label>
        <label>
          Genre
          <input name="genre" required maxLength={50} value={draft.genre} onInput={set('genre')} />
        </label>
        <div class="row">
          <label>
            Price
            <input name="amount" required inputMode="decimal" value={draft.amount} onInput={set('amount')} />
          </label>
          <label>
            Currency
            <input name="currency" required pattern="[A-Z]{3}" maxLength={3} value={draft.currency} onInput={set('currency')} />
          </label>
        </div>
        <label>
          Description
          <textarea name="description" maxLength={5000} rows={3} value={draft.description} onInput={set('description')} />
        </label>
        <div class="row">
          <button type="submit" disabled={action.busy}>
            {props.submitLabel}
          </button>
          {props.onCancel && (
            <button type="button" onClick={props.onCancel}>
              Cancel
            </button>
          )}
        </div>
      </form>
      <Outcome action={action} />
    </Section>
  );
}
