import type { AppRoute } from "../../routes";

export const estoqueRoutes: AppRoute[] = [];
