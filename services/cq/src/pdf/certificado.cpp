#include "certificado.hpp"

#include "pharmasys/pdf/document.hpp"

namespace pharmasys::cq {

std::string RenderCertificate(const CertificateData& d) {
  return pdf::Render(
      {.title = "Certificado de análise — lote " + d.lote_codigo,
       .creator = "PharmaSys CQ",
       .footer = "PharmaSys — laudo " + d.laudo_id},
      [&](pdf::Page& page) {
        page.Text(page.left(), "PharmaSys — Controle de Qualidade", 9);
        page.Down(22);
        page.Text(page.left(), "CERTIFICADO DE ANÁLISE", 18, true);
        page.Down(10);
        page.Rule(1.0);
        page.Down(20);

        const std::pair<const char*, const std::string*> fields[] = {{"Lote", &d.lote_codigo},
                                                                     {"Material", &d.material},
                                                                     {"Origem", &d.origem},
                                                                     {"Fabricação", &d.fabricacao},
                                                                     {"Validade", &d.validade},
                                                                     {"Amostra", &d.amostra_codigo},
                                                                     {"Especificação", &d.especificacao_versao}};
        for (const auto& [label, value] : fields) {
          if (value->empty()) continue;
          page.Text(page.left(), std::string(label) + ":", 10, true);
          page.Text(page.left() + 95, *value, 10);
          page.Down(15);
        }

        page.Down(10);
        const double cols[] = {page.left(), page.left() + 190, page.left() + 330, page.left() + 430};
        page.Cell(cols[0], 185, "Ensaio", 9, true);
        page.Cell(cols[1], 135, "Especificação", 9, true);
        page.Cell(cols[2], 95, "Resultado", 9, true);
        page.Cell(cols[3], 65, "Situação", 9, true);
        page.Down(5);
        page.Rule();
        page.Down(13);
        for (const auto& row : d.resultados) {
          page.Need(14);
          page.Cell(cols[0], 185, row.ensaio);
          page.Cell(cols[1], 135, row.especificacao);
          page.Cell(cols[2], 95, row.resultado);
          page.Cell(cols[3], 65, row.conforme ? "Conforme" : "NÃO CONFORME", 9, !row.conforme);
          page.Down(14);
        }
        page.Rule();
        page.Down(24);

        page.Need(60);
        page.Text(page.left(), "Decisão: " + d.decisao, 14, true);
        page.Down(20);
        if (!d.motivo.empty()) page.Paragraph("Motivo:", d.motivo);
        if (!d.observacao.empty()) page.Paragraph("Observação:", d.observacao);

        page.Down(16);
        page.Need(90);
        page.Rule();
        page.Down(18);
        page.Text(page.left(), "ASSINATURA ELETRÔNICA", 10, true);
        page.Down(16);
        page.Text(page.left(), "Assinado por: " + d.assinatura_nome + " (" + d.emitido_por + ")", 10);
        page.Down(14);
        page.Text(page.left(), "Data/hora: " + d.assinatura_em, 10);
        page.Down(14);
        page.Text(page.left(), "Significado: " + d.assinatura_significado, 10);
        page.Down(14);
        page.Text(page.left(), "Assinatura com reautenticação, vinculada a este registro (21 CFR Part 11 §11.50).", 8);
      });
}

}  // namespace pharmasys::cq
