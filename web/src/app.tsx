// The application: the sign-in callback outside the session; everything else inside it.
import { useEffect, useState } from "react";
import { BrowserRouter, Route, Routes, useLocation, useNavigate } from "react-router-dom";
import { beginSignIn, CALLBACK_PATH, completeSignIn, isSignedIn, resume } from "./auth/session";
import type { AppRoute } from "./routes";
import { Page, ProblemAlert } from "./ui/components";
import { Layout } from "./ui/layout";
import { SessionProvider, useSession } from "./ui/session";
import { HomePage } from "./screens/home/home";
import { adminRoutes } from "./screens/admin/routes";
import { auditoriaRoutes } from "./screens/auditoria/routes";
import { cqRoutes } from "./screens/cq/routes";
import { estoqueRoutes } from "./screens/estoque/routes";
import { loteRoutes } from "./screens/lote/routes";
import { producaoRoutes } from "./screens/producao/routes";

const ROUTES: AppRoute[] = [
  ...estoqueRoutes,
  ...producaoRoutes,
  ...cqRoutes,
  ...auditoriaRoutes,
  ...adminRoutes,
  ...loteRoutes,
];

function Callback() {
  const navigate = useNavigate();
  const location = useLocation();
  const [error, setError] = useState<Error>();
  useEffect(() => {
    completeSignIn(location.search)
      .then((to) => navigate(to, { replace: true }))
      .catch((e: Error) => setError(e));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return error ? (
    <main className="signin-problem">
      <h1>Não foi possível entrar</h1>
      <ProblemAlert error={error} />
      <button type="button" className="button button-primary" onClick={() => void beginSignIn("/")}>
        Tentar de novo
      </button>
    </main>
  ) : (
    <p className="loading" role="status">
      Entrando…
    </p>
  );
}

function RequireSignIn({ children }: { children: React.ReactNode }) {
  const signedIn = isSignedIn();
  useEffect(() => {
    if (!signedIn) void beginSignIn();
    else resume();
  }, [signedIn]);
  return signedIn ? <>{children}</> : <p className="loading" role="status">Abrindo a página de entrada…</p>;
}

function Guarded({ route }: { route: AppRoute }) {
  const { can } = useSession();
  if (route.capability && !can(route.capability)) {
    return (
      <Page title="Sem permissão">
        <p>Seu perfil não dá acesso a esta tela. Se precisar dela, fale com o administrador do sistema.</p>
      </Page>
    );
  }
  return <>{route.element}</>;
}

function NotFound() {
  return (
    <Page title="Página não encontrada">
      <p>Não há nada neste endereço. Use o menu ou a busca de lote.</p>
    </Page>
  );
}

export function App() {
  return (
    <BrowserRouter>
      <Routes>
        <Route path={CALLBACK_PATH} element={<Callback />} />
        <Route
          path="*"
          element={
            <RequireSignIn>
              <SessionProvider>
                <Layout routes={ROUTES}>
                  <Routes>
                    <Route path="/" element={<HomePage />} />
                    {ROUTES.map((r) => (
                      <Route key={r.path} path={r.path} element={<Guarded route={r} />} />
                    ))}
                    <Route path="*" element={<NotFound />} />
                  </Routes>
                </Layout>
              </SessionProvider>
            </RequireSignIn>
          }
        />
      </Routes>
    </BrowserRouter>
  );
}
