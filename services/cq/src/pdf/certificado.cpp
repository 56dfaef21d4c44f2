#include "certificado.hpp"

#include <cairo-pdf.h>
#include <cairo.h>

#include <memory>
#include <stdexcept>

namespace pharmasys::cq {
namespace {

constexpr double kWidth = 595.0;  // A4 in points
constexpr double kHeight = 842.0;
constexpr double kMargin = 50.0;
constexpr const char* kFont = "DejaVu Sans";

cairo_status_t Append(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

// A page cursor over a cairo context: writes lines top-down and starts a new page when full.
class Page {
 public:
  explicit Page(cairo_t* cr, std::string footer) : cr_(cr), footer_(std::move(footer)) { Begin(); }

  void Text(double x, const std::string& text, double size = 10, bool bold = false) {
    cairo_select_font_face(cr_, kFont, CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr_, size);
    cairo_move_to(cr_, x, y_);
    cairo_show_text(cr_, text.c_str());
  }
  // Text cut to fit `width` (ellipsis), for table cells.
  void Cell(double x, double width, const std::string& text, double size = 9, bool bold = false) {
    cairo_select_font_face(cr_, kFont, CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr_, size);
    std::string shown = text;
    if (Width(shown) > width) {
      while (!shown.empty() && Width(shown + "…") > width) PopCharacter(shown);
      shown += "…";
    }
    cairo_move_to(cr_, x, y_);
    cairo_show_text(cr_, shown.c_str());
  }
  // Wraps `text` to the page width.
  void Paragraph(const std::string& label, const std::string& text) {
    std::string line = label;
    std::string word;
    auto flush_word = [&] {
      std::string candidate = line.empty() ? word : line + " " + word;
      cairo_select_font_face(cr_, kFont, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
      cairo_set_font_size(cr_, 10);
      cairo_text_extents_t e;
      cairo_text_extents(cr_, candidate.c_str(), &e);
      if (e.x_advance > kWidth - 2 * kMargin && !line.empty()) {
        Need(14);
        Text(kMargin, line);
        Down(14);
        line = word;
      } else {
        line = candidate;
      }
      word.clear();
    };
    for (char c : text) {
      if (c == ' ' || c == '\n') {
        if (!word.empty()) flush_word();
      } else {
        word += c;
      }
    }
    if (!word.empty()) flush_word();
    if (!line.empty()) {
      Need(14);
      Text(kMargin, line);
      Down(14);
    }
  }
  double Width(const std::string& text) {
    cairo_text_extents_t extents;
    cairo_text_extents(cr_, text.c_str(), &extents);
    return extents.x_advance;
  }
  // Removes the last UTF-8 character (its continuation bytes and its lead byte).
  static void PopCharacter(std::string& text) {
    while (!text.empty()) {
      const auto c = static_cast<unsigned char>(text.back());
      text.pop_back();
      if ((c & 0xC0) != 0x80) break;
    }
  }
  void Rule(double thickness = 0.5) {
    cairo_set_line_width(cr_, thickness);
    cairo_move_to(cr_, kMargin, y_);
    cairo_line_to(cr_, kWidth - kMargin, y_);
    cairo_stroke(cr_);
  }
  void Down(double dy) { y_ += dy; }
  // Starts a new page unless `dy` more points fit on this one.
  void Need(double dy) {
    if (y_ + dy > kHeight - kMargin - 20) {
      Finish();
      cairo_show_page(cr_);
      Begin();
    }
  }
  void Finish() {
    cairo_select_font_face(cr_, kFont, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr_, 7.5);
    cairo_move_to(cr_, kMargin, kHeight - kMargin + 10);
    cairo_show_text(cr_, (footer_ + " — página " + std::to_string(page_)).c_str());
  }

 private:
  void Begin() {
    ++page_;
    y_ = kMargin + 10;
    cairo_set_source_rgb(cr_, 0, 0, 0);
  }
  cairo_t* cr_;
  std::string footer_;
  double y_ = kMargin;
  int page_ = 0;
};

}  // namespace

std::string RenderCertificate(const CertificateData& d) {
  std::string out;
  std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)> surface(
      cairo_pdf_surface_create_for_stream(Append, &out, kWidth, kHeight), &cairo_surface_destroy);
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) throw std::runtime_error("cairo: surface");
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE,
                                 ("Certificado de análise — lote " + d.lote_codigo).c_str());
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, "PharmaSys CQ");
  {
    std::unique_ptr<cairo_t, decltype(&cairo_destroy)> cr(cairo_create(surface.get()), &cairo_destroy);
    Page page(cr.get(), "PharmaSys — laudo " + d.laudo_id);

    page.Text(kMargin, "PharmaSys — Controle de Qualidade", 9);
    page.Down(22);
    page.Text(kMargin, "CERTIFICADO DE ANÁLISE", 18, true);
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
      page.Text(kMargin, std::string(label) + ":", 10, true);
      page.Text(kMargin + 95, *value, 10);
      page.Down(15);
    }

    page.Down(10);
    const double cols[] = {kMargin, kMargin + 190, kMargin + 330, kMargin + 430};
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
    page.Text(kMargin, "Decisão: " + d.decisao, 14, true);
    page.Down(20);
    if (!d.motivo.empty()) page.Paragraph("Motivo:", d.motivo);
    if (!d.observacao.empty()) page.Paragraph("Observação:", d.observacao);

    page.Down(16);
    page.Need(90);
    page.Rule();
    page.Down(18);
    page.Text(kMargin, "ASSINATURA ELETRÔNICA", 10, true);
    page.Down(16);
    page.Text(kMargin, "Assinado por: " + d.assinatura_nome + " (" + d.emitido_por + ")", 10);
    page.Down(14);
    page.Text(kMargin, "Data/hora: " + d.assinatura_em, 10);
    page.Down(14);
    page.Text(kMargin, "Significado: " + d.assinatura_significado, 10);
    page.Down(14);
    page.Text(kMargin, "Assinatura com reautenticação, vinculada a este registro (21 CFR Part 11 §11.50).", 8);
    page.Finish();
  }
  cairo_surface_finish(surface.get());
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) throw std::runtime_error("cairo: finish");
  return out;
}

}  // namespace pharmasys::cq
