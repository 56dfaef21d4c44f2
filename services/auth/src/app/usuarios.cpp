#include "usuarios.hpp"

#include <boost/json/array.hpp>

#include "../domain/senhas.hpp"
#include "../storage/refresh_tokens.hpp"
#include "contas.hpp"
#include "pharmasys/audit/audit.hpp"
#include "pharmasys/ids.hpp"
#include "recusa.hpp"

namespace pharmasys::auth_service {

boost::json::object UsuarioJson(const Usuario& u) {
  boost::json::array roles;
  for (const auto& role : u.roles) roles.push_back(boost::json::string(role));
  boost::json::object o{{"id", u.id},         {"username", u.username},    {"nome", u.nome},
                        {"email", u.email},   {"roles", std::move(roles)}, {"ativo", u.ativo},
                        {"versao", u.versao}, {"criado_em", u.criado_em},  {"atualizado_em", u.atualizado_em}};
  o["bloqueado_ate"] = u.bloqueado_ate ? boost::json::value(*u.bloqueado_ate) : boost::json::value(nullptr);
  return o;
}

Usuario CarregarUsuario(pg::Transaction& tx, const std::string& id, bool for_update) {
  auto usuario = FindUsuario(tx, id, for_update);
  if (!usuario) throw Recusa(Motivo::NaoEncontrado, "Usuário " + id + " não encontrado.");
  return std::move(*usuario);
}

Usuario CriarUsuario(pg::Transaction& tx, const audit::Actor& actor, const PedidoUsuario& pedido) {
  std::string id = ids::NewUuidV7();
  if (!InsertUsuario(tx, {.id = id,
                          .username = pedido.username,
                          .nome = pedido.nome,
                          .email = pedido.email,
                          .senha_hash = HashPassword(pedido.senha),
                          .roles = pedido.roles})) {
    throw Recusa(Motivo::EstadoNaoPermite, "O username '" + pedido.username + "' já existe ou já existiu.");
  }
  Usuario usuario = CarregarUsuario(tx, id);
  boost::json::object depois = UsuarioJson(usuario);
  depois.erase("versao");
  audit::Audit(tx, actor, {.acao = "usuario.criado", .entidade = "usuario", .entidade_id = id, .depois = depois});
  return usuario;
}

Usuario AlterarUsuario(pg::Transaction& tx, const audit::Actor& actor, const Usuario& usuario,
                       const AlteracaoUsuario& alteracao) {
  const boost::json::object before = UsuarioJson(usuario);
  boost::json::object antes, depois;
  auto change = [&](const char* field, const boost::json::value& value) {
    if (before.at(field) != value) {
      antes[field] = before.at(field);
      depois[field] = value;
    }
  };
  if (alteracao.nome) change("nome", boost::json::string(*alteracao.nome));
  if (alteracao.email) change("email", boost::json::string(*alteracao.email));
  if (!alteracao.roles.empty()) {
    boost::json::array r;
    for (const auto& role : alteracao.roles) r.push_back(boost::json::string(role));
    change("roles", r);
  }
  if (alteracao.ativo) change("ativo", *alteracao.ativo);
  if (!depois.empty()) {
    std::vector<std::string> final_roles;
    for (const auto& r : (depois.contains("roles") ? depois.at("roles") : before.at("roles")).as_array()) {
      final_roles.emplace_back(r.as_string());
    }
    UpdateUsuario(tx, usuario.id, alteracao.nome.value_or(usuario.nome), alteracao.email.value_or(usuario.email),
                  final_roles, alteracao.ativo.value_or(usuario.ativo));
    if (alteracao.ativo && !*alteracao.ativo) RevokeUserTokens(tx, usuario.id);
    std::string acao = depois.contains("roles") ? "usuario.papeis_alterados" : "usuario.alterado";
    if (depois.contains("ativo")) acao = *alteracao.ativo ? "usuario.reativado" : "usuario.desativado";
    audit::Audit(tx, actor,
                 {.acao = acao,
                  .entidade = "usuario",
                  .entidade_id = usuario.id,
                  .antes = antes,
                  .depois = depois,
                  .motivo = alteracao.motivo});
  }
  return CarregarUsuario(tx, usuario.id);
}

SenhaDefinida DefinirSenha(pg::Transaction& tx, const audit::Actor& actor, const http::Request& request,
                           const std::string& id, const PedidoSenha& pedido) {
  if (pedido.senha_atual && pedido.propria) {
    auto account = FindAccountById(tx, id);
    auto outcome = CheckPassword(tx, *account, *pedido.senha_atual, request, "usuario.senha_atual");
    if (outcome != LoginOutcome::Success) return {.conferencia = outcome, .usuario = std::nullopt};
  }
  SetSenha(tx, id, HashPassword(pedido.senha));
  RevokeUserTokens(tx, id);
  audit::Audit(tx, actor,
               {.acao = "usuario.senha_alterada",
                .entidade = "usuario",
                .entidade_id = id,
                .motivo = pedido.propria ? std::optional<std::string>("troca pelo próprio usuário")
                                         : std::optional<std::string>("definida pelo administrador")});
  return {.conferencia = LoginOutcome::Success, .usuario = CarregarUsuario(tx, id)};
}

}  // namespace pharmasys::auth_service
