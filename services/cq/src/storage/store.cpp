#include "store.hpp"

#include <algorithm>

#include "pharmasys/audit/actor.hpp"
#include "pharmasys/error.hpp"
#include "pharmasys/ids.hpp"
#include "pharmasys/json/fields.hpp"
#include "pharmasys/json/json.hpp"

namespace pharmasys::cq {
namespace {

constexpr pg::Query kMaterial{"cq_material", "SELECT codigo, nome, unidade FROM materiais WHERE codigo = $1"};
constexpr pg::Query kMaterialLock{"cq_material_lock", "SELECT codigo FROM materiais WHERE codigo = $1 FOR UPDATE"};

#define SPEC_SELECT \
  "SELECT material, versao, ensaios::text, criado_por, " PHARMASYS_PG_INSTANT("criado_em") " FROM especificacoes "
constexpr pg::Query kSpecCurrent{"cq_spec_current", SPEC_SELECT "WHERE material = $1 ORDER BY versao DESC LIMIT 1"};
constexpr pg::Query kSpecVersion{"cq_spec_version", SPEC_SELECT "WHERE material = $1 AND versao = $2"};
constexpr pg::Query kSpecInsert{"cq_spec_insert",
                                "INSERT INTO especificacoes (material, versao, ensaios, criado_por)"
                                " SELECT $1, COALESCE(max(versao), 0) + 1, $2::jsonb, $3 FROM especificacoes"
                                " WHERE material = $1 RETURNING versao"};

#define LOT_SELECT                                                                                          \
  "SELECT id, codigo, material, quantidade, unidade, validade::text, data_fabricacao::text, origem, op_id," \
  " fornecedor, lote_fornecedor, status, " PHARMASYS_PG_INSTANT("recebido_em") ", versao FROM lotes "
constexpr pg::Query kLot{"cq_lot", LOT_SELECT "WHERE id = $1::uuid"};
constexpr pg::Query kLotLock{"cq_lot_lock", LOT_SELECT "WHERE id = $1::uuid FOR UPDATE"};
constexpr pg::Query kLotInsert{
    "cq_lot_insert",
    "INSERT INTO lotes (id, codigo, material, quantidade, unidade, validade, data_fabricacao, origem, op_id, "
    "fornecedor,"
    " lote_fornecedor, status) VALUES ($1::uuid, $2, $3, $4::numeric, $5, $6::date, $7::date, $8, $9::uuid, $10, $11,"
    " 'quarentena') ON CONFLICT (id) DO NOTHING"};
constexpr pg::Query kLotStatus{"cq_lot_status",
                               "UPDATE lotes SET status = $2, versao = versao + 1 WHERE id = $1::uuid"};

#define SAMPLE_SELECT                                                                               \
  "SELECT id, codigo, lote_id, status, especificacao_versao, coleta_quantidade, coleta_observacao," \
  " coletada_por, " PHARMASYS_PG_INSTANT("coletada_em") ", " PHARMASYS_PG_INSTANT(                  \
      "criado_em") ", versao FROM amostras "
constexpr pg::Query kSample{"cq_sample", SAMPLE_SELECT "WHERE id = $1::uuid"};
constexpr pg::Query kSampleLock{"cq_sample_lock", SAMPLE_SELECT "WHERE id = $1::uuid FOR UPDATE"};
constexpr pg::Query kSampleOfLot{"cq_sample_of_lot", SAMPLE_SELECT "WHERE lote_id = $1::uuid"};
constexpr pg::ListQuery kSamples = PHARMASYS_PG_LIST(
    "cq_samples", SAMPLE_SELECT, " AND ($1::text IS NULL OR status = $1) AND ($2::uuid IS NULL OR lote_id = $2::uuid)",
    "id", "$3::uuid", "$4");
constexpr pg::Query kSampleInsert{"cq_sample_insert",
                                  "INSERT INTO amostras (id, codigo, lote_id, status) VALUES ($1::uuid, 'AM-' ||"
                                  " " PHARMASYS_PG_CODE_NUMBER("amostra_seq", "6") ", $2::uuid, 'aguardando_coleta')"};
constexpr pg::Query kSampleCollect{"cq_sample_collect",
                                   "UPDATE amostras SET status = 'coletada', coleta_quantidade = $2::numeric,"
                                   " coleta_observacao = $3, coletada_por = $4, coletada_em = now(),"
                                   " versao = versao + 1 WHERE id = $1::uuid"};
constexpr pg::Query kSampleStatus{"cq_sample_status",
                                  "UPDATE amostras SET status = $2, especificacao_versao ="
                                  " COALESCE(especificacao_versao, $3::integer), versao = versao + 1"
                                  " WHERE id = $1::uuid"};

constexpr pg::Query kResults{
    "cq_results",
    "SELECT id, ensaio, valor_numerico, valor_texto, conforme, motivo, registrado_por_sub,"
    " registrado_por_username, registrado_por_nome, " PHARMASYS_PG_INSTANT(
        "registrado_em") " FROM resultados WHERE amostra_id = $1::uuid ORDER BY registrado_em, id"};
constexpr pg::Query kResultInsert{
    "cq_result_insert",
    "INSERT INTO resultados (id, amostra_id, ensaio, valor_numerico, valor_texto, conforme, motivo,"
    " registrado_por_sub, registrado_por_username, registrado_por_nome) VALUES ($1::uuid, $2::uuid, $3,"
    " $4::numeric, $5, $6, $7, $8, $9, $10) RETURNING " PHARMASYS_PG_INSTANT("registrado_em")};

#define LAUDO_SELECT                                                                                    \
  "SELECT id, amostra_id, lote_id, decisao, observacao, motivo, emitido_por_sub, emitido_por_username," \
  " emitido_por_nome, " PHARMASYS_PG_INSTANT("emitido_em") ", assinatura::text FROM laudos "
constexpr pg::Query kLaudo{"cq_laudo", LAUDO_SELECT "WHERE id = $1::uuid"};
constexpr pg::Query kLaudoOfSample{"cq_laudo_of_sample", LAUDO_SELECT "WHERE amostra_id = $1::uuid"};
constexpr pg::Query kLaudosOfLot{"cq_laudos_of_lot", LAUDO_SELECT "WHERE lote_id = $1::uuid ORDER BY emitido_em"};
constexpr pg::Query kLaudoInsert{
    "cq_laudo_insert",
    "INSERT INTO laudos (id, amostra_id, lote_id, decisao, observacao, motivo, emitido_por_sub, emitido_por_username,"
    " emitido_por_nome, emitido_em, assinatura) VALUES ($1::uuid, $2::uuid, $3::uuid, $4, $5, $6, $7, $8, $9,"
    " $10::timestamptz, $11::jsonb)"};

#define DESVIO_SELECT \
  "SELECT id, codigo, op_id, lote_id, classificacao, descricao, status, aberto_por, " PHARMASYS_PG_INSTANT("aberto_em")         \
  ", conclusao, acao_corretiva, encerrado_por, " PHARMASYS_PG_INSTANT("encerrado_em") ", assinatura::text, versao FROM desvios "
constexpr pg::Query kDesvio{"cq_desvio", DESVIO_SELECT "WHERE id = $1::uuid"};
constexpr pg::Query kDesvioLock{"cq_desvio_lock", DESVIO_SELECT "WHERE id = $1::uuid FOR UPDATE"};
constexpr pg::ListQuery kDesvios =
    PHARMASYS_PG_LIST("cq_desvios", DESVIO_SELECT,
                      " AND ($1::text IS NULL OR status = $1) AND ($2::uuid IS NULL"
                      " OR op_id = $2::uuid) AND ($3::uuid IS NULL OR lote_id = $3::uuid)",
                      "id", "$4::uuid", "$5");
constexpr pg::Query kDesvioInsert{"cq_desvio_insert",
                                  "INSERT INTO desvios (id, codigo, op_id, lote_id, classificacao, descricao, status,"
                                  " aberto_por) VALUES ($1::uuid, 'DSV-' || " PHARMASYS_PG_CODE_NUMBER("desvio_seq", "6") ","
                                  " $2::uuid, $3::uuid, $4, $5, 'aberto', $6)"};
constexpr pg::Query kDesvioClose{"cq_desvio_close",
                                 "UPDATE desvios SET status = 'encerrado', conclusao = $2, acao_corretiva = $3,"
                                 " encerrado_por = $4, encerrado_em = now(), assinatura = $5::jsonb,"
                                 " versao = versao + 1 WHERE id = $1::uuid"};
constexpr pg::Query kDesvioScopeLock{"cq_desvio_scope_lock",
                                     "SELECT pg_advisory_xact_lock(hashtextextended($1, 3419020531))"};
constexpr pg::Query kOpenDesvios{"cq_open_desvios",
                                 "SELECT count(*) FROM desvios WHERE status = 'aberto'"
                                 " AND (lote_id = $1::uuid OR ($2::uuid IS NOT NULL AND op_id = $2::uuid))"};

#define RECALL_SELECT \
  "SELECT r.id, r.lote_id, l.codigo, r.motivo, r.criado_por, " PHARMASYS_PG_INSTANT("r.criado_em") ", r.assinatura::text"      \
  " FROM recolhimentos r JOIN lotes l ON l.id = r.lote_id "
constexpr pg::Query kRecall{"cq_recall", RECALL_SELECT "WHERE r.id = $1::uuid"};
constexpr pg::Query kRecallOfLot{"cq_recall_of_lot", RECALL_SELECT "WHERE r.lote_id = $1::uuid"};
constexpr pg::Query kRecallInsert{"cq_recall_insert",
                                  "INSERT INTO recolhimentos (id, lote_id, motivo, criado_por, assinatura)"
                                  " VALUES ($1::uuid, $2::uuid, $3, $4, $5::jsonb)"};

#define RETURN_SELECT \
  "SELECT id, expedicao_id, lote_id, quantidade, motivo, " PHARMASYS_PG_INSTANT("registrada_em") " FROM devolucoes "
constexpr pg::Query kRevisaoInsert{"cq_revisao_insert",
                                   "INSERT INTO op_revisoes (op_id, codigo, revisado_por, revisado_em, excecoes)"
                                   " VALUES ($1::uuid, $2, $3, $4::timestamptz, $5) ON CONFLICT (op_id) DO NOTHING"};
constexpr pg::Query kRevisaoExists{"cq_revisao_exists", "SELECT 1 FROM op_revisoes WHERE op_id = $1::uuid"};
constexpr pg::Query kReturnInsert{
    "cq_return_insert",
    "INSERT INTO devolucoes (id, expedicao_id, lote_id, quantidade, motivo, registrada_em)"
    " VALUES ($1::uuid, $2::uuid, $3::uuid, $4::numeric, $5, $6::timestamptz)"
    " ON CONFLICT (id) DO NOTHING"};
constexpr pg::Query kReturnsOfLot{"cq_returns_of_lot", RETURN_SELECT "WHERE lote_id = $1::uuid ORDER BY id"};
constexpr pg::ListQuery kReturns = PHARMASYS_PG_LIST(
    "cq_returns", RETURN_SELECT, " AND ($1::uuid IS NULL OR lote_id = $1::uuid)", "id", "$2::uuid", "$3");

std::string Str(const boost::json::object& o, const char* key) {
  return std::string(o.at(key).as_string());
}
std::optional<std::string> OptStr(const boost::json::object& o, const char* key) {
  auto it = o.find(key);
  if (it == o.end() || !it->value().is_string()) return std::nullopt;
  return std::string(it->value().as_string());
}

Ensaio EnsaioFrom(const boost::json::object& o) {
  Ensaio e{.codigo = Str(o, "codigo"), .nome = Str(o, "nome")};
  e.unidade = OptStr(o, "unidade");
  if (auto it = o.find("minimo"); it != o.end() && !it->value().is_null()) e.minimo = json::DecimalFrom(it->value());
  if (auto it = o.find("maximo"); it != o.end() && !it->value().is_null()) e.maximo = json::DecimalFrom(it->value());
  e.esperado = OptStr(o, "esperado");
  return e;
}

Specification SpecFrom(const pg::Row& r) {
  Specification s{.material = r.String(0), .versao = r.Int(1), .criado_por = r.String(3), .criado_em = r.String(4)};
  const auto ensaios = json::Parse(r.Text(2));
  for (const auto& e : ensaios.as_array()) s.ensaios.push_back(EnsaioFrom(e.as_object()));
  return s;
}

Lot LotFrom(const pg::Row& r) {
  return Lot{.id = r.String(0),
             .codigo = r.String(1),
             .material = r.String(2),
             .unidade = r.String(4),
             .validade = r.String(5),
             .origem = r.String(7),
             .recebido_em = r.String(12),
             .status = domain::ParseLoteStatus(r.Text(11)).value_or(domain::LoteStatus::Quarentena),
             .quantidade = r.Numeric(3),
             .data_fabricacao = r.OptionalString(6),
             .op_id = r.OptionalString(8),
             .fornecedor = r.OptionalString(9),
             .lote_fornecedor = r.OptionalString(10),
             .versao = r.Int(13)};
}

Sample SampleFrom(const pg::Row& r) {
  return Sample{.id = r.String(0),
                .codigo = r.String(1),
                .lote_id = r.String(2),
                .status = r.String(3),
                .criado_em = r.String(9),
                .especificacao_versao = r.OptionalInt(4),
                .coleta_quantidade = r.OptionalNumeric(5),
                .coleta_observacao = r.OptionalString(6),
                .coletada_por = r.OptionalString(7),
                .coletada_em = r.OptionalString(8),
                .versao = r.Int(10)};
}

Laudo LaudoFrom(const pg::Row& r) {
  return Laudo{.id = r.String(0),
               .amostra_id = r.String(1),
               .lote_id = r.String(2),
               .decisao = r.String(3),
               .emitido_por_sub = r.String(6),
               .emitido_por_username = r.String(7),
               .emitido_por_nome = r.String(8),
               .emitido_em = r.String(9),
               .observacao = r.OptionalString(4),
               .motivo = r.OptionalString(5),
               .assinatura = json::Parse(r.Text(10)).as_object()};
}

Desvio DesvioFrom(const pg::Row& r) {
  Desvio d{.id = r.String(0),
           .codigo = r.String(1),
           .op_id = r.String(2),
           .classificacao = r.String(4),
           .descricao = r.String(5),
           .status = r.String(6),
           .aberto_por = r.String(7),
           .aberto_em = r.String(8),
           .lote_id = r.OptionalString(3),
           .conclusao = r.OptionalString(9),
           .acao_corretiva = r.OptionalString(10),
           .encerrado_por = r.OptionalString(11),
           .encerrado_em = r.OptionalString(12),
           .versao = r.Int(14)};
  if (!r.IsNull(13)) d.assinatura = json::Parse(r.Text(13)).as_object();
  return d;
}

Recall RecallFrom(const pg::Row& r) {
  return Recall{
      r.String(0), r.String(1), r.String(2), r.String(3), r.String(4), r.String(5), json::Parse(r.Text(6)).as_object()};
}

boost::json::object ReturnFrom(const pg::Row& r) {
  return {{"devolucao_id", r.String(0)}, {"expedicao_id", r.String(1)},
          {"lote_id", r.String(2)},      {"quantidade", json::ToJson(r.Numeric(3))},
          {"motivo", r.String(4)},       {"registrada_em", r.String(5)}};
}

template <typename T, typename F>
std::vector<T> All(const pg::Result& rows, F from) {
  std::vector<T> out;
  out.reserve(rows.size());
  for (int i = 0; i < rows.size(); ++i) out.push_back(from(rows[i]));
  return out;
}

}  // namespace

boost::json::object ToJson(const Ensaio& e) {
  boost::json::object o{{"codigo", e.codigo}, {"nome", e.nome}};
  if (e.unidade) o["unidade"] = *e.unidade;
  if (e.minimo) o["minimo"] = json::ToJson(*e.minimo);
  if (e.maximo) o["maximo"] = json::ToJson(*e.maximo);
  if (e.esperado) o["esperado"] = *e.esperado;
  return o;
}

std::optional<MaterialInfo> FindMaterial(pg::Transaction& tx, const std::string& codigo) {
  auto rows = tx.Exec(kMaterial, pg::Params(codigo));
  if (rows.empty()) return std::nullopt;
  auto r = rows.Single();
  return MaterialInfo{r.String(0), r.String(1), r.String(2)};
}

boost::json::object Specification::ToJson() const {
  boost::json::array items;
  for (const auto& e : ensaios) items.push_back(cq::ToJson(e));
  return {{"material", material},
          {"versao", versao},
          {"ensaios", std::move(items)},
          {"criado_por", criado_por},
          {"criado_em", criado_em}};
}

std::optional<Specification> FindSpecification(pg::Transaction& tx, const std::string& material,
                                               std::optional<std::int64_t> versao) {
  auto rows =
      versao ? tx.Exec(kSpecVersion, pg::Params(material, *versao)) : tx.Exec(kSpecCurrent, pg::Params(material));
  if (rows.empty()) return std::nullopt;
  return SpecFrom(rows.Single());
}

Specification AddSpecification(pg::Transaction& tx, const std::string& material, const std::vector<Ensaio>& ensaios,
                               const std::string& criado_por) {
  tx.Exec(kMaterialLock, pg::Params(material));  // one new version at a time per material
  boost::json::array items;
  for (const auto& e : ensaios) items.push_back(cq::ToJson(e));
  auto versao = tx.Exec(kSpecInsert, pg::Params(material, json::Serialize(items), criado_por)).Single().Int(0);
  return *FindSpecification(tx, material, versao);
}

boost::json::object Lot::ToJson() const {
  return {{"id", id},
          {"codigo", codigo},
          {"material", material},
          {"quantidade", json::ToJson(quantidade)},
          {"unidade", unidade},
          {"validade", validade},
          {"data_fabricacao", json::ToJson(data_fabricacao)},
          {"origem", origem},
          {"op_id", json::ToJson(op_id)},
          {"fornecedor", json::ToJson(fornecedor)},
          {"lote_fornecedor", json::ToJson(lote_fornecedor)},
          {"status", ToString(status)},
          {"recebido_em", recebido_em}};
}

std::optional<Lot> FindLot(pg::Transaction& tx, const std::string& id, bool for_update) {
  if (!json::IsUuid(id)) return std::nullopt;
  auto rows = tx.Exec(for_update ? kLotLock : kLot, pg::Params(id));
  if (rows.empty()) return std::nullopt;
  return LotFrom(rows.Single());
}

bool InsertLot(pg::Transaction& tx, const events::LoteCriado& l) {
  return tx.Exec(kLotInsert, pg::Params(l.lote_id, l.codigo, l.material, l.quantidade, l.unidade, l.validade,
                                        l.data_fabricacao, l.origem, l.op_id, l.fornecedor, l.lote_fornecedor))
             .affected() == 1;
}

void SetLotStatus(pg::Transaction& tx, const std::string& id, domain::LoteStatus status) {
  tx.Exec(kLotStatus, pg::Params(id, std::string(ToString(status))));
}

boost::json::object Result::ToJson() const {
  boost::json::value v;
  if (const auto* number = std::get_if<Decimal>(&valor)) {
    v = json::ToJson(*number);
  } else {
    v = boost::json::string(std::get<std::string>(valor));
  }
  return {{"id", id},
          {"ensaio", ensaio},
          {"valor", v},
          {"conforme", conforme},
          {"motivo", json::ToJson(motivo)},
          {"registrado_por",
           boost::json::object{
               {"sub", registrado_por_sub}, {"username", registrado_por_username}, {"nome", registrado_por_nome}}},
          {"registrado_em", registrado_em}};
}

std::optional<Sample> FindSample(pg::Transaction& tx, const std::string& id, bool for_update) {
  if (!json::IsUuid(id)) return std::nullopt;
  auto rows = tx.Exec(for_update ? kSampleLock : kSample, pg::Params(id));
  if (rows.empty()) return std::nullopt;
  return SampleFrom(rows.Single());
}

std::optional<Sample> FindSampleOfLot(pg::Transaction& tx, const std::string& lote_id) {
  auto rows = tx.Exec(kSampleOfLot, pg::Params(lote_id));
  if (rows.empty()) return std::nullopt;
  return SampleFrom(rows.Single());
}

std::vector<Sample> ListSamples(pg::Transaction& tx, const std::optional<std::string>& status,
                                const std::optional<std::string>& lote_id, const std::optional<std::string>& cursor,
                                SortOrder order, std::int64_t limit) {
  return All<Sample>(tx.Exec(kSamples[order], pg::Params(status, lote_id, cursor, limit)), SampleFrom);
}

void InsertSample(pg::Transaction& tx, const std::string& id, const std::string& lote_id) {
  tx.Exec(kSampleInsert, pg::Params(id, lote_id));
}

void SetSampleCollected(pg::Transaction& tx, const std::string& id, Decimal quantidade,
                        const std::optional<std::string>& observacao, const std::string& por) {
  tx.Exec(kSampleCollect, pg::Params(id, quantidade, observacao, por));
}

void SetSampleStatus(pg::Transaction& tx, const std::string& id, AmostraStatus status,
                     std::optional<std::int64_t> especificacao_versao) {
  tx.Exec(kSampleStatus, pg::Params(id, std::string(ToString(status)), especificacao_versao));
}

std::vector<Result> ResultsOf(pg::Transaction& tx, const std::string& amostra_id) {
  return All<Result>(tx.Exec(kResults, pg::Params(amostra_id)), [](const pg::Row& r) {
    Result out{.id = r.String(0),
               .ensaio = r.String(1),
               .registrado_por_sub = r.String(6),
               .registrado_por_username = r.String(7),
               .registrado_por_nome = r.String(8),
               .registrado_em = r.String(9),
               .valor = r.IsNull(2) ? Valor(r.String(3)) : Valor(r.Numeric(2)),
               .conforme = r.Bool(4),
               .motivo = r.OptionalString(5)};
    return out;
  });
}

std::vector<Result> CurrentResults(const std::vector<Result>& all) {
  std::vector<Result> current;
  for (const auto& r : all) {
    auto it = std::find_if(current.begin(), current.end(), [&](const Result& c) { return c.ensaio == r.ensaio; });
    if (it == current.end()) {
      current.push_back(r);
    } else {
      *it = r;  // `all` is oldest first: the later one supersedes
    }
  }
  return current;
}

Result InsertResult(pg::Transaction& tx, const std::string& amostra_id, const std::string& ensaio, const Valor& valor,
                    bool conforme, const std::optional<std::string>& motivo, const audit::Actor& actor) {
  Result r{.id = ids::NewUuidV7(),
           .ensaio = ensaio,
           .registrado_por_sub = actor.sub,
           .registrado_por_username = actor.username,
           .registrado_por_nome = actor.nome.empty() ? actor.username : actor.nome,
           .valor = valor,
           .conforme = conforme,
           .motivo = motivo};
  std::optional<Decimal> number;
  std::optional<std::string> text;
  if (const auto* n = std::get_if<Decimal>(&valor)) {
    number = *n;
  } else {
    text = std::get<std::string>(valor);
  }
  r.registrado_em =
      tx.Exec(kResultInsert, pg::Params(r.id, amostra_id, ensaio, number, text, conforme, motivo, r.registrado_por_sub,
                                        r.registrado_por_username, r.registrado_por_nome))
          .Single()
          .String(0);
  return r;
}

boost::json::object SampleJson(pg::Transaction& tx, const Sample& s) {
  auto lot = FindLot(tx, s.lote_id);
  auto all = ResultsOf(tx, s.id);
  boost::json::array current, history;
  for (const auto& r : CurrentResults(all)) current.push_back(r.ToJson());
  for (const auto& r : all) history.push_back(r.ToJson());
  boost::json::value spec = nullptr;
  if (s.especificacao_versao && lot) {
    if (auto found = FindSpecification(tx, lot->material, s.especificacao_versao)) spec = found->ToJson();
  }
  boost::json::value coleta = nullptr;
  if (s.coletada_em) {
    coleta = boost::json::object{{"quantidade", s.coleta_quantidade ? json::ToJson(*s.coleta_quantidade) : nullptr},
                                 {"observacao", json::ToJson(s.coleta_observacao)},
                                 {"coletada_por", json::ToJson(s.coletada_por)},
                                 {"coletada_em", *s.coletada_em}};
  }
  boost::json::value laudo = nullptr;
  if (auto l = FindLaudoOfSample(tx, s.id)) laudo = l->ToJson();
  return {{"id", s.id},
          {"codigo", s.codigo},
          {"lote_id", s.lote_id},
          {"lote", lot ? boost::json::value(lot->ToJson()) : boost::json::value(nullptr)},
          {"status", s.status},
          {"especificacao_versao", s.especificacao_versao ? boost::json::value(*s.especificacao_versao) : nullptr},
          {"especificacao", spec},
          {"coleta", coleta},
          {"resultados", std::move(current)},
          {"historico_resultados", std::move(history)},
          {"laudo", laudo},
          {"criado_em", s.criado_em},
          {"versao", s.versao}};
}

boost::json::object Laudo::ToJson() const {
  return {
      {"id", id},
      {"amostra_id", amostra_id},
      {"lote_id", lote_id},
      {"decisao", decisao},
      {"observacao", json::ToJson(observacao)},
      {"motivo", json::ToJson(motivo)},
      {"emitido_por",
       boost::json::object{{"sub", emitido_por_sub}, {"username", emitido_por_username}, {"nome", emitido_por_nome}}},
      {"emitido_em", emitido_em},
      {"assinatura", assinatura}};
}

std::optional<Laudo> FindLaudo(pg::Transaction& tx, const std::string& id) {
  if (!json::IsUuid(id)) return std::nullopt;
  auto rows = tx.Exec(kLaudo, pg::Params(id));
  if (rows.empty()) return std::nullopt;
  return LaudoFrom(rows.Single());
}

std::optional<Laudo> FindLaudoOfSample(pg::Transaction& tx, const std::string& amostra_id) {
  auto rows = tx.Exec(kLaudoOfSample, pg::Params(amostra_id));
  if (rows.empty()) return std::nullopt;
  return LaudoFrom(rows.Single());
}

std::vector<Laudo> LaudosOfLot(pg::Transaction& tx, const std::string& lote_id) {
  return All<Laudo>(tx.Exec(kLaudosOfLot, pg::Params(lote_id)), LaudoFrom);
}

void InsertLaudo(pg::Transaction& tx, const Laudo& l) {
  tx.Exec(kLaudoInsert,
          pg::Params(l.id, l.amostra_id, l.lote_id, l.decisao, l.observacao, l.motivo, l.emitido_por_sub,
                     l.emitido_por_username, l.emitido_por_nome, l.emitido_em, json::Serialize(l.assinatura)));
}

boost::json::object Desvio::ToJson() const {
  return {{"id", id},
          {"codigo", codigo},
          {"op_id", op_id},
          {"lote_id", json::ToJson(lote_id)},
          {"classificacao", classificacao},
          {"descricao", descricao},
          {"status", status},
          {"aberto_por", aberto_por},
          {"aberto_em", aberto_em},
          {"conclusao", json::ToJson(conclusao)},
          {"acao_corretiva", json::ToJson(acao_corretiva)},
          {"encerrado_por", json::ToJson(encerrado_por)},
          {"encerrado_em", json::ToJson(encerrado_em)},
          {"assinatura", assinatura ? boost::json::value(*assinatura) : boost::json::value(nullptr)},
          {"versao", versao}};
}

std::optional<Desvio> FindDesvio(pg::Transaction& tx, const std::string& id, bool for_update) {
  if (!json::IsUuid(id)) return std::nullopt;
  auto rows = tx.Exec(for_update ? kDesvioLock : kDesvio, pg::Params(id));
  if (rows.empty()) return std::nullopt;
  return DesvioFrom(rows.Single());
}

std::vector<Desvio> ListDesvios(pg::Transaction& tx, const std::optional<std::string>& status,
                                const std::optional<std::string>& op_id, const std::optional<std::string>& lote_id,
                                const std::optional<std::string>& cursor, SortOrder order, std::int64_t limit) {
  return All<Desvio>(tx.Exec(kDesvios[order], pg::Params(status, op_id, lote_id, cursor, limit)), DesvioFrom);
}

Desvio InsertDesvio(pg::Transaction& tx, const std::string& op_id, const std::optional<std::string>& lote_id,
                    const std::string& classificacao, const std::string& descricao, const std::string& por) {
  const std::string id = ids::NewUuidV7();
  tx.Exec(kDesvioInsert, pg::Params(id, op_id, lote_id, classificacao, descricao, por));
  return *FindDesvio(tx, id);
}

void CloseDesvio(pg::Transaction& tx, const std::string& id, const std::string& conclusao,
                 const std::string& acao_corretiva, const std::string& por, const boost::json::object& assinatura) {
  tx.Exec(kDesvioClose, pg::Params(id, conclusao, acao_corretiva, por, json::Serialize(assinatura)));
}

std::int64_t OpenDesvios(pg::Transaction& tx, const std::string& lote_id, const std::optional<std::string>& op_id) {
  return tx.Exec(kOpenDesvios, pg::Params(lote_id, op_id)).Single().Int(0);
}

void LockDesvioScope(pg::Transaction& tx, const std::optional<std::string>& op_id,
                     const std::optional<std::string>& lote_id) {
  // Always the OP's lock before the lot's, and at most one of each: two acts never wait for
  // each other in a circle.
  if (op_id) tx.Exec(kDesvioScopeLock, pg::Params("op:" + *op_id));
  if (lote_id) tx.Exec(kDesvioScopeLock, pg::Params("lote:" + *lote_id));
}

boost::json::object Recall::ToJson() const {
  return {{"id", id},
          {"lote_id", lote_id},
          {"lote_codigo", lote_codigo},
          {"motivo", motivo},
          {"criado_por", criado_por},
          {"criado_em", criado_em},
          {"assinatura", assinatura}};
}

std::optional<Recall> FindRecall(pg::Transaction& tx, const std::string& id) {
  if (!json::IsUuid(id)) return std::nullopt;
  auto rows = tx.Exec(kRecall, pg::Params(id));
  if (rows.empty()) return std::nullopt;
  return RecallFrom(rows.Single());
}

std::optional<Recall> FindRecallOfLot(pg::Transaction& tx, const std::string& lote_id) {
  auto rows = tx.Exec(kRecallOfLot, pg::Params(lote_id));
  if (rows.empty()) return std::nullopt;
  return RecallFrom(rows.Single());
}

void InsertRecall(pg::Transaction& tx, const Recall& r) {
  tx.Exec(kRecallInsert, pg::Params(r.id, r.lote_id, r.motivo, r.criado_por, json::Serialize(r.assinatura)));
}

void InsertRevisao(pg::Transaction& tx, const events::OpRevisada& revisao) {
  tx.Exec(kRevisaoInsert,
          pg::Params(revisao.op_id, revisao.codigo, revisao.revisado_por, revisao.revisado_em, revisao.excecoes));
}

bool RegistroDeLoteRevisado(pg::Transaction& tx, const std::string& op_id) {
  return !tx.Exec(kRevisaoExists, pg::Params(op_id)).empty();
}

void InsertReturn(pg::Transaction& tx, const events::DevolucaoRegistrada& d, const std::string& registrada_em) {
  tx.Exec(kReturnInsert, pg::Params(d.devolucao_id, d.expedicao_id, d.lote_id, d.quantidade, d.motivo, registrada_em));
}

boost::json::array ReturnsOfLot(pg::Transaction& tx, const std::string& lote_id) {
  boost::json::array out;
  auto rows = tx.Exec(kReturnsOfLot, pg::Params(lote_id));
  for (int i = 0; i < rows.size(); ++i) out.push_back(ReturnFrom(rows[i]));
  return out;
}

boost::json::array ListReturns(pg::Transaction& tx, const std::optional<std::string>& lote_id,
                               const std::optional<std::string>& cursor, SortOrder order, std::int64_t limit) {
  boost::json::array out;
  auto rows = tx.Exec(kReturns[order], pg::Params(lote_id, cursor, limit));
  for (int i = 0; i < rows.size(); ++i) out.push_back(ReturnFrom(rows[i]));
  return out;
}

}  // namespace pharmasys::cq
