#pragma once
// A sample's life and the rules of its laudo (API.md CQ; RULES.md B3, S2). Pure functions.
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "conformidade.hpp"

namespace pharmasys::cq {

// aguardando_coleta --coleta--> coletada --resultado--> em_analise --laudo--> concluida.
// Results keep it em_analise; a laudo concludes a collected sample (a reprovado may come
// before every result is in: a broken or spoiled sample).
enum class AmostraStatus { AguardandoColeta, Coletada, EmAnalise, Concluida };
enum class AmostraAto { Coleta, Resultado, Laudo };

std::string_view ToString(AmostraStatus status);
std::optional<AmostraStatus> ParseAmostraStatus(std::string_view text);
// The status after the act, or nullopt when the act is not allowed in this status.
std::optional<AmostraStatus> Next(AmostraStatus current, AmostraAto ato);

struct ResultadoAtual {
  std::string ensaio;
  bool conforme = false;
};

struct PedidoLaudo {
  std::string decisao;  // aprovado | reprovado
  std::optional<std::string> motivo;
  std::string signatario_sub;
};

struct ContextoLaudo {
  std::vector<Ensaio> ensaios;             // of the specification version the sample is bound to
  std::vector<ResultadoAtual> resultados;  // the current result of each ensaio entered
  std::set<std::string> analistas;         // everyone who entered a result on the sample
  int desvios_abertos = 0;                 // on the lot or on its OP
  // A produced lot's OP: whether its batch record has been reviewed (RULES G1); nullopt for a
  // received lot, which has no batch record.
  std::optional<bool> registro_revisado;
};

enum class ImpedimentoDoLaudo {
  Nenhuma,
  QuatroOlhos,
  MotivoAusente,
  DesvioAberto,
  RegistroNaoRevisado,
  ForaDeEspecificacao
};

struct DecisaoLaudo {
  ImpedimentoDoLaudo recusa = ImpedimentoDoLaudo::Nenhuma;
  std::string detalhe;
  bool ok() const { return recusa == ImpedimentoDoLaudo::Nenhuma; }
};

// In this order: the signer did not enter any result (S2, 403); a reprovado carries a motivo
// (422); an aprovado has no open desvio on the lot or its OP (B3, 409), a reviewed batch record
// when the lot was produced (G1, 409 registro-de-lote-nao-revisado) and a conforming result for
// every ensaio of the specification (422 fora-de-especificacao, naming each gap).
DecisaoLaudo CheckLaudo(const ContextoLaudo& contexto, const PedidoLaudo& pedido);

}  // namespace pharmasys::cq
