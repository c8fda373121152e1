#include "app/settings.h"

#include <gtest/gtest.h>

namespace jaga {

TEST(Settings, FileThenEnvironmentThenFlags) {
  Settings s;
  ASSERT_TRUE(apply_config_file(s, "[server]\nlisten = \"0.0.0.0:9000\"\n[reports]\npow_difficulty = 12\n").ok());
  EXPECT_EQ(s.port(), 9000);
  EXPECT_EQ(s.pow_difficulty, 12);
  ASSERT_TRUE(apply_environment(s, {{"JAGA_POW_DIFFICULTY", "0"}, {"JAGA_DATA_DIR", "/tmp/x"}}).ok());
  EXPECT_EQ(s.pow_difficulty, 0);
  EXPECT_EQ(s.data_dir, "/tmp/x");
  ASSERT_TRUE(apply_setting(s, "listen", "127.0.0.1:7000").ok());
  EXPECT_EQ(s.host(), "127.0.0.1");
  EXPECT_EQ(s.port(), 7000);
}

TEST(Settings, ReportsTheFirstBadKeyWithItsLine) {
  struct Case { const char* text; const char* error; };
  const Case cases[] = {
      {"[server]\nlisten = \"127.0.0.1:1\"\nlisen = \"x\"\nbogus = 1\n", "line 3: unknown key 'lisen' in [server]"},
      {"[reports]\npow_difficulty = hard\n", "line 2: pow_difficulty must be a whole number from 0 to 28, not 'hard'"},
      {"[store]\nlisten = \"x:1\"\n", "line 2: unknown key 'listen' in [store]"},
      {"[server]\naccess_log = maybe\n", "line 2: access_log must be true or false, not 'maybe'"},
      {"listen 127.0.0.1\n", "line 1: expected 'key = value'"},
  };
  for (const auto& c : cases) {
    Settings s;
    auto st = apply_config_file(s, c.text);
    ASSERT_FALSE(st.ok()) << c.text;
    EXPECT_EQ(st.error().message, c.error);
  }
}

TEST(Settings, Validation) {
  Settings s;
  EXPECT_TRUE(validate(s).ok());
  s.listen = "nonsense";
  EXPECT_EQ(validate(s).error().message, "listen must be HOST:PORT, not 'nonsense'");
  s.listen = "127.0.0.1:99999";
  EXPECT_FALSE(validate(s).ok());
  Settings t;
  t.tls_certificate = "cert.pem";
  EXPECT_EQ(validate(t).error().message, "set both tls_certificate and tls_private_key, or neither");
  Settings e;
  EXPECT_EQ(apply_environment(e, {{"JAGA_THREADS", "-1"}}).error().message,
            "JAGA_THREADS: threads must be a whole number from 0 to 64, not '-1'");
}

}  // namespace jaga
