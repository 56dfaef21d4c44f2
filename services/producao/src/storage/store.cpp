#include "store.hpp"

#include "pharmasys/domain/excecoes_json.hpp"

#include "pharmasys/error.hpp"
#include "pharmasys/ids.hpp"
#include "pharmasys/json/fields.hpp"
#include "pharmasys/json/json.hpp"

namespace pharmasys::producao {
namespace {

constexpr pg::Query kNotFuture{"prod_not_future", "SELECT $1::date <= (now() AT TIME ZONE $2)::date"};
constexpr pg::Query kMaterial{
    "prod_material", "SELECT codigo, nome, tipo, unidade, prazo_validade_dias FROM materiais WHERE codigo = $1"};

#define RECEITA_SELECT                                                                          \
  "SELECT id, produto, versao, etapas::text, insumos::text, criado_por, " PHARMASYS_PG_INSTANT( \
      "criado_em") " FROM receitas "
constexpr pg::Query kReceita{"prod_receita", RECEITA_SELECT "WHERE id = $1::uuid"};
constexpr pg::ListQuery kReceitas = PHARMASYS_PG_LIST(
    "prod_receitas", RECEITA_SELECT, " AND ($1::text IS NULL OR produto = $1)", "id", "$2::uuid", "$3");
constexpr pg::Query kInsertReceita{"prod_receita_insert",
                                   "INSERT INTO receitas (id, produto, versao, etapas, insumos, criado_por)"
                                   " VALUES ($1::uuid, $2, $3, $4::jsonb, $5::jsonb, $6)"
                                   " ON CONFLICT (produto, versao) DO NOTHING"};

#define ORDEM_SELECT \
  "SELECT id, codigo, produto, quantidade, receita_id, status, status_antes_bloqueio, desvios_abertos,"        \
  " motivo_cancelamento, criado_por, " PHARMASYS_PG_INSTANT("criado_em") ", " PHARMASYS_PG_INSTANT("iniciada_em") ", " PHARMASYS_PG_INSTANT("concluida_em") ", " PHARMASYS_PG_INSTANT( \
      "cancelada_em") ", versao FROM ordens_producao "
constexpr pg::Query kOrdem{"prod_ordem", ORDEM_SELECT "WHERE id = $1::uuid"};
constexpr pg::Query kOrdemLock{"prod_ordem_lock", ORDEM_SELECT "WHERE id = $1::uuid FOR UPDATE"};
constexpr pg::ListQuery kOrdens = PHARMASYS_PG_LIST(
    "prod_ordens", ORDEM_SELECT, " AND ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR produto = $2)", "id",
    "$3::uuid", "$4");
constexpr pg::Query kInsertOrdem{
    "prod_ordem_insert",
    "INSERT INTO ordens_producao (id, codigo, produto, quantidade, receita_id, status, criado_por)"
    " VALUES ($1::uuid, 'OP-' || to_char(now(), 'YYYY') || '-' || " PHARMASYS_PG_CODE_NUMBER("ordem_producao_seq", "6") ","
    " $2, $3::numeric, $4::uuid, 'planejada', $5)"};
constexpr pg::Query kSaveEstado{
    "prod_ordem_estado",
    "UPDATE ordens_producao SET status = $2, status_antes_bloqueio = $3, desvios_abertos = $4,"
    " iniciada_em = CASE WHEN $5 = 'iniciar' THEN now() ELSE iniciada_em END,"
    " concluida_em = CASE WHEN $5 = 'concluir' THEN now() ELSE concluida_em END,"
    " cancelada_em = CASE WHEN $5 = 'cancelar' THEN now() ELSE cancelada_em END,"
    " motivo_cancelamento = COALESCE($6, motivo_cancelamento), versao = versao + 1 WHERE id = $1::uuid"};

constexpr pg::Query kRegistros{"prod_registros",
                               "SELECT id, ordem, parametros::text, fora_dos_limites::text, motivo, observacao,"
                               " registrado_por_username, " PHARMASYS_PG_INSTANT(
                                   "registrado_em") " FROM registros WHERE op_id = $1::uuid ORDER BY ordem"};
constexpr pg::Query kInsertRegistro{
    "prod_registro_insert",
    "INSERT INTO registros (id, op_id, ordem, parametros, fora_dos_limites, motivo, observacao, registrado_por_sub,"
    " registrado_por_username) VALUES ($1::uuid, $2::uuid, $3, $4::jsonb, $5::jsonb, $6, $7, $8, $9)"};

#define CONSUMO_SELECT                                                                             \
  "SELECT id, op_id, material, quantidade, estoque_consumo_id, criado_por, " PHARMASYS_PG_INSTANT( \
      "criado_em") " FROM consumos "
#define INTENCAO_SELECT                                                                                       \
  "SELECT id, op_id, material, quantidade, chave_estoque, hash_requisicao, estado, solicitado_por_sub,"       \
  " solicitado_por_username, solicitado_por_nome, recusa_status, recusa_tipo, recusa_titulo, recusa_detalhe," \
  " recusa_erros::text FROM consumo_intencoes "
constexpr pg::Query kIntencao{"prod_intencao", INTENCAO_SELECT "WHERE id = $1::uuid"};
constexpr pg::Query kIntencaoForUpdate{"prod_intencao_for_update", INTENCAO_SELECT "WHERE id = $1::uuid FOR UPDATE"};
constexpr pg::Query kInsertIntencao{
    "prod_intencao_insert",
    "INSERT INTO consumo_intencoes (id, op_id, material, quantidade, chave_estoque, hash_requisicao, estado,"
    " solicitado_por_sub, solicitado_por_username, solicitado_por_nome)"
    " VALUES ($1::uuid, $2::uuid, $3, $4, $5, $6, 'pendente', $7, $8, $9)"};
constexpr pg::Query kConcluirIntencao{
    "prod_intencao_concluir",
    "UPDATE consumo_intencoes SET estado = 'concluida', tentativas = tentativas + 1, atualizado_em = now()"
    " WHERE id = $1::uuid AND estado = 'pendente'"};
constexpr pg::Query kRecusarIntencao{
    "prod_intencao_recusar",
    "UPDATE consumo_intencoes SET estado = 'recusada', tentativas = tentativas + 1, atualizado_em = now(),"
    " recusa_status = $2, recusa_tipo = $3, recusa_titulo = $4, recusa_detalhe = $5, recusa_erros = $6::jsonb"
    " WHERE id = $1::uuid AND estado = 'pendente'"};
constexpr pg::Query kPendingIntencao{
    "prod_intencao_pendente",
    "SELECT EXISTS (SELECT 1 FROM consumo_intencoes WHERE op_id = $1::uuid AND estado = 'pendente')"};
constexpr pg::Query kClaimIntencoes{
    "prod_intencao_claim",
    "UPDATE consumo_intencoes SET atualizado_em = now(), tentativas = tentativas + 1 WHERE id IN ("
    " SELECT id FROM consumo_intencoes WHERE estado = 'pendente'"
    " AND atualizado_em < now() - $1::bigint * interval '1 millisecond'"
    " ORDER BY atualizado_em LIMIT $2 FOR UPDATE SKIP LOCKED) RETURNING id"};
constexpr pg::Query kConsumo{"prod_consumo", CONSUMO_SELECT "WHERE id = $1::uuid"};
constexpr pg::Query kConsumos{"prod_consumos", CONSUMO_SELECT "WHERE op_id = $1::uuid ORDER BY criado_em, id"};
constexpr pg::Query kConsumoLotes{"prod_consumo_lotes",
                                  "SELECT lote_id, lote_codigo, validade::text, quantidade FROM consumo_lotes"
                                  " WHERE consumo_id = $1::uuid ORDER BY ordem"};
constexpr pg::Query kInsertConsumo{"prod_consumo_insert",
                                   "INSERT INTO consumos (id, op_id, material, quantidade, estoque_consumo_id,"
                                   " criado_por) VALUES ($1::uuid, $2::uuid, $3, $4::numeric, $5::uuid, $6)"};
constexpr pg::Query kInsertConsumoLote{"prod_consumo_lote_insert",
                                       "INSERT INTO consumo_lotes (consumo_id, ordem, lote_id, lote_codigo,"
                                       " quantidade, validade) VALUES ($1::uuid, $2, $3::uuid, $4, $5::numeric,"
                                       " $6::date)"};

#define LOTE_SELECT                                                                                 \
  "SELECT id, codigo, op_id, material, unidade, data_fabricacao::text, validade::text, status, "    \
  "criado_por, " PHARMASYS_PG_INSTANT("criado_em") ", quantidade, laudo_id, " PHARMASYS_PG_INSTANT( \
      "laudo_emitido_em") " FROM lotes "
constexpr pg::Query kLotes{"prod_lotes", LOTE_SELECT "WHERE op_id = $1::uuid ORDER BY criado_em, id"};
constexpr pg::Query kLote{"prod_lote", LOTE_SELECT "WHERE id = $1::uuid"};
constexpr pg::Query kInsertLote{
    "prod_lote_insert",
    "INSERT INTO lotes (id, codigo, op_id, material, quantidade, unidade, data_fabricacao, validade, status,"
    " criado_por) VALUES ($1::uuid, 'LP' || to_char($6::date, 'YYMMDD') || '-' ||"
    " " PHARMASYS_PG_CODE_NUMBER("lote_producao_seq", "5") ", $2::uuid, $3, $4::numeric, $5, $6::date,"
    " $6::date + $7::integer, 'quarentena', $8)"};
constexpr pg::Query kLoteStatusLock{"prod_lote_status_lock", "SELECT status FROM lotes WHERE id = $1::uuid FOR UPDATE"};
constexpr pg::Query kLaudoLote{"prod_lote_laudo",
                               "UPDATE lotes SET status = $2, laudo_id = $3::uuid, laudo_emitido_em = $4::timestamptz"
                               " WHERE id = $1::uuid"};
constexpr pg::Query kRecallLote{"prod_lote_recall",
                                "UPDATE lotes SET status = $2, recolhido_motivo = $3 WHERE id = $1::uuid"};

constexpr pg::Query kDesvioAberto{
    "prod_desvio_aberto",
    "INSERT INTO desvios (id, op_id, lote_id, classificacao, descricao, status, aberto_em, aberto_por)"
    " VALUES ($1::uuid, $2::uuid, $3::uuid, $4, $5, 'aberto', $6::timestamptz, $7) ON CONFLICT (id) DO NOTHING"};
constexpr pg::Query kDesvioLock{"prod_desvio_lock", "SELECT status FROM desvios WHERE id = $1::uuid FOR UPDATE"};
constexpr pg::Query kDesvioEncerradoNovo{"prod_desvio_encerrado_novo",
                                         "INSERT INTO desvios (id, op_id, lote_id, status, encerrado_em, encerrado_por)"
                                         " VALUES ($1::uuid, $2::uuid, $3::uuid, 'encerrado', $4::timestamptz, $5)"
                                         " ON CONFLICT (id) DO NOTHING"};
constexpr pg::Query kDesvioEncerrar{"prod_desvio_encerrar",
                                    "UPDATE desvios SET status = 'encerrado', encerrado_em = $2::timestamptz,"
                                    " encerrado_por = $3"
                                    " WHERE id = $1::uuid AND status = 'aberto'"};

constexpr pg::Query kDesviosDaOp{"prod_desvios_da_op",
                                 "SELECT id, classificacao, descricao, status = 'aberto', " PHARMASYS_PG_INSTANT(
                                     "aberto_em") ", " PHARMASYS_PG_INSTANT("encerrado_em") ", aberto_por, encerrado_por"
                                                                                            " FROM desvios WHERE op_id = "
                                                                                            "$1::uuid ORDER BY aberto_em, id"};
constexpr pg::Query kExecutores{"prod_executores",
                                "SELECT DISTINCT registrado_por_sub FROM registros WHERE op_id = $1::uuid"};
constexpr pg::Query kRevisao{"prod_revisao",
                             "SELECT op_id, revisado_por, revisado_por_nome, " PHARMASYS_PG_INSTANT(
                                 "revisado_em") ", excecoes, observacao, assinatura::text"
                                                " FROM revisoes WHERE op_id = $1::uuid"};
constexpr pg::Query kInsertRevisao{
    "prod_revisao_insert",
    "INSERT INTO revisoes (op_id, revisado_por_sub, revisado_por, revisado_por_nome, excecoes, observacao, assinatura)"
    " VALUES ($1::uuid, $2, $3, $4, $5, $6, $7::jsonb)"
    " RETURNING " PHARMASYS_PG_INSTANT("revisado_em")};

std::string Str(const boost::json::object& o, const char* key) {
  return std::string(o.at(key).as_string());
}
std::optional<std::string> OptStr(const boost::json::object& o, const char* key) {
  auto* v = o.if_contains(key);
  if (v == nullptr || !v->is_string()) return std::nullopt;
  return std::string(v->as_string());
}
std::optional<Decimal> OptDecimal(const boost::json::object& o, const char* key) {
  auto* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return std::nullopt;
  return json::DecimalFrom(*v);
}

boost::json::array EtapasJson(const std::vector<Etapa>& etapas) {
  boost::json::array out;
  for (const auto& e : etapas) {
    boost::json::array parametros;
    for (const auto& p : e.parametros) {
      boost::json::object o{{"nome", p.nome}};
      if (p.unidade) o["unidade"] = *p.unidade;
      if (p.minimo) o["minimo"] = json::ToJson(*p.minimo);
      if (p.maximo) o["maximo"] = json::ToJson(*p.maximo);
      parametros.push_back(std::move(o));
    }
    out.push_back(boost::json::object{{"ordem", e.ordem}, {"nome", e.nome}, {"parametros", std::move(parametros)}});
  }
  return out;
}

boost::json::array InsumosJson(const std::vector<Insumo>& insumos) {
  boost::json::array out;
  for (const auto& i : insumos) {
    out.push_back(boost::json::object{{"material", i.material},
                                      {"quantidade_por_unidade", json::ToJson(i.quantidade_por_unidade)}});
  }
  return out;
}

Receita ReceitaFrom(const pg::Row& r) {
  Receita out{.id = r.String(0),
              .produto = r.String(1),
              .criado_por = r.String(5),
              .criado_em = r.String(6),
              .versao = r.Int(2)};
  const auto etapas = json::Parse(r.Text(3));
  for (const auto& e : etapas.as_array()) {
    const auto& o = e.as_object();
    Etapa etapa{.ordem = static_cast<int>(o.at("ordem").to_number<std::int64_t>()), .nome = Str(o, "nome")};
    for (const auto& p : o.at("parametros").as_array()) {
      const auto& po = p.as_object();
      etapa.parametros.push_back(
          {Str(po, "nome"), OptStr(po, "unidade"), OptDecimal(po, "minimo"), OptDecimal(po, "maximo")});
    }
    out.etapas.push_back(std::move(etapa));
  }
  const auto insumos = json::Parse(r.Text(4));
  for (const auto& i : insumos.as_array()) {
    out.insumos.push_back({Str(i.as_object(), "material"), *OptDecimal(i.as_object(), "quantidade_por_unidade")});
  }
  return out;
}

Ordem OrdemFrom(const pg::Row& r) {
  Ordem o{.id = r.String(0),
          .codigo = r.String(1),
          .produto = r.String(2),
          .receita_id = r.String(4),
          .criado_por = r.String(9),
          .criado_em = r.String(10),
          .quantidade = r.Numeric(3),
          .motivo_cancelamento = r.OptionalString(8),
          .iniciada_em = r.OptionalString(11),
          .concluida_em = r.OptionalString(12),
          .cancelada_em = r.OptionalString(13),
          .versao = r.Int(14)};
  o.estado.status = ParseOpStatus(r.Text(5)).value_or(OpStatus::Planejada);
  if (!r.IsNull(6)) o.estado.antes_do_bloqueio = ParseOpStatus(r.Text(6));
  o.estado.desvios_abertos = static_cast<int>(r.Int(7));
  return o;
}

LoteProduzido LoteFrom(const pg::Row& r) {
  return {.id = r.String(0),
          .codigo = r.String(1),
          .op_id = r.String(2),
          .material = r.String(3),
          .unidade = r.String(4),
          .data_fabricacao = r.String(5),
          .validade = r.String(6),
          .status = r.String(7),
          .criado_por = r.String(8),
          .criado_em = r.String(9),
          .quantidade = r.Numeric(10),
          .laudo_id = r.OptionalString(11),
          .laudo_emitido_em = r.OptionalString(12)};
}

IntencaoConsumo IntencaoFrom(const pg::Row& r) {
  IntencaoConsumo i{.id = r.String(0),
                    .op_id = r.String(1),
                    .material = r.String(2),
                    .chave_estoque = r.String(4),
                    .hash_requisicao = r.String(5),
                    .estado = r.String(6),
                    .quantidade = r.Numeric(3),
                    .sub = r.String(7),
                    .username = r.String(8),
                    .nome = r.String(9)};
  if (auto status = r.OptionalInt(10)) {
    i.recusa_status = static_cast<int>(*status);
    i.recusa_tipo = r.String(11);
    i.recusa_titulo = r.String(12);
    i.recusa_detalhe = r.String(13);
    if (auto erros = r.OptionalString(14)) {
      const auto parsed = json::Parse(*erros);
      for (const auto& e : parsed.as_array()) {
        i.recusa_erros.push_back({std::string(e.at("campo").as_string()), std::string(e.at("mensagem").as_string())});
      }
    }
  }
  return i;
}

Consumo ConsumoFrom(pg::Transaction& tx, const pg::Row& r) {
  Consumo c{.id = r.String(0),
            .op_id = r.String(1),
            .material = r.String(2),
            .estoque_consumo_id = r.String(4),
            .criado_por = r.String(5),
            .criado_em = r.String(6),
            .quantidade = r.Numeric(3)};
  auto rows = tx.Exec(kConsumoLotes, pg::Params(c.id));
  for (int i = 0; i < rows.size(); ++i) {
    c.lotes.push_back({rows[i].String(0), rows[i].String(1), rows[i].String(2), rows[i].Numeric(3)});
  }
  return c;
}

}  // namespace

std::optional<Material> FindMaterial(pg::Transaction& tx, const std::string& codigo) {
  auto rows = tx.Exec(kMaterial, pg::Params(codigo));
  if (rows.empty()) return std::nullopt;
  auto r = rows.Single();
  return Material{r.String(0), r.String(1), r.String(2), r.String(3), r.Int(4)};
}

bool IsNotFuture(pg::Transaction& tx, const std::string& date, const std::string& fuso) {
  return tx.Exec(kNotFuture, pg::Params(date, fuso)).Single().Bool(0);
}

boost::json::object Receita::ToJson() const {
  return {{"id", id},
          {"produto", produto},
          {"versao", versao},
          {"etapas", EtapasJson(etapas)},
          {"insumos", InsumosJson(insumos)},
          {"criado_por", criado_por},
          {"criado_em", criado_em}};
}

std::optional<Receita> FindReceita(pg::Transaction& tx, const std::string& id) {
  if (!json::IsUuid(id)) return std::nullopt;
  auto rows = tx.Exec(kReceita, pg::Params(id));
  if (rows.empty()) return std::nullopt;
  return ReceitaFrom(rows.Single());
}

std::vector<Receita> ListReceitas(pg::Transaction& tx, const std::optional<std::string>& produto,
                                  const std::optional<std::string>& cursor, SortOrder order, std::int64_t limit) {
  auto rows = tx.Exec(kReceitas[order], pg::Params(produto, cursor, limit));
  std::vector<Receita> out;
  for (int i = 0; i < rows.size(); ++i) out.push_back(ReceitaFrom(rows[i]));
  return out;
}

bool InsertReceita(pg::Transaction& tx, const Receita& r) {
  return tx.Exec(kInsertReceita, pg::Params(r.id, r.produto, r.versao, json::Serialize(EtapasJson(r.etapas)),
                                            json::Serialize(InsumosJson(r.insumos)), r.criado_por))
             .affected() == 1;
}

std::optional<Ordem> FindOrdem(pg::Transaction& tx, const std::string& id, bool for_update) {
  if (!json::IsUuid(id)) return std::nullopt;
  auto rows = tx.Exec(for_update ? kOrdemLock : kOrdem, pg::Params(id));
  if (rows.empty()) return std::nullopt;
  return OrdemFrom(rows.Single());
}

std::vector<Ordem> ListOrdens(pg::Transaction& tx, const std::optional<std::string>& status,
                              const std::optional<std::string>& produto, const std::optional<std::string>& cursor,
                              SortOrder order, std::int64_t limit) {
  auto rows = tx.Exec(kOrdens[order], pg::Params(status, produto, cursor, limit));
  std::vector<Ordem> out;
  for (int i = 0; i < rows.size(); ++i) out.push_back(OrdemFrom(rows[i]));
  return out;
}

Ordem InsertOrdem(pg::Transaction& tx, const std::string& produto, Decimal quantidade, const std::string& receita_id,
                  const std::string& criado_por) {
  const std::string id = ids::NewUuidV7();
  tx.Exec(kInsertOrdem, pg::Params(id, produto, quantidade, receita_id, criado_por));
  return *FindOrdem(tx, id);
}

void SaveEstado(pg::Transaction& tx, const std::string& id, const OpEstado& estado, OpAto ato,
                const std::optional<std::string>& motivo) {
  std::optional<std::string> antes;
  if (estado.antes_do_bloqueio) antes = std::string(ToString(*estado.antes_do_bloqueio));
  const char* stamp = ato == OpAto::Iniciar    ? "iniciar"
                      : ato == OpAto::Concluir ? "concluir"
                      : ato == OpAto::Cancelar ? "cancelar"
                                               : "";
  tx.Exec(kSaveEstado, pg::Params(id, std::string(ToString(estado.status)), antes, estado.desvios_abertos,
                                  std::string(stamp), motivo));
}

boost::json::object Registro::ToJson() const {
  return {{"id", id},
          {"ordem", ordem},
          {"parametros", parametros},
          {"fora_dos_limites", fora_dos_limites},
          {"sinalizado", !fora_dos_limites.empty()},
          {"motivo", json::ToJson(motivo)},
          {"observacao", json::ToJson(observacao)},
          {"registrado_por", registrado_por},
          {"registrado_em", registrado_em}};
}

std::vector<Registro> RegistrosOf(pg::Transaction& tx, const std::string& op_id) {
  auto rows = tx.Exec(kRegistros, pg::Params(op_id));
  std::vector<Registro> out;
  for (int i = 0; i < rows.size(); ++i) {
    auto r = rows[i];
    out.push_back({.id = r.String(0),
                   .ordem = static_cast<int>(r.Int(1)),
                   .parametros = json::Parse(r.Text(2)).as_object(),
                   .fora_dos_limites = json::Parse(r.Text(3)).as_array(),
                   .motivo = r.OptionalString(4),
                   .observacao = r.OptionalString(5),
                   .registrado_por = r.String(6),
                   .registrado_em = r.String(7)});
  }
  return out;
}

void InsertRegistro(pg::Transaction& tx, const std::string& op_id, const Registro& r,
                    const std::string& registrado_por_sub) {
  tx.Exec(kInsertRegistro,
          pg::Params(r.id, op_id, r.ordem, json::Serialize(r.parametros), json::Serialize(r.fora_dos_limites), r.motivo,
                     r.observacao, registrado_por_sub, r.registrado_por));
}

boost::json::object Consumo::ToJson() const {
  boost::json::array items;
  for (const auto& l : lotes) {
    items.push_back(boost::json::object{{"lote_id", l.lote_id},
                                        {"lote_codigo", l.lote_codigo},
                                        {"quantidade", json::ToJson(l.quantidade)},
                                        {"validade", l.validade}});
  }
  return {{"consumo_id", id},          {"op_id", op_id},
          {"material", material},      {"quantidade", json::ToJson(quantidade)},
          {"lotes", std::move(items)}, {"estoque_consumo_id", estoque_consumo_id},
          {"criado_por", criado_por},  {"criado_em", criado_em}};
}

std::optional<Consumo> FindConsumo(pg::Transaction& tx, const std::string& id) {
  auto rows = tx.Exec(kConsumo, pg::Params(id));
  if (rows.empty()) return std::nullopt;
  return ConsumoFrom(tx, rows.Single());
}

std::vector<Consumo> ConsumosOf(pg::Transaction& tx, const std::string& op_id) {
  auto rows = tx.Exec(kConsumos, pg::Params(op_id));
  std::vector<Consumo> out;
  for (int i = 0; i < rows.size(); ++i) out.push_back(ConsumoFrom(tx, rows[i]));
  return out;
}

void InsertConsumo(pg::Transaction& tx, const Consumo& c) {
  tx.Exec(kInsertConsumo, pg::Params(c.id, c.op_id, c.material, c.quantidade, c.estoque_consumo_id, c.criado_por));
  int ordem = 0;
  for (const auto& l : c.lotes) {
    tx.Exec(kInsertConsumoLote, pg::Params(c.id, ++ordem, l.lote_id, l.lote_codigo, l.quantidade, l.validade));
  }
}

boost::json::object LoteProduzido::ToJson() const {
  boost::json::value laudo = nullptr;
  if (laudo_id) laudo = boost::json::object{{"laudo_id", *laudo_id}, {"emitido_em", json::ToJson(laudo_emitido_em)}};
  return {{"id", id},
          {"codigo", codigo},
          {"op_id", op_id},
          {"material", material},
          {"quantidade", json::ToJson(quantidade)},
          {"unidade", unidade},
          {"data_fabricacao", data_fabricacao},
          {"validade", validade},
          {"status", status},
          {"laudo", laudo},
          {"criado_por", criado_por},
          {"criado_em", criado_em}};
}

std::vector<LoteProduzido> LotesOf(pg::Transaction& tx, const std::string& op_id) {
  auto rows = tx.Exec(kLotes, pg::Params(op_id));
  std::vector<LoteProduzido> out;
  for (int i = 0; i < rows.size(); ++i) out.push_back(LoteFrom(rows[i]));
  return out;
}

LoteProduzido InsertLote(pg::Transaction& tx, const std::string& op_id, const Material& produto, Decimal quantidade,
                         const std::string& data_fabricacao, std::int64_t prazo_validade_dias,
                         const std::string& criado_por) {
  const std::string id = ids::NewUuidV7();
  tx.Exec(kInsertLote, pg::Params(id, op_id, produto.codigo, quantidade, produto.unidade, data_fabricacao,
                                  prazo_validade_dias, criado_por));
  return LoteFrom(tx.Exec(kLote, pg::Params(id)).Single());
}

std::optional<domain::LoteStatus> LockLoteStatus(pg::Transaction& tx, const std::string& lote_id) {
  auto rows = tx.Exec(kLoteStatusLock, pg::Params(lote_id));
  if (rows.empty()) return std::nullopt;
  return domain::ParseLoteStatus(rows.Single().Text(0)).value_or(domain::LoteStatus::Quarentena);
}

void SetLoteLaudo(pg::Transaction& tx, const std::string& lote_id, domain::LoteStatus status,
                  const std::string& laudo_id, const std::string& emitido_em) {
  tx.Exec(kLaudoLote, pg::Params(lote_id, std::string(ToString(status)), laudo_id, emitido_em));
}

void SetLoteRecolhido(pg::Transaction& tx, const std::string& lote_id, const std::string& motivo) {
  tx.Exec(kRecallLote, pg::Params(lote_id, std::string(ToString(domain::LoteStatus::Recolhido)), motivo));
}

bool RecordDesvio(pg::Transaction& tx, const events::DesvioAberto& d, const std::string& quando,
                  const std::string& por) {
  // A redelivery, or an opening arriving after its closing, inserts nothing.
  return tx.Exec(kDesvioAberto, pg::Params(d.desvio_id, d.op_id, d.lote_id, d.classificacao, d.descricao, quando, por))
             .affected() == 1;
}

bool RecordDesvio(pg::Transaction& tx, const events::DesvioEncerrado& d, const std::string& quando,
                  const std::string& por) {
  auto rows = tx.Exec(kDesvioLock, pg::Params(d.desvio_id));
  if (rows.empty()) {
    // Closed before its opening arrived: remembered as closed, so the opening changes nothing.
    tx.Exec(kDesvioEncerradoNovo, pg::Params(d.desvio_id, d.op_id, d.lote_id, quando, por));
    return false;
  }
  return tx.Exec(kDesvioEncerrar, pg::Params(d.desvio_id, quando, por)).affected() == 1;
}

domain::FatosDoRegistroDeLote FatosDaRevisao(pg::Transaction& tx, const Ordem& ordem) {
  domain::FatosDoRegistroDeLote fatos;
  if (auto receita = FindReceita(tx, ordem.receita_id)) {
    for (const auto& e : receita->etapas) fatos.etapas[e.ordem] = e.nome;
  }
  for (const auto& r : RegistrosOf(tx, ordem.id)) {
    domain::RegistroRevisto revisto{.id = r.id,
                                    .ordem = r.ordem,
                                    .motivo = r.motivo,
                                    .registrado_por = r.registrado_por,
                                    .registrado_em = r.registrado_em};
    revisto.fora_dos_limites = domain::ValoresForaDosLimites(r.fora_dos_limites);
    fatos.registros.push_back(std::move(revisto));
  }
  auto rows = tx.Exec(kDesviosDaOp, pg::Params(ordem.id));
  for (int i = 0; i < rows.size(); ++i) {
    auto r = rows[i];
    fatos.desvios.push_back({.id = r.String(0),
                             .classificacao = r.OptionalString(1),
                             .descricao = r.OptionalString(2),
                             .aberto = r.Bool(3),
                             .aberto_em = r.OptionalString(4),
                             .encerrado_em = r.OptionalString(5),
                             .aberto_por = r.OptionalString(6),
                             .encerrado_por = r.OptionalString(7)});
  }
  for (const auto& l : LotesOf(tx, ordem.id)) {
    if (!fatos.primeiro_lote_em || l.criado_em < *fatos.primeiro_lote_em) fatos.primeiro_lote_em = l.criado_em;
  }
  return fatos;
}

std::set<std::string> ExecutoresDaOrdem(pg::Transaction& tx, const std::string& op_id) {
  std::set<std::string> out;
  auto rows = tx.Exec(kExecutores, pg::Params(op_id));
  for (int i = 0; i < rows.size(); ++i) out.insert(rows[i].String(0));
  return out;
}

boost::json::object Revisao::ToJson() const {
  return {{"revisado_por", revisado_por}, {"revisado_por_nome", revisado_por_nome}, {"revisado_em", revisado_em},
          {"excecoes", excecoes},         {"observacao", json::ToJson(observacao)}, {"assinatura", assinatura}};
}

std::optional<Revisao> FindRevisao(pg::Transaction& tx, const std::string& op_id) {
  auto rows = tx.Exec(kRevisao, pg::Params(op_id));
  if (rows.empty()) return std::nullopt;
  auto r = rows.Single();
  return Revisao{.op_id = r.String(0),
                 .revisado_por = r.String(1),
                 .revisado_por_nome = r.String(2),
                 .revisado_em = r.String(3),
                 .excecoes = r.Int(4),
                 .observacao = r.OptionalString(5),
                 .assinatura = json::Parse(r.Text(6)).as_object()};
}

Revisao InsertRevisao(pg::Transaction& tx, Revisao revisao, const std::string& revisado_por_sub) {
  revisao.revisado_em = tx.Exec(kInsertRevisao, pg::Params(revisao.op_id, revisado_por_sub, revisao.revisado_por,
                                                           revisao.revisado_por_nome, revisao.excecoes,
                                                           revisao.observacao, json::Serialize(revisao.assinatura)))
                            .Single()
                            .String(0);
  return revisao;
}

std::optional<IntencaoConsumo> FindIntencao(pg::Transaction& tx, const std::string& id, bool for_update) {
  auto rows = tx.Exec(for_update ? kIntencaoForUpdate : kIntencao, pg::Params(id));
  if (rows.empty()) return std::nullopt;
  return IntencaoFrom(rows.Single());
}

void InsertIntencao(pg::Transaction& tx, const IntencaoConsumo& i) {
  tx.Exec(kInsertIntencao, pg::Params(i.id, i.op_id, i.material, i.quantidade, i.chave_estoque, i.hash_requisicao,
                                      i.sub, i.username, i.nome));
}

void ConcluirIntencao(pg::Transaction& tx, const std::string& id) {
  tx.Exec(kConcluirIntencao, pg::Params(id));
}

void RecusarIntencao(pg::Transaction& tx, const std::string& id, const Error& recusa) {
  boost::json::array erros;
  for (const auto& e : recusa.errors())
    erros.push_back(boost::json::object{{"campo", e.campo}, {"mensagem", e.mensagem}});
  tx.Exec(kRecusarIntencao,
          pg::Params(id, recusa.status(), recusa.slug(), recusa.title(), recusa.detail(), json::Serialize(erros)));
}

bool HasPendingIntencao(pg::Transaction& tx, const std::string& op_id) {
  return tx.Exec(kPendingIntencao, pg::Params(op_id)).Single().Bool(0);
}

std::vector<IntencaoConsumo> ClaimStaleIntencoes(pg::Transaction& tx, std::chrono::milliseconds idle, int limit) {
  auto claimed = tx.Exec(kClaimIntencoes, pg::Params(static_cast<std::int64_t>(idle.count()), limit));
  std::vector<IntencaoConsumo> out;
  for (int n = 0; n < claimed.size(); ++n) {
    if (auto i = FindIntencao(tx, claimed[n].String(0), false)) out.push_back(std::move(*i));
  }
  return out;
}

}  // namespace pharmasys::producao
