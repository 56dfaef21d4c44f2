import { describe, expect, it } from "vitest";
import { changedFields, isLocked, isRecent, passwordProblems, rebaseDraft } from "./types";

describe("users", () => {
  const now = Date.parse("2026-11-29T12:00:00Z");
  it("is locked only while the lockout lasts", () => {
    expect(isLocked({ bloqueado_ate: "2026-11-29T12:10:00Z" }, now)).toBe(true);
    expect(isLocked({ bloqueado_ate: "2026-11-29T11:59:00Z" }, now)).toBe(false);
    expect(isLocked({ bloqueado_ate: null }, now)).toBe(false);
  });
  it("is recent within the window", () => {
    expect(isRecent({ criado_em: "2026-11-25T12:00:00Z" }, 7, now)).toBe(true);
    expect(isRecent({ criado_em: "2026-11-01T12:00:00Z" }, 7, now)).toBe(false);
    expect(isRecent({}, 7, now)).toBe(false);
  });
  it("checks a new password and its confirmation before sending", () => {
    expect(passwordProblems("curta", "curta")).toEqual({ senha: "A senha deve ter ao menos 10 caracteres." });
    expect(passwordProblems("uma-senha-longa", "outra")).toEqual({ confirmacao: "A confirmação não é igual à nova senha." });
    expect(passwordProblems("uma-senha-longa", "uma-senha-longa")).toEqual({});
    // Counted in characters, as the server does.
    expect(passwordProblems("ção-ção-çã", "ção-ção-çã")).toEqual({});
  });
});

describe("a draft of changes to a user", () => {
  const v1 = { nome: "Bruno", email: "b@x", roles: ["estoquista"] };
  it("sends only what the person changed", () => {
    const d = { ...v1, roles: ["estoquista", "gestor_producao"], motivo: "m", base: v1 };
    expect(changedFields(d)).toEqual({ roles: ["estoquista", "gestor_producao"] });
    expect(changedFields({ ...v1, motivo: "", base: v1 })).toEqual({});
  });
  it("carried onto a newer version keeps what was typed and takes the rest from it", () => {
    const typed = { ...v1, roles: ["estoquista", "gestor_producao"], motivo: "m", base: v1 };
    const v2 = { ...v1, email: "novo@x" };
    const next = rebaseDraft(typed, v2);
    expect(next.email).toBe("novo@x");
    expect(next.roles).toEqual(["estoquista", "gestor_producao"]);
    expect(next.motivo).toBe("m");
    expect(changedFields(next)).toEqual({ roles: ["estoquista", "gestor_producao"] });
  });
});
