// pharmasys-audit-verify: re-verifies an exported audit trail offline (docs/audit/verificacao.md).
//
//   pharmasys-audit-verify --chaves <dir> <export.ndjson>
//
// The export is what `GET /v1/relatorios/auditoria/exportacao` answers: one JSON object per
// line, {"registro": {...}} for each sealed record (in `sequencia` order per service) and
// {"checkpoint": {...}} for each signed chain head. <dir> holds the services' public keys as
// <servico>/<chave_id>.pub. Each chain is re-hashed record by record, each checkpoint's
// signature is checked, and each valid checkpoint must match the record it names. Prints one
// JSON report; exit code 0 when everything holds, 1 when something does not, 2 on bad usage.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <fstream>
#include <iostream>
#include <map>
#include <string>

#include "pharmasys/audit/audit.hpp"
#include "pharmasys/audit/checkpoint.hpp"
#include "pharmasys/audit/sealer.hpp"
#include "pharmasys/json/json.hpp"

namespace {

using namespace pharmasys;

struct Trail {
  audit::ChainChecker checker;
  std::map<std::int64_t, std::string> hashes;  // sequencia → hash, as exported
  std::int64_t last = 0;
  std::vector<audit::Checkpoint> checkpoints;
  std::int64_t checkpoints_invalidos = 0;
  boost::json::array achados;
};

int Usage() {
  std::cerr << "usage: pharmasys-audit-verify --chaves <dir of <servico>/<chave_id>.pub> <export.ndjson>\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string keys_dir, file;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--chaves" && i + 1 < argc) {
      keys_dir = argv[++i];
    } else if (arg == "-h" || arg == "--help") {
      Usage();
      return 0;
    } else if (file.empty()) {
      file = arg;
    } else {
      return Usage();
    }
  }
  if (keys_dir.empty() || file.empty()) return Usage();
  std::ifstream in(file);
  if (!in) {
    std::cerr << "pharmasys-audit-verify: cannot read " << file << "\n";
    return 2;
  }
  audit::TrustedKeys keys(keys_dir);
  std::map<std::string, Trail> trails;
  std::string line;
  std::int64_t line_number = 0;
  std::int64_t unreadable = 0;
  while (std::getline(in, line)) {
    ++line_number;
    if (line.empty()) continue;
    try {
      auto value = json::Parse(line).as_object();
      if (auto* r = value.if_contains("registro")) {
        const auto& record = r->as_object();
        auto& trail = trails[std::string(record.at("servico").as_string())];
        const auto sequencia = record.at("sequencia").to_number<std::int64_t>();
        trail.checker.Add(record);
        trail.hashes[sequencia] = std::string(record.at("hash").as_string());
        trail.last = std::max(trail.last, sequencia);
      } else if (auto* c = value.if_contains("checkpoint")) {
        const auto& o = c->as_object();
        audit::Checkpoint cp{std::string(o.at("servico").as_string()),  o.at("sequencia").to_number<std::int64_t>(),
                             std::string(o.at("hash").as_string()),     std::string(o.at("em").as_string()),
                             std::string(o.at("chave_id").as_string()), std::string(o.at("assinatura").as_string())};
        auto& trail = trails[cp.servico];
        if (auto why = keys.Check(cp)) {
          ++trail.checkpoints_invalidos;
          trail.achados.push_back({{"tipo", "checkpoint-invalido"},
                                   {"primeiro_registro", cp.sequencia},
                                   {"descricao", "checkpoint de " + cp.em + ": " + *why}});
        } else {
          trail.checkpoints.push_back(std::move(cp));
        }
      } else {
        ++unreadable;
      }
    } catch (const std::exception& e) {
      ++unreadable;
      std::cerr << "line " << line_number << ": " << e.what() << "\n";
    }
  }
  bool integra = unreadable == 0;
  boost::json::array servicos;
  for (auto& [servico, trail] : trails) {
    const auto& chain = trail.checker.report();
    bool ok = chain.integra;
    for (const auto& cp : trail.checkpoints) {
      auto it = trail.hashes.find(cp.sequencia);
      if (it == trail.hashes.end()) {
        ok = false;
        trail.achados.push_back({{"tipo", cp.sequencia > trail.last ? "cauda-ausente" : "registro-ausente"},
                                 {"primeiro_registro", cp.sequencia > trail.last ? trail.last + 1 : cp.sequencia},
                                 {"descricao", "o checkpoint de " + cp.em + " testemunha o registro " +
                                                   std::to_string(cp.sequencia) + ", que não está na exportação"}});
      } else if (it->second != cp.hash) {
        ok = false;
        trail.achados.push_back({{"tipo", "cadeia-reescrita"},
                                 {"primeiro_registro", cp.sequencia},
                                 {"descricao", "o registro " + std::to_string(cp.sequencia) +
                                                   " não tem o hash que o checkpoint de " + cp.em + " assinou"}});
      }
    }
    ok = ok && trail.checkpoints_invalidos == 0;
    integra = integra && ok;
    boost::json::object entry{{"servico", servico},
                              {"registros", chain.registros},
                              {"ultima_sequencia", trail.last},
                              {"checkpoints_validos", trail.checkpoints.size()},
                              {"checkpoints_invalidos", trail.checkpoints_invalidos},
                              {"integra", ok},
                              {"achados", trail.achados}};
    if (chain.primeiro_registro_invalido) {
      entry["primeiro_registro_invalido"] = *chain.primeiro_registro_invalido;
      entry["motivo"] = chain.motivo;
    }
    servicos.push_back(std::move(entry));
  }
  std::cout << json::Serialize(boost::json::object{
                   {"integra", integra}, {"linhas_ilegiveis", unreadable}, {"servicos", std::move(servicos)}})
            << "\n";
  return integra ? 0 : 1;
}
