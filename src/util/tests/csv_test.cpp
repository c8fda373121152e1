#include "util/csv.h"

#include <gtest/gtest.h>

namespace jaga {
namespace {

TEST(Csv, ReadsWhatSpreadsheetsWrite) {
  auto rows = parse_csv("\xEF\xBB\xBFname,domains\r\n\"Kota Bandung, Pemkot\",bandung.go.id\r\n\r\n\"He said \"\"hi\"\"\",\"a\nb\"\nlast,\n");
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  ASSERT_EQ(rows->size(), 4u);
  EXPECT_EQ((*rows)[0], (CsvRow{"name", "domains"}));
  EXPECT_EQ((*rows)[1], (CsvRow{"Kota Bandung, Pemkot", "bandung.go.id"}));
  EXPECT_EQ((*rows)[2], (CsvRow{"He said \"hi\"", "a\nb"}));
  EXPECT_EQ((*rows)[3], (CsvRow{"last", ""}));
}

TEST(Csv, NamesTheLineOfAnError) {
  auto open = parse_csv("a,b\nc,\"never closed\n");
  ASSERT_FALSE(open.ok());
  EXPECT_EQ(open.error().message, "line 2: a quoted field is not closed");
  auto stray = parse_csv("a,b\nc,d\"e\n");
  ASSERT_FALSE(stray.ok());
  EXPECT_EQ(stray.error().message, "line 2: a quote inside an unquoted field");
}

TEST(Csv, WritesFieldsThatReadBackAndNeverAsFormulas) {
  CsvRow fields{"plain", "with, comma", "with \"quote\"", "=HYPERLINK(\"x\")", "two\nlines"};
  auto line = csv_line(fields);
  EXPECT_EQ(line, "plain,\"with, comma\",\"with \"\"quote\"\"\",\"'=HYPERLINK(\"\"x\"\")\",\"two\nlines\"\r\n");
  auto back = parse_csv(line);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ((*back)[0][1], "with, comma");
  EXPECT_EQ((*back)[0][3], "'=HYPERLINK(\"x\")");
  EXPECT_EQ(csv_line({"+62 21 5550 1049", "-1.5", "+cmd|' /C calc'!A0"}), "+62 21 5550 1049,-1.5,\"'+cmd|' /C calc'!A0\"\r\n")
      << "phone numbers stay as they are; a formula does not";
}

}  // namespace
}  // namespace jaga
