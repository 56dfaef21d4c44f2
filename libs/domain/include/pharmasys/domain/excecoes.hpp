#pragma once
// Review by exception (RULES.md G1): what a batch record's reviewer must look at, computed from
// the record as it stands — a value recorded outside the recipe's limits (with its motivo), a
// desvio on the OP (open, or closed and when), a step recorded after the OP's lot was
// produced. Everything else in the record is as the recipe demands, so a batch with no
// exception is reviewed with one signature. Produção lists them for the review; Relatórios marks
// them in the printed batch record. Pure functions.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pharmasys::domain {

enum class TipoDeExcecao { ParametroForaDosLimites, Desvio, EtapaRegistradaAposOLote };
std::string_view ToString(TipoDeExcecao tipo);

struct Excecao {
  TipoDeExcecao tipo;
  std::optional<int> etapa;  // the step's ordem, for a step's exception
  std::string descricao;
  std::string registrado_por, registrado_em;
  std::optional<std::string> motivo;
  std::string referencia;  // the record it comes from: registro:<id>, desvio:<id>
};

// A value recorded outside its step's limits, as printed (the decimals' text).
struct ValorForaDosLimites {
  std::string parametro, valor;
  std::optional<std::string> minimo, maximo;
};

// A step record as the review reads it.
struct RegistroRevisto {
  std::string id;
  int ordem = 0;
  std::vector<ValorForaDosLimites> fora_dos_limites;
  std::optional<std::string> motivo;
  std::string registrado_por, registrado_em;  // RFC 3339 UTC, as stored
};

struct DesvioRevisto {
  std::string id;
  std::optional<std::string> classificacao, descricao;
  bool aberto = true;
  std::optional<std::string> aberto_em, encerrado_em, aberto_por, encerrado_por;
};

struct FatosDoRegistroDeLote {
  std::map<int, std::string> etapas;  // the recipe's steps: ordem → nome
  std::vector<RegistroRevisto> registros;
  std::vector<DesvioRevisto> desvios;
  std::optional<std::string> primeiro_lote_em;  // when the OP's first lot was produced
};

// Step exceptions in step order, then desvios in the order they were opened.
std::vector<Excecao> ExcecoesDoRegistro(const FatosDoRegistroDeLote& fatos);

}  // namespace pharmasys::domain
