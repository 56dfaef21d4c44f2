// Produção: recipes and production orders, executed step by step from the order's page.
import type { AppRoute } from "../../routes";
import { OrdemPage } from "./ordem";
import { OrdemNovaPage, OrdensPage } from "./ordens";
import { ReceitaNovaPage } from "./receita-form";
import { ReceitaPage, ReceitasPage } from "./receitas";

export const producaoRoutes: AppRoute[] = [
  { path: "/ordens", element: <OrdensPage />, nav: { label: "Ordens de produção", group: "Produção", order: 10 } },
  { path: "/ordens/nova", element: <OrdemNovaPage />, capability: "runOrders" },
  { path: "/ordens/:id", element: <OrdemPage /> },
  { path: "/receitas", element: <ReceitasPage />, capability: "readRecipes", nav: { label: "Receitas", group: "Produção", order: 20 } },
  { path: "/receitas/nova", element: <ReceitaNovaPage />, capability: "manageRecipes" },
  { path: "/receitas/:id", element: <ReceitaPage />, capability: "readRecipes" },
];
