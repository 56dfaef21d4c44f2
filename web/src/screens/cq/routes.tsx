// Qualidade's screens. Each is loaded when first opened, so the analyst's screens do not
// weigh on the start of the application for everyone else.
import { lazy, Suspense, type ComponentType, type LazyExoticComponent } from "react";
import type { AppRoute } from "../../routes";
import { Loading } from "../../ui/components";

function screen<K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) {
  const C: LazyExoticComponent<ComponentType> = lazy(() => load().then((m) => ({ default: m[name] })));
  return (
    <Suspense fallback={<Loading />}>
      <C />
    </Suspense>
  );
}

const amostras = () => import("./amostras");
const amostra = () => import("./amostra");
const especificacoes = () => import("./especificacoes");
const desvios = () => import("./desvios");
const desvio = () => import("./desvio");
const recolhimento = () => import("./recolhimento");
const devolucoes = () => import("./devolucoes");

export const cqRoutes: AppRoute[] = [
  {
    path: "/cq/amostras",
    element: screen(amostras, "AmostrasPage"),
    capability: "readSamples",
    nav: { label: "Amostras", group: "Qualidade", order: 1 },
  },
  { path: "/cq/amostras/:id", element: screen(amostra, "AmostraPage"), capability: "readSamples" },
  {
    path: "/cq/especificacoes",
    element: screen(especificacoes, "EspecificacoesPage"),
    capability: "readSamples",
    nav: { label: "Especificações", group: "Qualidade", order: 2 },
  },
  { path: "/cq/especificacoes/:material", element: screen(especificacoes, "EspecificacaoPage"), capability: "readSamples" },
  {
    path: "/desvios",
    element: screen(desvios, "DesviosPage"),
    nav: { label: "Desvios", group: "Qualidade", order: 3 },
  },
  { path: "/desvios/novo", element: screen(desvios, "DesvioNovoPage"), capability: "openDesvio" },
  { path: "/desvios/:id", element: screen(desvio, "DesvioPage") },
  {
    path: "/cq/devolucoes",
    element: screen(devolucoes, "DevolucoesPage"),
    capability: "readSamples",
    nav: { label: "Avaliar devoluções", group: "Qualidade", order: 4 },
  },
  { path: "/cq/devolucoes/:id", element: screen(devolucoes, "DevolucaoPage"), capability: "readSamples" },
  {
    path: "/cq/recolhimentos/novo",
    element: screen(recolhimento, "RecolhimentoNovoPage"),
    capability: "recall",
    nav: { label: "Recolher lote", group: "Qualidade", order: 5 },
  },
];
