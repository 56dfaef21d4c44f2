#include "consumos.hpp"

#include <boost/json/array.hpp>

#include <fstream>
#include <optional>
#include <thread>
#include <variant>

#include "../app/ordens.hpp"
#include "pharmasys/audit/audit.hpp"
#include "pharmasys/crypto.hpp"
#include "pharmasys/error.hpp"
#include "pharmasys/events/contracts.hpp"
#include "pharmasys/events/event.hpp"
#include "pharmasys/http/idempotency.hpp"
#include "pharmasys/json/fields.hpp"
#include "pharmasys/json/json.hpp"
#include "pharmasys/log/log.hpp"
#include "recusa.hpp"

namespace pharmasys::producao {
namespace {

// The consumption's id, the same for every retry of one request: derived from the OP, the
// caller and the caller's Idempotency-Key. The key sent to Estoque is derived from it, so a
// retry — Produção's own, the client's or the recovery task's — never consumes twice.
std::string ConsumptionId(const std::string& op_id, const std::string& sub, const std::string& key) {
  const std::string digest = crypto::Sha256Hex(op_id + "\n" + sub + "\n" + key);
  std::string hex = digest.substr(0, 32);
  hex[12] = '8';                                                    // version 8: custom
  hex[16] = "89ab"[std::stoi(hex.substr(16, 1), nullptr, 16) & 3];  // RFC 4122 variant
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" + hex.substr(16, 4) + "-" +
         hex.substr(20, 12);
}

std::string EstoqueKeyOf(const std::string& intencao_id) {
  return "producao-consumo-" + intencao_id;
}

Error RecusaOf(const IntencaoConsumo& i) {
  return Error(*i.recusa_status, i.recusa_tipo, i.recusa_titulo, i.recusa_detalhe, i.recusa_erros);
}

audit::Actor ActorOf(const IntencaoConsumo& i, const std::string& request_id) {
  return {i.sub, i.username, i.nome, request_id};
}

http::Response ConsumoResponse(pg::Transaction& tx, const IntencaoConsumo& i) {
  auto res = http::Response::Json(201, FindConsumo(tx, i.id)->ToJson());
  res.headers.Set("Location", "/v1/ordens-producao/" + i.op_id);
  return res;
}

// Estoque's answer to the intent: the allocation, or a refusal that stands (409
// estoque-insuficiente and its kind, 422). No answer, or one that a repeat may change, throws.
using Resposta = std::variant<boost::json::value, Error>;

Resposta AskEstoque(ProducaoContext& ctx, const IntencaoConsumo& i) {
  try {
    return ctx.estoque->Consume(i.chave_estoque, i.op_id, i.material, i.quantidade);
  } catch (const EstoqueRecusa& recusa) {
    return Error(recusa);
  }
}

// Step 3, under the intent's row lock: applies Estoque's answer if the intent is still
// pendente; returns the intent as it ends.
IntencaoConsumo Settle(pg::Transaction& tx, const std::string& id, const Resposta& resposta,
                       const audit::Actor& actor) {
  auto i = *FindIntencao(tx, id, true);
  if (i.estado != "pendente") return i;
  if (const auto* recusa = std::get_if<Error>(&resposta)) {
    RecusarIntencao(tx, i.id, *recusa);
    audit::Audit(tx, actor,
                 {.acao = "consumo.recusado",
                  .entidade = "ordem_producao",
                  .entidade_id = i.op_id,
                  .antes = {{"consumo_id", i.id}, {"estado", "pendente"}},
                  .depois = {{"consumo_id", i.id}, {"estado", "recusada"}, {"recusa", recusa->slug()}},
                  .motivo = recusa->detail()});
    return *FindIntencao(tx, id, false);
  }
  const auto& answer = std::get<boost::json::value>(resposta);
  Consumo consumo{.id = i.id,
                  .op_id = i.op_id,
                  .material = i.material,
                  .estoque_consumo_id = std::string(answer.at("id").as_string()),
                  .criado_por = i.username,
                  .quantidade = i.quantidade};
  boost::json::array lotes;
  for (const auto& l : answer.at("lotes").as_array()) {
    ConsumoLote lote{std::string(l.at("lote_id").as_string()), std::string(l.at("lote_codigo").as_string()),
                     std::string(l.at("validade").as_string()), *json::DecimalFrom(l.at("quantidade"))};
    lotes.push_back(boost::json::object{
        {"lote_id", lote.lote_id}, {"lote_codigo", lote.lote_codigo}, {"quantidade", json::ToJson(lote.quantidade)}});
    consumo.lotes.push_back(std::move(lote));
  }
  InsertConsumo(tx, consumo);
  ConcluirIntencao(tx, i.id);
  audit::Audit(tx, actor,
               {.acao = "insumos.consumidos",
                .entidade = "ordem_producao",
                .entidade_id = i.op_id,
                .depois = {{"consumo_id", i.id},
                           {"material", i.material},
                           {"quantidade", json::ToJson(i.quantidade)},
                           {"lotes", lotes}}});
  // The consumption as recorded (validades, who and when), for Relatórios' batch record.
  const auto saved = FindConsumo(tx, i.id);
  events::InsumosConsumidos consumidos{.op_id = i.op_id,
                                       .consumo_id = i.id,
                                       .material = i.material,
                                       .quantidade = saved->quantidade,
                                       .estoque_consumo_id = saved->estoque_consumo_id,
                                       .criado_por = saved->criado_por,
                                       .criado_em = saved->criado_em};
  for (const auto& l : saved->lotes) consumidos.lotes.push_back({l.lote_id, l.lote_codigo, l.quantidade, l.validade});
  events::Publish(tx, events::NewEvent("producao", consumidos, events::Usuario{i.sub, i.username}));
  i.estado = "concluida";
  return i;
}

// What step 1 leads to: an answer already known (a replay, an intent already settled), or
// an intent to ask Estoque about.
using Passo = std::variant<http::Response, IntencaoConsumo>;

Passo RecordIntent(pg::Transaction& tx, const http::Request& request, const http::IdempotencyKey& key) {
  if (auto replay = http::ReplayStored(tx, key)) return std::move(*replay);
  const std::string op_id(request.PathParam("id"));
  const std::string id = ConsumptionId(op_id, key.usuario, key.chave);
  if (auto existing = FindIntencao(tx, id, true)) {
    // The same request again after a failure: its intent goes on where it stopped.
    if (existing->hash_requisicao != key.hash_requisicao) {
      throw Error(422, "idempotency-key-reutilizada", "Idempotency-Key reutilizada",
                  "Esta Idempotency-Key já foi usada com outra requisição.");
    }
    if (existing->estado == "recusada") throw RecusaOf(*existing);
    if (existing->estado == "concluida") {
      auto res = ConsumoResponse(tx, *existing);
      http::StoreResponse(tx, key, res);
      return res;
    }
    return std::move(*existing);
  }
  Ordem ordem = CarregarOrdem(tx, op_id, true);
  json::Fields body(request.Json());
  auto material = body.String("material", {.max_length = 64});
  auto quantidade = body.Quantity("quantidade");
  body.Finish();
  Allow(ordem, OpAto::Consumir);
  auto receita = FindReceita(tx, ordem.receita_id);
  if (std::none_of(receita->insumos.begin(), receita->insumos.end(),
                   [&](const Insumo& i) { return i.material == material; })) {
    throw Recusa::Campo("material",
                        "não é insumo da receita " + receita->produto + " v" + std::to_string(receita->versao));
  }
  const auto actor = audit::Actor::From(request);
  IntencaoConsumo intencao{.id = id,
                           .op_id = ordem.id,
                           .material = material,
                           .chave_estoque = EstoqueKeyOf(id),
                           .hash_requisicao = key.hash_requisicao,
                           .estado = "pendente",
                           .quantidade = quantidade,
                           .sub = actor.sub,
                           .username = actor.username,
                           .nome = actor.nome};
  InsertIntencao(tx, intencao);
  audit::Audit(tx, actor,
               {.acao = "consumo.solicitado",
                .entidade = "ordem_producao",
                .entidade_id = ordem.id,
                .depois = {{"consumo_id", id},
                           {"material", material},
                           {"quantidade", json::ToJson(quantidade)},
                           {"estado", "pendente"}}});
  return intencao;
}

}  // namespace

http::Response ConsumirInsumo(ProducaoContext& ctx, http::Request& request) {
  auth::RequireRole(request, {"gestor_producao"});
  const http::IdempotencyKey key = http::RequireIdempotencyKey(request);
  Passo passo = ctx.db.Transact([&](pg::Transaction& tx) { return RecordIntent(tx, request, key); });
  if (auto* known = std::get_if<http::Response>(&passo)) return std::move(*known);
  const auto& intencao = std::get<IntencaoConsumo>(passo);
  PauseAt(ctx, "consumo.intencao-registrada");
  // No transaction is open here: a failure leaves the intent pendente, for the client's retry
  // with the same key or for the recovery task.
  const Resposta resposta = AskEstoque(ctx, intencao);
  PauseAt(ctx, "consumo.estoque-respondeu");
  std::optional<Error> recusa;
  auto res = ctx.db.Transact([&](pg::Transaction& tx) -> http::Response {
    auto settled = Settle(tx, intencao.id, resposta, audit::Actor::From(request));
    if (settled.estado == "recusada") {
      recusa = RecusaOf(settled);
      return {};
    }
    auto done = ConsumoResponse(tx, settled);
    http::StoreResponse(tx, key, done);
    return done;
  });
  if (recusa) throw *recusa;
  return res;
}

int RecoverConsumos(ProducaoContext& ctx, std::chrono::milliseconds idle) {
  auto stale = ctx.db.Transact([&](pg::Transaction& tx) { return ClaimStaleIntencoes(tx, idle, 20); });
  int settled = 0;
  for (const auto& intencao : stale) {
    try {
      const Resposta resposta = AskEstoque(ctx, intencao);
      auto ended = ctx.db.Transact(
          [&](pg::Transaction& tx) { return Settle(tx, intencao.id, resposta, ActorOf(intencao, "")); });
      log::Info("pending consumption settled",
                {{"consumo_id", intencao.id}, {"op_id", intencao.op_id}, {"estado", ended.estado}});
      ++settled;
    } catch (const std::exception& e) {
      log::Warn("pending consumption still pending",
                {{"consumo_id", intencao.id}, {"op_id", intencao.op_id}, {"error.message", e.what()}});
    }
  }
  return settled;
}

void RunConsumoRecovery(BackgroundLoop& loop, ProducaoContext& ctx, std::chrono::milliseconds interval) {
  int failures = 0;
  while (loop.running()) {
    try {
      RecoverConsumos(ctx, interval);
      failures = 0;
      loop.WaitForWork(interval);
    } catch (const std::exception& e) {
      log::Warn("cannot recover pending consumptions", {{"error.message", e.what()}});
      loop.Sleep(std::min(interval, Backoff(++failures, std::chrono::minutes(1))));
    }
  }
}

void PauseAt(const ProducaoContext& ctx, std::string_view point) {
  if (ctx.pause_file.empty()) return;
  auto named = [&] {
    std::ifstream in(ctx.pause_file);
    std::string line;
    std::getline(in, line);
    return line == point;
  };
  if (!named()) return;
  log::Warn("paused at a named point", {{"pausa", point}});
  const auto until = std::chrono::steady_clock::now() + std::chrono::minutes(2);
  while (named() && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

}  // namespace pharmasys::producao
