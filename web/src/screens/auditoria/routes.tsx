// Auditoria e relatórios: the audit trail and its verification (auditor, administrador), and
// the reports every role reads. Each screen loads when first opened, so the first page of the
// application stays small.
import { lazy, Suspense, type ComponentType, type LazyExoticComponent } from "react";
import type { AppRoute } from "../../routes";
import { Loading } from "../../ui/components";

function later<K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K): LazyExoticComponent<ComponentType> {
  return lazy(() => load().then((m) => ({ default: m[name] })));
}

const AuditTrailPage = later(() => import("./trail"), "AuditTrailPage");
const RecordHistoryPage = later(() => import("./history"), "RecordHistoryPage");
const ChainVerificationPage = later(() => import("./verification"), "ChainVerificationPage");
const TraceSearchPage = later(() => import("./traceability"), "TraceSearchPage");
const TracePage = later(() => import("./traceability"), "TracePage");
const RecallReportPage = later(() => import("./recall"), "RecallReportPage");
const BatchRecordPage = later(() => import("./batchrecord"), "BatchRecordPage");
const ExpiringPage = later(() => import("./expiring"), "ExpiringPage");
const LossesPage = later(() => import("./losses"), "LossesPage");
const DashboardPage = later(() => import("./dashboard"), "DashboardPage");
const PeriodicReviewPage = later(() => import("./review"), "PeriodicReviewPage");

function screen(Screen: ComponentType) {
  return (
    <Suspense fallback={<Loading />}>
      <Screen />
    </Suspense>
  );
}

const group = "Auditoria e relatórios" as const;

export const auditoriaRoutes: AppRoute[] = [
  { path: "/painel", element: screen(DashboardPage), nav: { label: "Painel", group, order: 10 } },
  { path: "/rastreabilidade", element: screen(TraceSearchPage), nav: { label: "Rastreabilidade", group, order: 20 } },
  { path: "/rastreabilidade/:codigo", element: screen(TracePage) },
  { path: "/recolhimento/:codigo", element: screen(RecallReportPage) },
  { path: "/relatorios/ordens/:id", element: screen(BatchRecordPage) },
  { path: "/relatorios/vencimentos", element: screen(ExpiringPage), nav: { label: "Vencimentos", group, order: 30 } },
  { path: "/relatorios/perdas", element: screen(LossesPage), nav: { label: "Perdas", group, order: 40 } },
  {
    path: "/auditoria",
    element: screen(AuditTrailPage),
    capability: "readAudit",
    nav: { label: "Trilha de auditoria", group, order: 50 },
  },
  { path: "/auditoria/registro/:entidade/:id", element: screen(RecordHistoryPage), capability: "readAudit" },
  {
    path: "/auditoria/verificacao",
    element: screen(ChainVerificationPage),
    capability: "readAudit",
    nav: { label: "Verificação da cadeia", group, order: 60 },
  },
  {
    path: "/auditoria/revisao-periodica",
    element: screen(PeriodicReviewPage),
    capability: "readAudit",
    nav: { label: "Revisão periódica", group, order: 70 },
  },
];
