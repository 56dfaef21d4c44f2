#pragma once
// Relatórios' printed records (RULES.md G2), drawn from the same documents the JSON endpoints
// answer, so a printout says exactly what the record says: the batch record of an OP, and the
// audit history of any record. Every page's footer carries the document's SHA-256.
#include <boost/json/fwd.hpp>

#include <string>

namespace pharmasys::relatorios {

// The batch record (GET /v1/relatorios/ordens-producao/{op_id}): the OP, every step with each
// parameter's value, limits, who and when; the consumptions with the insumo lots; the lots
// produced and their QC outcome; the desvios; the exceptions (RULES G1) highlighted where they
// occur and listed; every signature manifested with name, instant and meaning.
std::string BatchRecordPdf(const boost::json::object& registro, const std::string& hash);

// The audit history of one record (GET /v1/relatorios/auditoria/historico/...): every change
// oldest first, each field old → new, who, when, why, and its signature.
std::string AuditHistoryPdf(const boost::json::object& historico, const std::string& hash);

// The signature log (GET /v1/relatorios/assinaturas): one line per signed record, oldest first,
// with the signer's name, the instant and meaning of the signature, and what was signed.
std::string SignatureLogPdf(const boost::json::object& registro, const std::string& hash);

}  // namespace pharmasys::relatorios
