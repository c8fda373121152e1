#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "http/metrics.h"
#include "http/multipart.h"
#include "http/problem.h"
#include "http/rate_limit.h"
#include "http/router.h"

namespace jaga::http {

TEST(Router, MatchesPatternsAndReportsAllowedMethods) {
  Router router;
  router.add({"GET", "/api/v1/reports/{code}", "report", 0, {}});
  router.add({"POST", "/api/v1/reports", "reports", 0, {}});
  router.add({"POST", "/api/v1/reports/{code}/additions", "additions", 0, {}});
  router.add({"GET", "/assets/{*file}", "assets", 0, {}});
  auto m = router.match("GET", "/api/v1/reports/JG-2222-3333");
  ASSERT_TRUE(m.route);
  EXPECT_EQ(m.route->name, "report");
  EXPECT_EQ(m.params["code"], "JG-2222-3333");
  EXPECT_EQ(router.match("HEAD", "/api/v1/reports/x").route->name, "report");
  auto wrong = router.match("DELETE", "/api/v1/reports");
  EXPECT_FALSE(wrong.route);
  EXPECT_EQ(wrong.allow, "POST");
  auto missing = router.match("GET", "/api/v1/nothing");
  EXPECT_FALSE(missing.route);
  EXPECT_TRUE(missing.allow.empty());
  EXPECT_EQ(router.match("GET", "/assets/js/a.js").params["file"], "js/a.js");
  EXPECT_FALSE(router.match("GET", "/api/v1/reports/").route);
}

TEST(Multipart, ParsesFieldsAndFiles) {
  std::string body =
      "--XyZ\r\nContent-Disposition: form-data; name=\"report\"\r\n\r\n{\"a\":1}\r\n"
      "--XyZ\r\nContent-Disposition: form-data; name=\"files\"; filename=\"C:\\\\Users\\\\x\\\\bukti.png\"\r\n"
      "Content-Type: image/png\r\n\r\n\x89PNG\r\n\r\n"
      "--XyZ--\r\n";
  auto parts = parse_multipart("multipart/form-data; boundary=XyZ", body);
  ASSERT_TRUE(parts.ok()) << parts.error().message;
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ((*parts)[0].name, "report");
  EXPECT_EQ((*parts)[0].data, "{\"a\":1}");
  EXPECT_EQ((*parts)[1].filename, "bukti.png");
  EXPECT_EQ((*parts)[1].data, "\x89PNG\r\n");
}

TEST(Multipart, RejectsMalformedBodies) {
  struct Case { const char* type; const char* body; const char* error; };
  const Case cases[] = {
      {"multipart/form-data", "x", "multipart body without a valid boundary"},
      {"multipart/form-data; boundary=b", "nothing", "multipart body has no parts"},
      {"multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nno end",
       "multipart body is not terminated"},
      {"multipart/form-data; boundary=b", "--b\r\nX: y\r\n\r\nv\r\n--b--", "multipart part without a name"},
  };
  for (const auto& c : cases) {
    auto r = parse_multipart(c.type, c.body);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().message, c.error);
  }
}

TEST(Problem, IsRfc9457JsonAndHidesInternalDetail) {
  auto r = problem(Error::invalid("description must be a string", "/description"));
  EXPECT_EQ(r.status, 400);
  auto parsed = boost::json::parse(r.body);
  auto& body = parsed.as_object();
  EXPECT_EQ(body["status"].as_int64(), 400);
  EXPECT_EQ(body["detail"].as_string(), "description must be a string");
  EXPECT_EQ(body["field"].as_string(), "/description");
  auto internal = problem(Error::internal("disk I/O error at /var/x"));
  EXPECT_EQ(internal.body.find("/var/x"), std::string::npos);
  EXPECT_EQ(status_for(ErrorKind::unavailable), 503);
}

TEST(RateLimit, AllowsTheBurstThenRefuses) {
  RateLimiter limiter(60, 3);
  EXPECT_TRUE(limiter.allow("a"));
  EXPECT_TRUE(limiter.allow("a"));
  EXPECT_TRUE(limiter.allow("a"));
  EXPECT_FALSE(limiter.allow("a"));
  EXPECT_TRUE(limiter.allow("b")) << "buckets are per key";
  EXPECT_GE(limiter.retry_after("a"), 1);
  RateLimiter off(0, 0);
  for (int i = 0; i < 100; ++i) EXPECT_TRUE(off.allow("a"));
}

TEST(Metrics, RendersPrometheusText) {
  Metrics m;
  m.observe_request("report", 200, 0.002);
  m.increment("jaga_reports_received_total", "channel", "web");
  auto text = m.render();
  EXPECT_NE(text.find("jaga_http_requests_total{route=\"report\",status=\"200\"} 1"), std::string::npos);
  EXPECT_NE(text.find("jaga_http_request_duration_seconds_bucket{route=\"report\",le=\"0.0025\"} 1"), std::string::npos);
  EXPECT_NE(text.find("jaga_reports_received_total{channel=\"web\"} 1"), std::string::npos);
}

}  // namespace jaga::http
