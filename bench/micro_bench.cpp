// Micro benchmarks of the work done for every report before it is stored:
// reading the JSON body, extracting indicators from its text, and parsing an
// attached saved email. The inputs are generated here, deterministically, in
// the shapes reporters send: a short report in Indonesian with defanged
// links, a pasted server log, a phishing email with an HTML part.
#include <benchmark/benchmark.h>

#include <boost/json.hpp>
#include <string>
#include <vector>

#include "api/report_input.h"
#include "intel/eml.h"
#include "intel/extract.h"
#include "intel/warninglist.h"
#include "taxii/intake.h"
#include "taxii/received.h"

namespace {

std::string report_text() {
  return "Selamat siang, saya menerima SMS dari nomor 0812-3456-7890 yang mengaku dari bank. "
         "Isinya meminta saya memperbarui data rekening di hxxps://bank-mandiri-verifikasi[.]com/login?ref=sms "
         "dan kemudian saya diarahkan ke http://103.28.12.45:8080/otp. Setelah itu ada email dari "
         "cs[at]bank-mandiri-verifikasi[.]com dengan lampiran invoice.pdf (SHA-256 "
         "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08). Versi aplikasi saya 4.2.1, "
         "server yang dihubungi juga 2001:db8:85a3::8a2e:370:7334 menurut teman saya yang paham jaringan. "
         "Mohon dibantu, terima kasih. Situs resmi yang benar adalah www.bankmandiri.co.id.";
}

std::string server_log(size_t bytes) {
  std::string out;
  for (int i = 0; out.size() < bytes; ++i) {
    out += std::to_string(45 + i % 200) + "." + std::to_string(i % 256) + ".12." + std::to_string(i % 250 + 1) +
           " - - [25/Nov/2026:10:" + std::to_string(10 + i % 50) + ":00 +0700] \"GET /wp-login.php?redirect_to=http%3A%2F%2Fevil" +
           std::to_string(i % 37) + ".example.net%2F HTTP/1.1\" 200 " + std::to_string(1000 + i) +
           " \"-\" \"Mozilla/5.0 (Windows NT 10.0; Win64; x64)\"\n";
  }
  return out;
}

std::string phishing_email() {
  std::string html;
  for (int i = 0; i < 40; ++i)
    html += "<p>Pelanggan yang terhormat, <a href=\"https://pajak-refund" + std::to_string(i % 5) +
            ".example.org/klaim?id=" + std::to_string(i) + "\">klik di sini</a> untuk mengklaim restitusi.</p>\r\n";
  return "Return-Path: <bounce@mailer.example.net>\r\n"
         "Received: from mailer.example.net (mailer.example.net [198.51.100.23])\r\n"
         "\tby mx.example.go.id with ESMTPS id 4Xk2; Wed, 25 Nov 2026 09:12:01 +0700\r\n"
         "Received: from [203.0.113.77] by mailer.example.net; Wed, 25 Nov 2026 09:11:58 +0700\r\n"
         "From: \"Direktorat Jenderal Pajak\" <no-reply@djp-online.example.com>\r\n"
         "Reply-To: klaim@pajak-refund0.example.org\r\n"
         "To: warga@example.id\r\n"
         "Subject: =?UTF-8?B?UmVzdGl0dXNpIHBhamFrIEFuZGE=?=\r\n"
         "MIME-Version: 1.0\r\n"
         "Content-Type: multipart/alternative; boundary=\"b1\"\r\n\r\n"
         "--b1\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
         "Klaim restitusi Anda di https://pajak-refund0.example.org/klaim sebelum 30 November=\r\n ini.\r\n"
         "--b1\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<html><body>" +
         html + "</body></html>\r\n--b1--\r\n";
}

void extract_from_report(benchmark::State& state) {
  const std::string text = report_text();
  for (auto _ : state) benchmark::DoNotOptimize(jaga::extract_indicators(text));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
BENCHMARK(extract_from_report);

void extract_from_log(benchmark::State& state) {
  const std::string text = server_log(static_cast<size_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(jaga::extract_indicators(text));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
BENCHMARK(extract_from_log)->Arg(64 << 10)->Arg(1 << 20)->Unit(benchmark::kMillisecond);

void indicators_from_email(benchmark::State& state) {
  const std::string eml = phishing_email();
  for (auto _ : state) benchmark::DoNotOptimize(jaga::extract_email_indicators(eml, "email.eml"));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * eml.size()));
}
BENCHMARK(indicators_from_email);

void read_report_body(benchmark::State& state) {
  boost::json::object body{{"category", "fraud:phishing"},  {"description", report_text()},
                           {"occurred_at", "2026-11-24"},   {"involved", "rekening BCA"},
                           {"language", "id"},              {"contact", {{"name", "Budi"}, {"email", "budi@example.id"}}},
                           {"consent", true}};
  const std::string json = boost::json::serialize(body);
  for (auto _ : state) {
    auto fields = boost::json::parse(json).as_object();
    benchmark::DoNotOptimize(jaga::api::read_report_input(fields));
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * json.size()));
}
BENCHMARK(read_report_body);

}  // namespace

// Warninglist checks of received indicators, by kind: every indicator a
// partner sends or a feed brings is checked against the shipped lists.
// Values vary as they do in a feed (a fixed seed), so that the tables are
// read as they are in an import, not from a hot cache line.
std::vector<jaga::CanonicalIndicator> varied_indicators(jaga::IndicatorKind kind, size_t count) {
  std::vector<jaga::CanonicalIndicator> out;
  uint64_t state = 20261203;
  auto next = [&state] { return (state = state * 6364136223846793005ULL + 1442695040888963407ULL) >> 33; };
  const char* tlds[] = {"club", "top", "xyz", "com", "net", "id", "cn", "info"};
  for (size_t i = 0; i < count; ++i) {
    std::string name;
    for (int c = 0; c < 10; ++c) name += static_cast<char>('a' + next() % 26);
    name += std::string(".") + tlds[next() % 8];
    switch (kind) {
      case jaga::IndicatorKind::domain: out.push_back({kind, name}); break;
      case jaga::IndicatorKind::url: out.push_back({kind, "http://" + name + "/" + name.substr(0, 6) + "/login.php"}); break;
      default:
        out.push_back({kind, std::to_string(1 + next() % 223) + "." + std::to_string(next() % 256) + "." +
                                 std::to_string(next() % 256) + "." + std::to_string(next() % 256)});
    }
  }
  return out;
}

void warninglist_check(benchmark::State& state) {
  const auto& lists = jaga::shipped_warninglists();
  const jaga::IndicatorKind kinds[] = {jaga::IndicatorKind::domain, jaga::IndicatorKind::url, jaga::IndicatorKind::ipv4};
  const auto values = varied_indicators(kinds[state.range(0)], 100000);
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(lists.find(values[i]));
    if (++i == values.size()) i = 0;
  }
}
BENCHMARK(warninglist_check)->Arg(0)->Arg(1)->Arg(2);

// A partner's envelope as the intake reads it before spooling: every object
// checked, its indicator read, keyed and checked against the warninglists.
// The shape of bench/gen_stix_envelopes.py: domains, URLs and IPv4
// addresses, TLP:GREEN, 10,000 objects.
std::string partner_envelope(size_t count) {
  uint64_t state = 20261203;
  auto next = [&state] { return (state = state * 6364136223846793005ULL + 1442695040888963407ULL) >> 33; };
  std::string out = R"({"more":false,"objects":[)";
  for (size_t n = 0; n < count; ++n) {
    std::string label;
    for (int c = 0; c < 10; ++c) label += static_cast<char>('a' + next() % 26);
    std::string domain = label + "-" + std::to_string(n) + ".top", pattern, name;
    if (n % 3 == 0) name = domain, pattern = "[domain-name:value = '" + domain + "']";
    else if (n % 3 == 1) name = "http://" + domain + "/" + label + "/login.php", pattern = "[url:value = '" + name + "']";
    else {
      name = std::to_string(11 + next() % 200) + "." + std::to_string(next() % 256) + "." + std::to_string(next() % 256) +
             "." + std::to_string(1 + next() % 250);
      pattern = "[ipv4-addr:value = '" + name + "']";
    }
    char id[40];
    std::snprintf(id, sizeof id, "%08llx-%04llx-4%03llx-8%03llx-%012llx", next() & 0xffffffffULL, next() & 0xffffULL,
                  next() & 0xfffULL, next() & 0xfffULL, (next() << 20 ^ next()) & 0xffffffffffffULL);
    if (n) out += ',';
    out += R"({"type":"indicator","spec_version":"2.1","id":"indicator--)" + std::string(id) +
           R"(","created":"2026-11-05T10:20:30.000Z","modified":"2026-11-05T10:20:30.000Z","name":")" + name +
           R"(","indicator_types":["malicious-activity"],"pattern":")" + pattern +
           R"(","pattern_type":"stix","pattern_version":"2.1","valid_from":"2026-11-05T10:20:30.000Z","confidence":70,)"
           R"("object_marking_refs":["marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"]})";
  }
  return out + "]}";
}

void partner_envelope_intake(benchmark::State& state) {
  const std::string body = partner_envelope(10000);
  jaga::Partner partner;
  partner.name = "peer";
  jaga::Collection collection;
  collection.alias = "bench";
  collection.max_tlp = jaga::Tlp::green;
  for (auto _ : state) benchmark::DoNotOptimize(jaga::taxii::received_envelope(partner, collection, body, "status"));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * 10000));
}
BENCHMARK(partner_envelope_intake)->Unit(benchmark::kMillisecond);

// What follows the objects: the envelope read again for its indicators,
// each keyed and checked against the warninglists.
void partner_envelope_indicators(benchmark::State& state) {
  const std::string body = partner_envelope(10000);
  for (auto _ : state) benchmark::DoNotOptimize(jaga::taxii::indicators_of_envelope(body, "peer", jaga::Tlp::green));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * 10000));
}
BENCHMARK(partner_envelope_indicators)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
