#include "pharmasys/domain/lote.hpp"

namespace pharmasys::domain {

LoteTransicao Apply(LoteStatus atual, LoteFato fato) {
  auto to = [&](LoteStatus next) { return LoteTransicao{next, next != atual, LoteRecusa::Nenhuma}; };
  auto refuse = [&](LoteRecusa why) { return LoteTransicao{atual, false, why}; };
  if (atual == LoteStatus::Recolhido) {
    return fato == LoteFato::Recolhimento ? to(atual) : refuse(LoteRecusa::Recolhido);
  }
  switch (fato) {
    case LoteFato::Recolhimento: return to(LoteStatus::Recolhido);
    case LoteFato::LaudoReprovado: return to(LoteStatus::Reprovado);
    case LoteFato::LaudoAprovado:
      if (atual == LoteStatus::Reprovado) return refuse(LoteRecusa::ReprovadoNaoVoltaADisponivel);
      return to(LoteStatus::Liberado);
  }
  return to(atual);
}

LoteStatus DerivedStatus(std::span<const LoteFato> fatos) {
  LoteStatus status = LoteStatus::Quarentena;
  for (auto fato : fatos) status = Apply(status, fato).status;
  return status;
}

std::string_view ToString(LoteStatus status) {
  switch (status) {
    case LoteStatus::Quarentena: return "quarentena";
    case LoteStatus::Liberado: return "liberado";
    case LoteStatus::Reprovado: return "reprovado";
    case LoteStatus::Recolhido: return "recolhido";
  }
  return "quarentena";
}

std::optional<LoteStatus> ParseLoteStatus(std::string_view text) {
  for (auto s : kLoteStatuses) {
    if (ToString(s) == text) return s;
  }
  return std::nullopt;
}

std::optional<LoteFato> FatoDoLaudo(std::string_view decisao) {
  if (decisao == "aprovado") return LoteFato::LaudoAprovado;
  if (decisao == "reprovado") return LoteFato::LaudoReprovado;
  return std::nullopt;
}

std::string_view Explain(LoteRecusa recusa) {
  switch (recusa) {
    case LoteRecusa::Nenhuma: return "";
    case LoteRecusa::ReprovadoNaoVoltaADisponivel: return "um lote reprovado nunca volta a ficar disponível";
    case LoteRecusa::Recolhido: return "o lote foi recolhido";
  }
  return "";
}

}  // namespace pharmasys::domain
