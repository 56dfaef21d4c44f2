// The CSV cell rule (RULES.md X8): a text cell that a spreadsheet would read as a formula is
// neutralised with a leading quote; a number the export writes as a number is left alone;
// the pt-BR spreadsheet flavour separates with `;` and writes decimals with a comma.
#include "pharmasys/csv.hpp"

#include <gtest/gtest.h>

namespace pharmasys::relatorios {
namespace {

// proves: X8
TEST(CsvCell, ATextCellThatStartsLikeAFormulaIsNeutralised) {
  EXPECT_EQ(CsvField(CsvCell("=HYPERLINK(\"http://x\")")), "\"'=HYPERLINK(\"\"http://x\"\")\"");
  EXPECT_EQ(CsvField(CsvCell("+1+1")), "'+1+1");
  EXPECT_EQ(CsvField(CsvCell("-2+3+cmd|' /C calc'!A0")), "'-2+3+cmd|' /C calc'!A0");
  EXPECT_EQ(CsvField(CsvCell("@SUM(A1:A9)")), "'@SUM(A1:A9)");
  EXPECT_EQ(CsvField(CsvCell("\t=1")), "'\t=1");
  EXPECT_EQ(CsvField(CsvCell("\r=1")), "\"'\r=1\"");  // a carriage return is quoted as well
  EXPECT_EQ(CsvField(CsvCell("-5")), "'-5");          // text, even when it reads like a number
}

// proves: X8
TEST(CsvCell, OrdinaryTextIsLeftAsItIsAndQuotedOnlyWhenItMustBe) {
  EXPECT_EQ(CsvField(CsvCell("Farmácia Central")), "Farmácia Central");
  EXPECT_EQ(CsvField(CsvCell("a=b")), "a=b");  // only the first character matters
  EXPECT_EQ(CsvField(CsvCell("")), "");
  EXPECT_EQ(CsvField(CsvCell("Silva, Ana")), "\"Silva, Ana\"");
  EXPECT_EQ(CsvField(CsvCell("diz \"sim\"")), "\"diz \"\"sim\"\"\"");
  EXPECT_EQ(CsvField(CsvCell("linha\nnova")), "\"linha\nnova\"");
}

// proves: X8
TEST(CsvCell, ANumberTheExportWritesIsNotTouched) {
  EXPECT_EQ(CsvField(CsvNumber("-5")), "-5");
  EXPECT_EQ(CsvField(CsvNumber("12.5")), "12.5");
  EXPECT_EQ(CsvField(CsvNumber("42")), "42");
  EXPECT_EQ(CsvField(CsvNumberOf(boost::json::value(-2.5))), "-2.5");
  EXPECT_EQ(CsvField(CsvNumberOf(boost::json::value(7))), "7");
  // Marked as a number but not one: treated as text.
  EXPECT_EQ(CsvField(CsvNumber("-1+1")), "'-1+1");
  EXPECT_EQ(CsvField(CsvNumber("=1")), "'=1");
  EXPECT_EQ(CsvField(CsvNumber("-")), "'-");
  EXPECT_EQ(CsvField(CsvNumber("1e5")), "1e5");
  EXPECT_EQ(CsvField(CsvNumber("-1e5")), "'-1e5");
}

TEST(CsvCell, TheSpreadsheetFlavourUsesSemicolonsAndADecimalComma) {
  EXPECT_EQ(CsvLine({"Silva, Ana", CsvNumber("-12.5"), CsvNumber("3"), "=1", "a;b"}, kExcelCsv),
            "Silva, Ana;-12,5;3;'=1;\"a;b\"\r\n");
  EXPECT_EQ(CsvLine({"Silva, Ana", CsvNumber("-12.5"), "=1"}), "\"Silva, Ana\",-12.5,'=1\r\n");
  // Only numbers take the comma: a text cell keeps its point.
  EXPECT_EQ(CsvField(CsvCell("v1.2"), kExcelCsv), "v1.2");
}

TEST(CsvExport, TheFormatComesFromTheQueryOrTheAcceptHeader) {
  http::Request request;
  EXPECT_FALSE(RequestedCsv(request).has_value());
  request.headers.Set("Accept", "text/csv");
  ASSERT_TRUE(RequestedCsv(request).has_value());
  EXPECT_EQ(RequestedCsv(request)->separator, ',');
  request.query = "formato=excel";
  EXPECT_EQ(RequestedCsv(request)->separator, ';');
  request.query = "formato=pdf";
  EXPECT_THROW(RequestedCsv(request), ValidationError);

  auto res = CsvResponse("a;b\r\n", kExcelCsv, "trilha-de-auditoria");
  EXPECT_EQ(res.body,
            "\xEF\xBB\xBF"
            "a;b\r\n");
  EXPECT_EQ(res.headers.GetOr("Content-Type", ""), "text/csv; charset=utf-8");
  EXPECT_EQ(res.headers.GetOr("Content-Disposition", ""), "attachment; filename=\"trilha-de-auditoria.csv\"");
  EXPECT_EQ(CsvResponse("a\r\n", kRfc4180Csv, "x").body, "a\r\n");
}

}  // namespace
}  // namespace pharmasys::relatorios
