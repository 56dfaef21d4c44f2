// The pieces every screen is made of.
import { useEffect, useRef, type ReactNode } from "react";
import { Link } from "react-router-dom";
import { ApiError, SessionExpired } from "../api/problem";
import { statusLabel } from "../lib/format";
import { PAGE_SIZES, pageSize, setPageSize, type Paged } from "./hooks";

// A new screen's title takes the focus (Layout asks for it on navigation). A screen that first
// shows a placeholder page ("Procurando o lote…") and then its real one replaces the title that
// had it: the focus would fall to the document, so the new title takes it back — until the
// person moves it themselves.
let titleFocusWanted = false;
if (typeof document !== "undefined") {
  const release = () => {
    titleFocusWanted = false;
  };
  document.addEventListener("pointerdown", release, true);
  document.addEventListener("keydown", release, true);
}
export function focusPageTitle() {
  titleFocusWanted = true;
  document.getElementById("page-title")?.focus();
}

export function Page({ title, actions, children, back }: { title: string; actions?: ReactNode; children: ReactNode; back?: { to: string; label: string } }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} — PharmaSys`;
  }, [title]);
  useEffect(() => {
    const lost = document.activeElement === null || document.activeElement === document.body;
    if (titleFocusWanted && lost) heading.current?.focus();
  }, []);
  return (
    <section className="page" aria-labelledby="page-title">
      {back ? (
        <p className="back">
          <Link to={back.to}>← {back.label}</Link>
        </p>
      ) : null}
      <header className="page-header">
        <h1 id="page-title" tabIndex={-1} ref={heading}>
          {title}
        </h1>
        {actions ? <div className="page-actions">{actions}</div> : null}
      </header>
      {children}
    </section>
  );
}

export function Section({ title, children, actions }: { title: string; children: ReactNode; actions?: ReactNode }) {
  return (
    <section className="section">
      <div className="section-header">
        <h2>{title}</h2>
        {actions ? <div className="section-actions">{actions}</div> : null}
      </div>
      {children}
    </section>
  );
}

// A failed act or load: its title and detail, and the field messages no field shows.
export function ProblemAlert({ error, shownFields = [] }: { error: unknown; shownFields?: string[] }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (error) ref.current?.focus();
  }, [error]);
  if (!error) return null;
  if (error instanceof SessionExpired) {
    return (
      <div className="alert alert-warning" role="alert" tabIndex={-1} ref={ref}>
        {error.message}
      </div>
    );
  }
  if (error instanceof ApiError) {
    const rest = error.errors.filter((e) => !shownFields.includes(e.campo));
    return (
      <div className="alert alert-error" role="alert" tabIndex={-1} ref={ref}>
        <p className="alert-title">{error.title}</p>
        {error.detail && error.detail !== error.title ? <p>{error.detail}</p> : null}
        {rest.length ? (
          <ul>
            {rest.map((e) => (
              <li key={e.campo + e.mensagem}>
                <strong>{e.campo}</strong>: {e.mensagem}
              </li>
            ))}
          </ul>
        ) : null}
      </div>
    );
  }
  return (
    <div className="alert alert-error" role="alert" tabIndex={-1} ref={ref}>
      {(error as Error).message ?? String(error)}
    </div>
  );
}

const TONE: Record<string, string> = {
  liberado: "ok", aprovado: "ok", concluida: "ok", confirmada: "ok", encerrado: "ok", ativo: "ok", reintegrada: "ok",
  quarentena: "wait", aguardando_coleta: "wait", coletada: "wait", em_analise: "wait", planejada: "wait",
  reservada: "wait", registrada: "wait", aguardando_avaliacao: "wait", em_execucao: "info",
  reprovado: "bad", recolhido: "bad", bloqueada: "bad", aberto: "bad", vencido: "bad", cancelada: "muted",
  descartado: "bad", inativo: "muted", critico: "bad", maior: "wait", menor: "info",
};

export function StatusBadge({ status }: { status: string | null | undefined }) {
  if (!status) return <span>—</span>;
  return <span className={"badge badge-" + (TONE[status] ?? "info")}>{statusLabel(status)}</span>;
}

export interface Column<T> {
  header: string;
  cell: (row: T) => ReactNode;
  className?: string;
}

export function Table<T>({ columns, rows, rowKey, caption, empty = "Nada a mostrar." }: {
  columns: Column<T>[];
  rows: T[];
  rowKey: (row: T) => string;
  caption?: string;
  empty?: string;
}) {
  if (rows.length === 0) return <p className="empty">{empty}</p>;
  return (
    <div className="table-wrap">
      <table>
        {caption ? <caption>{caption}</caption> : null}
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.header} scope="col" className={c.className}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)}>
              {columns.map((c) => (
                <td key={c.header} className={c.className} data-label={c.header}>
                  {c.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

// A paged list: the rows so far, and "Carregar mais" while the server has more.
export function PagedTable<T>({ paged, ...rest }: {
  paged: Paged<T>;
  columns: Column<T>[];
  rowKey: (row: T) => string;
  caption?: string;
  empty?: string;
}) {
  return (
    <div className="paged">
      <ProblemAlert error={paged.error} />
      {paged.items.length === 0 && paged.loading ? (
        <p className="loading" role="status">Carregando…</p>
      ) : (
        <Table {...rest} rows={paged.items} />
      )}
      <div className="paged-footer">
        <span className="muted" aria-live="polite">
          {paged.items.length} {paged.items.length === 1 ? "registro" : "registros"}
          {paged.hasMore ? " (há mais)" : ""}
        </span>
        <div className="paged-controls">
          <label className="page-size">
            Linhas por página{" "}
            <select defaultValue={pageSize()} onChange={(e) => setPageSize(Number(e.target.value))}>
              {PAGE_SIZES.map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </label>
          {paged.hasMore ? (
            <button type="button" className="button" onClick={paged.more} disabled={paged.loading}>
              {paged.loading ? "Carregando…" : "Carregar mais"}
            </button>
          ) : null}
        </div>
      </div>
    </div>
  );
}

export function Loading({ what = "Carregando…" }: { what?: string }) {
  return (
    <p className="loading" role="status">
      {what}
    </p>
  );
}

// A load's three faces: waiting, failed, or the content.
export function Await<T>({ loaded, children }: { loaded: { data: T | undefined; error: Error | undefined; loading: boolean }; children: (data: T) => ReactNode }) {
  if (loaded.error) return <ProblemAlert error={loaded.error} />;
  if (loaded.data === undefined) return <Loading />;
  return <>{children(loaded.data)}</>;
}

export function Facts({ items }: { items: [string, ReactNode][] }) {
  return (
    <dl className="facts">
      {items.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v ?? "—"}</dd>
        </div>
      ))}
    </dl>
  );
}

// A modal dialog (the native <dialog>: focus stays inside, Esc closes it).
export function Dialog({ open, title, onClose, children }: { open: boolean; title: string; onClose: () => void; children: ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog ref={ref} className="dialog" aria-labelledby="dialog-title" onClose={onClose} onCancel={onClose}>
      {open ? (
        <>
          <h2 id="dialog-title">{title}</h2>
          {children}
        </>
      ) : null}
    </dialog>
  );
}

export function Button({ children, onClick, kind = "secondary", disabled, type = "button", pending }: {
  children: ReactNode;
  onClick?: () => void;
  kind?: "primary" | "secondary" | "danger" | "link";
  disabled?: boolean;
  type?: "button" | "submit";
  pending?: boolean;
}) {
  return (
    <button type={type} className={"button button-" + kind} onClick={onClick} disabled={disabled || pending} aria-busy={pending || undefined}>
      {pending ? "Aguarde…" : children}
    </button>
  );
}

export function ButtonLink({ to, children, kind = "secondary" }: { to: string; children: ReactNode; kind?: "primary" | "secondary" }) {
  return (
    <Link to={to} className={"button button-" + kind}>
      {children}
    </Link>
  );
}

export function Notice({ children, tone = "info" }: { children: ReactNode; tone?: "info" | "warning" | "success" }) {
  return (
    <div className={"alert alert-" + tone} role={tone === "success" ? "status" : undefined}>
      {children}
    </div>
  );
}
