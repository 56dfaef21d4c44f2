#pragma once
// The materials catalogue (API.md Estoque): a material is created here and published as
// `material.cadastrado` so Produção, CQ and Relatórios know it.
#include <boost/json/object.hpp>

#include "../storage/lotes.hpp"
#include "pharmasys/audit/audit.hpp"
#include "pharmasys/pg/pg.hpp"

namespace pharmasys::estoque {

// The material as API.md shows it (and, without versao and criado_em, its audit record).
boost::json::object MaterialJson(const Material& material);

// Creates `pedido` (its versao and criado_em are the store's), audits it and publishes
// `material.cadastrado`. Refused (EstadoNaoPermite) when its codigo already exists.
Material CadastrarMaterial(pg::Transaction& tx, const audit::Actor& actor, const Material& pedido);

}  // namespace pharmasys::estoque
