#include "events.hpp"

#include <boost/json/array.hpp>

#include <set>

#include "../storage/registro_de_lote.hpp"
#include "pharmasys/domain/lote.hpp"
#include "pharmasys/events/contracts.hpp"
#include "pharmasys/events/event.hpp"
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
    " fornecedor, lote_fornecedor, status, criado_em, criado_por, saldo) VALUES ($1::uuid, $2, $3, $4, $5::uuid,"
    " $6::numeric, $7, $8::date, $9::date, $10, $11, $12, $13::timestamptz, $14,"
    " saldo_em_estoque($1::uuid, $6::numeric)) ON CONFLICT (id) DO NOTHING"};
// What a consumption, a shipment or a return put back does to the lot's stock (V005), once: only
// after the fact itself was recorded for the first time.
constexpr pg::Query kSaldo{"rel_lote_saldo", "UPDATE lotes SET saldo = saldo + $2::numeric WHERE id = $1::uuid"};
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
constexpr pg::Query kDevolucaoAvaliada{
    "rel_devolucao_avaliada",
    "INSERT INTO devolucao_avaliacoes (devolucao_id, lote_id, decisao, quantidade, motivo, avaliado_por, avaliado_em)"
    " VALUES ($1::uuid, $2::uuid, $3, $4::numeric, $5, $6, $7::timestamptz) ON CONFLICT DO NOTHING"};
constexpr pg::Query kEventoLote{
    "rel_evento_lote",
    "INSERT INTO eventos_lote (evento_id, lote_id, tipo, ocorrido_em, usuario, resumo)"
    " VALUES ($1::uuid, $2::uuid, $3, $4::timestamptz, $5, $6::jsonb) ON CONFLICT DO NOTHING"};
constexpr pg::Query kAuditoria{
    "rel_auditoria",
    "INSERT INTO auditoria_consolidada (servico, sequencia, id, ocorrido_em, usuario_sub, usuario_username, acao,"
    " entidade, entidade_id, registro) VALUES ($1, $2, $3::uuid, $4::timestamptz, $5, $6, $7, $8, $9, $10::jsonb)"
    " ON CONFLICT DO NOTHING"};

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
  const auto m = events::Read<events::MaterialCadastrado>(e);
  tx.Exec(kMaterial, pg::Params(m.codigo, m.nome, m.tipo, m.unidade));
}

void OnLoteCriado(pg::Transaction& tx, const events::Event& e) {
  const auto d = events::Read<events::LoteCriado>(e);
  LockLote(tx, d.lote_id);
  const std::string status(ToString(DerivedStatusOf(tx, d.lote_id)));
  tx.Exec(kLote, pg::Params(d.lote_id, d.codigo, d.material, d.origem, d.op_id, d.quantidade, d.unidade, d.validade,
                            d.data_fabricacao, d.fornecedor, d.lote_fornecedor, status,
                            d.criado_em.value_or(e.ocorrido_em), d.criado_por.value_or(e.usuario.username)));
  boost::json::object resumo{{"codigo", d.codigo}, {"origem", d.origem}, {"quantidade", json::ToJson(d.quantidade)}};
  if (d.op_id) resumo["op_id"] = *d.op_id;
  Timeline(tx, e, d.lote_id, resumo);
}

// Takes the locks of several lots in one order, so that two events never wait on each other.
template <typename Items, typename LoteOf>
void LockLotes(pg::Transaction& tx, const Items& items, LoteOf lote_of) {
  std::set<std::string> ids;
  for (const auto& i : items) ids.insert(lote_of(i));
  for (const auto& id : ids) LockLote(tx, id);
}

void OnInsumosConsumidos(pg::Transaction& tx, const events::Event& e) {
  const auto d = events::Read<events::InsumosConsumidos>(e);
  tx.Exec(kOpConsumo, pg::Params(d.consumo_id, d.op_id, d.material, d.quantidade, d.estoque_consumo_id,
                                 d.criado_por.value_or(e.usuario.username), d.criado_em.value_or(e.ocorrido_em)));
  LockLotes(tx, d.lotes, [](const auto& l) { return l.lote_id; });
  int ordem = 0;
  for (const auto& l : d.lotes) {
    if (tx.Exec(kConsumo, pg::Params(d.consumo_id, l.lote_id, d.op_id, l.lote_codigo, d.material, l.quantidade,
                                     e.ocorrido_em, l.validade, ++ordem))
            .affected() == 1) {
      tx.Exec(kSaldo, pg::Params(l.lote_id, -l.quantidade));
    }
    Timeline(tx, e, l.lote_id, {{"op_id", d.op_id}, {"quantidade", json::ToJson(l.quantidade)}});
  }
}

void OnOpStatus(pg::Transaction& tx, const events::Event& e) {
  const auto d = events::Read<events::OpStatusAlterado>(e);
  tx.Exec(kOp, pg::Params(d.op_id, d.codigo, d.produto, d.status, e.ocorrido_em, d.status_antes_do_bloqueio,
                          d.motivo_cancelamento, d.iniciada_em, d.concluida_em, d.cancelada_em, d.versao));
  std::optional<std::string> etapas;
  if (d.etapas) etapas = json::Serialize(*d.etapas);
  tx.Exec(kOpFixos,
          pg::Params(d.op_id, d.quantidade, d.receita_id, d.receita_versao, etapas, d.criado_por, d.criado_em));
  tx.Exec(kOpHistorico, pg::Params(e.id, d.op_id, d.status, d.status_anterior, e.usuario.username, e.ocorrido_em));
}

void OnOpRevisada(pg::Transaction& tx, const events::Event& e) {
  const auto d = events::Read<events::OpRevisada>(e);
  RecordRevisao(tx, d.op_id,
                {.revisado_por = d.revisado_por,
                 .revisado_em = d.revisado_em,
                 .assinatura = json::Serialize(d.assinatura.ToJson()),
                 .excecoes = d.excecoes});
}

void OnEtapaRegistrada(pg::Transaction& tx, const events::Event& e) {
  const auto d = events::Read<events::EtapaRegistrada>(e);
  const auto dados = d.ToJson();  // parametros and fora_dos_limites are kept as their JSON
  tx.Exec(kRegistro, pg::Params(d.registro_id, d.op_id, d.ordem, json::Serialize(dados.at("parametros")),
                                json::Serialize(dados.at("fora_dos_limites")), d.motivo, d.observacao, d.registrado_por,
                                d.registrado_em));
}

void OnLaudo(pg::Transaction& tx, const events::Event& e) {
  const auto d = events::Read<events::LaudoEmitido>(e);
  LockLote(tx, d.lote_id);
  const auto assinatura = d.assinatura.ToJson();
  tx.Exec(kLaudo, pg::Params(d.laudo_id, d.lote_id, d.amostra_id, d.decisao, d.emitido_por, d.emitido_em,
                             json::Serialize(assinatura)));
  RefreshStatus(tx, d.lote_id);
  Timeline(tx, e, d.lote_id, {{"laudo_id", d.laudo_id}, {"decisao", d.decisao}, {"assinatura", assinatura}});
}

void OnDesvioAberto(pg::Transaction& tx, const events::Event& e) {
  const auto d = events::Read<events::DesvioAberto>(e);
  tx.Exec(kDesvioAberto, pg::Params(d.desvio_id, d.op_id, d.lote_id, d.classificacao, d.descricao, e.ocorrido_em));
  if (d.lote_id) Timeline(tx, e, *d.lote_id, {{"desvio_id", d.desvio_id}});
}

void OnDesvioEncerrado(pg::Transaction& tx, const events::Event& e) {
  const auto d = events::Read<events::DesvioEncerrado>(e);
  tx.Exec(kDesvioEncerrado, pg::Params(d.desvio_id, d.op_id, d.lote_id, e.ocorrido_em));
  if (d.lote_id) Timeline(tx, e, *d.lote_id, {{"desvio_id", d.desvio_id}});
}

void OnRecolhido(pg::Transaction& tx, const events::Event& e) {
  const auto d = events::Read<events::LoteRecolhido>(e);
  LockLote(tx, d.lote_id);
  tx.Exec(kRecolhimento, pg::Params(d.lote_id, d.lote_codigo, d.motivo, e.ocorrido_em));
  RefreshStatus(tx, d.lote_id);
  Timeline(tx, e, d.lote_id, {{"motivo", d.motivo}});
}

void OnExpedicao(pg::Transaction& tx, const events::Event& e) {
  const auto d = events::Read<events::ExpedicaoConfirmada>(e);
  if (tx.Exec(kExpedicao, pg::Params(d.expedicao_id, d.cliente.nome, d.cliente.documento, d.confirmada_em))
          .affected() == 0) {
    return;  // already recorded
  }
  const boost::json::object cliente{{"nome", d.cliente.nome}, {"documento", d.cliente.documento}};
  LockLotes(tx, d.itens, [](const auto& i) { return i.lote_id; });
  for (const auto& i : d.itens) {
    tx.Exec(kExpedicaoItem, pg::Params(d.expedicao_id, i.lote_id, i.lote_codigo, i.material, i.quantidade));
    tx.Exec(kSaldo, pg::Params(i.lote_id, -i.quantidade));
    Timeline(tx, e, i.lote_id,
             {{"expedicao_id", d.expedicao_id}, {"cliente", cliente}, {"quantidade", json::ToJson(i.quantidade)}});
  }
}

void OnDevolucao(pg::Transaction& tx, const events::Event& e) {
  const auto d = events::Read<events::DevolucaoRegistrada>(e);
  tx.Exec(kDevolucao, pg::Params(d.devolucao_id, d.expedicao_id, d.lote_id, d.quantidade, d.motivo, e.ocorrido_em));
  Timeline(tx, e, d.lote_id, {{"devolucao_id", d.devolucao_id}, {"quantidade", json::ToJson(d.quantidade)}});
}

void OnDevolucaoAvaliada(pg::Transaction& tx, const events::Event& e) {
  const auto d = events::Read<events::DevolucaoAvaliada>(e);
  LockLote(tx, d.lote_id);
  const bool first = tx.Exec(kDevolucaoAvaliada, pg::Params(d.devolucao_id, d.lote_id, d.decisao, d.quantidade,
                                                            d.motivo, d.avaliado_por, d.avaliado_em))
                         .affected() == 1;
  if (first && d.decisao == "reintegrar") tx.Exec(kSaldo, pg::Params(d.lote_id, d.quantidade));
  Timeline(tx, e, d.lote_id,
           {{"devolucao_id", d.devolucao_id}, {"decisao", d.decisao}, {"quantidade", json::ToJson(d.quantidade)}});
}

void OnAuditoria(pg::Transaction& tx, const events::Event& e) {
  const auto d = events::Read<events::AuditoriaRegistrada>(e);
  // The record is kept as it arrived: its chain hash is over exactly these fields.
  tx.Exec(kAuditoria, pg::Params(d.servico, d.sequencia, d.id, d.ocorrido_em, d.usuario.sub, d.usuario.username, d.acao,
                                 d.entidade, d.entidade_id, json::Serialize(e.dados)));
}

constexpr pg::Query kCheckpoint{
    "rel_checkpoint",
    "INSERT INTO auditoria_checkpoints (servico, sequencia, hash, em, chave_id, assinatura, valido, motivo)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING"};

}  // namespace

void RegisterCheckpoints(const std::function<void(const std::string&, events::Handler)>& on,
                         std::shared_ptr<audit::TrustedKeys> keys) {
  on("auditoria.checkpoint", [keys](pg::Transaction& tx, const events::Event& e) {
    const auto d = events::Read<events::AuditoriaCheckpoint>(e);
    audit::Checkpoint c{d.servico, d.sequencia, d.hash, d.em, d.chave_id, d.assinatura};
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
  on("op.revisada", OnOpRevisada);
  on("laudo.emitido", OnLaudo);
  on("desvio.aberto", OnDesvioAberto);
  on("desvio.encerrado", OnDesvioEncerrado);
  on("lote.recolhido", OnRecolhido);
  on("expedicao.confirmada", OnExpedicao);
  on("devolucao.registrada", OnDevolucao);
  on("devolucao.avaliada", OnDevolucaoAvaliada);
  on("auditoria.registrada", OnAuditoria);
}

}  // namespace pharmasys::relatorios
