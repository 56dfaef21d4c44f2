// The JSON mapping of event contracts: a missing or mistyped field is a ContractError (a
// PoisonMessage, so the consumer dead-letters it) that names the field by its path.
#include <gtest/gtest.h>

#include "pharmasys/events/contracts.hpp"

namespace {

using namespace pharmasys;
using namespace pharmasys::events;

template <typename T>
std::string ErrorOf(const boost::json::object& dados) {
  try {
    T::FromJson(dados);
  } catch (const ContractError& e) {
    return e.what();
  }
  return "no error";
}

boost::json::object Laudo() {
  return LaudoEmitido{.laudo_id = "l",
                      .amostra_id = "a",
                      .lote_id = "x",
                      .lote_codigo = "L-1",
                      .decisao = "aprovado",
                      .emitido_por = "Ana",
                      .emitido_em = "2026-11-29T10:15:30.123Z",
                      .assinatura = {"Ana", "aprovacao", "2026-11-29T10:15:30.123Z"}}
      .ToJson();
}

TEST(EventContracts, AMissingRequiredFieldIsNamed) {
  auto dados = Laudo();
  dados.erase("lote_id");
  EXPECT_EQ(ErrorOf<LaudoEmitido>(dados), "laudo.emitido: dados.lote_id: ausente");
  dados = Laudo();
  dados["lote_id"] = nullptr;
  EXPECT_EQ(ErrorOf<LaudoEmitido>(dados), "laudo.emitido: dados.lote_id: ausente");
}

TEST(EventContracts, AFieldOfTheWrongTypeIsNamedWithItsPath) {
  auto dados = Laudo();
  dados["assinatura"].as_object()["nome"] = 7;
  EXPECT_EQ(ErrorOf<LaudoEmitido>(dados), "laudo.emitido: dados.assinatura.nome: deve ser um texto");
  dados = Laudo();
  dados["assinatura"] = "assinado";
  EXPECT_EQ(ErrorOf<LaudoEmitido>(dados), "laudo.emitido: dados.assinatura: deve ser um objeto");

  auto consumo =
      InsumosConsumidos{.op_id = "o",
                        .consumo_id = "c",
                        .material = "M",
                        .lotes = {{"a", "L-1", Decimal::FromInteger(1)}, {"b", "L-2", Decimal::FromInteger(2)}}}
          .ToJson();
  consumo["lotes"].as_array()[1].as_object()["quantidade"] = "2";
  EXPECT_EQ(ErrorOf<InsumosConsumidos>(consumo),
            "insumos.consumidos: dados.lotes[1].quantidade: deve ser um número com até três casas decimais");
  consumo["lotes"] = boost::json::object{};
  EXPECT_EQ(ErrorOf<InsumosConsumidos>(consumo), "insumos.consumidos: dados.lotes: deve ser uma lista");

  auto material = MaterialCadastrado{"M", "Nome", "insumo", "kg", 30, 0}.ToJson();
  material["prazo_validade_dias"] = 30.5;
  EXPECT_EQ(ErrorOf<MaterialCadastrado>(material),
            "material.cadastrado: dados.prazo_validade_dias: deve ser um inteiro");
}

TEST(EventContracts, AnOptionalFieldOfTheWrongTypeIsRefusedToo) {
  auto lote = LoteCriado{.lote_id = "x",
                         .codigo = "L-1",
                         .material = "M",
                         .quantidade = Decimal::FromInteger(1),
                         .unidade = "kg",
                         .validade = "2027-01-01",
                         .origem = "producao"}
                  .ToJson();
  lote["op_id"] = 12;
  EXPECT_EQ(ErrorOf<LoteCriado>(lote), "lote.criado: dados.op_id: deve ser um texto");
}

TEST(EventContracts, ARequiredFieldThatMayBeNullMustStillBeThere) {
  auto op = OpStatusAlterado{.op_id = "o", .codigo = "OP-1", .produto = "P", .status = "planejada"}.ToJson();
  EXPECT_FALSE(OpStatusAlterado::FromJson(op).status_anterior.has_value());
  op.erase("status_anterior");
  EXPECT_EQ(ErrorOf<OpStatusAlterado>(op), "op.status_alterado: dados.status_anterior: ausente");
}

TEST(EventContracts, ReadingAnEventAsAnotherTypeIsAContractError) {
  auto event = NewEvent("cq", LoteRecolhido{"x", "L-1", "contaminação"});
  EXPECT_EQ(Read<LoteRecolhido>(event).motivo, "contaminação");
  EXPECT_THROW(Read<LaudoEmitido>(event), ContractError);
  // A ContractError is a poison message: the consumer dead-letters it.
  EXPECT_THROW(Read<LaudoEmitido>(event), PoisonMessage);
}

}  // namespace
