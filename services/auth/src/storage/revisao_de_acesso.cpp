#include "revisao_de_acesso.hpp"

#include <map>

namespace pharmasys::auth_service {
namespace {

// The last successful sign-in of each account (RFC 3339 text sorts as time).
constexpr pg::Query kLastSignIn{"access_review_last_sign_in",
                                "SELECT entidade_id, max(ocorrido_em) FROM auditoria_registro"
                                " WHERE entidade = 'usuario' AND acao = 'login.sucesso' GROUP BY entidade_id"};
// Every change of an account's access, oldest first.
constexpr pg::Query kGrants{
    "access_review_grants",
    "SELECT entidade_id, acao, ocorrido_em, coalesce(usuario::json->>'username', ''),"
    " coalesce(usuario::json->>'nome', ''), antes, depois, motivo FROM auditoria_registro"
    " WHERE entidade = 'usuario' AND acao IN ('usuario.criado', 'usuario.papeis_alterados', 'usuario.desativado',"
    " 'usuario.reativado') ORDER BY ordem"};

}  // namespace

std::vector<ContaRevista> LerRevisaoDeAcesso(pg::Transaction& tx) {
  std::map<std::string, std::string> last;
  auto signins = tx.Exec(kLastSignIn);
  for (int i = 0; i < signins.size(); ++i) last[signins[i].String(0)] = signins[i].String(1);
  std::map<std::string, std::vector<Concessao>> grants;
  auto rows = tx.Exec(kGrants);
  for (int i = 0; i < rows.size(); ++i) {
    auto r = rows[i];
    grants[r.String(0)].push_back({.acao = r.String(1),
                                   .em = r.String(2),
                                   .por = r.String(3),
                                   .por_nome = r.String(4),
                                   .antes = r.OptionalString(5),
                                   .depois = r.OptionalString(6),
                                   .motivo = r.OptionalString(7)});
  }
  std::vector<ContaRevista> out;
  for (auto& u : TodosOsUsuarios(tx)) {
    ContaRevista conta{.usuario = u, .ultimo_acesso_em = std::nullopt, .concessoes = {}};
    if (auto it = last.find(u.id); it != last.end()) conta.ultimo_acesso_em = it->second;
    if (auto it = grants.find(u.id); it != grants.end()) conta.concessoes = std::move(it->second);
    out.push_back(std::move(conta));
  }
  return out;
}

}  // namespace pharmasys::auth_service
