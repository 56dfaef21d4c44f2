// Catalogue data the quality screens look up by code, read once and shared while the app is
// open (a minute at most, so a material registered meanwhile appears).
import { useEffect, useState } from "react";
import { get } from "../../api/client";
import { useLoad } from "../../ui/hooks";
import { getAll, type Material, type OrdemProducao } from "./api";

const FRESH_MS = 60_000;
let materials: { at: number; value: Promise<Map<string, Material>> } | null = null;

export function loadMaterials(): Promise<Map<string, Material>> {
  if (!materials || Date.now() - materials.at > FRESH_MS) {
    const value = getAll<Material>("/v1/materiais").then((items) => new Map(items.map((m) => [m.codigo, m])));
    value.catch(() => (materials = null));
    materials = { at: Date.now(), value };
  }
  return materials.value;
}

export function useMaterials(): Map<string, Material> | undefined {
  return useLoad(loadMaterials, []).data;
}

export function materialText(materials: Map<string, Material> | undefined, codigo: string | undefined): string {
  if (!codigo) return "—";
  const m = materials?.get(codigo);
  return m ? `${m.nome} (${codigo})` : codigo;
}

// Production orders, newest first, for pickers.
export function useOrders() {
  return useLoad(() => getAll<OrdemProducao>("/v1/ordens-producao", { ordem: "desc" }, 1000), []);
}

// The codes of production orders named by id (a desvio names its OP by id).
const opCodes = new Map<string, Promise<string>>();

export function opCode(id: string): Promise<string> {
  let p = opCodes.get(id);
  if (!p) {
    p = get<OrdemProducao>(`/v1/ordens-producao/${id}`).then((op) => op.codigo);
    p.catch(() => opCodes.delete(id));
    opCodes.set(id, p);
  }
  return p;
}

export function useOpCodes(ids: (string | null | undefined)[]): Record<string, string> {
  const [codes, setCodes] = useState<Record<string, string>>({});
  const key = [...new Set(ids.filter(Boolean) as string[])].sort().join(",");
  useEffect(() => {
    let alive = true;
    for (const id of key ? key.split(",") : []) {
      opCode(id)
        .then((c) => alive && setCodes((old) => (old[id] === c ? old : { ...old, [id]: c })))
        .catch(() => undefined);
    }
    return () => {
      alive = false;
    };
  }, [key]);
  return codes;
}
