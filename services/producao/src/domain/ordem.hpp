#pragma once
// The production order's state machine (API.md Produção; RULES.md B3). A pure function:
//
//   planejada --iniciar--> em_execucao --concluir--> concluida
//   planejada | em_execucao | bloqueada --cancelar--> cancelada
//   planejada | em_execucao --desvio.aberto--> bloqueada (remembering which), and back to it
//   when the last open desvio closes. While bloqueada, registro, consumo, lote and conclusão
//   are refused with `op-bloqueada`.
#include <optional>
#include <string>
#include <string_view>

namespace pharmasys::producao {

enum class OpStatus { Planejada, EmExecucao, Bloqueada, Concluida, Cancelada };
enum class OpAto { Iniciar, Registrar, Consumir, CriarLote, Concluir, Cancelar, DesvioAberto, DesvioEncerrado };

std::string_view ToString(OpStatus status);
std::optional<OpStatus> ParseOpStatus(std::string_view text);

struct OpEstado {
  OpStatus status = OpStatus::Planejada;
  std::optional<OpStatus> antes_do_bloqueio;  // set while bloqueada
  int desvios_abertos = 0;
};

enum class ImpedimentoDaOp { Nenhuma, OpBloqueada, Conflito };

struct Transicao {
  OpEstado estado;  // the state after the act (unchanged when refused)
  ImpedimentoDaOp recusa = ImpedimentoDaOp::Nenhuma;
  std::string motivo;  // why it was refused
  bool ok() const { return recusa == ImpedimentoDaOp::Nenhuma; }
  bool mudou_status(const OpEstado& antes) const { return estado.status != antes.status; }
};

Transicao Aplicar(const OpEstado& atual, OpAto ato);

}  // namespace pharmasys::producao
