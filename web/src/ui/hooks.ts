// Data for screens: one load with its state, pages of a list by cursor, and a form whose
// values are kept as a draft in this tab (a lapsed session or a reload never loses them).
import { useCallback, useEffect, useRef, useState } from "react";
import { get, type Page, type Query } from "../api/client";
import { ApiError } from "../api/problem";
import { newUuid } from "../auth/pkce";

export interface Loaded<T> {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
  reload: () => void;
}

export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<Error>();
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let alive = true;
    setLoading(true);
    load()
      .then((d) => {
        if (!alive) return;
        setData(d);
        setError(undefined);
      })
      .catch((e: Error) => alive && setError(e))
      .finally(() => alive && setLoading(false));
    return () => {
      alive = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  return { data, error, loading, reload: useCallback(() => setTick((t) => t + 1), []) };
}

export function useGet<T>(path: string | null, query?: Query): Loaded<T> {
  const key = path === null ? null : JSON.stringify([path, query]);
  return useLoad<T>(() => (path === null ? Promise.resolve(undefined as T) : get<T>(path, query)), [key]);
}

export interface Paged<T> {
  items: T[];
  error: Error | undefined;
  loading: boolean;
  hasMore: boolean;
  more: () => void;
  reload: () => void;
}

const PAGE_SIZE = "ps.pagina";
export const PAGE_SIZES = [50, 100, 200, 500];

// How many rows a list page brings, as this person chose it (kept in this browser).
export function pageSize(): number {
  const n = Number(localStorage.getItem(PAGE_SIZE));
  return PAGE_SIZES.includes(n) ? n : 50;
}

export function setPageSize(n: number) {
  localStorage.setItem(PAGE_SIZE, String(n));
  window.dispatchEvent(new Event("ps-pagina"));
}

function usePageSize(): number {
  const [n, setN] = useState(pageSize);
  useEffect(() => {
    const on = () => setN(pageSize());
    window.addEventListener("ps-pagina", on);
    return () => window.removeEventListener("ps-pagina", on);
  }, []);
  return n;
}

// A list read page by page with its cursor; `query` changes start again from the first page.
// Without `limit`, a page is the size the person chose (PagedTable offers the choice).
export function usePaged<T>(path: string | null, query: Query = {}, fixedLimit?: number): Paged<T> {
  const preferred = usePageSize();
  const limit = fixedLimit ?? preferred;
  const [items, setItems] = useState<T[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<Error>();
  const [loading, setLoading] = useState(false);
  const [tick, setTick] = useState(0);
  const key = JSON.stringify([path, query, limit, tick]);
  const current = useRef(key);

  const fetchPage = useCallback(
    (after: string | null, replace: boolean) => {
      if (path === null) return;
      const mine = key;
      setLoading(true);
      get<Page<T>>(path, { ...query, limit, cursor: after ?? undefined })
        .then((page) => {
          if (current.current !== mine) return;
          setItems((old) => (replace ? page.items : [...old, ...page.items]));
          setCursor(page.next_cursor);
          setError(undefined);
        })
        .catch((e: Error) => current.current === mine && setError(e))
        .finally(() => current.current === mine && setLoading(false));
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [key],
  );

  useEffect(() => {
    current.current = key;
    setItems([]);
    setCursor(null);
    fetchPage(null, true);
  }, [key, fetchPage]);

  return {
    items,
    error,
    loading,
    hasMore: cursor !== null,
    more: () => cursor !== null && fetchPage(cursor, false),
    reload: () => setTick((t) => t + 1),
  };
}

const DRAFT = "ps.draft.";

// Form values kept in sessionStorage under `draftKey` while being typed.
export function useDraft<T extends Record<string, unknown>>(draftKey: string, initial: T) {
  const storageKey = DRAFT + draftKey;
  const [values, setValues] = useState<T>(() => {
    try {
      const saved = sessionStorage.getItem(storageKey);
      if (saved) return { ...initial, ...(JSON.parse(saved) as Partial<T>) };
    } catch {
      /* a draft that cannot be read is dropped */
    }
    return initial;
  });
  const set = useCallback(
    <K extends keyof T>(name: K, value: T[K]) => {
      setValues((old) => {
        const next = { ...old, [name]: value };
        sessionStorage.setItem(storageKey, JSON.stringify(next));
        return next;
      });
    },
    [storageKey],
  );
  const replace = useCallback(
    (next: T) => {
      sessionStorage.setItem(storageKey, JSON.stringify(next));
      setValues(next);
    },
    [storageKey],
  );
  const clear = useCallback(() => {
    sessionStorage.removeItem(storageKey);
    setValues(initial);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [storageKey]);
  return { values, set, replace, clear };
}

export interface Action<A extends unknown[], R> {
  run: (...args: A) => Promise<R | undefined>;
  pending: boolean;
  error: ApiError | Error | undefined;
  reset: () => void;
}

// One user act (a submit): disabled while it runs; the same Idempotency-Key is reused when the
// same act is repeated with the same input after a failure with no answer, so a retry never
// does it twice. The key is given to `act`.
export function useAction<A extends unknown[], R>(act: (key: string, ...args: A) => Promise<R>): Action<A, R> {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<ApiError | Error>();
  const last = useRef<{ input: string; key: string } | null>(null);
  const run = async (...args: A) => {
    const input = JSON.stringify(args);
    const key = last.current && last.current.input === input ? last.current.key : newUuid();
    last.current = { input, key };
    setPending(true);
    setError(undefined);
    try {
      const result = await act(key, ...args);
      last.current = null;
      return result;
    } catch (e) {
      // A definite answer (4xx) ends the act: a new attempt is a new act.
      // (Only "in use" means the first one may still land.)
      if (e instanceof ApiError && e.status >= 400 && e.status < 500 && e.slug !== "idempotency-key-em-uso") {
        last.current = null;
      }
      setError(e as Error);
      return undefined;
    } finally {
      setPending(false);
    }
  };
  return { run, pending, error, reset: () => setError(undefined) };
}
