#pragma once
// User administration (API.md Auth; RULES.md A5, X7): create a user, change its data, roles
// or state (deactivated, never deleted; a deactivation ends its sessions), set its password.
// Every change is audited in the caller's transaction.
#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <vector>

#include "../domain/lockout.hpp"
#include "../storage/usuarios.hpp"
#include "pharmasys/audit/audit.hpp"
#include "pharmasys/http/message.hpp"
#include "pharmasys/pg/pg.hpp"

namespace pharmasys::auth_service {

// The user as API.md shows it, and as its audit records hold it.
boost::json::object UsuarioJson(const Usuario& usuario);

// Refused (NaoEncontrado) when there is no such user; locked when `for_update`.
Usuario CarregarUsuario(pg::Transaction& tx, const std::string& id, bool for_update = false);

struct PedidoUsuario {
  std::string username, nome, email;
  std::vector<std::string> roles;
  std::string senha;  // checked against the password policy by the caller
};
// Creates the user, active, with the password's Argon2id hash, and audits it (`usuario.criado`).
// Refused (EstadoNaoPermite) when the username exists or existed.
Usuario CriarUsuario(pg::Transaction& tx, const audit::Actor& actor, const PedidoUsuario& pedido);

struct AlteracaoUsuario {
  std::optional<std::string> nome, email;
  std::vector<std::string> roles;  // empty: unchanged
  std::optional<bool> ativo;
  std::string motivo;
};
// Applies what differs from `usuario` (read with CarregarUsuario(for_update)) and audits it as
// one act: `usuario.desativado`/`usuario.reativado` when `ativo` changes (a deactivation ends
// every session), else `usuario.papeis_alterados` when the roles do, else `usuario.alterado`.
// Nothing changes and nothing is audited when nothing differs. Returns the user as stored.
Usuario AlterarUsuario(pg::Transaction& tx, const audit::Actor& actor, const Usuario& usuario,
                       const AlteracaoUsuario& alteracao);

struct PedidoSenha {
  std::string senha;                       // checked against the password policy by the caller
  std::optional<std::string> senha_atual;  // checked when the user sets its own password
  bool propria = false;                    // the user sets its own password
};
struct SenhaDefinida {
  LoginOutcome conferencia = LoginOutcome::Success;  // of senha_atual; anything else: nothing set
  std::optional<Usuario> usuario;                    // as stored, when the password was set
};
// Sets the password of `id` (read with CarregarUsuario(for_update)), ends its sessions and
// audits it (`usuario.senha_alterada`). Its own password with `senha_atual` is first checked
// like a login (CheckPassword with `usuario.senha_atual`): a refused check is answered, not
// thrown, so that the caller commits it and it counts toward the lockout.
SenhaDefinida DefinirSenha(pg::Transaction& tx, const audit::Actor& actor, const http::Request& request,
                           const std::string& id, const PedidoSenha& pedido);

}  // namespace pharmasys::auth_service
