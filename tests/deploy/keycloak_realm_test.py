#!/usr/bin/env python3
"""deploy/keycloak/pharmasys-realm.json against what PharmaSys expects of a realm: the roles the
services check, the public web client with PKCE S256 and no password grant, the confidential
service clients with a service account in role `servico`, the signatures client with the
direct access grant, the `pharmasys` audience on every token, the lockout of RULES X3 (five
failures, fifteen minutes) and access tokens of 300 s. Prints "N passed, N failed"."""
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
passed = failed = 0


def check(what, ok, detail=""):
    global passed, failed
    passed, failed = (passed + 1, failed) if ok else (passed, failed + 1)
    print(("  ok    " if ok else "  FAIL  ") + what + ("" if ok else " " + str(detail)))


def audience(client):
    return any(m.get("protocolMapper") == "oidc-audience-mapper" and
               m.get("config", {}).get("included.custom.audience") == "pharmasys" and
               m.get("config", {}).get("access.token.claim") == "true" for m in client.get("protocolMappers", []))


def main():
    realm = json.load(open(os.path.join(ROOT, "deploy/keycloak/pharmasys-realm.json"), encoding="utf-8"))
    context = open(os.path.join(ROOT, "services/auth/src/api/context.hpp"), encoding="utf-8").read()
    known = set(re.findall(r'"(\w+)"', context[context.index("KnownRoles()"):context.index("};", context.index("KnownRoles()"))]))
    roles = {r["name"] for r in realm["roles"]["realm"]}
    check("the realm's roles are the five of PharmaSys and servico", roles == known | {"servico"},
          f"{sorted(roles)} vs {sorted(known)}")
    clients = {c["clientId"]: c for c in realm["clients"]}
    web = clients.get("pharmasys-web", {})
    check("pharmasys-web is public, code flow with PKCE S256 only, no password grant",
          web.get("publicClient") is True and web.get("standardFlowEnabled") is True and
          web.get("directAccessGrantsEnabled") is False and web.get("implicitFlowEnabled") is False and
          web.get("attributes", {}).get("pkce.code.challenge.method") == "S256", web)
    check("pharmasys-web's redirect URI is exact (no wildcard)",
          web.get("redirectUris") and all("*" not in u for u in web["redirectUris"]), web.get("redirectUris"))
    sig = clients.get("pharmasys-assinaturas", {})
    check("pharmasys-assinaturas is confidential with the direct access grant, nothing else",
          sig.get("publicClient") is False and sig.get("directAccessGrantsEnabled") is True and
          sig.get("standardFlowEnabled") is False and sig.get("serviceAccountsEnabled") is False, sig)
    accounts = {u.get("serviceAccountClientId"): u for u in realm.get("users", [])}
    for service in ("producao", "cq", "estoque", "relatorios", "gateway"):
        c = clients.get(service, {})
        check(f"{service}: confidential, service account only, in role servico",
              c.get("publicClient") is False and c.get("serviceAccountsEnabled") is True and
              c.get("standardFlowEnabled") is False and c.get("directAccessGrantsEnabled") is False and
              accounts.get(service, {}).get("realmRoles") == ["servico"], c)
    check("every client's access tokens carry the pharmasys audience", all(audience(c) for c in realm["clients"]),
          [c["clientId"] for c in realm["clients"] if not audience(c)])
    check("five failures lock an account for fifteen minutes (RULES X3)",
          realm.get("bruteForceProtected") is True and realm.get("failureFactor") == 5 and
          realm.get("waitIncrementSeconds") == 900 and realm.get("permanentLockout") is False)
    check("access tokens live 300 s and refresh tokens rotate",
          realm.get("accessTokenLifespan") == 300 and realm.get("revokeRefreshToken") is True)
    check("TLS is required on every connection to the realm", realm.get("sslRequired") == "all")
    check("no secret is written in the file (placeholders from the environment)",
          all(c.get("secret", "${").startswith("${") for c in realm["clients"]))
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
