// Pieces the Estoque screens and the lot page share: a lot's link, quantities with their unit,
// how near a lot is to its validade, the explanation of the problems shipping and returns
// meet, the materials catalogue, filters kept in the address, and the label button.
import { useEffect, useState, type ReactNode } from "react";
import { Link, useSearchParams } from "react-router-dom";
import { get, saveBlob, type Page } from "../../api/client";
import { ApiError } from "../../api/problem";
import { formatDate, formatNumber } from "../../lib/format";
import type { LabelLot } from "../../lib/label";
import { Button, Notice, Page as FramePage, ProblemAlert } from "../../ui/components";
import type { Option } from "../../ui/fields";
import { useLoad } from "../../ui/hooks";
import { expiryInfo } from "./expiry";
import type { Material } from "./types";
import "./estoque.css";

// The frame's page, its content marked as this area's (for the few rules of estoque.css).
export function Page(props: Parameters<typeof FramePage>[0]) {
  return (
    <FramePage {...props}>
      <div className="estoque-area">{props.children}</div>
    </FramePage>
  );
}

export function lotPath(codigo: string): string {
  return `/lotes/${encodeURIComponent(codigo)}`;
}

// Lots this tab has already seen (a receipt's answer, a row of a list), code → id: the search
// box then opens them at once, also before Relatórios has heard of a lot just received.
const SEEN = "ps.lotes.vistos";

function seenLots(): Record<string, string> {
  try {
    return JSON.parse(sessionStorage.getItem(SEEN) ?? "{}") as Record<string, string>;
  } catch {
    return {};
  }
}

export function rememberLot(codigo: string, id: string) {
  const seen = seenLots();
  if (seen[codigo] === id) return;
  delete seen[codigo];
  seen[codigo] = id;
  const codes = Object.keys(seen);
  for (const old of codes.slice(0, Math.max(0, codes.length - 300))) delete seen[old];
  sessionStorage.setItem(SEEN, JSON.stringify(seen));
}

export function seenLotId(codigo: string): string | undefined {
  return seenLots()[codigo];
}

// The lot's page; the id rides along so the page need not look the code up.
export function LotLink({ codigo, id }: { codigo: string; id?: string }) {
  useEffect(() => {
    if (id) rememberLot(codigo, id);
  }, [codigo, id]);
  return (
    <Link to={lotPath(codigo)} state={id ? { loteId: id } : undefined} className="mono">
      {codigo}
    </Link>
  );
}

export function Qty({ value, unit }: { value: number | string | null | undefined; unit?: string | null }) {
  return (
    <span className="qty">
      {formatNumber(value)}
      {unit ? <span className="qty-unit"> {unit}</span> : null}
    </span>
  );
}

// The validade with how many days are left; near or past it is marked in words.
export function Validade({ date }: { date: string }) {
  const e = expiryInfo(date);
  return (
    <span className={e.nivel === "ok" ? undefined : "row-flag"}>
      {formatDate(date)}
      <span className={"expiry expiry-" + e.nivel}>
        {e.nivel === "ok" ? "" : "⚠ "}
        {e.texto}
      </span>
    </span>
  );
}

// What each problem of shipping and returns means for the person, and what to do.
const EXPLAIN: Record<string, string> = {
  "lote-nao-liberado":
    "Um dos lotes não pode sair: para expedir, o lote precisa estar liberado pelo CQ com laudo aprovado, dentro da " +
    "validade e com a vida útil mínima para expedição do material. Escolha outro lote ou deixe o FEFO escolher.",
  "estoque-insuficiente":
    "Não há quantidade disponível suficiente em lotes liberados e dentro da validade. Lotes em quarentena, " +
    "reservados ou devolvidos em avaliação não contam. Reduza a quantidade ou aguarde a liberação pelo CQ.",
  "versao-divergente": "Outra pessoa alterou este registro. Recarregue a página e confira antes de tentar de novo.",
  "sem-permissao": "Seu perfil não pode fazer esta ação.",
};

// A conflict means something different for each act: the screen says what (`words`).
export function explain(error: unknown, words: Record<string, string> = {}): string | undefined {
  return error instanceof ApiError ? words[error.slug] ?? EXPLAIN[error.slug] : undefined;
}

export const SHIPMENT_CHANGED =
  "Esta expedição mudou de situação enquanto você trabalhava (já confirmada ou cancelada). Recarregue a página.";

export function ActProblem({ error, shownFields, words: extra }: { error: unknown; shownFields?: string[]; words?: Record<string, string> }) {
  const words = explain(error, extra);
  return (
    <>
      <ProblemAlert error={error} shownFields={shownFields} />
      {words ? <Notice tone="warning">{words}</Notice> : null}
    </>
  );
}

// Filters live in the address: the back button and a shared link keep them.
export function useFilter(name: string): [string, (v: string) => void] {
  const [params, setParams] = useSearchParams();
  const value = params.get(name) ?? "";
  const set = (v: string) =>
    setParams(
      (old) => {
        const next = new URLSearchParams(old);
        if (v) next.set(name, v);
        else next.delete(name);
        return next;
      },
      { replace: true },
    );
  return [value, set];
}

// The whole catalogue, for choosing a material (it is small: hundreds, not millions).
export function useCatalogue() {
  return useLoad(async () => {
    const all: Material[] = [];
    let cursor: string | null = null;
    do {
      const page: Page<Material> = await get<Page<Material>>("/v1/materiais", { limit: 500, cursor: cursor ?? undefined });
      all.push(...page.items);
      cursor = page.next_cursor;
    } while (cursor && all.length < 10_000);
    return all;
  }, []);
}

export function materialOptions(materials: Material[] | undefined): Option[] {
  return (materials ?? []).map((m) => ({ value: m.codigo, label: `${m.codigo} — ${m.nome}` }));
}

// Prints (downloads) the lot's label; the PDF writer and the QR encoder load only now.
export function PrintLabelButton({ lot, kind = "secondary", children = "Imprimir etiqueta" }: {
  lot: LabelLot;
  kind?: "primary" | "secondary";
  children?: ReactNode;
}) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<Error>();
  const print = async () => {
    setPending(true);
    setError(undefined);
    try {
      const { labelFileName, lotLabelPdf } = await import("../../lib/label");
      const pdf = lotLabelPdf(lot);
      saveBlob(new Blob([pdf as BlobPart], { type: "application/pdf" }), labelFileName(lot.codigo));
    } catch (e) {
      setError(e instanceof Error ? e : new Error("Não foi possível gerar a etiqueta."));
    } finally {
      setPending(false);
    }
  };
  return (
    <>
      <Button kind={kind} onClick={() => void print()} pending={pending}>
        {children}
      </Button>
      {error ? <ProblemAlert error={error} /> : null}
    </>
  );
}
