// The frame of every screen: the header with the lot search (a scanner types into it), the
// person and sign-out; the navigation of what this person's roles may use; the content. On a
// narrow screen the navigation folds behind a menu button.
import { useEffect, useRef, useState, type ReactNode } from "react";
import { Link, NavLink, useLocation, useNavigate } from "react-router-dom";
import { beginSignIn, signOut } from "../auth/session";
import { roleLabel } from "../lib/format";
import { lotCodeFromScan } from "../lib/scan";
import { NAV_GROUPS, type AppRoute } from "../routes";
import { Button, Dialog, focusPageTitle } from "./components";
import { useSession } from "./session";

export function Layout({ routes, children }: { routes: AppRoute[]; children: ReactNode }) {
  const { me, can, expired } = useSession();
  const [menuOpen, setMenuOpen] = useState(false);
  const location = useLocation();
  const first = useRef(true);
  useEffect(() => {
    setMenuOpen(false);
    // A new screen: focus its title, so a screen reader announces it and Tab starts there.
    if (first.current) {
      first.current = false;
      return;
    }
    const t = setTimeout(focusPageTitle, 0);
    return () => clearTimeout(t);
  }, [location.pathname]);
  const visible = routes.filter((r) => r.nav && (!r.capability || can(r.capability)));
  return (
    <div className="shell">
      <a className="skip" href="#conteudo">
        Ir para o conteúdo
      </a>
      <header className="topbar">
        <button
          type="button"
          className="menu-button"
          aria-expanded={menuOpen}
          aria-controls="navegacao"
          onClick={() => setMenuOpen((o) => !o)}
        >
          <span aria-hidden="true">☰</span> Menu
        </button>
        <Link to="/" className="brand">
          PharmaSys
        </Link>
        <LotSearch />
        <div className="user">
          <span className="user-name">{me?.nome}</span>
          <span className="user-roles muted">{me?.roles.map(roleLabel).join(", ")}</span>
          <Link to="/conta/senha" className="user-link">
            Alterar senha
          </Link>
          <button type="button" className="button button-link" onClick={() => void signOut().then(() => beginSignIn("/"))}>
            Sair
          </button>
        </div>
      </header>
      <div className="body">
        <nav id="navegacao" className={"nav" + (menuOpen ? " nav-open" : "")} aria-label="Navegação principal">
          <ul>
            <li>
              <NavLink to="/" end>
                Minhas tarefas
              </NavLink>
            </li>
          </ul>
          {NAV_GROUPS.map((group) => {
            const items = visible
              .filter((r) => r.nav!.group === group)
              .sort((a, b) => (a.nav!.order ?? 50) - (b.nav!.order ?? 50));
            if (items.length === 0) return null;
            return (
              <div key={group} className="nav-group">
                <h2>{group}</h2>
                <ul>
                  {items.map((r) => (
                    <li key={r.path}>
                      <NavLink to={r.path} end>
                        {r.nav!.label}
                      </NavLink>
                    </li>
                  ))}
                </ul>
              </div>
            );
          })}
        </nav>
        <main id="conteudo" tabIndex={-1}>
          {children}
        </main>
      </div>
      <SessionExpiredDialog open={expired} />
    </div>
  );
}

// The search box: a lot code typed or scanned (a keyboard wedge ends with Enter) opens the lot.
function LotSearch() {
  const navigate = useNavigate();
  const [text, setText] = useState("");
  const [invalid, setInvalid] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    // "/" focuses the search from anywhere, as in most operator tools.
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement;
      if (e.key === "/" && !["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName)) {
        e.preventDefault();
        input.current?.focus();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
  return (
    <form
      className="search"
      role="search"
      onSubmit={(e) => {
        e.preventDefault();
        const code = lotCodeFromScan(text);
        if (!code) {
          setInvalid(true);
          return;
        }
        setInvalid(false);
        setText("");
        navigate(`/lotes/${encodeURIComponent(code)}`);
      }}
    >
      <label htmlFor="busca-lote" className="visually-hidden">
        Buscar lote (código ou etiqueta lida)
      </label>
      <input
        id="busca-lote"
        ref={input}
        type="search"
        placeholder="Buscar lote ou ler etiqueta"
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setInvalid(false);
        }}
        aria-invalid={invalid || undefined}
        aria-describedby={invalid ? "busca-erro" : undefined}
        autoComplete="off"
      />
      {invalid ? (
        <span id="busca-erro" className="search-error" role="alert">
          Código de lote não reconhecido.
        </span>
      ) : null}
    </form>
  );
}

function SessionExpiredDialog({ open }: { open: boolean }) {
  const [going, setGoing] = useState(false);
  return (
    <Dialog open={open} title="Sessão expirada" onClose={() => undefined}>
      <p>
        Sua sessão terminou. O que você digitou nesta tela foi guardado: entre de novo e você voltará exatamente
        aqui.
      </p>
      <div className="dialog-actions">
        <Button
          kind="primary"
          pending={going}
          onClick={() => {
            setGoing(true);
            void beginSignIn();
          }}
        >
          Entrar de novo
        </Button>
      </div>
    </Dialog>
  );
}
