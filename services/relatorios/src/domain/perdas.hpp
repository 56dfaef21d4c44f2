#pragma once
// Avoidable losses (GET /v1/relatorios/perdas, `evitaveis`): the released lots of one material
// that will expire before FEFO reaches them, if the material goes on being used at the rate it
// was used lately.
//
// FEFO takes the earliest-expiring usable lot first, so a lot's stock is used only after every
// lot expiring before it is used up or has expired. With a steady use of `r` per day, by the
// end of day `d` at most r·d can have been used in all; a lot usable through day d_i gets what
// of that budget the lots before it did not use, up to its balance, and the rest of it expires.
// A lot whose budget is spent before it expires is not listed.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pharmasys/decimal.hpp"

namespace pharmasys::relatorios {

struct LoteUsavel {
  std::string lote_id;
  std::int64_t dias_de_uso = 0;  // days it can still be used, today included (validade − hoje + 1)
  Decimal saldo;                 // what is in stock
};

struct PerdaPrevista {
  std::string lote_id;
  Decimal em_risco;                               // what will expire unused
  std::optional<std::int64_t> alcancado_em_dias;  // when FEFO starts on it, in days from today
                                                  // (none: the material is not being used)
};

// `lotes`: one material's usable lots in FEFO order; `uso_por_dia`: its recent use per day.
// Lots with nothing at risk are left out.
std::vector<PerdaPrevista> PerdasEvitaveis(const std::vector<LoteUsavel>& lotes, Decimal uso_por_dia);

}  // namespace pharmasys::relatorios
