#include "amostra.hpp"

#include <algorithm>

namespace pharmasys::cq {

std::string_view ToString(AmostraStatus status) {
  switch (status) {
    case AmostraStatus::AguardandoColeta: return "aguardando_coleta";
    case AmostraStatus::Coletada: return "coletada";
    case AmostraStatus::EmAnalise: return "em_analise";
    case AmostraStatus::Concluida: return "concluida";
  }
  return "aguardando_coleta";
}

std::optional<AmostraStatus> ParseAmostraStatus(std::string_view text) {
  for (auto s :
       {AmostraStatus::AguardandoColeta, AmostraStatus::Coletada, AmostraStatus::EmAnalise, AmostraStatus::Concluida}) {
    if (ToString(s) == text) return s;
  }
  return std::nullopt;
}

std::optional<AmostraStatus> Next(AmostraStatus current, AmostraAto ato) {
  switch (ato) {
    case AmostraAto::Coleta:
      if (current == AmostraStatus::AguardandoColeta) return AmostraStatus::Coletada;
      return std::nullopt;
    case AmostraAto::Resultado:
      if (current == AmostraStatus::Coletada || current == AmostraStatus::EmAnalise) return AmostraStatus::EmAnalise;
      return std::nullopt;
    case AmostraAto::Laudo:
      if (current == AmostraStatus::Coletada || current == AmostraStatus::EmAnalise) return AmostraStatus::Concluida;
      return std::nullopt;
  }
  return std::nullopt;
}

DecisaoLaudo CheckLaudo(const ContextoLaudo& contexto, const PedidoLaudo& pedido) {
  if (contexto.analistas.count(pedido.signatario_sub) != 0) {
    return {ImpedimentoDoLaudo::QuatroOlhos, "quem registrou resultados desta amostra não pode assinar o seu laudo"};
  }
  if (pedido.decisao == "reprovado") {
    if (!pedido.motivo || pedido.motivo->size() < 3)
      return {ImpedimentoDoLaudo::MotivoAusente, "um laudo reprovado exige motivo"};
    return {};
  }
  if (contexto.desvios_abertos > 0) {
    return {ImpedimentoDoLaudo::DesvioAberto,
            std::to_string(contexto.desvios_abertos) +
                " desvio(s) aberto(s) no lote ou na sua ordem de produção impedem a aprovação"};
  }
  if (contexto.registro_revisado == false) {
    return {ImpedimentoDoLaudo::RegistroNaoRevisado,
            "O registro de lote da ordem de produção deste lote ainda não foi revisado (RULES G1): a revisão assinada "
            "vem antes da aprovação"};
  }
  std::vector<std::string> gaps;
  for (const auto& ensaio : contexto.ensaios) {
    auto r = std::find_if(contexto.resultados.begin(), contexto.resultados.end(),
                          [&](const ResultadoAtual& x) { return x.ensaio == ensaio.codigo; });
    if (r == contexto.resultados.end()) {
      gaps.push_back(ensaio.codigo + " sem resultado");
    } else if (!r->conforme) {
      gaps.push_back(ensaio.codigo + " fora da especificação");
    }
  }
  if (contexto.ensaios.empty()) gaps.emplace_back("a amostra não tem especificação vinculada");
  if (!gaps.empty()) {
    std::string detalhe = "aprovação impossível: ";
    for (std::size_t i = 0; i < gaps.size(); ++i) detalhe += (i ? "; " : "") + gaps[i];
    return {ImpedimentoDoLaudo::ForaDeEspecificacao, detalhe};
  }
  return {};
}

}  // namespace pharmasys::cq
