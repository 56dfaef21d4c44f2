// The signed-in session of this tab: the Authorization Code flow with PKCE against Auth
// (`/v1/auth/autorizar`), tokens in this tab's sessionStorage, a silent refresh a minute
// before the access token expires (refresh tokens rotate on each use), and sign-out that
// revokes the refresh token. When renewal fails the session is over: listeners are told, and
// the page keeps whatever forms hold (they keep drafts) until the person signs in again.
import { challengeOf, newState, newVerifier } from "./pkce";

export const CLIENT_ID = "pharmasys-web";
export const CALLBACK_PATH = "/entrar/retorno";
const TOKENS = "ps.tokens";
const PENDING = "ps.pkce";

interface Tokens {
  access: string;
  refresh?: string;
  expiresAt: number; // ms since epoch
}

interface Pending {
  verifier: string;
  state: string;
  returnTo: string;
}

export interface Me {
  sub: string;
  username: string;
  nome: string;
  roles: string[];
}

type Listener = () => void;
const listeners = new Set<Listener>();
let refreshing: Promise<boolean> | null = null;
let timer: ReturnType<typeof setTimeout> | undefined;
let expired = false;

function read<T>(key: string): T | null {
  try {
    const text = sessionStorage.getItem(key);
    return text ? (JSON.parse(text) as T) : null;
  } catch {
    return null;
  }
}

function tokens(): Tokens | null {
  return read<Tokens>(TOKENS);
}

export function accessToken(): string | null {
  return tokens()?.access ?? null;
}

export function isSignedIn(): boolean {
  return tokens() !== null;
}

export function isExpired(): boolean {
  return expired;
}

export function onSessionChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function notify() {
  for (const l of listeners) l();
}

function redirectUri(): string {
  return window.location.origin + CALLBACK_PATH;
}

function store(answer: { access_token: string; refresh_token?: string; expires_in: number }) {
  const previous = tokens();
  const t: Tokens = {
    access: answer.access_token,
    refresh: answer.refresh_token ?? previous?.refresh,
    expiresAt: Date.now() + answer.expires_in * 1000,
  };
  sessionStorage.setItem(TOKENS, JSON.stringify(t));
  expired = false;
  schedule();
  notify();
}

// Renew a minute before expiry (or at 80 % of a short lifetime).
function schedule() {
  clearTimeout(timer);
  const t = tokens();
  if (!t?.refresh) return;
  const left = t.expiresAt - Date.now();
  const lead = Math.min(60_000, left * 0.2);
  timer = setTimeout(() => void refresh(), Math.max(1_000, left - lead));
}

export function resume() {
  if (tokens()) schedule();
}

export async function beginSignIn(returnTo = window.location.pathname + window.location.search): Promise<void> {
  const verifier = newVerifier();
  const state = newState();
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state, returnTo } satisfies Pending));
  const params = new URLSearchParams({
    response_type: "code",
    client_id: CLIENT_ID,
    redirect_uri: redirectUri(),
    state,
    code_challenge: await challengeOf(verifier),
    code_challenge_method: "S256",
  });
  window.location.assign("/v1/auth/autorizar?" + params.toString());
}

// The callback: the code for tokens. Answers where to go next.
export async function completeSignIn(search: string): Promise<string> {
  const params = new URLSearchParams(search);
  const pending = read<Pending>(PENDING);
  sessionStorage.removeItem(PENDING);
  const error = params.get("error");
  if (error) throw new Error(`A entrada foi recusada (${error}).`);
  if (!pending || params.get("state") !== pending.state) {
    throw new Error("Esta resposta de entrada não corresponde a nenhuma entrada iniciada nesta aba.");
  }
  const code = params.get("code");
  if (!code) throw new Error("A resposta de entrada não trouxe o código.");
  const res = await fetch("/v1/auth/token", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code,
      redirect_uri: redirectUri(),
      client_id: CLIENT_ID,
      code_verifier: pending.verifier,
    }),
  });
  const answer = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(answer.error_description || answer.error || "Não foi possível entrar.");
  store(answer);
  return pending.returnTo && pending.returnTo !== CALLBACK_PATH ? pending.returnTo : "/";
}

// Renews the access token once, however many callers ask at the same time.
export function refresh(): Promise<boolean> {
  if (refreshing) return refreshing;
  refreshing = (async () => {
    const t = tokens();
    if (!t?.refresh) return end();
    try {
      const res = await fetch("/v1/auth/token", {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: t.refresh, client_id: CLIENT_ID }),
      });
      if (res.status === 400 || res.status === 401) return end();
      if (!res.ok) return false; // the server is away: try again later, keep the session
      store(await res.json());
      return true;
    } catch {
      clearTimeout(timer);
      timer = setTimeout(() => void refresh(), 10_000);
      return false;
    }
  })().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

function end(): false {
  clearTimeout(timer);
  sessionStorage.removeItem(TOKENS);
  expired = true;
  notify();
  return false;
}

export async function signOut(): Promise<void> {
  const t = tokens();
  clearTimeout(timer);
  if (t?.refresh) {
    await fetch("/v1/auth/revogar", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Authorization: "Bearer " + t.access },
      body: new URLSearchParams({ token: t.refresh, token_type_hint: "refresh_token", client_id: CLIENT_ID }),
    }).catch(() => undefined);
  }
  sessionStorage.removeItem(TOKENS);
  for (const key of Object.keys(sessionStorage)) if (key.startsWith("ps.draft.")) sessionStorage.removeItem(key);
  expired = false;
  notify();
}
