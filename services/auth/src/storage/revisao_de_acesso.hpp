#pragma once
// The user access review (21 CFR Part 11 §11.10(d), EU GMP Annex 11 §12): every account with its
// roles, its last sign-in, and who granted or withdrew what and when — read from the users and
// from Auth's own audit trail, where every creation, role change and (de)activation is recorded.
#include <optional>
#include <string>
#include <vector>

#include "pharmasys/pg/pg.hpp"
#include "usuarios.hpp"

namespace pharmasys::auth_service {

// One change of an account's access, as its audit record says it.
struct Concessao {
  std::string acao;  // usuario.criado, usuario.papeis_alterados, usuario.desativado, usuario.reativado
  std::string em;    // RFC 3339
  std::string por, por_nome;
  std::optional<std::string> antes, depois;  // JSON of the changed fields (roles, ativo)
  std::optional<std::string> motivo;
};

struct ContaRevista {
  Usuario usuario;
  std::optional<std::string> ultimo_acesso_em;  // the last successful sign-in
  std::vector<Concessao> concessoes;            // oldest first
};

// Every account, by username.
std::vector<ContaRevista> LerRevisaoDeAcesso(pg::Transaction& tx);

}  // namespace pharmasys::auth_service
