#include "auditoria.hpp"

namespace pharmasys::relatorios {
namespace {

constexpr pg::ListQuery kTrail =
    PHARMASYS_PG_LIST("rel_auditoria_list", "SELECT posicao, registro::text FROM auditoria_consolidada ",
                      " AND ($1::text IS NULL OR servico = $1) AND ($2::text IS NULL OR entidade = $2)"
                      " AND ($3::text IS NULL OR entidade_id = $3) AND ($4::text IS NULL OR usuario_username = $4)"
                      " AND ($5::timestamptz IS NULL OR ocorrido_em >= $5::timestamptz)"
                      " AND ($6::timestamptz IS NULL OR ocorrido_em < $6::timestamptz)",
                      "posicao", "$7::bigint", "$8");
constexpr pg::Query kCopy{"rel_auditoria_copia",
                          "SELECT registro::text FROM auditoria_consolidada WHERE servico = $1 AND sequencia > $2"
                          " ORDER BY sequencia LIMIT $3"};
constexpr pg::Query kCopyHash{
    "rel_auditoria_copia_hash",
    "SELECT registro->>'hash' FROM auditoria_consolidada WHERE servico = $1 AND sequencia = $2"};
constexpr pg::Query kCopyLast{"rel_auditoria_copia_ultima",
                              "SELECT coalesce(max(sequencia), 0) FROM auditoria_consolidada WHERE servico = $1"};
constexpr pg::Query kCheckpointAte{"rel_checkpoint_ate",
                                   "SELECT sequencia, hash, em, chave_id FROM auditoria_checkpoints WHERE servico = $1"
                                   " AND valido AND sequencia <= $2 ORDER BY sequencia DESC LIMIT 1"};
constexpr pg::Query kCheckpointDesde{
    "rel_checkpoint_desde",
    "SELECT sequencia, hash, em, chave_id FROM auditoria_checkpoints WHERE servico = $1"
    " AND valido AND sequencia >= $2 ORDER BY sequencia LIMIT 1"};
constexpr pg::Query kCheckpointsInvalid{"rel_checkpoints_invalidos",
                                        "SELECT count(*) FROM auditoria_checkpoints WHERE servico = $1 AND NOT valido"};
constexpr pg::Query kExportRecords{
    "rel_export_registros",
    "SELECT servico, sequencia, registro::text FROM auditoria_consolidada WHERE ($1::text IS NULL OR servico = $1)"
    " AND (servico, sequencia) > ($2, $3) ORDER BY servico, sequencia LIMIT 2000"};
constexpr pg::Query kExportCheckpoints{
    "rel_export_checkpoints",
    "SELECT servico, sequencia, hash, em, chave_id, assinatura FROM auditoria_checkpoints WHERE valido"
    " AND ($1::text IS NULL OR servico = $1) AND (servico, sequencia) > ($2, $3) ORDER BY servico, sequencia"
    " LIMIT 2000"};

std::optional<CheckpointGuardado> CheckpointFrom(const pg::Result& rows) {
  if (rows.empty()) return std::nullopt;
  auto row = rows.Single();
  return CheckpointGuardado{
      .sequencia = row.Int(0), .hash = row.String(1), .em = row.String(2), .chave_id = row.String(3)};
}

}  // namespace

std::vector<RegistroDaTrilha> LerTrilha(pg::Pool& db, const FiltrosDaTrilha& f, SortOrder order,
                                        std::optional<std::int64_t> depois_de, std::int64_t limite) {
  auto rows = db.Exec(kTrail[order],
                      pg::Params(f.servico, f.entidade, f.entidade_id, f.usuario, f.de, f.ate, depois_de, limite));
  std::vector<RegistroDaTrilha> out;
  out.reserve(static_cast<std::size_t>(rows.size()));
  for (int i = 0; i < rows.size(); ++i) out.push_back({rows[i].Int(0), rows[i].String(1)});
  return out;
}

constexpr pg::Query kSignatures{
    "rel_assinaturas",
    "SELECT servico, sequencia, registro->>'ocorrido_em', coalesce(usuario_username, ''),"
    " coalesce(registro->'usuario'->>'nome', ''), registro->'assinatura'->>'nome',"
    " registro->'assinatura'->>'significado', registro->'assinatura'->>'em', acao, entidade, entidade_id,"
    " registro->>'motivo' FROM auditoria_consolidada WHERE jsonb_typeof(registro -> 'assinatura') = 'object'"
    " AND ($1::timestamptz IS NULL OR ocorrido_em >= $1::timestamptz)"
    " AND ($2::timestamptz IS NULL OR ocorrido_em < $2::timestamptz) AND ($3::text IS NULL OR usuario_username = $3)"
    " ORDER BY ocorrido_em, servico, sequencia LIMIT $4"};

std::vector<AssinaturaRegistrada> LerAssinaturas(pg::Pool& db, const FiltrosDaTrilha& f, std::int64_t limite) {
  auto rows = db.Exec(kSignatures, pg::Params(f.de, f.ate, f.usuario, limite));
  std::vector<AssinaturaRegistrada> out;
  out.reserve(static_cast<std::size_t>(rows.size()));
  for (int i = 0; i < rows.size(); ++i) {
    auto r = rows[i];
    out.push_back({.servico = r.String(0),
                   .sequencia = r.Int(1),
                   .ocorrido_em = r.String(2),
                   .usuario = r.String(3),
                   .usuario_nome = r.String(4),
                   .nome = r.OptionalString(5).value_or(""),
                   .significado = r.OptionalString(6).value_or(""),
                   .em = r.OptionalString(7).value_or(""),
                   .acao = r.String(8),
                   .entidade = r.String(9),
                   .entidade_id = r.String(10),
                   .motivo = r.OptionalString(11)});
  }
  return out;
}

std::vector<std::string> PaginaDaCopia(pg::Pool& db, const std::string& servico, std::int64_t depois_de,
                                       std::int64_t limite) {
  auto rows = db.Exec(kCopy, pg::Params(servico, depois_de, limite));
  std::vector<std::string> out;
  out.reserve(static_cast<std::size_t>(rows.size()));
  for (int i = 0; i < rows.size(); ++i) out.push_back(rows[i].String(0));
  return out;
}

std::optional<std::string> HashDaCopia(pg::Pool& db, const std::string& servico, std::int64_t sequencia) {
  auto rows = db.Exec(kCopyHash, pg::Params(servico, sequencia));
  if (rows.empty() || rows.Single().IsNull(0)) return std::nullopt;
  return rows.Single().String(0);
}

std::int64_t UltimaDaCopia(pg::Pool& db, const std::string& servico) {
  return db.Exec(kCopyLast, pg::Params(servico)).Single().Int(0);
}

std::optional<CheckpointGuardado> CheckpointAte(pg::Pool& db, const std::string& servico, std::int64_t sequencia) {
  return CheckpointFrom(db.Exec(kCheckpointAte, pg::Params(servico, sequencia)));
}

std::optional<CheckpointGuardado> CheckpointDesde(pg::Pool& db, const std::string& servico, std::int64_t sequencia) {
  return CheckpointFrom(db.Exec(kCheckpointDesde, pg::Params(servico, sequencia)));
}

std::int64_t CheckpointsInvalidos(pg::Pool& db, const std::string& servico) {
  return db.Exec(kCheckpointsInvalid, pg::Params(servico)).Single().Int(0);
}

std::vector<RegistroExportado> RegistrosParaExportar(pg::Pool& db, const std::optional<std::string>& servico,
                                                     const std::string& apos_servico, std::int64_t apos_sequencia) {
  auto rows = db.Exec(kExportRecords, pg::Params(servico, apos_servico, apos_sequencia));
  std::vector<RegistroExportado> out;
  out.reserve(static_cast<std::size_t>(rows.size()));
  for (int i = 0; i < rows.size(); ++i) out.push_back({rows[i].String(0), rows[i].Int(1), rows[i].String(2)});
  return out;
}

std::vector<CheckpointExportado> CheckpointsParaExportar(pg::Pool& db, const std::optional<std::string>& servico,
                                                         const std::string& apos_servico, std::int64_t apos_sequencia) {
  auto rows = db.Exec(kExportCheckpoints, pg::Params(servico, apos_servico, apos_sequencia));
  std::vector<CheckpointExportado> out;
  out.reserve(static_cast<std::size_t>(rows.size()));
  for (int i = 0; i < rows.size(); ++i) {
    out.push_back({rows[i].String(0), rows[i].Int(1), rows[i].String(2), rows[i].String(3), rows[i].String(4),
                   rows[i].String(5)});
  }
  return out;
}

}  // namespace pharmasys::relatorios
