#include "ordem.hpp"

namespace pharmasys::producao {

std::string_view ToString(OpStatus status) {
  switch (status) {
    case OpStatus::Planejada: return "planejada";
    case OpStatus::EmExecucao: return "em_execucao";
    case OpStatus::Bloqueada: return "bloqueada";
    case OpStatus::Concluida: return "concluida";
    case OpStatus::Cancelada: return "cancelada";
  }
  return "planejada";
}

std::optional<OpStatus> ParseOpStatus(std::string_view text) {
  for (auto s :
       {OpStatus::Planejada, OpStatus::EmExecucao, OpStatus::Bloqueada, OpStatus::Concluida, OpStatus::Cancelada}) {
    if (ToString(s) == text) return s;
  }
  return std::nullopt;
}

namespace {

Transicao Recusar(const OpEstado& atual, ImpedimentoDaOp recusa, std::string motivo) {
  return {atual, recusa, std::move(motivo)};
}

std::string Em(OpStatus s) {
  return "a OP está " + std::string(ToString(s));
}

}  // namespace

Transicao Aplicar(const OpEstado& atual, OpAto ato) {
  OpEstado novo = atual;
  const bool terminal = atual.status == OpStatus::Concluida || atual.status == OpStatus::Cancelada;
  switch (ato) {
    case OpAto::DesvioAberto:
      novo.desvios_abertos = atual.desvios_abertos + 1;
      if (atual.status == OpStatus::Planejada || atual.status == OpStatus::EmExecucao) {
        novo.antes_do_bloqueio = atual.status;
        novo.status = OpStatus::Bloqueada;
      }
      return {novo};
    case OpAto::DesvioEncerrado:
      novo.desvios_abertos = atual.desvios_abertos > 0 ? atual.desvios_abertos - 1 : 0;
      if (atual.status == OpStatus::Bloqueada && novo.desvios_abertos == 0) {
        novo.status = atual.antes_do_bloqueio.value_or(OpStatus::EmExecucao);
        novo.antes_do_bloqueio.reset();
      }
      return {novo};
    case OpAto::Cancelar:
      if (terminal) return Recusar(atual, ImpedimentoDaOp::Conflito, Em(atual.status));
      novo.status = OpStatus::Cancelada;
      novo.antes_do_bloqueio.reset();
      return {novo};
    case OpAto::Iniciar:
      if (atual.status == OpStatus::Bloqueada) {
        return Recusar(atual, ImpedimentoDaOp::OpBloqueada, "a OP está bloqueada por desvio aberto");
      }
      if (atual.status != OpStatus::Planejada) return Recusar(atual, ImpedimentoDaOp::Conflito, Em(atual.status));
      novo.status = OpStatus::EmExecucao;
      return {novo};
    case OpAto::Registrar:
    case OpAto::Consumir:
    case OpAto::CriarLote:
    case OpAto::Concluir:
      if (atual.status == OpStatus::Bloqueada) {
        return Recusar(atual, ImpedimentoDaOp::OpBloqueada, "a OP está bloqueada por desvio aberto");
      }
      if (atual.status != OpStatus::EmExecucao) return Recusar(atual, ImpedimentoDaOp::Conflito, Em(atual.status));
      if (ato == OpAto::Concluir) novo.status = OpStatus::Concluida;
      return {novo};
  }
  return Recusar(atual, ImpedimentoDaOp::Conflito, "ato desconhecido");
}

}  // namespace pharmasys::producao
