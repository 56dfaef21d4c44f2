import type { AppRoute } from "../../routes";

export const producaoRoutes: AppRoute[] = [];
