#pragma once
// Specifications (API.md CQ): each version is new and immutable; a sample is bound to the
// version current when its first result is entered (app/amostras.hpp).
#include <optional>
#include <string>
#include <vector>

#include "../storage/store.hpp"
#include "pharmasys/audit/audit.hpp"
#include "pharmasys/pg/pg.hpp"

namespace pharmasys::cq {

// The material's current specification (nullopt: none yet). Refused: NaoEncontrado when the
// material is not in the catalogue.
std::optional<Specification> EspecificacaoVigente(pg::Transaction& tx, const std::string& material);

// Appends the next version of the material's specification, with `atual` (the current one,
// read by EspecificacaoVigente) as what it replaces in the audit record; returns it.
Specification VersionarEspecificacao(pg::Transaction& tx, const audit::Actor& actor, const std::string& material,
                                     const std::optional<Specification>& atual, const std::vector<Ensaio>& ensaios);

}  // namespace pharmasys::cq
