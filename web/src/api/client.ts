// Every call of the public API through the gateway. The access token rides on each call; a
// 401 renews the session once and repeats the call with the same Idempotency-Key, so a write
// that reached the server is not done twice. Problems come back as ApiError.
import { accessToken, refresh } from "../auth/session";
import { newUuid } from "../auth/pkce";
import { ApiError, networkError, problemOf, SessionExpired } from "./problem";

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export type Query = Record<string, string | number | boolean | null | undefined>;

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== "") params.set(k, String(v));
  const text = params.toString();
  return text ? `${path}${path.includes("?") ? "&" : "?"}${text}` : path;
}

async function call(path: string, init: RequestInit, retried = false): Promise<Response> {
  const headers = new Headers(init.headers);
  const token = accessToken();
  if (token) headers.set("Authorization", "Bearer " + token);
  let res: Response;
  try {
    res = await fetch(path, { ...init, headers });
  } catch {
    throw networkError();
  }
  if (res.status === 401 && !retried) {
    if (await refresh()) return call(path, init, true);
    throw new SessionExpired();
  }
  if (res.status === 401) throw new SessionExpired();
  return res;
}

export async function get<T>(path: string, query?: Query): Promise<T> {
  const res = await call(withQuery(path, query), { headers: { Accept: "application/json" } });
  if (!res.ok) throw await problemOf(res);
  return (await res.json()) as T;
}

export async function getBlob(path: string, accept: string, query?: Query): Promise<Blob> {
  const res = await call(withQuery(path, query), { headers: { Accept: accept } });
  if (!res.ok) throw await problemOf(res);
  return res.blob();
}

export interface SendOptions {
  idempotencyKey?: string;
  signature?: string;
  ifMatch?: string | number;
}

// A write. Give the same idempotencyKey to repeat the same act (a retry after a lost answer).
export async function send<T>(method: "POST" | "PUT" | "PATCH" | "DELETE", path: string, body?: unknown,
                              options: SendOptions = {}): Promise<T> {
  const headers: Record<string, string> = {
    Accept: "application/json",
    "Content-Type": "application/json",
    "Idempotency-Key": options.idempotencyKey ?? newUuid(),
  };
  if (options.signature) headers["X-Assinatura"] = options.signature;
  if (options.ifMatch !== undefined) headers["If-Match"] = `"${options.ifMatch}"`;
  const res = await call(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!res.ok) throw await problemOf(res);
  const text = await res.text();
  return (text ? JSON.parse(text) : {}) as T;
}

export const post = <T>(path: string, body?: unknown, options?: SendOptions) => send<T>("POST", path, body, options);

// An electronic signature (RULES S1–S3): the password again, for this record and meaning
// only; the token is spent by the act it signs, within 120 s.
export async function sign(senha: string, recurso: string, significado: string): Promise<string> {
  const res = await call("/v1/auth/assinaturas", {
    method: "POST",
    headers: { Accept: "application/json", "Content-Type": "application/json" },
    body: JSON.stringify({ senha, recurso, significado }),
  });
  if (!res.ok) throw await problemOf(res);
  const answer = (await res.json()) as { assinatura_token: string };
  return answer.assinatura_token;
}

export async function download(path: string, accept: string, filename: string, query?: Query): Promise<void> {
  const blob = await getBlob(path, accept, query);
  saveBlob(blob, filename);
}

export function saveBlob(blob: Blob, filename: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export { ApiError, SessionExpired };
