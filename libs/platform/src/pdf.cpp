#include "pharmasys/pdf/document.hpp"

#include <cairo-pdf.h>
#include <cairo.h>

#include <algorithm>
#include <memory>
#include <stdexcept>

namespace pharmasys::pdf {
namespace {

constexpr const char* kFont = "DejaVu Sans";

cairo_t* Cr(void* p) {
  return static_cast<cairo_t*>(p);
}

void Font(cairo_t* cr, double size, bool bold) {
  cairo_select_font_face(cr, kFont, CAIRO_FONT_SLANT_NORMAL, bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, size);
}

// Removes the last UTF-8 character (its continuation bytes and its lead byte).
void PopCharacter(std::string& text) {
  while (!text.empty()) {
    const auto c = static_cast<unsigned char>(text.back());
    text.pop_back();
    if ((c & 0xC0) != 0x80) break;
  }
}

cairo_status_t Append(void* closure, const unsigned char* data, unsigned int length) {
  if (closure != nullptr) static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

}  // namespace

void Page::Text(double x, const std::string& text, double size, bool bold) {
  Font(Cr(cr_), size, bold);
  cairo_move_to(Cr(cr_), x, y_);
  cairo_show_text(Cr(cr_), text.c_str());
}

double Page::Width(const std::string& text, double size, bool bold) {
  Font(Cr(cr_), size, bold);
  cairo_text_extents_t extents;
  cairo_text_extents(Cr(cr_), text.c_str(), &extents);
  return extents.x_advance;
}

void Page::Cell(double x, double width, const std::string& text, double size, bool bold) {
  std::string shown = text;
  if (Width(shown, size, bold) > width) {
    while (!shown.empty() && Width(shown + "…", size, bold) > width) PopCharacter(shown);
    shown += "…";
  }
  Text(x, shown, size, bold);
}

void Page::Paragraph(const std::string& label, const std::string& text, double size) {
  const double line_height = size * 1.4;
  std::string line = label;
  std::string word;
  auto flush_word = [&] {
    std::string candidate = line.empty() ? word : line + " " + word;
    if (Width(candidate, size) > width() && !line.empty()) {
      Need(line_height);
      Text(left(), line, size);
      Down(line_height);
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
    Need(line_height);
    Text(left(), line, size);
    Down(line_height);
  }
}

void Page::Rule(double thickness) {
  cairo_set_line_width(Cr(cr_), thickness);
  cairo_move_to(Cr(cr_), kMargin, y_);
  cairo_line_to(Cr(cr_), kWidth - kMargin, y_);
  cairo_stroke(Cr(cr_));
}

void Page::Highlight(double height) {
  cairo_set_source_rgb(Cr(cr_), 1.0, 0.93, 0.75);
  cairo_rectangle(Cr(cr_), kMargin - 4, y_ - height + 3, kWidth - 2 * kMargin + 8, height);
  cairo_fill(Cr(cr_));
  cairo_set_source_rgb(Cr(cr_), 0, 0, 0);
}

void Page::Table(const std::vector<Column>& columns, const std::vector<std::vector<std::string>>& rows, double size) {
  double fixed = 0;
  for (const auto& c : columns) fixed += c.width;
  std::vector<double> x, w;
  double at = left();
  for (const auto& c : columns) {
    const double cw = c.width > 0 ? c.width : std::max(30.0, width() - fixed);
    x.push_back(at);
    w.push_back(cw - 4);
    at += cw;
  }
  const double line = size * 1.55;
  auto header = [&] {
    for (std::size_t i = 0; i < columns.size(); ++i) Cell(x[i], w[i], columns[i].header, size, true);
    Down(line * 0.35);
    Rule(0.4);
    Down(line * 0.85);
  };
  Need(line * 2.5);
  header();
  for (const auto& row : rows) {
    const int before = page_;
    Need(line);
    if (page_ != before) header();
    if (row.size() == 1 && columns.size() > 1) {
      Cell(left() + 10, width() - 10, row[0], size);  // a note on the row above, the table's width
    } else {
      for (std::size_t i = 0; i < columns.size() && i < row.size(); ++i) Cell(x[i], w[i], row[i], size);
    }
    Down(line);
  }
}

void Page::Need(double dy) {
  if (y_ + dy > kHeight - kMargin - 20) {
    Foot();
    cairo_show_page(Cr(cr_));
    Begin();
  }
}

void Page::Begin() {
  ++page_;
  y_ = kMargin + 10;
  cairo_set_source_rgb(Cr(cr_), 0, 0, 0);
}

void Page::Foot() {
  Font(Cr(cr_), 7.5, false);
  std::string folio = "página " + std::to_string(page_);
  if (total_ > 0) folio += " de " + std::to_string(total_);
  const std::string footer = options_.footer.empty() ? folio : options_.footer + " — " + folio;
  cairo_move_to(Cr(cr_), kMargin, kHeight - kMargin + 10);
  cairo_show_text(Cr(cr_), footer.c_str());
}

std::string Render(const Options& options, const std::function<void(Page&)>& draw) {
  auto pass = [&](std::string* out, int total) {
    std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)> surface(
        cairo_pdf_surface_create_for_stream(Append, out, Page::kWidth, Page::kHeight), &cairo_surface_destroy);
    if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) throw std::runtime_error("cairo: surface");
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE, options.title.c_str());
    if (!options.creator.empty()) {
      cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, options.creator.c_str());
    }
    int pages = 0;
    {
      std::unique_ptr<cairo_t, decltype(&cairo_destroy)> cr(cairo_create(surface.get()), &cairo_destroy);
      Page page(cr.get(), options, total);
      draw(page);
      page.Foot();
      pages = page.page_;
    }
    cairo_surface_finish(surface.get());
    if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) throw std::runtime_error("cairo: finish");
    return pages;
  };
  const int total = pass(nullptr, 0);
  std::string out;
  pass(&out, total);
  return out;
}

}  // namespace pharmasys::pdf
