// Administração: user accounts (administrador), and everyone's own password. Loaded when
// first opened.
import { lazy, Suspense, type ComponentType, type LazyExoticComponent } from "react";
import type { AppRoute } from "../../routes";
import { Loading } from "../../ui/components";

function later<K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K): LazyExoticComponent<ComponentType> {
  return lazy(() => load().then((m) => ({ default: m[name] })));
}

const UsersPage = later(() => import("./users"), "UsersPage");
const NewUserPage = later(() => import("./usernew"), "NewUserPage");
const UserPage = later(() => import("./user"), "UserPage");
const OwnPasswordPage = later(() => import("./password"), "OwnPasswordPage");

function screen(Screen: ComponentType) {
  return (
    <Suspense fallback={<Loading />}>
      <Screen />
    </Suspense>
  );
}

export const adminRoutes: AppRoute[] = [
  { path: "/usuarios", element: screen(UsersPage), capability: "manageUsers", nav: { label: "Usuários", group: "Administração", order: 10 } },
  { path: "/usuarios/novo", element: screen(NewUserPage), capability: "manageUsers" },
  { path: "/usuarios/:id", element: screen(UserPage), capability: "manageUsers" },
  // Everyone's own password; the header links here.
  { path: "/conta/senha", element: screen(OwnPasswordPage) },
];
