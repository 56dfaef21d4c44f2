#pragma once
// The consolidated audit trail of every service and the signed checkpoints of their chains'
// heads, as Relatórios keeps them (RULES.md A3, A4, A8). A record is the document its service
// sealed, kept as it came: its text is handed out unchanged, for the hash to still hold.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pharmasys/list_order.hpp"
#include "pharmasys/pg/pg.hpp"

namespace pharmasys::relatorios {

struct FiltrosDaTrilha {
  std::optional<std::string> servico, entidade, entidade_id, usuario;
  std::optional<std::string> de, ate;  // RFC 3339 instants: de ≤ ocorrido_em < ate
};

struct RegistroDaTrilha {
  std::int64_t posicao = 0;  // the list's cursor
  std::string registro;      // the sealed record, as stored
};

// The records that match `filtros`, in `order` of their position, after `depois_de`; at most
// `limite`.
std::vector<RegistroDaTrilha> LerTrilha(pg::Pool& db, const FiltrosDaTrilha& filtros, SortOrder order,
                                        std::optional<std::int64_t> depois_de, std::int64_t limite);

// The signature log: every signed record of every service, oldest first, in the period and of
// the user of `filtros` (the other filters do not apply); at most `limite`.
struct AssinaturaRegistrada {
  std::string servico;
  std::int64_t sequencia = 0;
  std::string ocorrido_em, usuario, usuario_nome;  // who acted, when
  std::string nome, significado, em;               // the signature as it was given
  std::string acao, entidade, entidade_id;
  std::optional<std::string> motivo;
};
std::vector<AssinaturaRegistrada> LerAssinaturas(pg::Pool& db, const FiltrosDaTrilha& filtros, std::int64_t limite);

// The consolidated copy of `servico`'s chain: up to `limite` records after record
// `depois_de`, in chain order (the sealed records, as stored).
std::vector<std::string> PaginaDaCopia(pg::Pool& db, const std::string& servico, std::int64_t depois_de,
                                       std::int64_t limite);
// The hash the copy holds for record `sequencia` of `servico`'s chain; nullopt without one.
std::optional<std::string> HashDaCopia(pg::Pool& db, const std::string& servico, std::int64_t sequencia);
// The last record of `servico` in the copy (0: none).
std::int64_t UltimaDaCopia(pg::Pool& db, const std::string& servico);

struct CheckpointGuardado {
  std::int64_t sequencia = 0;
  std::string hash, em, chave_id;
};
// The valid checkpoint of `servico` with the greatest sequencia ≤ `sequencia`.
std::optional<CheckpointGuardado> CheckpointAte(pg::Pool& db, const std::string& servico, std::int64_t sequencia);
// The valid checkpoint of `servico` with the least sequencia ≥ `sequencia`.
std::optional<CheckpointGuardado> CheckpointDesde(pg::Pool& db, const std::string& servico, std::int64_t sequencia);
// How many checkpoints of `servico` failed their signature check.
std::int64_t CheckpointsInvalidos(pg::Pool& db, const std::string& servico);

// The export (docs/audit/verificacao.md) reads the copy and then the valid checkpoints, a page
// at a time, ordered by (servico, sequencia), each page after the last (servico, sequencia)
// of the one before ("", 0 for the first); an empty page ends it. `servico`: one service or all.
struct RegistroExportado {
  std::string servico;
  std::int64_t sequencia = 0;
  std::string registro;  // the sealed record, as stored
};
std::vector<RegistroExportado> RegistrosParaExportar(pg::Pool& db, const std::optional<std::string>& servico,
                                                     const std::string& apos_servico, std::int64_t apos_sequencia);
struct CheckpointExportado {
  std::string servico;
  std::int64_t sequencia = 0;
  std::string hash, em, chave_id, assinatura;
};
std::vector<CheckpointExportado> CheckpointsParaExportar(pg::Pool& db, const std::optional<std::string>& servico,
                                                         const std::string& apos_servico, std::int64_t apos_sequencia);

}  // namespace pharmasys::relatorios
