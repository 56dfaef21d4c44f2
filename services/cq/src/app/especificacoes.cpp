#include "especificacoes.hpp"

#include "pharmasys/audit/audit.hpp"
#include "recusa.hpp"

namespace pharmasys::cq {

std::optional<Specification> EspecificacaoVigente(pg::Transaction& tx, const std::string& material) {
  if (!FindMaterial(tx, material)) {
    throw Recusa(Motivo::NaoEncontrado, "Material " + material + " não está no catálogo (cadastre-o no estoque).");
  }
  return FindSpecification(tx, material);
}

Specification VersionarEspecificacao(pg::Transaction& tx, const audit::Actor& actor, const std::string& material,
                                     const std::optional<Specification>& atual, const std::vector<Ensaio>& ensaios) {
  Specification spec = AddSpecification(tx, material, ensaios, actor.username);
  boost::json::object antes;
  if (atual) antes = {{"versao", atual->versao}, {"ensaios", atual->ToJson().at("ensaios")}};
  audit::Audit(tx, actor,
               {.acao = "especificacao.versionada",
                .entidade = "especificacao",
                .entidade_id = material,
                .antes = antes,
                .depois = {{"versao", spec.versao}, {"ensaios", spec.ToJson().at("ensaios")}}});
  return spec;
}

}  // namespace pharmasys::cq
