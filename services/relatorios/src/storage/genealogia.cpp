#include "genealogia.hpp"

#include <cstring>
#include <set>

#include "pharmasys/json/json.hpp"

namespace pharmasys::relatorios {
namespace {

constexpr pg::Query kLotByCode{
    "rel_lot_by_code",
    "SELECT l.id, l.codigo, l.material, m.nome, l.origem, l.op_id, o.codigo, l.status, l.quantidade, l.unidade,"
    " l.validade::text, l.data_fabricacao::text, l.fornecedor, l.lote_fornecedor, " PHARMASYS_PG_INSTANT("l.criado_em")
    " FROM lotes l LEFT JOIN materiais m ON m.codigo = l.material LEFT JOIN ops o ON o.id = l.op_id"
    " WHERE l.codigo = $1"};

// Each statement about one lot is written once, for the lot given by its id ($1) and, for a
// trace read whole in one round trip, by its code ($1, looked up once per statement).
#define REL_LOT_BY_ID "$1::uuid"
#define REL_LOT_BY_CODE "(SELECT id FROM lotes WHERE codigo = $1)"

// Depth is bounded (a genealogy has a handful of levels) so a bad edge can never loop forever.
// The walk goes from OP to OP and its rows are (op_id, nivel) under UNION: a lot reached by
// many paths (a diamond: D made from B and C, both made from A) is expanded once per level,
// not once per path, so a stack of diamonds costs its size, not 2^depth. Each consumption
// is then read once, from the OPs found. The walk uses the edge indexes level by level; the
// consumptions and OPs are looked up one by one (LATERAL … OFFSET 0) rather than joined
// wholesale: the planner cannot guess how few rows a recursive walk yields, and without the
// OFFSET 0 it flattens the lookup into a join and may hash a whole table for it (300,000 OPs
// read for 210 rows, 169 ms instead of 6, with some samples of ANALYZE at a million lots).
constexpr pg::Query kAncestorsByCode{
    "rel_ancestors_by_code",
    "WITH RECURSIVE up (op_id, nivel) AS ("
    " SELECT l.op_id, 1 FROM lotes l WHERE l.codigo = $1 AND l.op_id IS NOT NULL"
    " UNION"
    " SELECT l.op_id, u.nivel + 1 FROM up u JOIN consumos c ON c.op_id = u.op_id JOIN lotes l ON l.id = c.lote_id"
    " WHERE u.nivel < 20 AND l.op_id IS NOT NULL)"
    " SELECT a.lote_id, a.lote_codigo, a.material, a.quantidade, a.op_id, o.codigo, a.nivel FROM"
    " (SELECT c.lote_id, c.lote_codigo, c.material, c.op_id, sum(c.quantidade) AS quantidade, min(u.nivel) AS nivel"
    " FROM (SELECT op_id, min(nivel) AS nivel FROM up GROUP BY op_id) u"
    " CROSS JOIN LATERAL (SELECT lote_id, lote_codigo, material, op_id, quantidade FROM consumos"
    " WHERE op_id = u.op_id OFFSET 0) c GROUP BY c.lote_id, c.lote_codigo, c.material, c.op_id) a"
    " LEFT JOIN LATERAL (SELECT codigo FROM ops WHERE id = a.op_id OFFSET 0) o ON true ORDER BY 7, 2"};

// The rows are (lote_id, op_id, nivel) under UNION: a lot reached by many paths is expanded
// once per level, never once per path.
#define REL_DOWN(lot)                                                                                 \
  "WITH RECURSIVE down (lote_id, op_id, nivel) AS ("                                                  \
  " SELECT p.id, c.op_id, 1 FROM consumos c JOIN lotes p ON p.op_id = c.op_id WHERE c.lote_id = " lot \
  " UNION"                                                                                            \
  " SELECT p.id, c.op_id, d.nivel + 1 FROM down d JOIN consumos c ON c.lote_id = d.lote_id"           \
  " JOIN lotes p ON p.op_id = c.op_id WHERE d.nivel < 20)"
#define REL_DESCENDANTS(lot)                                                                         \
  REL_DOWN(lot)                                                                                      \
  " SELECT d.lote_id, l.codigo, l.material, l.status, d.op_id, o.codigo, d.nivel FROM"               \
  " (SELECT lote_id, op_id, min(nivel) AS nivel FROM down GROUP BY lote_id, op_id) d"                \
  " CROSS JOIN LATERAL (SELECT codigo, material, status FROM lotes WHERE id = d.lote_id OFFSET 0) l" \
  " LEFT JOIN LATERAL (SELECT codigo FROM ops WHERE id = d.op_id OFFSET 0) o ON true ORDER BY 7, 2"
constexpr pg::Query kDescendants{"rel_descendants", REL_DESCENDANTS(REL_LOT_BY_ID)};
constexpr pg::Query kDescendantsByCode{"rel_descendants_by_code", REL_DESCENDANTS(REL_LOT_BY_CODE)};

#define REL_SHIPMENTS(lots) \
  "SELECT x.id, " PHARMASYS_PG_INSTANT("x.confirmada_em") ", x.cliente_nome, x.cliente_documento," \
  " i.lote_id, i.lote_codigo, i.material, i.quantidade FROM expedicao_itens i"                     \
  " CROSS JOIN LATERAL (SELECT id, confirmada_em, cliente_nome, cliente_documento FROM expedicoes"  \
  " WHERE id = i.expedicao_id OFFSET 0) x WHERE i.lote_id = ANY(" lots ")"                          \
  " ORDER BY x.confirmada_em, x.id, i.lote_codigo"
constexpr pg::Query kShipments{"rel_shipments", REL_SHIPMENTS("$1::uuid[]")};
// Of the lot and of every lot made from it: the descendants' walk again, on the server, so the
// trace needs no answer of its own before asking.
constexpr pg::Query kShipmentsByCode{
    "rel_shipments_by_code", REL_DOWN(REL_LOT_BY_CODE) " " REL_SHIPMENTS("ARRAY(SELECT " REL_LOT_BY_CODE
                                                                         " UNION ALL SELECT lote_id FROM down)")};

#define REL_LAUDOS(lot) \
  "SELECT id, decisao, emitido_por, " PHARMASYS_PG_INSTANT("emitido_em") ","     \
  " assinatura::text FROM laudos WHERE lote_id = " lot " ORDER BY emitido_em"
constexpr pg::Query kLaudos{"rel_laudos_of", REL_LAUDOS(REL_LOT_BY_ID)};
constexpr pg::Query kLaudosByCode{"rel_laudos_by_code", REL_LAUDOS(REL_LOT_BY_CODE)};

// On the lot, or on the OP that made it (a lot received has none: NULL matches nothing).
constexpr pg::Query kDesviosByCode{
    "rel_desvios_by_code",
    "SELECT id, op_id, lote_id, classificacao, descricao, status, " PHARMASYS_PG_INSTANT("aberto_em")
    ", " PHARMASYS_PG_INSTANT("encerrado_em") " FROM desvios"
    " WHERE lote_id = " REL_LOT_BY_CODE " OR op_id = (SELECT op_id FROM lotes WHERE codigo = $1)"
    " ORDER BY aberto_em NULLS LAST, id"};

constexpr pg::Query kTimelineByCode{
    "rel_timeline_by_code",
    "SELECT " PHARMASYS_PG_INSTANT("ocorrido_em") ", tipo, usuario, resumo::text FROM eventos_lote"
    " WHERE lote_id = " REL_LOT_BY_CODE " ORDER BY ocorrido_em, tipo"};

}  // namespace

namespace {

LotInfo LotFrom(const pg::Row& r) {
  return LotInfo{r.String(0),
                 {{"id", r.String(0)},
                  {"codigo", r.String(1)},
                  {"material", r.String(2)},
                  {"material_nome", json::ToJson(r.OptionalString(3))},
                  {"origem", r.String(4)},
                  {"op_id", json::ToJson(r.OptionalString(5))},
                  {"op_codigo", json::ToJson(r.OptionalString(6))},
                  {"status", r.String(7)},
                  {"quantidade", json::ToJson(r.Numeric(8))},
                  {"unidade", r.String(9)},
                  {"validade", r.String(10)},
                  {"data_fabricacao", json::ToJson(r.OptionalString(11))},
                  {"fornecedor", json::ToJson(r.OptionalString(12))},
                  {"lote_fornecedor", json::ToJson(r.OptionalString(13))},
                  {"criado_em", r.String(14)}}};
}

}  // namespace

std::optional<LotInfo> FindLotByCode(pg::Transaction& tx, const std::string& codigo) {
  auto rows = tx.Exec(kLotByCode, pg::Params(codigo));
  if (rows.empty()) return std::nullopt;
  return LotFrom(rows.Single());
}

namespace {

boost::json::array DescendantsFrom(const pg::Result& rows) {
  boost::json::array out;
  out.reserve(static_cast<std::size_t>(rows.size()));
  for (int i = 0; i < rows.size(); ++i) {
    auto r = rows[i];
    out.push_back(boost::json::object{{"lote_id", r.Text(0)},
                                      {"lote_codigo", r.Text(1)},
                                      {"material", r.Text(2)},
                                      {"status", r.Text(3)},
                                      {"op_id", r.Text(4)},
                                      {"op_codigo", json::ToJson(r.OptionalString(5))},
                                      {"nivel", r.Int(6)}});
  }
  return out;
}

}  // namespace

boost::json::array ShipmentsOf(pg::Transaction& tx, const std::vector<std::string>& lote_ids) {
  auto rows = tx.Exec(kShipments, pg::Params(pg::TextArray(lote_ids)));
  boost::json::array out;
  out.reserve(static_cast<std::size_t>(rows.size()));
  for (int i = 0; i < rows.size(); ++i) {
    auto r = rows[i];
    out.push_back(boost::json::object{{"expedicao_id", r.Text(0)},
                                      {"confirmada_em", r.Text(1)},
                                      {"cliente", boost::json::object{{"nome", r.Text(2)}, {"documento", r.Text(3)}}},
                                      {"lote_id", r.Text(4)},
                                      {"lote_codigo", r.Text(5)},
                                      {"material", r.Text(6)},
                                      {"quantidade", json::ToJson(r.Numeric(7))}});
  }
  return out;
}

boost::json::array CustomersOf(const boost::json::array& shipments) {
  std::set<std::pair<std::string, std::string>> seen;
  boost::json::array out;
  for (const auto& s : shipments) {
    const auto& c = s.at("cliente").as_object();
    std::pair key{std::string(c.at("documento").as_string()), std::string(c.at("nome").as_string())};
    if (seen.insert(key).second) out.push_back(c);
  }
  return out;
}

namespace {

boost::json::array LaudosFrom(const pg::Result& rows) {
  boost::json::array out;
  out.reserve(static_cast<std::size_t>(rows.size()));
  for (int i = 0; i < rows.size(); ++i) {
    auto r = rows[i];
    out.push_back(boost::json::object{{"laudo_id", r.Text(0)},
                                      {"decisao", r.Text(1)},
                                      {"emitido_por", r.Text(2)},
                                      {"emitido_em", r.Text(3)},
                                      {"assinatura", json::Parse(r.Text(4))}});
  }
  return out;
}

boost::json::array DesviosFrom(const pg::Result& rows) {
  boost::json::array out;
  out.reserve(static_cast<std::size_t>(rows.size()));
  for (int i = 0; i < rows.size(); ++i) {
    auto r = rows[i];
    out.push_back(boost::json::object{{"desvio_id", r.Text(0)},
                                      {"op_id", r.Text(1)},
                                      {"lote_id", json::ToJson(r.OptionalString(2))},
                                      {"classificacao", json::ToJson(r.OptionalString(3))},
                                      {"descricao", json::ToJson(r.OptionalString(4))},
                                      {"status", r.Text(5)},
                                      {"aberto_em", json::ToJson(r.OptionalString(6))},
                                      {"encerrado_em", json::ToJson(r.OptionalString(7))}});
  }
  return out;
}

boost::json::array TimelineFrom(const pg::Result& rows) {
  boost::json::array out;
  out.reserve(static_cast<std::size_t>(rows.size()));
  for (int i = 0; i < rows.size(); ++i) {
    auto r = rows[i];
    out.push_back(boost::json::object{{"ocorrido_em", r.Text(0)},
                                      {"tipo", r.Text(1)},
                                      {"usuario", json::ToJson(r.OptionalString(2))},
                                      {"resumo", json::Parse(r.Text(3))}});
  }
  return out;
}

}  // namespace

boost::json::array Descendants(pg::Transaction& tx, const std::string& lote_id) {
  return DescendantsFrom(tx.Exec(kDescendants, pg::Params(lote_id)));
}

boost::json::array LaudosOf(pg::Transaction& tx, const std::string& lote_id) {
  return LaudosFrom(tx.Exec(kLaudos, pg::Params(lote_id)));
}

std::optional<Trace> TraceOf(pg::Pool& db, const std::string& codigo, bool ancestors, bool descendants) {
  const auto code = pg::Params(codigo);
  std::vector<pg::Statement> statements{
      {kLotByCode, code}, {kLaudosByCode, code}, {kDesviosByCode, code}, {kTimelineByCode, code}};
  if (ancestors) statements.push_back({kAncestorsByCode, code});
  if (descendants) {
    statements.push_back({kDescendantsByCode, code});
    statements.push_back({kShipmentsByCode, code});
  }
  auto results = db.Read(statements, pg::Isolation::RepeatableRead);  // one snapshot for the whole answer
  if (results[0].empty()) return std::nullopt;
  Trace trace{LotFrom(results[0].Single()),
              std::move(results[1]),
              std::move(results[2]),
              std::move(results[3]),
              std::nullopt,
              std::nullopt,
              std::nullopt};
  std::size_t i = 4;
  if (ancestors) trace.ascendentes = std::move(results[i++]);
  if (descendants) {
    trace.descendentes = std::move(results[i++]);
    trace.expedicoes = std::move(results[i]);
  }
  return trace;
}

namespace {

// Writes one JSON object member by member, as json::Serialize writes a boost::json::object
// built with the same members in the same order.
class ObjectWriter {
 public:
  explicit ObjectWriter(std::string& out) : out_(out) { out_ += '{'; }
  ~ObjectWriter() { out_ += '}'; }
  ObjectWriter(const ObjectWriter&) = delete;
  ObjectWriter& operator=(const ObjectWriter&) = delete;
  // `key` is one of the names below: nothing in them to escape. The separator, the quoted key
  // and the colon are written with the string grown once: a trace writes thousands of keys.
  std::string& Key(std::string_view key) {
    const std::size_t at = out_.size();
    const std::size_t comma = first_ ? 0 : 1;
    out_.resize(at + comma + key.size() + 3);
    char* p = out_.data() + at;
    if (comma != 0) *p++ = ',';
    *p++ = '"';
    std::memcpy(p, key.data(), key.size());
    p += key.size();
    p[0] = '"';
    p[1] = ':';
    first_ = false;
    return out_;
  }
  void Text(std::string_view key, std::string_view text) { json::AppendString(Key(key), text); }
  void OptionalText(std::string_view key, const pg::Row& row, int col) {
    if (row.IsNull(col)) {
      Key(key) += "null";
    } else {
      Text(key, row.Text(col));
    }
  }
  void Value(std::string_view key, const boost::json::value& value) { json::AppendSerialized(Key(key), value); }

 private:
  std::string& out_;
  bool first_ = true;
};

template <typename Write>
void AppendArray(std::string& out, const pg::Result& rows, Write write) {
  out += '[';
  for (int i = 0; i < rows.size(); ++i) {
    if (i > 0) out += ',';
    write(rows[i]);
  }
  out += ']';
}

}  // namespace

void AppendAncestors(std::string& out, const pg::Result& rows) {
  AppendArray(out, rows, [&out](const pg::Row& r) {
    ObjectWriter o(out);
    o.Text("lote_id", r.Text(0));
    o.Text("lote_codigo", r.Text(1));
    o.Text("material", r.Text(2));
    o.Value("quantidade", json::ToJson(r.Numeric(3)));
    o.Text("op_id", r.Text(4));
    o.OptionalText("op_codigo", r, 5);
    o.Value("nivel", r.Int(6));
  });
}

void AppendDescendants(std::string& out, const pg::Result& rows) {
  AppendArray(out, rows, [&out](const pg::Row& r) {
    ObjectWriter o(out);
    o.Text("lote_id", r.Text(0));
    o.Text("lote_codigo", r.Text(1));
    o.Text("material", r.Text(2));
    o.Text("status", r.Text(3));
    o.Text("op_id", r.Text(4));
    o.OptionalText("op_codigo", r, 5);
    o.Value("nivel", r.Int(6));
  });
}

void AppendShipments(std::string& out, const pg::Result& rows) {
  AppendArray(out, rows, [&out](const pg::Row& r) {
    ObjectWriter o(out);
    o.Text("expedicao_id", r.Text(0));
    o.Text("confirmada_em", r.Text(1));
    {
      ObjectWriter cliente(o.Key("cliente"));
      cliente.Text("nome", r.Text(2));
      cliente.Text("documento", r.Text(3));
    }
    o.Text("lote_id", r.Text(4));
    o.Text("lote_codigo", r.Text(5));
    o.Text("material", r.Text(6));
    o.Value("quantidade", json::ToJson(r.Numeric(7)));
  });
}

void AppendCustomers(std::string& out, const pg::Result& shipment_rows) {
  std::set<std::pair<std::string_view, std::string_view>> seen;
  out += '[';
  for (int i = 0; i < shipment_rows.size(); ++i) {
    auto r = shipment_rows[i];
    if (!seen.insert({r.Text(3), r.Text(2)}).second) continue;  // (documento, nome), as CustomersOf
    if (seen.size() > 1) out += ',';
    ObjectWriter cliente(out);
    cliente.Text("nome", r.Text(2));
    cliente.Text("documento", r.Text(3));
  }
  out += ']';
}

void AppendLaudos(std::string& out, const pg::Result& rows) {
  json::AppendSerialized(out, LaudosFrom(rows));
}

void AppendDesvios(std::string& out, const pg::Result& rows) {
  json::AppendSerialized(out, DesviosFrom(rows));
}

void AppendTimeline(std::string& out, const pg::Result& rows) {
  json::AppendSerialized(out, TimelineFrom(rows));
}

}  // namespace pharmasys::relatorios
