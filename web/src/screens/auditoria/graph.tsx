// The genealogy graph drawn as SVG from the layout of lib/genealogy: each lot a link to its
// own traceability (a real <a>, reached by Tab and followed with Enter), edges with the
// quantities that went through them. The SVG has a title and a description; the same data is
// in the tables beside it.
import { useId, type MouseEvent } from "react";
import { useNavigate } from "react-router-dom";
import { formatInstant, formatNumber, statusLabel } from "../../lib/format";
import type { GraphLayout, PlacedNode } from "../../lib/genealogy";

const KIND: Record<PlacedNode["kind"], string> = {
  ascendente: "Insumo",
  lote: "Lote rastreado",
  descendente: "Lote derivado",
  expedicao: "Expedição",
  cliente: "Cliente",
};

const clip = (text: string, max: number) => (text.length > max ? text.slice(0, max - 1) + "…" : text);

function detailOf(n: PlacedNode): string {
  if (n.kind === "expedicao") return formatInstant(n.detail);
  if (n.kind === "cliente") return n.detail;
  return n.status ? `${n.detail} · ${statusLabel(n.status)}` : n.detail;
}

export function GenealogyGraph({ layout, codigo }: { layout: GraphLayout; codigo: string }) {
  const navigate = useNavigate();
  // Ids inside the SVG (title, description, arrow marker) as plain names a url(#…) can point at.
  const id = "g" + useId().replace(/[^A-Za-z0-9_-]/g, "");
  const { nodeWidth: w, nodeHeight: h } = layout.dims;
  const up = layout.nodes.filter((n) => n.kind === "ascendente").length;
  const down = layout.nodes.filter((n) => n.kind === "descendente").length;
  const shipments = layout.nodes.filter((n) => n.kind === "expedicao").length;
  const customers = layout.nodes.filter((n) => n.kind === "cliente").length;
  const description =
    `Genealogia do lote ${codigo}: ${up} lote(s) de insumo à esquerda, ${down} lote(s) derivado(s), ` +
    `${shipments} expedição(ões) e ${customers} cliente(s) à direita. Os mesmos dados estão nas tabelas abaixo.`;

  const follow = (e: MouseEvent, to: string) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to);
  };

  const box = (n: PlacedNode) => (
    <>
      <rect x={n.x} y={n.y} width={w} height={h} rx={6} />
      <text x={n.x + 10} y={n.y + 14} className="node-kind">
        {KIND[n.kind]}
      </text>
      <text x={n.x + 10} y={n.y + 30} className="node-label">
        {clip(n.label, 22)}
      </text>
      <text x={n.x + 10} y={n.y + 45} className="node-detail">
        {clip(detailOf(n), 26)}
      </text>
    </>
  );

  return (
    <div className="graph" role="region" aria-label="Grafo da genealogia" tabIndex={0}>
      <svg
        width={layout.width}
        height={layout.height}
        // Fits the box when it can, shrinking to 85 % at most (its text stays legible); a wider
        // graph scrolls instead.
        style={{ maxWidth: layout.width, minWidth: Math.round(layout.width * 0.85) }}
        viewBox={`0 0 ${layout.width} ${layout.height}`}
        aria-labelledby={`${id}-t`}
        aria-describedby={`${id}-d`}
        role="group"
      >
        <title id={`${id}-t`}>Genealogia do lote {codigo}</title>
        <desc id={`${id}-d`}>{description}</desc>
        <g aria-hidden="true">
          {layout.edges.map((e) => (
            <path key={`${e.from}>${e.to}>${e.op ?? ""}`} d={e.path} className="edge" markerEnd={`url(#${id}-arrow)`} />
          ))}
          {layout.edges
            .filter((e) => e.quantidade !== undefined)
            .map((e) => (
              <text key={`q${e.from}>${e.to}>${e.op ?? ""}`} x={e.labelX} y={e.labelY - 4} className="edge-label" textAnchor="middle">
                {formatNumber(e.quantidade!)}
              </text>
            ))}
        </g>
        <defs>
          <marker id={`${id}-arrow`} viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M0 0 L10 5 L0 10 z" fill="#6b7683" />
          </marker>
        </defs>
        {layout.nodes.map((n) =>
          n.codigo && n.kind !== "lote" ? (
            <a
              key={n.id}
              href={`/rastreabilidade/${encodeURIComponent(n.codigo)}`}
              className={"node node-" + n.kind}
              onClick={(e) => follow(e, `/rastreabilidade/${encodeURIComponent(n.codigo!)}`)}
            >
              {/* The name starts with what the box shows, so a voice command naming it finds it. */}
              <title>{`${KIND[n.kind]} ${n.label}, ${detailOf(n)} (abrir a rastreabilidade)`}</title>
              {box(n)}
            </a>
          ) : (
            <g key={n.id} className={"node node-" + n.kind} role="img" aria-label={`${KIND[n.kind]} ${n.label}, ${detailOf(n)}`}>
              {box(n)}
            </g>
          ),
        )}
      </svg>
    </div>
  );
}
