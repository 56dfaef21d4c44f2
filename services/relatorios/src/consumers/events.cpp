#include "events.hpp"

#include <boost/json/array.hpp>

#include "pharmasys/domain/lote.hpp"
#include "pharmasys/json/json.hpp"
#include "pharmasys/log/log.hpp"

namespace pharmasys::relatorios {
namespace {

constexpr pg::Query kMaterial{"rel_material",
                              "INSERT INTO materiais (codigo, nome, tipo, unidade) VALUES ($1, $2, $3, $4)"
                              " ON CONFLICT (codigo) DO UPDATE SET nome = EXCLUDED.nome, tipo = EXCLUDED.tipo,"
                              " unidade = EXCLUDED.unidade"};
// A lot's status is derived from its facts by the lot lifecycle (pharmasys/domain/lote.hpp),
// whichever event came first; the facts of one lot are taken under a lock of that lot, so a
// laudo and a recall consumed at once both count. Reads use the stored status.
constexpr pg::Query kLockLote{"rel_lote_lock", "SELECT pg_advisory_xact_lock(hashtextextended('lote:' || $1, 0))"};
constexpr pg::Query kFatosDoLote{"rel_lote_fatos",
                                 "SELECT decisao FROM laudos WHERE lote_id = $1::uuid"
                                 " UNION ALL SELECT 'recolhimento' FROM recolhimentos WHERE lote_id = $1::uuid"};
constexpr pg::Query kLote{
    "rel_lote",
    "INSERT INTO lotes (id, codigo, material, origem, op_id, quantidade, unidade, validade, data_fabricacao,"
    " fornecedor, lote_fornecedor, status, criado_em, criado_por) VALUES ($1::uuid, $2, $3, $4, $5::uuid,"
    " $6::numeric, $7, $8::date, $9::date, $10, $11, $12, $13::timestamptz, $14)"
    " ON CONFLICT (id) DO NOTHING"};
constexpr pg::Query kSetStatus{"rel_lote_status", "UPDATE lotes SET status = $2 WHERE id = $1::uuid AND status <> $2"};
constexpr pg::Query kConsumo{"rel_consumo",
                             "INSERT INTO consumos (consumo_id, lote_id, op_id, lote_codigo, material, quantidade,"
                             " ocorrido_em, validade, ordem) VALUES ($1::uuid, $2::uuid, $3::uuid, $4, $5,"
                             " $6::numeric, $7::timestamptz, $8::date, $9::integer) ON CONFLICT DO NOTHING"};
constexpr pg::Query kOpConsumo{"rel_op_consumo",
                               "INSERT INTO op_consumos (id, op_id, material, quantidade, estoque_consumo_id,"
                               " criado_por, criado_em) VALUES ($1::uuid, $2::uuid, $3, $4::numeric, $5::uuid, $6,"
                               " $7::timestamptz) ON CONFLICT DO NOTHING"};
constexpr pg::Query kRegistro{
    "rel_op_registro",
    "INSERT INTO op_registros (id, op_id, ordem, parametros, fora_dos_limites, motivo, observacao, registrado_por,"
    " registrado_em) VALUES ($1::uuid, $2::uuid, $3::integer, $4::jsonb, $5::jsonb, $6, $7, $8, $9::timestamptz)"
    " ON CONFLICT DO NOTHING"};
// The OP's state as of its latest change, whichever order the changes arrive in.
constexpr pg::Query kOp{
    "rel_op",
    "INSERT INTO ops (id, codigo, produto, status, atualizado_em, status_antes_do_bloqueio, motivo_cancelamento,"
    " iniciada_em, concluida_em, cancelada_em, versao) VALUES ($1::uuid, $2, $3, $4, $5::timestamptz, $6, $7,"
    " $8::timestamptz, $9::timestamptz, $10::timestamptz, $11::bigint) ON CONFLICT (id) DO UPDATE SET"
    " status = EXCLUDED.status, atualizado_em = EXCLUDED.atualizado_em,"
    " status_antes_do_bloqueio = EXCLUDED.status_antes_do_bloqueio,"
    " motivo_cancelamento = COALESCE(EXCLUDED.motivo_cancelamento, ops.motivo_cancelamento),"
    " iniciada_em = COALESCE(EXCLUDED.iniciada_em, ops.iniciada_em),"
    " concluida_em = COALESCE(EXCLUDED.concluida_em, ops.concluida_em),"
    " cancelada_em = COALESCE(EXCLUDED.cancelada_em, ops.cancelada_em),"
    " versao = COALESCE(EXCLUDED.versao, ops.versao) WHERE ops.atualizado_em <= EXCLUDED.atualizado_em"};
// The fields an OP never changes, from whichever of its events carries them.
constexpr pg::Query kOpFixos{
    "rel_op_fixos",
    "UPDATE ops SET quantidade = COALESCE($2::numeric, quantidade), receita_id = COALESCE($3::uuid, receita_id),"
    " receita_versao = COALESCE($4::bigint, receita_versao), etapas = COALESCE($5::json, etapas),"
    " criado_por = COALESCE($6, criado_por), criado_em = COALESCE($7::timestamptz, criado_em) WHERE id = $1::uuid"};
constexpr pg::Query kOpHistorico{"rel_op_historico",
                                 "INSERT INTO op_historico (evento_id, op_id, status, status_anterior, usuario,"
                                 " ocorrido_em) VALUES ($1::uuid, $2::uuid, $3, $4, $5, $6::timestamptz)"
                                 " ON CONFLICT DO NOTHING"};
constexpr pg::Query kLaudo{"rel_laudo",
                           "INSERT INTO laudos (id, lote_id, amostra_id, decisao, emitido_por, emitido_em, assinatura)"
                           " VALUES ($1::uuid, $2::uuid, $3::uuid, $4, $5, $6::timestamptz, $7::jsonb)"
                           " ON CONFLICT DO NOTHING"};
constexpr pg::Query kDesvioAberto{
    "rel_desvio_aberto",
    "INSERT INTO desvios (id, op_id, lote_id, classificacao, descricao, status, aberto_em) VALUES ($1::uuid,"
    " $2::uuid, $3::uuid, $4, $5, 'aberto', $6::timestamptz) ON CONFLICT (id) DO UPDATE SET"
    " classificacao = EXCLUDED.classificacao, descricao = EXCLUDED.descricao, aberto_em = EXCLUDED.aberto_em"};
constexpr pg::Query kDesvioEncerrado{
    "rel_desvio_encerrado",
    "INSERT INTO desvios (id, op_id, lote_id, status, encerrado_em) VALUES ($1::uuid, $2::uuid, $3::uuid,"
    " 'encerrado', $4::timestamptz) ON CONFLICT (id) DO UPDATE SET status = 'encerrado',"
    " encerrado_em = EXCLUDED.encerrado_em"};
constexpr pg::Query kRecolhimento{"rel_recolhimento",
                                  "INSERT INTO recolhimentos (lote_id, lote_codigo, motivo, ocorrido_em)"
                                  " VALUES ($1::uuid, $2, $3, $4::timestamptz) ON CONFLICT DO NOTHING"};
constexpr pg::Query kExpedicao{"rel_expedicao",
                               "INSERT INTO expedicoes (id, cliente_nome, cliente_documento, confirmada_em)"
                               " VALUES ($1::uuid, $2, $3, $4::timestamptz) ON CONFLICT DO NOTHING"};
constexpr pg::Query kExpedicaoItem{"rel_expedicao_item",
                                   "INSERT INTO expedicao_itens (expedicao_id, lote_id, lote_codigo, material,"
                                   " quantidade) VALUES ($1::uuid, $2::uuid, $3, $4, $5::numeric)"
                                   " ON CONFLICT (expedicao_id, lote_id) DO UPDATE SET"
                                   " quantidade = expedicao_itens.quantidade + EXCLUDED.quantidade"};
constexpr pg::Query kDevolucao{"rel_devolucao",
                               "INSERT INTO devolucoes (id, expedicao_id, lote_id, quantidade, motivo, ocorrido_em)"
                               " VALUES ($1::uuid, $2::uuid, $3::uuid, $4::numeric, $5, $6::timestamptz)"
                               " ON CONFLICT DO NOTHING"};
constexpr pg::Query kEventoLote{
    "rel_evento_lote",
    "INSERT INTO eventos_lote (evento_id, lote_id, tipo, ocorrido_em, usuario, resumo)"
    " VALUES ($1::uuid, $2::uuid, $3, $4::timestamptz, $5, $6::jsonb) ON CONFLICT DO NOTHING"};
constexpr pg::Query kAuditoria{
    "rel_auditoria",
    "INSERT INTO auditoria_consolidada (servico, sequencia, id, ocorrido_em, usuario_sub, usuario_username, acao,"
    " entidade, entidade_id, registro) VALUES ($1, $2, $3::uuid, $4::timestamptz, $5, $6, $7, $8, $9, $10::jsonb)"
    " ON CONFLICT DO NOTHING"};

std::string S(const boost::json::object& o, const char* key) {
  return std::string(o.at(key).as_string());
}
std::optional<std::string> O(const boost::json::object& o, const char* key) {
  auto* v = o.if_contains(key);
  if (v == nullptr || !v->is_string()) return std::nullopt;
  return std::string(v->as_string());
}
std::string Q(const boost::json::value& v) {
  return json::DecimalFrom(v)->ToFixedString();
}
std::optional<std::string> OQ(const boost::json::object& o, const char* key) {
  auto* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return std::nullopt;
  return Q(*v);
}
std::optional<std::string> OInt(const boost::json::object& o, const char* key) {
  auto* v = o.if_contains(key);
  if (v == nullptr || !v->is_int64()) return std::nullopt;
  return std::to_string(v->as_int64());
}
std::optional<std::string> OJson(const boost::json::object& o, const char* key) {
  auto* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return std::nullopt;
  return json::Serialize(*v);
}

// Takes the lot's lock before its facts are read or written.
void LockLote(pg::Transaction& tx, const std::string& lote_id) {
  tx.Exec(kLockLote, pg::Params(lote_id));
}

domain::LoteStatus DerivedStatusOf(pg::Transaction& tx, const std::string& lote_id) {
  auto rows = tx.Exec(kFatosDoLote, pg::Params(lote_id));
  std::vector<domain::LoteFato> fatos;
  for (int i = 0; i < rows.size(); ++i) {
    const std::string fato = rows[i].String(0);
    if (fato == "recolhimento") {
      fatos.push_back(domain::LoteFato::Recolhimento);
    } else if (auto laudo = domain::FatoDoLaudo(fato)) {
      fatos.push_back(*laudo);
    }
  }
  return domain::DerivedStatus(fatos);
}

void RefreshStatus(pg::Transaction& tx, const std::string& lote_id) {
  tx.Exec(kSetStatus, pg::Params(lote_id, std::string(ToString(DerivedStatusOf(tx, lote_id)))));
}

// One timeline line of a lot.
void Timeline(pg::Transaction& tx, const events::Event& e, const std::string& lote_id, boost::json::object resumo) {
  tx.Exec(kEventoLote, pg::Params(e.id, lote_id, e.tipo, e.ocorrido_em, e.usuario.username, json::Serialize(resumo)));
}

void OnMaterial(pg::Transaction& tx, const events::Event& e) {
  const auto& d = e.dados;
  tx.Exec(kMaterial, pg::Params(S(d, "codigo"), S(d, "nome"), S(d, "tipo"), S(d, "unidade")));
}

void OnLoteCriado(pg::Transaction& tx, const events::Event& e) {
  const auto& d = e.dados;
  LockLote(tx, S(d, "lote_id"));
  const std::string status(ToString(DerivedStatusOf(tx, S(d, "lote_id"))));
  tx.Exec(kLote,
          pg::Params(S(d, "lote_id"), S(d, "codigo"), S(d, "material"), S(d, "origem"), O(d, "op_id"),
                     Q(d.at("quantidade")), S(d, "unidade"), S(d, "validade"), O(d, "data_fabricacao"),
                     O(d, "fornecedor"), O(d, "lote_fornecedor"), status, O(d, "criado_em").value_or(e.ocorrido_em),
                     O(d, "criado_por").value_or(e.usuario.username)));
  boost::json::object resumo{
      {"codigo", d.at("codigo")}, {"origem", d.at("origem")}, {"quantidade", d.at("quantidade")}};
  if (auto op = O(d, "op_id")) resumo["op_id"] = *op;
  Timeline(tx, e, S(d, "lote_id"), resumo);
}

void OnInsumosConsumidos(pg::Transaction& tx, const events::Event& e) {
  const auto& d = e.dados;
  tx.Exec(kOpConsumo, pg::Params(S(d, "consumo_id"), S(d, "op_id"), S(d, "material"), OQ(d, "quantidade"),
                                 O(d, "estoque_consumo_id"), O(d, "criado_por").value_or(e.usuario.username),
                                 O(d, "criado_em").value_or(e.ocorrido_em)));
  int ordem = 0;
  for (const auto& item : d.at("lotes").as_array()) {
    const auto& l = item.as_object();
    tx.Exec(kConsumo, pg::Params(S(d, "consumo_id"), S(l, "lote_id"), S(d, "op_id"), S(l, "lote_codigo"),
                                 S(d, "material"), Q(l.at("quantidade")), e.ocorrido_em, O(l, "validade"), ++ordem));
    Timeline(tx, e, S(l, "lote_id"), {{"op_id", d.at("op_id")}, {"quantidade", l.at("quantidade")}});
  }
}

void OnOpStatus(pg::Transaction& tx, const events::Event& e) {
  const auto& d = e.dados;
  tx.Exec(kOp, pg::Params(S(d, "op_id"), S(d, "codigo"), S(d, "produto"), S(d, "status"), e.ocorrido_em,
                          O(d, "status_antes_do_bloqueio"), O(d, "motivo_cancelamento"), O(d, "iniciada_em"),
                          O(d, "concluida_em"), O(d, "cancelada_em"), OInt(d, "versao")));
  tx.Exec(kOpFixos, pg::Params(S(d, "op_id"), OQ(d, "quantidade"), O(d, "receita_id"), OInt(d, "receita_versao"),
                               OJson(d, "etapas"), O(d, "criado_por"), O(d, "criado_em")));
  tx.Exec(kOpHistorico,
          pg::Params(e.id, S(d, "op_id"), S(d, "status"), O(d, "status_anterior"), e.usuario.username, e.ocorrido_em));
}

void OnEtapaRegistrada(pg::Transaction& tx, const events::Event& e) {
  const auto& d = e.dados;
  tx.Exec(kRegistro, pg::Params(S(d, "registro_id"), S(d, "op_id"), std::to_string(d.at("ordem").as_int64()),
                                json::Serialize(d.at("parametros")), json::Serialize(d.at("fora_dos_limites")),
                                O(d, "motivo"), O(d, "observacao"), S(d, "registrado_por"), S(d, "registrado_em")));
}

void OnLaudo(pg::Transaction& tx, const events::Event& e) {
  const auto& d = e.dados;
  LockLote(tx, S(d, "lote_id"));
  tx.Exec(kLaudo, pg::Params(S(d, "laudo_id"), S(d, "lote_id"), S(d, "amostra_id"), S(d, "decisao"),
                             S(d, "emitido_por"), S(d, "emitido_em"), json::Serialize(d.at("assinatura"))));
  RefreshStatus(tx, S(d, "lote_id"));
  Timeline(tx, e, S(d, "lote_id"),
           {{"laudo_id", d.at("laudo_id")}, {"decisao", d.at("decisao")}, {"assinatura", d.at("assinatura")}});
}

void OnDesvio(pg::Transaction& tx, const events::Event& e) {
  const auto& d = e.dados;
  if (e.tipo == "desvio.aberto") {
    tx.Exec(kDesvioAberto, pg::Params(S(d, "desvio_id"), S(d, "op_id"), O(d, "lote_id"), S(d, "classificacao"),
                                      S(d, "descricao"), e.ocorrido_em));
  } else {
    tx.Exec(kDesvioEncerrado, pg::Params(S(d, "desvio_id"), S(d, "op_id"), O(d, "lote_id"), e.ocorrido_em));
  }
  if (auto lote = O(d, "lote_id")) Timeline(tx, e, *lote, {{"desvio_id", d.at("desvio_id")}});
}

void OnRecolhido(pg::Transaction& tx, const events::Event& e) {
  const auto& d = e.dados;
  LockLote(tx, S(d, "lote_id"));
  tx.Exec(kRecolhimento, pg::Params(S(d, "lote_id"), S(d, "lote_codigo"), S(d, "motivo"), e.ocorrido_em));
  RefreshStatus(tx, S(d, "lote_id"));
  Timeline(tx, e, S(d, "lote_id"), {{"motivo", d.at("motivo")}});
}

void OnExpedicao(pg::Transaction& tx, const events::Event& e) {
  const auto& d = e.dados;
  const auto& cliente = d.at("cliente").as_object();
  if (tx.Exec(kExpedicao,
              pg::Params(S(d, "expedicao_id"), S(cliente, "nome"), S(cliente, "documento"), S(d, "confirmada_em")))
          .affected() == 0) {
    return;  // already recorded
  }
  for (const auto& item : d.at("itens").as_array()) {
    const auto& i = item.as_object();
    tx.Exec(kExpedicaoItem, pg::Params(S(d, "expedicao_id"), S(i, "lote_id"), S(i, "lote_codigo"), S(i, "material"),
                                       Q(i.at("quantidade"))));
    Timeline(tx, e, S(i, "lote_id"),
             {{"expedicao_id", d.at("expedicao_id")}, {"cliente", cliente}, {"quantidade", i.at("quantidade")}});
  }
}

void OnDevolucao(pg::Transaction& tx, const events::Event& e) {
  const auto& d = e.dados;
  tx.Exec(kDevolucao, pg::Params(S(d, "devolucao_id"), S(d, "expedicao_id"), S(d, "lote_id"), Q(d.at("quantidade")),
                                 S(d, "motivo"), e.ocorrido_em));
  Timeline(tx, e, S(d, "lote_id"), {{"devolucao_id", d.at("devolucao_id")}, {"quantidade", d.at("quantidade")}});
}

void OnAuditoria(pg::Transaction& tx, const events::Event& e) {
  const auto& d = e.dados;
  const auto& usuario = d.at("usuario").as_object();
  tx.Exec(kAuditoria, pg::Params(S(d, "servico"), d.at("sequencia").to_number<std::int64_t>(), S(d, "id"),
                                 S(d, "ocorrido_em"), O(usuario, "sub"), O(usuario, "username"), S(d, "acao"),
                                 S(d, "entidade"), S(d, "entidade_id"), json::Serialize(d)));
}

constexpr pg::Query kCheckpoint{
    "rel_checkpoint",
    "INSERT INTO auditoria_checkpoints (servico, sequencia, hash, em, chave_id, assinatura, valido, motivo)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING"};

}  // namespace

void RegisterCheckpoints(const std::function<void(const std::string&, events::Handler)>& on,
                         std::shared_ptr<audit::TrustedKeys> keys) {
  on("auditoria.checkpoint", [keys](pg::Transaction& tx, const events::Event& e) {
    const auto& d = e.dados;
    audit::Checkpoint c{S(d, "servico"),  d.at("sequencia").to_number<std::int64_t>(),
                        S(d, "hash"),     S(d, "em"),
                        S(d, "chave_id"), S(d, "assinatura")};
    // A checkpoint from another origin than the service it names is not that service's.
    std::optional<std::string> why =
        e.origem != c.servico ? std::optional<std::string>("publicado por " + e.origem) : keys->Check(c);
    if (why) log::Warn("audit checkpoint refused", {{"audit.servico", c.servico}, {"error.message", *why}});
    tx.Exec(kCheckpoint,
            pg::Params(c.servico, c.sequencia, c.hash, c.em, c.chave_id, c.assinatura, !why.has_value(), why));
  });
}

void RegisterConsumers(const std::function<void(const std::string&, events::Handler)>& on) {
  on("material.cadastrado", OnMaterial);
  on("lote.criado", OnLoteCriado);
  on("insumos.consumidos", OnInsumosConsumidos);
  on("op.status_alterado", OnOpStatus);
  on("etapa.registrada", OnEtapaRegistrada);
  on("laudo.emitido", OnLaudo);
  on("desvio.aberto", OnDesvio);
  on("desvio.encerrado", OnDesvio);
  on("lote.recolhido", OnRecolhido);
  on("expedicao.confirmada", OnExpedicao);
  on("devolucao.registrada", OnDevolucao);
  on("auditoria.registrada", OnAuditoria);
}

}  // namespace pharmasys::relatorios
