#pragma once
// The quality lifecycle of a lot (PRODUCT.md "Lifecycle of a lot"; RULES.md B1, B4, B5), the
// one rule Estoque, CQ, Produção and Relatórios all apply. Pure: no I/O, no JSON, no SQL.
//
//            laudo aprovado            laudo reprovado
//   QUARENTENA ─────────────► LIBERADO ───────────────► REPROVADO
//        │  laudo reprovado                                 ▲
//        └──────────────────────────────────────────────────┘
//   any status ── recolhimento ──► RECOLHIDO (final: blocked everywhere)
//
// A status only moves forward along quarentena < liberado < reprovado < recolhido:
//  - a second laudo aprovado on a liberado lot changes nothing;
//  - a laudo reprovado on a liberado lot (a re-analysis) rejects it;
//  - a laudo aprovado on a reprovado lot is refused: a reprovado lot never becomes available
//    (B1), whichever laudo is the latest;
//  - any laudo on a recolhido lot is refused, and a second recall changes nothing.
// Because the status is the greatest of the facts applied, the order the facts arrive in does
// not change it: a consumer that sees a lot's laudos and recall out of order (EVENTS.md) ends
// in the status the facts imply, and DerivedStatus() of a lot's facts is the same status.
//
// Expiry (vencimento) and shipment are not statuses: a liberado lot leaves stock only while
// unexpired (Estoque's FEFO), and a return is a separate quantity in quarantine (B6).
#include <optional>
#include <span>
#include <string_view>

namespace pharmasys::domain {

enum class LoteStatus { Quarentena, Liberado, Reprovado, Recolhido };
inline constexpr LoteStatus kLoteStatuses[] = {LoteStatus::Quarentena, LoteStatus::Liberado, LoteStatus::Reprovado,
                                               LoteStatus::Recolhido};

// The facts that change a lot's status.
enum class LoteFato { LaudoAprovado, LaudoReprovado, Recolhimento };
inline constexpr LoteFato kLoteFatos[] = {LoteFato::LaudoAprovado, LoteFato::LaudoReprovado, LoteFato::Recolhimento};

// Why a fact cannot be applied to a lot.
enum class LoteRecusa {
  Nenhuma,
  ReprovadoNaoVoltaADisponivel,  // a laudo aprovado on a reprovado lot
  Recolhido,                     // a laudo on a recolhido lot
};

struct LoteTransicao {
  LoteStatus status;  // the status after the fact (the current one when refused)
  bool mudou = false;
  LoteRecusa recusa = LoteRecusa::Nenhuma;
  bool aceita() const { return recusa == LoteRecusa::Nenhuma; }
};

LoteTransicao Apply(LoteStatus atual, LoteFato fato);

// The status a lot's facts imply, in whatever order they are given: quarentena with none.
LoteStatus DerivedStatus(std::span<const LoteFato> fatos);

// Only a released lot moves out of stock (consumption, reservation, shipment).
constexpr bool CanLeaveStock(LoteStatus status) {
  return status == LoteStatus::Liberado;
}

// The words of the API, the events and the tables.
std::string_view ToString(LoteStatus status);
std::optional<LoteStatus> ParseLoteStatus(std::string_view text);
// A laudo's `decisao` ("aprovado" / "reprovado") as a fact; nullopt for any other word.
std::optional<LoteFato> FatoDoLaudo(std::string_view decisao);
// The refusal in words for a person (empty for Nenhuma).
std::string_view Explain(LoteRecusa recusa);

}  // namespace pharmasys::domain
