import type { AppRoute } from "../../routes";
import { LotPage } from "./lote";

// The lot page is for every role: the header's search box and a label's scan open it.
export const loteRoutes: AppRoute[] = [{ path: "/lotes/:codigo", element: <LotPage /> }];
