#pragma once
// Printed GMP records (RULES.md G2) as PDF, drawn with cairo on A4 pages: text top-down, table
// cells cut to fit, wrapped paragraphs, rules, highlighted rows, and a footer on every page with
// the document's own line and "página N de M". A separate library (pharmasys::pdf): only the
// services that print link cairo.
//
//   auto bytes = pdf::Render({.title = "Registro de lote OP-2026-000001", .footer = "hash …"},
//                            [&](pdf::Page& page) { page.Text(page.left(), "Olá", 12, true); page.Down(16); });
#include <functional>
#include <string>
#include <vector>

namespace pharmasys::pdf {

struct Options {
  std::string title;    // the document's metadata title
  std::string creator;  // its metadata creator ("PharmaSys CQ")
  std::string footer;   // printed at the foot of every page, before "página N de M"
};

// A page cursor: writes lines top-down and starts a new page when one is full.
class Page {
 public:
  static constexpr double kWidth = 595.0;  // A4 in points
  static constexpr double kHeight = 842.0;
  static constexpr double kMargin = 50.0;

  double left() const { return kMargin; }
  double width() const { return kWidth - 2 * kMargin; }

  void Text(double x, const std::string& text, double size = 10, bool bold = false);
  // Text cut to fit `width` (with an ellipsis), for table cells.
  void Cell(double x, double width, const std::string& text, double size = 9, bool bold = false);
  // `label` then `text`, wrapped to the page width (from x = left()).
  void Paragraph(const std::string& label, const std::string& text, double size = 10);
  void Rule(double thickness = 0.5);
  // A light band behind the next line of `height` points: how an exception is marked.
  void Highlight(double height);
  void Down(double dy) { y_ += dy; }
  // Starts a new page unless `dy` more points fit on this one.
  void Need(double dy);
  double Width(const std::string& text, double size = 10, bool bold = false);

  // A table of one line per row, cells cut to fit, under a bold header that is printed again
  // at the top of every page the table continues on. A column of width 0 takes what the
  // others leave of the page's width. A row of one cell is a note on the row before it, as wide
  // as the table.
  struct Column {
    std::string header;
    double width = 0;
  };
  void Table(const std::vector<Column>& columns, const std::vector<std::vector<std::string>>& rows, double size = 8.5);

 private:
  friend std::string Render(const Options&, const std::function<void(Page&)>&);
  Page(void* cr, const Options& options, int total) : cr_(cr), options_(options), total_(total) { Begin(); }
  void Begin();
  void Foot();
  void* cr_;
  const Options& options_;
  int total_;  // 0 while counting
  double y_ = kMargin;
  int page_ = 0;
};

// The PDF's bytes: `draw` runs twice, once to count the pages and once to print them with
// "página N de M". Throws std::runtime_error when cairo fails.
std::string Render(const Options& options, const std::function<void(Page&)>& draw);

}  // namespace pharmasys::pdf
