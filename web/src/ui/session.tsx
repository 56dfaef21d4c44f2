// The signed-in person for every screen: who they are and which roles they hold.
import { createContext, useContext, useEffect, useState, type ReactNode } from "react";
import { get } from "../api/client";
import { isExpired, isSignedIn, onSessionChange, type Me } from "../auth/session";
import { allowed, type Capability } from "../lib/roles";

interface SessionValue {
  me: Me | null;
  expired: boolean;
  can: (capability: Capability) => boolean;
  hasRole: (role: string) => boolean;
}

const SessionContext = createContext<SessionValue>({ me: null, expired: false, can: () => false, hasRole: () => false });

export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  const [expired, setExpired] = useState(isExpired());
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let alive = true;
    const load = () => {
      setExpired(isExpired());
      if (!isSignedIn() || me) return;
      get<Me>("/v1/auth/me")
        .then((m) => alive && setMe(m))
        .catch((e: Error) => alive && setError(e.message));
    };
    load();
    const off = onSessionChange(load);
    return () => {
      alive = false;
      off();
    };
  }, [me]);

  if (error && !me) return <p role="alert" className="page-error">Não foi possível carregar sua sessão: {error}</p>;
  if (!me) return <p className="loading" role="status">Carregando…</p>;
  const value: SessionValue = {
    me,
    expired,
    can: (c) => allowed(me.roles, c),
    hasRole: (r) => me.roles.includes(r),
  };
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  return useContext(SessionContext);
}
