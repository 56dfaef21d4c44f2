#pragma once
// The certificate of analysis (certificado de análise) of a laudo, as a PDF drawn with cairo:
// lot, material, specification version, every result against its limits, the decision, and
// the electronic signature block (name, date/time, meaning) required by RULES.md S3.
#include <string>
#include <vector>

namespace pharmasys::cq {

struct CertificateRow {
  std::string ensaio;         // "pH — Potencial hidrogeniônico"
  std::string especificacao;  // "6,0 a 7,5", "≥ 98,0 %", "Conforme padrão"
  std::string resultado;      // "6,8", "Conforme padrão"
  bool conforme = false;
};

struct CertificateData {
  std::string laudo_id;
  std::string lote_codigo;
  std::string material;  // "MP-001 — Lactose monoidratada"
  std::string validade;  // as printed: dd/mm/aaaa
  std::string fabricacao;
  std::string origem;  // "Recebimento (fornecedor X, lote F-1)" / "Produção"
  std::string amostra_codigo;
  std::string especificacao_versao;
  std::vector<CertificateRow> resultados;
  std::string decisao;  // "APROVADO" / "REPROVADO"
  std::string observacao;
  std::string motivo;
  std::string assinatura_nome;
  std::string assinatura_em;           // as printed: "29/11/2026 11:13:15 UTC"
  std::string assinatura_significado;  // "aprovação" / "reprovação"
  std::string emitido_por;
};

// The PDF document's bytes. Throws std::runtime_error when cairo fails.
std::string RenderCertificate(const CertificateData& data);

}  // namespace pharmasys::cq
