// The catalogue the production screens choose from: every material (Estoque's list, all pages)
// and the recipe versions of a product, newest first.
import { get, type Page, type Query } from "../../api/client";
import { useLoad, type Loaded } from "../../ui/hooks";
import type { Option } from "../../ui/fields";
import type { Material, Receita } from "./types";

// Every item of a list, page after page (select boxes need all of them, not the first 50).
export async function getAll<T>(path: string, query: Query = {}): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 40; page++) {
    const answer: Page<T> = await get<Page<T>>(path, { ...query, limit: 500, cursor: cursor ?? undefined });
    items.push(...answer.items);
    cursor = answer.next_cursor;
    if (cursor === null) break;
  }
  return items;
}

export interface Catalogo {
  list: Material[];
  byCodigo: Map<string, Material>;
}

export function useMateriais(tipo?: "insumo" | "produto"): Loaded<Catalogo> {
  return useLoad(async () => {
    const list = await getAll<Material>("/v1/materiais", { tipo });
    return { list, byCodigo: new Map(list.map((m) => [m.codigo, m])) };
  }, [tipo]);
}

export function materialOptions(list: Material[]): Option[] {
  return list.map((m) => ({ value: m.codigo, label: `${m.codigo} — ${m.nome}` }));
}

// "PA-001 — Paracetamol 500 mg" when the catalogue knows it, else the code alone.
export function materialName(codigo: string, catalogo: Catalogo | undefined): string {
  const m = catalogo?.byCodigo.get(codigo);
  return m ? `${m.codigo} — ${m.nome}` : codigo;
}

export function unitOf(codigo: string, catalogo: Catalogo | undefined): string | undefined {
  return catalogo?.byCodigo.get(codigo)?.unidade;
}

// The versions of one product's recipe, newest first (none until a product is chosen).
export function useReceitasDe(produto: string): Loaded<Receita[]> {
  return useLoad(async () => {
    if (!produto) return [];
    const all = await getAll<Receita>("/v1/receitas", { produto, ordem: "desc" });
    return all.sort((a, b) => b.versao - a.versao);
  }, [produto]);
}
