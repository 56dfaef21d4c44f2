// The Estoque area: stock in FEFO order, receipts, shipments, returns and the materials
// catalogue. Reading is open to every role (API.md); acts only to the roles that may do them.
import type { AppRoute } from "../../routes";
import { NewReturnPage, ReturnPage, ReturnsPage } from "./devolucoes";
import { NewShipmentPage } from "./expedicao-nova";
import { ShipmentPage, ShipmentsPage } from "./expedicoes";
import { MaterialPage, MaterialsPage, NewMaterialPage } from "./materiais";
import { ReceiptPage } from "./recebimento";
import { StockPage } from "./saldos";

export const estoqueRoutes: AppRoute[] = [
  { path: "/estoque", element: <StockPage />, nav: { label: "Saldos em estoque", group: "Estoque", order: 10 } },
  { path: "/recebimentos/novo", element: <ReceiptPage />, capability: "receive", nav: { label: "Recebimento", group: "Estoque", order: 20 } },
  { path: "/expedicoes", element: <ShipmentsPage />, nav: { label: "Expedições", group: "Estoque", order: 30 } },
  { path: "/expedicoes/nova", element: <NewShipmentPage />, capability: "ship" },
  { path: "/expedicoes/:id", element: <ShipmentPage /> },
  { path: "/devolucoes", element: <ReturnsPage />, nav: { label: "Devoluções", group: "Estoque", order: 40 } },
  { path: "/devolucoes/nova", element: <NewReturnPage />, capability: "registerReturn" },
  { path: "/devolucoes/:id", element: <ReturnPage /> },
  { path: "/materiais", element: <MaterialsPage />, nav: { label: "Materiais", group: "Estoque", order: 50 } },
  { path: "/materiais/novo", element: <NewMaterialPage />, capability: "createMaterial" },
  { path: "/materiais/:codigo", element: <MaterialPage /> },
];
