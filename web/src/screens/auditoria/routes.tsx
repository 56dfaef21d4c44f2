import type { AppRoute } from "../../routes";

export const auditoriaRoutes: AppRoute[] = [];
