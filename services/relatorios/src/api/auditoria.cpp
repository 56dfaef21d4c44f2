// The consolidated audit trail of every service (RULES.md A3, A4): queried, exported as CSV,
// and verified — each service re-computes its own chain, and the consolidated copy is checked
// on its own, record by record.
#include <boost/json/array.hpp>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <future>
#include <limits>

#include <map>

#include "../domain/testemunho.hpp"
#include "../pdf/impressos.hpp"
#include "../storage/auditoria.hpp"
#include "context.hpp"
#include "pharmasys/audit/audit.hpp"
#include "pharmasys/audit/sealer.hpp"
#include "pharmasys/clock.hpp"
#include "pharmasys/csv.hpp"
#include "pharmasys/http/list_page.hpp"
#include "pharmasys/http/printout.hpp"
#include "pharmasys/json/fields.hpp"
#include "pharmasys/json/json.hpp"
#include "pharmasys/log/log.hpp"

namespace pharmasys::relatorios {
namespace {

constexpr std::int64_t kCsvLimit = 200000;

FiltrosDaTrilha ReadFilters(const http::Request& request) {
  FiltrosDaTrilha f{request.Query("servico"), request.Query("entidade"), request.Query("entidade_id"),
                    request.Query("usuario"), request.Query("de"),       request.Query("ate")};
  std::vector<FieldError> errors;
  for (auto [name, value] : {std::pair{"de", &f.de}, std::pair{"ate", &f.ate}}) {
    if (!*value) continue;
    // A date — whole UTC days: `de` from its first instant, `ate` through its last — or an
    // RFC 3339 instant with its offset.
    if (auto date = json::ParseDate(**value)) {
      auto day = std::chrono::sys_days(*date);
      if (std::string_view(name) == "ate") day += std::chrono::days(1);
      **value = json::FormatDate(std::chrono::year_month_day(day)) + "T00:00:00Z";
      continue;
    }
    const auto& text = value->value();
    const bool has_offset =
        text.ends_with("Z") || (text.size() > 6 && (text[text.size() - 6] == '+' || text[text.size() - 6] == '-'));
    if (text.size() < 20 || text[10] != 'T' || !json::ParseDate(text.substr(0, 10)) || !has_offset) {
      errors.push_back({name, "use YYYY-MM-DD ou um instante RFC 3339 com fuso (…Z)"});
    }
  }
  if (!errors.empty()) throw ValidationError(std::move(errors));
  return f;
}

std::string Text(const boost::json::value& v) {
  if (v.is_string()) return std::string(v.as_string());
  if (v.is_null()) return "";
  return json::Serialize(v);
}

std::string CsvOf(const boost::json::object& r, const CsvFormat& format) {
  const auto& usuario = r.at("usuario");
  const auto& assinatura = r.at("assinatura");
  auto sig = [&](const char* key) { return assinatura.is_object() ? Text(assinatura.at(key)) : std::string(); };
  return CsvLine(
      {Text(r.at("servico")), CsvNumberOf(r.at("sequencia")), Text(r.at("id")), Text(r.at("ocorrido_em")),
       Text(usuario.at("username")), Text(usuario.at("nome")), Text(r.at("acao")), Text(r.at("entidade")),
       Text(r.at("entidade_id")), Text(r.at("antes")), Text(r.at("depois")), Text(r.at("motivo")), sig("nome"),
       sig("significado"), sig("em"), Text(r.at("request_id")), Text(r.at("hash_anterior")), Text(r.at("hash"))},
      format);
}

boost::json::object ReportJson(const audit::ChainReport& report) {
  boost::json::object out{{"registros", report.registros}, {"integra", report.integra}};
  if (report.primeiro_registro_invalido) {
    out["primeiro_registro_invalido"] = *report.primeiro_registro_invalido;
    out["motivo"] = report.motivo;
  }
  return out;
}

// The consolidated copy of one service's trail, checked on its own.
audit::ChainReport CheckCopy(pg::Pool& db, const std::string& servico) {
  audit::ChainChecker checker;
  std::int64_t after = 0;
  constexpr std::int64_t kPage = 5000;
  for (;;) {
    const auto page = PaginaDaCopia(db, servico, after, kPage);
    for (const auto& text : page) {
      auto record = json::Parse(text).as_object();
      after = record.at("sequencia").to_number<std::int64_t>();
      if (!checker.Add(record)) return checker.report();
    }
    if (static_cast<std::int64_t>(page.size()) < kPage) break;
  }
  return checker.report();
}

// The consolidated trail and its valid checkpoints as NDJSON, a page at a time
// (docs/audit/verificacao.md): what pharmasys-audit-verify reads.
class TrailExport : public http::BodySource {
 public:
  TrailExport(pg::Pool& db, std::optional<std::string> servico) : db_(db), servico_(std::move(servico)) {}
  std::optional<std::string> Next() override {
    while (phase_ < 2) {
      std::string out = phase_ == 0 ? RecordsPage() : CheckpointsPage();
      if (out.empty()) {
        ++phase_;
        after_.clear();
        seq_ = 0;
        continue;
      }
      return out;
    }
    return std::nullopt;
  }

 private:
  // The next page as NDJSON lines, each record as stored; "" when there is none.
  std::string RecordsPage() {
    std::string out;
    for (const auto& r : RegistrosParaExportar(db_, servico_, after_, seq_)) {
      after_ = r.servico;
      seq_ = r.sequencia;
      out += "{\"registro\":" + r.registro + "}\n";
    }
    return out;
  }
  std::string CheckpointsPage() {
    std::string out;
    for (const auto& c : CheckpointsParaExportar(db_, servico_, after_, seq_)) {
      after_ = c.servico;
      seq_ = c.sequencia;
      out += json::Serialize(boost::json::object{{"checkpoint",
                                                  {{"servico", c.servico},
                                                   {"sequencia", c.sequencia},
                                                   {"hash", c.hash},
                                                   {"em", c.em},
                                                   {"chave_id", c.chave_id},
                                                   {"assinatura", c.assinatura}}}}) +
             "\n";
    }
    return out;
  }

  pg::Pool& db_;
  std::optional<std::string> servico_;
  int phase_ = 0;  // 0: records, 1: checkpoints, 2: done
  std::string after_;
  std::int64_t seq_ = 0;
};

std::optional<CheckpointVisto> Visto(const std::optional<CheckpointGuardado>& c) {
  if (!c) return std::nullopt;
  return CheckpointVisto{c->sequencia, c->hash, c->em};
}

// The three witnesses of `servico`'s trail compared (RULES.md A8); `own` is the service's own
// report (with ultima_sequencia), `at` reads its chain's hash at a record. Adds the findings,
// the latest checkpoint and the copy's head to `own` and says whether all agree.
bool Witness(RelatoriosContext& ctx, const std::string& servico, boost::json::object& own, bool reachable,
             const HashNaSequencia& at) {
  Testemunhas t;
  t.servico_respondeu = reachable && own.contains("ultima_sequencia");
  t.ultima_do_servico = t.servico_respondeu ? own.at("ultima_sequencia").to_number<std::int64_t>() : 0;
  std::map<std::int64_t, std::optional<std::string>> seen;  // one lookup per record and verification
  t.servico = [&](std::int64_t k) {
    auto it = seen.find(k);
    if (it == seen.end()) it = seen.emplace(k, at(k)).first;
    return it->second;
  };
  t.ultima_da_copia = UltimaDaCopia(ctx.db, servico);
  t.copia = [&](std::int64_t k) { return HashDaCopia(ctx.db, servico, k); };
  t.checkpoint_ate = [&](std::int64_t x) { return Visto(CheckpointAte(ctx.db, servico, x)); };
  t.checkpoint_desde = [&](std::int64_t x) { return Visto(CheckpointDesde(ctx.db, servico, x)); };
  std::vector<Achado> found;
  try {
    found = CompararTestemunhas(t);
  } catch (const std::exception& e) {
    // The service stopped answering halfway: what the copy and the checkpoints say still counts.
    own["erro"] = std::string("a trilha do serviço não pôde ser lida: ") + e.what();
    t.servico_respondeu = false;
    found = CompararTestemunhas(t);
  }
  boost::json::array achados;
  std::optional<std::int64_t> first;
  if (auto* v = own.if_contains("primeiro_registro_invalido"); v && v->is_int64()) first = v->as_int64();
  for (const auto& a : found) {
    achados.push_back({{"tipo", a.tipo}, {"primeiro_registro", a.primeiro_registro}, {"descricao", a.descricao}});
    if (!first || a.primeiro_registro < *first) first = a.primeiro_registro;
  }
  if (auto latest = CheckpointAte(ctx.db, servico, std::numeric_limits<std::int64_t>::max())) {
    own["checkpoint"] = {
        {"sequencia", latest->sequencia}, {"hash", latest->hash}, {"em", latest->em}, {"chave_id", latest->chave_id}};
  } else {
    own["checkpoint"] = nullptr;
  }
  own["checkpoints_invalidos"] = CheckpointsInvalidos(ctx.db, servico);
  own["achados"] = std::move(achados);
  if (first) own["primeiro_registro_invalido"] = *first;
  if (!found.empty()) {
    own["integra"] = false;
    if (!own.contains("motivo")) own["motivo"] = found.front().descricao;
  }
  return found.empty();
}

// One service's entry of the verification: its own report (GET /auditoria/verificacao), the
// consolidated copy checked record by record, and the three witnesses compared. Every call
// to the service gets what is left until `deadline`; a service that does not answer in time
// is reported as not intact, with a finding that says so.
struct ServiceChain {
  boost::json::object entry;
  bool integra = false;
};

ServiceChain VerifyServiceChain(RelatoriosContext& ctx, const http::ServiceClient& service,
                                const std::string& authorization, std::chrono::steady_clock::time_point deadline) {
  const std::string& servico = service.options().name;
  using std::chrono::milliseconds;
  const auto left = [&] {
    return std::max(milliseconds(1),
                    std::chrono::duration_cast<milliseconds>(deadline - std::chrono::steady_clock::now()));
  };
  const std::string prazo = std::to_string(ctx.verificacao_prazo.count()) + " ms";
  boost::json::object own{{"servico", servico}, {"registros", 0}, {"integra", false}};
  bool reachable = false;
  std::optional<std::string> sem_resposta;
  try {
    auto answer = service.Call({.path = "/auditoria/verificacao", .authorization = authorization, .deadline = left()});
    if (answer.status == 200) {
      own = json::Parse(answer.body).as_object();
      reachable = true;
    } else {
      own["erro"] = "o serviço respondeu HTTP " + std::to_string(answer.status);
    }
  } catch (const http::UpstreamError& e) {
    own["erro"] = "o serviço não respondeu: " + std::string(e.what());
    if (e.kind() == http::UpstreamError::Kind::Timeout) {
      sem_resposta = "o serviço " + servico + " não respondeu à verificação dentro do prazo de " + prazo;
    } else {
      sem_resposta = "o serviço " + servico + " não respondeu à verificação: " + std::string(e.what());
    }
  }
  // One record's seal, read from the service (for the bisection against the copy).
  auto at = [&](std::int64_t k) -> std::optional<std::string> {
    auto answer = service.Call({.path = "/auditoria/cadeia/" + std::to_string(k),
                                .authorization = authorization,
                                .deadline = std::min(left(), milliseconds(10000))});
    if (answer.status == 404) return std::nullopt;
    if (answer.status != 200) {
      throw http::UpstreamError(
          http::UpstreamError::Kind::Protocol,
          "o serviço respondeu HTTP " + std::to_string(answer.status) + " ao selo " + std::to_string(k));
    }
    return std::string(json::Parse(answer.body).at("hash").as_string());
  };
  auto copy = CheckCopy(ctx.db, servico);
  own["copia_consolidada"] = ReportJson(copy);
  const bool witnessed = Witness(ctx, servico, own, reachable, at);
  if (sem_resposta) {
    own["integra"] = false;
    own["sem_resposta"] = true;
    if (!own.contains("motivo")) own["motivo"] = *sem_resposta;
    own["achados"].as_array().push_back(
        {{"tipo", "sem-resposta"}, {"primeiro_registro", nullptr}, {"descricao", *sem_resposta}});
  }
  const bool integra = own.at("integra").as_bool() && copy.integra && witnessed;
  return {std::move(own), integra};
}

// One change of a record as its history shows it (RULES G2): who, when, why, its signature,
// and each field old → new — the fields of `depois` in their order, then those only in `antes`.
boost::json::object MudancaDoRegistro(const boost::json::object& r) {
  boost::json::array alteracoes;
  const auto* antes = r.if_contains("antes");
  const auto* depois = r.if_contains("depois");
  const boost::json::object vazio;
  const auto& a = antes != nullptr && antes->is_object() ? antes->as_object() : vazio;
  const auto& d = depois != nullptr && depois->is_object() ? depois->as_object() : vazio;
  auto valor = [](const boost::json::object& o, std::string_view k) {
    const auto* v = o.if_contains(k);
    return v == nullptr ? boost::json::value(nullptr) : *v;
  };
  for (const auto& [campo, novo] : d) {
    alteracoes.push_back(boost::json::object{{"campo", campo}, {"antes", valor(a, campo)}, {"depois", novo}});
  }
  for (const auto& [campo, velho] : a) {
    if (!d.contains(campo)) {
      alteracoes.push_back(boost::json::object{{"campo", campo}, {"antes", velho}, {"depois", nullptr}});
    }
  }
  boost::json::object out;
  for (const char* key :
       {"servico", "sequencia", "id", "ocorrido_em", "usuario", "acao", "motivo", "assinatura", "request_id", "hash"}) {
    out[key] = valor(r, key);
  }
  out["alteracoes"] = std::move(alteracoes);
  return out;
}

}  // namespace

void AddAuditRoutes(http::Router& router, RelatoriosContext& ctx) {
  // RULES G2: the history of one record, every change oldest first, as JSON or printed.
  router.Get("/v1/relatorios/auditoria/historico/{entidade}/{entidade_id}", [&ctx](http::Request& request) {
    auth::RequireRole(request, {"administrador", "auditor"});
    FiltrosDaTrilha f;
    f.entidade = std::string(request.PathParam("entidade"));
    f.entidade_id = std::string(request.PathParam("entidade_id"));
    constexpr std::int64_t kPage = 1000, kMax = 20000;
    boost::json::array items;
    std::optional<std::int64_t> after;
    for (;;) {
      const auto rows = LerTrilha(ctx.db, f, SortOrder::Ascending, after, kPage);
      for (const auto& r : rows) items.push_back(MudancaDoRegistro(json::Parse(r.registro).as_object()));
      if (static_cast<std::int64_t>(rows.size()) < kPage || static_cast<std::int64_t>(items.size()) >= kMax) break;
      after = rows.back().posicao;
    }
    if (items.empty()) {
      throw NotFound("Nenhum registro de auditoria de " + *f.entidade + " " + *f.entidade_id + ".");
    }
    boost::json::object documento{{"entidade", *f.entidade},
                                  {"entidade_id", *f.entidade_id},
                                  {"items", std::move(items)},
                                  {"gerado_em", clock::NowRfc3339()}};
    const std::string hash = http::DocumentHash(documento);
    if (http::WantsPdf(request))
      return http::PdfResponse(AuditHistoryPdf(documento, hash), "historico-" + *f.entidade, hash);
    documento["hash"] = hash;
    return http::Response::Json(200, std::move(documento));
  });

  // The signature log for the periodic review: every signed act of every service, JSON, CSV or
  // printed.
  router.Get("/v1/relatorios/assinaturas", [&ctx](http::Request& request) {
    auth::RequireRole(request, {"administrador", "auditor"});
    const auto f = ReadFilters(request);
    const auto csv = RequestedCsv(request);
    constexpr std::int64_t kMax = 50000;
    const auto assinaturas = LerAssinaturas(ctx.db, f, kMax + 1);
    const bool truncado = static_cast<std::int64_t>(assinaturas.size()) > kMax;
    const std::size_t n = truncado ? static_cast<std::size_t>(kMax) : assinaturas.size();
    if (csv) {
      std::string body = CsvLine({"em", "nome", "usuario", "significado", "servico", "sequencia", "acao", "entidade",
                                  "entidade_id", "motivo", "ocorrido_em"},
                                 *csv);
      for (std::size_t i = 0; i < n; ++i) {
        const auto& a = assinaturas[i];
        body += CsvLine({a.em, a.nome, a.usuario, a.significado, a.servico, CsvNumber(std::to_string(a.sequencia)),
                         a.acao, a.entidade, a.entidade_id, a.motivo.value_or(""), a.ocorrido_em},
                        *csv);
      }
      auto res = CsvResponse(std::move(body), *csv, "assinaturas");
      if (truncado) res.headers.Set("X-Truncado", std::to_string(kMax));
      return res;
    }
    boost::json::array items;
    for (std::size_t i = 0; i < n; ++i) {
      const auto& a = assinaturas[i];
      items.push_back(boost::json::object{{"em", a.em},
                                          {"nome", a.nome},
                                          {"usuario", a.usuario},
                                          {"usuario_nome", a.usuario_nome},
                                          {"significado", a.significado},
                                          {"servico", a.servico},
                                          {"sequencia", a.sequencia},
                                          {"acao", a.acao},
                                          {"entidade", a.entidade},
                                          {"entidade_id", a.entidade_id},
                                          {"motivo", json::ToJson(a.motivo)},
                                          {"ocorrido_em", a.ocorrido_em}});
    }
    boost::json::object documento{{"de", json::ToJson(request.Query("de"))},
                                  {"ate", json::ToJson(request.Query("ate"))},
                                  {"usuario", json::ToJson(f.usuario)},
                                  {"items", std::move(items)},
                                  {"truncado", truncado},
                                  {"gerado_em", clock::NowRfc3339()}};
    const std::string hash = http::DocumentHash(documento);
    if (http::WantsPdf(request)) return http::PdfResponse(SignatureLogPdf(documento, hash), "assinaturas", hash);
    documento["hash"] = hash;
    return http::Response::Json(200, std::move(documento));
  });

  router.Get("/v1/relatorios/auditoria", [&ctx](http::Request& request) {
    auth::RequireRole(request, {"administrador", "auditor"});
    auto f = ReadFilters(request);
    auto order = http::ListOrder(request);
    if (auto format = RequestedCsv(request)) {
      const auto rows = LerTrilha(ctx.db, f, order, std::nullopt, kCsvLimit);
      std::string csv = CsvLine({"servico", "sequencia", "id", "ocorrido_em", "usuario", "usuario_nome", "acao",
                                 "entidade", "entidade_id", "antes", "depois", "motivo", "assinatura_nome",
                                 "assinatura_significado", "assinatura_em", "request_id", "hash_anterior", "hash"},
                                *format);
      for (const auto& r : rows) csv += CsvOf(json::Parse(r.registro).as_object(), *format);
      auto res = CsvResponse(std::move(csv), *format, "trilha-de-auditoria");
      if (static_cast<std::int64_t>(rows.size()) == kCsvLimit) res.headers.Set("X-Truncado", std::to_string(kCsvLimit));
      return res;
    }
    auto limit = http::ListLimit(request);
    std::optional<std::int64_t> cursor;
    if (auto text = request.Query("cursor")) {
      std::int64_t value = 0;
      auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
      if (ec != std::errc() || end != text->data() + text->size() || value < 0) {
        throw ValidationError(std::vector<FieldError>{{"cursor", "cursor inválido"}});
      }
      cursor = value;
    }
    const auto rows = LerTrilha(ctx.db, f, order, cursor, limit + 1);
    boost::json::array items;
    for (std::size_t i = 0; i < rows.size() && static_cast<std::int64_t>(i) < limit; ++i) {
      items.push_back(json::Parse(rows[i].registro));
    }
    std::optional<std::string> next;
    if (static_cast<std::int64_t>(rows.size()) > limit)
      next = std::to_string(rows[static_cast<std::size_t>(limit) - 1].posicao);
    return http::ListPage(std::move(items), next);
  });

  router.Get("/v1/relatorios/auditoria/exportacao", [&ctx](http::Request& request) {
    auth::RequireRole(request, {"auditor", "administrador"});
    auto servico = request.Query("servico");
    http::Response res;
    res.status = 200;
    res.headers.Set("Content-Type", "application/x-ndjson; charset=utf-8");
    res.headers.Set("Content-Disposition", "attachment; filename=\"trilha-de-auditoria" +
                                               (servico ? "-" + *servico : std::string()) + ".ndjson\"");
    res.stream = std::make_shared<TrailExport>(ctx.db, std::move(servico));
    return res;
  });

  router.Get("/v1/relatorios/auditoria/verificacao", [&ctx](http::Request& request) {
    auth::RequireRole(request, {"auditor", "administrador"});
    boost::json::array servicos;
    bool integra = true;
    auto add = [&](const std::string& servico, boost::json::object own, bool reachable, const HashNaSequencia& at) {
      auto copy = CheckCopy(ctx.db, servico);
      own["copia_consolidada"] = ReportJson(copy);
      const bool witnessed = Witness(ctx, servico, own, reachable, at);
      integra = integra && own.at("integra").as_bool() && copy.integra && witnessed;
      servicos.push_back(std::move(own));
    };
    // Every service at once, each within what is left of one deadline: the answer is as slow
    // as the slowest service, bounded below the gateway's upstream timeout.
    const std::string authorization(request.headers.GetOr("Authorization", ""));
    const auto deadline = std::chrono::steady_clock::now() + ctx.verificacao_prazo;
    std::vector<std::future<ServiceChain>> chains;
    chains.reserve(ctx.audit_sources.size());
    for (const auto& source : ctx.audit_sources) {
      chains.push_back(
          std::async(std::launch::async, [&ctx, &source, authorization, deadline, context = log::CurrentContext()] {
            log::ScopedContext scope(context);
            return VerifyServiceChain(ctx, source, authorization, deadline);
          }));
    }
    for (auto& chain : chains) {
      auto done = chain.get();
      integra = integra && done.integra;
      servicos.push_back(std::move(done.entry));
    }
    // Relatórios' own chain, here.
    auto mine = audit::VerifyChain(ctx.db);
    boost::json::object own = ReportJson(mine);
    own["servico"] = "relatorios";
    own["pendentes"] = mine.pendentes;
    own["nao_publicados"] = mine.nao_publicados;
    auto head = audit::ChainHead(ctx.db);
    own["ultima_sequencia"] = head ? head->sequencia : 0;
    add("relatorios", std::move(own), true, [&](std::int64_t k) -> std::optional<std::string> {
      auto seal = audit::SealAt(ctx.db, k);
      if (!seal) return std::nullopt;
      return seal->hash;
    });
    if (!integra) log::Warn("a verificação da trilha de auditoria encontrou uma quebra");
    return http::Response::Json(200, boost::json::object{{"integra", integra}, {"servicos", std::move(servicos)}});
  });
}

}  // namespace pharmasys::relatorios
