#pragma once
// Event payloads that satisfy their docs/events schemas.
#include <boost/json/object.hpp>

#include <string>

#include "pharmasys/ids.hpp"

namespace pharmasys::testing {

inline boost::json::object LoteCriado(const std::string& codigo) {
  return {{"lote_id", ids::NewUuidV7()},
          {"codigo", codigo},
          {"material", "MP-001"},
          {"quantidade", 10},
          {"unidade", "kg"},
          {"validade", "2027-12-31"},
          {"origem", "recebimento"},
          {"fornecedor", "Fornecedor A"},
          {"lote_fornecedor", "F-1"}};
}

}  // namespace pharmasys::testing
