import type { AppRoute } from "../../routes";

export const cqRoutes: AppRoute[] = [];
