import type { AppRoute } from "../../routes";

export const loteRoutes: AppRoute[] = [];
