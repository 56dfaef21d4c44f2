// Contract: every event type of docs/events has a struct in events/contracts.hpp, and each
// struct, with every optional field and with none, writes an envelope that keeps to its
// schema and reads back equal (through the wire bytes, as a consumer gets it).
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <tuple>
#include <utility>

#include "pharmasys/embedded.hpp"
#include "pharmasys/events/contracts.hpp"
#include "pharmasys/json/json.hpp"

namespace {

using namespace pharmasys;
using namespace pharmasys::events;

const std::string kUuid1 = "0193a1f0-0000-7000-8000-000000000001";
const std::string kUuid2 = "0193a1f0-0000-7000-8000-000000000002";
const std::string kUuid3 = "0193a1f0-0000-7000-8000-000000000003";
const std::string kUuid4 = "0193a1f0-0000-7000-8000-000000000004";
const std::string kInstant = "2026-11-29T10:15:30.123Z";
const std::string kHash(64, 'a');
const Decimal kQuantidade = Decimal::FromUnits(12'500);  // 12.5
const Assinatura kAssinatura{"Ana Analista", "aprovacao", kInstant};

// A sample of each contract: {every optional field present, none}.
template <typename T>
std::pair<T, T> Samples();

template <>
std::pair<MaterialCadastrado, MaterialCadastrado> Samples() {
  MaterialCadastrado m{.codigo = "PA-001",
                       .nome = "Paracetamol 500 mg",
                       .tipo = "produto",
                       .unidade = "un",
                       .prazo_validade_dias = 730,
                       .vida_util_minima_expedicao_dias = 0};
  return {m, m};  // no optional fields
}

template <>
std::pair<LoteCriado, LoteCriado> Samples() {
  LoteCriado none{.lote_id = kUuid1,
                  .codigo = "L-2026-001",
                  .material = "PA-001",
                  .quantidade = kQuantidade,
                  .unidade = "un",
                  .validade = "2028-11-29",
                  .origem = "recebimento"};
  LoteCriado all = none;
  all.data_fabricacao = "2026-11-29";
  all.op_id = kUuid2;
  all.fornecedor = "Fornecedor S.A.";
  all.lote_fornecedor = "F-77";
  all.criado_por = "gestor";
  all.criado_em = kInstant;
  return {all, none};
}

template <>
std::pair<InsumosConsumidos, InsumosConsumidos> Samples() {
  InsumosConsumidos none{.op_id = kUuid1,
                         .consumo_id = kUuid2,
                         .material = "API-01",
                         .lotes = {{.lote_id = kUuid3, .lote_codigo = "L-1", .quantidade = kQuantidade}}};
  InsumosConsumidos all = none;
  all.lotes = {{kUuid3, "L-1", Decimal::FromUnits(2'000), "2027-01-31"},
               {kUuid4, "L-2", Decimal::FromUnits(1), "2027-02-28"}};
  all.quantidade = Decimal::FromUnits(2'001);
  all.estoque_consumo_id = kUuid4;
  all.criado_por = "operador";
  all.criado_em = kInstant;
  return {all, none};
}

template <>
std::pair<OpStatusAlterado, OpStatusAlterado> Samples() {
  OpStatusAlterado none{.op_id = kUuid1, .codigo = "OP-1", .produto = "PA-001", .status = "planejada"};
  OpStatusAlterado all = none;
  all.status = "bloqueada";
  all.status_anterior = "em_execucao";
  all.quantidade = kQuantidade;
  all.receita_id = kUuid2;
  all.receita_versao = 3;
  all.etapas = boost::json::array{boost::json::object{
      {"ordem", 1},
      {"nome", "Mistura"},
      {"parametros", boost::json::array{boost::json::object{{"nome", "temperatura"}, {"minimo", 20}}}}}};
  all.criado_por = "gestor";
  all.criado_em = kInstant;
  all.status_antes_do_bloqueio = "em_execucao";
  all.desvios_abertos = 1;
  all.motivo_cancelamento = "não se aplica";
  all.iniciada_em = kInstant;
  all.concluida_em = kInstant;
  all.cancelada_em = kInstant;
  all.versao = 4;
  return {all, none};
}

template <>
std::pair<EtapaRegistrada, EtapaRegistrada> Samples() {
  EtapaRegistrada none{
      .op_id = kUuid1, .registro_id = kUuid2, .ordem = 1, .registrado_por = "operador", .registrado_em = kInstant};
  EtapaRegistrada all = none;
  all.parametros = {{"temperatura", Decimal::FromUnits(45'250)}, {"ph", Decimal::FromInteger(7)}};
  all.fora_dos_limites = {{.parametro = "temperatura",
                           .valor = Decimal::FromUnits(45'250),
                           .minimo = Decimal::FromInteger(20),
                           .maximo = Decimal::FromInteger(40)},
                          {.parametro = "ph", .valor = Decimal::FromInteger(7)}};
  all.motivo = "calibração do sensor";
  all.observacao = "lote piloto";
  return {all, none};
}

template <>
std::pair<LaudoEmitido, LaudoEmitido> Samples() {
  LaudoEmitido l{.laudo_id = kUuid1,
                 .amostra_id = kUuid2,
                 .lote_id = kUuid3,
                 .lote_codigo = "L-1",
                 .decisao = "aprovado",
                 .emitido_por = "Ana Analista",
                 .emitido_em = kInstant,
                 .assinatura = kAssinatura};
  return {l, l};
}

template <>
std::pair<OpRevisada, OpRevisada> Samples() {
  OpRevisada r{.op_id = kUuid1,
               .codigo = "OP-2026-000001",
               .revisado_por = "Ana Analista",
               .revisado_em = kInstant,
               .excecoes = 2,
               .assinatura = {"Ana Analista", "revisao", kInstant}};
  return {r, r};
}

template <>
std::pair<DesvioAberto, DesvioAberto> Samples() {
  DesvioAberto none{.desvio_id = kUuid1, .op_id = kUuid2, .classificacao = "maior", .descricao = "Temperatura alta"};
  DesvioAberto all = none;
  all.lote_id = kUuid3;
  return {all, none};
}

template <>
std::pair<DesvioEncerrado, DesvioEncerrado> Samples() {
  DesvioEncerrado none{.desvio_id = kUuid1, .op_id = kUuid2};
  DesvioEncerrado all = none;
  all.lote_id = kUuid3;
  return {all, none};
}

template <>
std::pair<LoteRecolhido, LoteRecolhido> Samples() {
  LoteRecolhido r{.lote_id = kUuid1, .lote_codigo = "L-1", .motivo = "contaminação"};
  return {r, r};
}

template <>
std::pair<ExpedicaoConfirmada, ExpedicaoConfirmada> Samples() {
  ExpedicaoConfirmada e{
      .expedicao_id = kUuid1,
      .cliente = {"Farmácia Central", "12.345.678/0001-90"},
      .itens = {{kUuid2, "L-1", "PA-001", kQuantidade}, {kUuid3, "L-2", "PA-001", Decimal::FromUnits(1)}},
      .confirmada_em = kInstant};
  return {e, e};
}

template <>
std::pair<DevolucaoRegistrada, DevolucaoRegistrada> Samples() {
  DevolucaoRegistrada d{.devolucao_id = kUuid1,
                        .expedicao_id = kUuid2,
                        .lote_id = kUuid3,
                        .quantidade = kQuantidade,
                        .motivo = "embalagem danificada"};
  return {d, d};
}

template <>
std::pair<DevolucaoAvaliada, DevolucaoAvaliada> Samples() {
  DevolucaoAvaliada d{.devolucao_id = kUuid1,
                      .lote_id = kUuid3,
                      .lote_codigo = "L-1",
                      .decisao = "descartar",
                      .quantidade = kQuantidade,
                      .motivo = "embalagem violada",
                      .avaliado_por = "ana",
                      .avaliado_em = kInstant};
  return {d, d};
}

template <>
std::pair<AuditoriaCheckpoint, AuditoriaCheckpoint> Samples() {
  AuditoriaCheckpoint c{.servico = "cq",
                        .sequencia = 42,
                        .hash = kHash,
                        .em = kInstant,
                        .chave_id = "2026-11-29",
                        .assinatura = std::string(128, 'b')};
  return {c, c};
}

template <>
std::pair<AuditoriaRegistrada, AuditoriaRegistrada> Samples() {
  AuditoriaRegistrada none{.id = kUuid1,
                           .servico = "producao",
                           .sequencia = 7,
                           .ocorrido_em = kInstant,
                           .usuario = {"sub-1", "gestor", "Gestor da Produção"},
                           .acao = "op.criada",
                           .entidade = "ordem_producao",
                           .entidade_id = kUuid2,
                           .hash_anterior = std::string(64, '0'),
                           .hash = kHash};
  AuditoriaRegistrada all = none;
  all.antes = boost::json::object{{"status", "planejada"}};
  all.depois = boost::json::object{{"status", "em_execucao"}, {"quantidade", 12.5}};
  all.motivo = "início do turno";
  all.assinatura = kAssinatura;
  all.request_id = "4bf92f3577b34da6a3ce929d0e0e4736";
  return {all, none};
}

// The envelope of `dados` as it leaves the outbox and as a consumer reads it.
template <typename T>
void ExpectKeepsToItsSchema(const T& dados, const char* which) {
  SCOPED_TRACE(std::string(T::kTipo) + " with " + which + " optional fields");
  const auto event = NewEvent("producao", dados, {"sub-1", "gestor"});
  EXPECT_EQ(event.tipo, T::kTipo);
  ASSERT_NE(SchemaOf(event.tipo), nullptr);
  const auto violations = SchemaViolations(event.ToJson());
  EXPECT_TRUE(violations.empty()) << violations.front();
  const auto received = DecodeMessage(json::Serialize(event.ToJson()));
  EXPECT_TRUE(Read<T>(received) == dados) << json::Serialize(Read<T>(received).ToJson()) << "\n"
                                          << json::Serialize(dados.ToJson());
  EXPECT_EQ(json::Serialize(Read<T>(received).ToJson()), json::Serialize(dados.ToJson()));
}

template <typename T>
void ExpectContractHolds() {
  const auto [all, none] = Samples<T>();
  ExpectKeepsToItsSchema(all, "every");
  ExpectKeepsToItsSchema(none, "no");
  // The samples are what they say: "every" fills each field of the schema, "none" only the
  // required ones (a field the schema lets be null is written as null).
  SCOPED_TRACE(std::string(T::kTipo));
  const auto& schema = SchemaOf(std::string(T::kTipo))->at("properties").at("dados");
  std::set<std::string> required;
  for (const auto& r : schema.at("required").as_array()) required.insert(std::string(r.as_string()));
  const auto every = all.ToJson();
  for (const auto& [key, _] : schema.at("properties").as_object()) {
    EXPECT_TRUE(every.contains(key) && !every.at(key).is_null()) << key << " missing from the full sample";
  }
  for (const auto& [key, value] : none.ToJson()) {
    EXPECT_TRUE(required.count(std::string(key)) || value.is_null()) << key << " present in the empty sample";
  }
}

TEST(EventContracts, EveryStructKeepsToItsSchemaWithAndWithoutItsOptionalFields) {
  std::apply([](auto... contract) { (ExpectContractHolds<decltype(contract)>(), ...); }, Contracts{});
}

TEST(EventContracts, EverySchemaInDocsEventsHasAStructAndEveryStructASchema) {
  std::set<std::string> documented, contracted;
  for (const auto& file : embedded::EventSchemaFiles()) {
    const std::string name = file.name;
    documented.insert(name.substr(0, name.find(".v1.schema.json")));
  }
  std::apply([&](auto... contract) { (contracted.insert(std::string(decltype(contract)::kTipo)), ...); }, Contracts{});
  EXPECT_EQ(documented, contracted);
}

TEST(EventContracts, OptionalFieldsTheSchemaLetsBeNullAreWrittenAsNullAndTheOthersLeftOut) {
  // As the producers always wrote them: consumers of today's wire see no difference.
  const auto op = Samples<OpStatusAlterado>().second.ToJson();
  EXPECT_TRUE(op.at("status_anterior").is_null());
  EXPECT_TRUE(op.at("motivo_cancelamento").is_null());
  EXPECT_FALSE(op.contains("quantidade"));
  const auto lote = Samples<LoteCriado>().second.ToJson();
  EXPECT_FALSE(lote.contains("op_id"));
  EXPECT_FALSE(lote.contains("data_fabricacao"));
  const auto etapa = Samples<EtapaRegistrada>().second.ToJson();
  EXPECT_TRUE(etapa.at("motivo").is_null());
}

}  // namespace
