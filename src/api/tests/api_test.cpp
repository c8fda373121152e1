#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "api/json_input.h"
#include "api/partner_credentials.h"
#include "api/pow.h"
#include "api/submission.h"
#include "util/crypto.h"

namespace jaga::api {

TEST(Pow, SolvedChallengeVerifiesAndTamperingFails) {
  init_crypto();
  std::string key = "k";
  auto challenge = make_pow_challenge(key, 8, 1000);
  std::string solution;
  for (int i = 0; i < 1 << 20; ++i) {
    if (leading_zero_bits(challenge, std::to_string(i)) >= 8) {
      solution = std::to_string(i);
      break;
    }
  }
  ASSERT_FALSE(solution.empty());
  EXPECT_TRUE(verify_pow(key, challenge, solution, 1001).ok());
  EXPECT_EQ(verify_pow(key, challenge, solution, 5000).error().message,
            "the proof-of-work challenge has expired; reload the form");
  EXPECT_EQ(verify_pow("other", challenge, solution, 1001).error().message,
            "the proof-of-work challenge was not issued by this server");
  auto harder = challenge;
  harder.replace(harder.find(".8.") + 1, 1, "9");
  EXPECT_FALSE(verify_pow(key, harder, solution, 1001).ok());
  PowReplayCache cache;
  EXPECT_TRUE(cache.first_use(challenge, 1600, 1001));
  EXPECT_FALSE(cache.first_use(challenge, 1600, 1002));
}

TEST(ReportInput, NamesTheFieldThatIsWrong) {
  struct Case { const char* body; const char* field; const char* message; };
  const Case cases[] = {
      {R"({"description":"x"})", "/category", "category is required"},
      {R"({"category":"fraud","description":"x"})", "/category", "category must be an RSIT class and type such as fraud:phishing"},
      {R"({"category":"fraud:phishing"})", "/description", "description is required"},
      {R"({"category":"fraud:phishing","description":42})", "/description", "description must be a string"},
      {R"({"category":"fraud:phishing","description":"  "})", "/description", "description must not be empty"},
      {R"({"category":"fraud:phishing","description":"x","language":"fr"})", "/language", "language must be id, en or zh"},
      {R"({"category":"fraud:phishing","description":"x","occurred_at":"kemarin"})", "/occurred_at", "occurred_at must be a date (2026-11-25) or an RFC 3339 time"},
      {R"({"category":"fraud:phishing","description":"x","contact":7})", "/contact", "contact must be an object with name, email and phone"},
      {R"({"category":"fraud:phishing","description":"x","contact":{"email":"nope"}})", "/contact/email", "contact email is not an email address"},
      {R"({"category":"fraud:phishing","description":"x","anonymous":"yes"})", "/anonymous", "anonymous must be true or false"},
  };
  for (const auto& c : cases) {
    auto fields = parse_json_object(c.body);
    ASSERT_TRUE(fields.ok()) << c.body;
    auto input = read_report_input(*fields);
    ASSERT_FALSE(input.ok()) << c.body;
    EXPECT_EQ(input.error().field, c.field) << c.body;
    EXPECT_EQ(input.error().message, c.message) << c.body;
  }
}

TEST(ReportInput, ContactAndAnonymity) {
  auto fields = parse_json_object(R"({"category":"fraud:phishing","description":"x","contact":{"name":"Siti","email":"siti@example.id"}})");
  auto input = read_report_input(*fields);
  ASSERT_TRUE(input.ok());
  EXPECT_FALSE(input->anonymous);
  EXPECT_EQ(input->contact.email, "siti@example.id");
  auto anonymous = read_report_input(*parse_json_object(R"({"category":"fraud:phishing","description":"x","anonymous":true,"contact":{"name":"Siti"}})"));
  EXPECT_TRUE(anonymous->anonymous);
  EXPECT_TRUE(anonymous->contact.empty()) << "staying anonymous drops stray contact fields";
  auto text = read_report_input(*parse_json_object(R"({"category":"fraud:phishing","description":"x","contact":"budi@example.id"})"));
  EXPECT_EQ(text->contact.email, "budi@example.id");
}

TEST(Json, RejectsBadBodies) {
  EXPECT_EQ(parse_json_object("{").error().message.rfind("the request body is not valid JSON", 0), 0u);
  EXPECT_EQ(parse_json_object("[1]").error().message, "the request body must be a JSON object");
  EXPECT_EQ(parse_json_object("{\"a\":\"\xff\"}").error().message, "the request body is not valid UTF-8");
}

TEST(PartnerCredentials, RequestsArrivingTogetherShareOneCheck) {
  init_crypto();
  PartnerCredentialCache cache;
  std::atomic<int> checks = 0;
  auto slow_check = [&](bool outcome) {
    return [&checks, outcome] {
      ++checks;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      return outcome;
    };
  };
  std::vector<std::thread> requests;
  std::atomic<int> admitted = 0;
  for (int i = 0; i < 8; ++i)
    requests.emplace_back([&] { admitted += cache.check("hash", "right password", slow_check(true)); });
  for (auto& request : requests) request.join();
  EXPECT_EQ(admitted, 8);
  EXPECT_EQ(checks, 1);
  EXPECT_TRUE(cache.remembers("hash", "right password"));
  // Another stored hash (a changed password) is checked afresh.
  EXPECT_FALSE(cache.remembers("new hash", "right password"));

  // A wrong password is never remembered: every asker is refused by a check.
  checks = 0;
  requests.clear();
  std::atomic<int> refused = 0;
  for (int i = 0; i < 3; ++i)
    requests.emplace_back([&] { refused += !cache.check("hash", "wrong password", slow_check(false)); });
  for (auto& request : requests) request.join();
  EXPECT_EQ(refused, 3);
  EXPECT_EQ(checks, 3);
  EXPECT_FALSE(cache.remembers("hash", "wrong password"));
}

}  // namespace jaga::api
