// A card of "Minhas tarefas": a few waiting items, each a link to the act, and the way to all.
import type { ReactNode } from "react";
import { Link } from "react-router-dom";
import type { Query } from "../api/client";
import { usePaged } from "./hooks";
import { ProblemAlert } from "./components";

export interface TaskItem {
  key: string;
  to: string;
  title: ReactNode;
  detail?: ReactNode;
  action: string; // the next act, as a verb: "Coletar", "Assinar laudo"
}

export function TaskCard({ title, items, error, loading, more, empty }: {
  title: string;
  items: TaskItem[];
  error?: unknown;
  loading?: boolean;
  more?: { to: string; label?: string };
  empty: string;
}) {
  return (
    <section className="task-card" aria-label={title}>
      <h2>
        {title} <span className="count">{loading ? "…" : items.length}</span>
      </h2>
      <ProblemAlert error={error} />
      {!loading && items.length === 0 ? <p className="empty">{empty}</p> : null}
      <ul>
        {items.map((i) => (
          <li key={i.key}>
            <div className="task-text">
              <span className="task-title">{i.title}</span>
              {i.detail ? <span className="task-detail">{i.detail}</span> : null}
            </div>
            <Link to={i.to} className="button button-primary task-action">
              {i.action}
            </Link>
          </li>
        ))}
      </ul>
      {more ? (
        <p className="task-more">
          <Link to={more.to}>{more.label ?? "Ver todos"}</Link>
        </p>
      ) : null}
    </section>
  );
}

// A card fed by one list of the API (the first `limit` items).
export function ListTaskCard<T>({ title, path, query, limit = 8, toItem, more, empty, filter }: {
  title: string;
  path: string;
  query?: Query;
  limit?: number;
  toItem: (row: T) => TaskItem;
  more?: { to: string; label?: string };
  empty: string;
  filter?: (row: T) => boolean;
}) {
  const paged = usePaged<T>(path, query, limit);
  const rows = filter ? paged.items.filter(filter) : paged.items;
  return (
    <TaskCard
      title={title}
      items={rows.map(toItem)}
      error={paged.error}
      loading={paged.loading && paged.items.length === 0}
      more={more}
      empty={empty}
    />
  );
}
