#include "util/ini.h"

#include <gtest/gtest.h>

namespace jaga {

TEST(Ini, ReadsSectionsQuotedValuesAndComments) {
  auto r = parse_ini(
      "# jaga.toml\n"
      "[server]\n"
      "listen = \"127.0.0.1:9000\"  # where\n"
      "threads = 2\n"
      "\n"
      "[reports]\n"
      "pow_difficulty=0 ; off\n");
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->size(), 3u);
  EXPECT_EQ((*r)[0].section, "server");
  EXPECT_EQ((*r)[0].value, "127.0.0.1:9000");
  EXPECT_EQ((*r)[1].line, 4);
  EXPECT_EQ((*r)[2].value, "0");
}

TEST(Ini, NamesTheLineOfTheFirstError) {
  struct Case { const char* text; const char* error; };
  const Case cases[] = {
      {"[server\n", "line 1: section header lacks ']'"},
      {"a = 1\nnot a pair\n", "line 2: expected 'key = value'"},
      {"x = \"open\n", "line 1: string is not closed"},
      {"\n\n= 3\n", "line 3: missing key before '='"},
      {"b@d = 1\n", "line 1: bad character in key 'b@d'"},
  };
  for (const auto& c : cases) {
    auto r = parse_ini(c.text);
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_EQ(r.error().message, c.error);
  }
}

}  // namespace jaga
