// Fills a data directory with a year of a busy desk, for the incident
// benchmarks: N reports (phishing, defacements, scams... in Indonesian, with
// indicators) and M incidents over them, with statuses, severities,
// assignees and comments spread as a desk would have them. Writes go through
// the Store like the server's own, so the indexes are the real ones.
// Usage: jaga_seed --data-dir DIR --reports 1000000 --incidents 100000
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <random>
#include <string>

#include "model/tracking_code.h"
#include "store/store.h"
#include "util/crypto.h"
#include "util/log.h"
#include "util/time.h"

using namespace jaga;

namespace {

// Keeps at most `limit` writes in flight, so memory stays flat.
class Throttle {
 public:
  explicit Throttle(int limit) : limit_(limit) {}
  void acquire() {
    std::unique_lock lock(mutex_);
    cv_.wait(lock, [&] { return in_flight_ < limit_; });
    ++in_flight_;
  }
  void release(bool ok) {
    {
      std::lock_guard lock(mutex_);
      --in_flight_;
      if (!ok) ++failures_;
    }
    cv_.notify_all();
  }
  int drain() {
    std::unique_lock lock(mutex_);
    cv_.wait(lock, [&] { return in_flight_ == 0; });
    return failures_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  int limit_, in_flight_ = 0, failures_ = 0;
};

const char* kCategories[] = {"fraud:phishing", "fraud:masquerade", "intrusions:application-compromise",
                             "malicious-code:infected-system", "availability:ddos", "information-content-security:data-leak",
                             "abusive-content:spam", "vulnerable:vulnerable-system"};
const char* kTemplates[] = {
    "Saya menerima SMS dari %s yang meminta saya membuka %s untuk verifikasi rekening.",
    "Situs %s menampilkan halaman judi online sejak pagi; tolong diperiksa. Kontak admin %s.",
    "Ada email atas nama kantor pajak berisi tautan %s, pengirim mengaku dari nomor %s.",
    "Aplikasi pinjaman di %s menyebarkan data saya ke kontak; penagih menelepon dari %s.",
    "Server kami di %s lambat sekali, sepertinya diserang DDoS. Penanggung jawab: %s.",
    "Data pegawai bocor dan dijual di forum, contoh tautan %s, penjual memakai nomor %s."};
const char* kWords[] = {"bansos", "pajak", "bank", "undian", "kurir", "pinjol", "judi", "investasi", "ijazah", "beasiswa"};

}  // namespace

int main(int argc, char** argv) {
  std::string data_dir;
  long reports = 100000, incidents = 10000;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--data-dir") data_dir = argv[i + 1];
    else if (flag == "--reports") reports = std::stol(argv[i + 1]);
    else if (flag == "--incidents") incidents = std::stol(argv[i + 1]);
    else {
      std::fprintf(stderr, "jaga_seed: unknown option %s\n", argv[i]);
      return 2;
    }
  }
  if (data_dir.empty()) {
    std::fprintf(stderr, "usage: jaga_seed --data-dir DIR [--reports N] [--incidents M]\n");
    return 2;
  }
  init_crypto();
  log::set_enabled(false);
  auto opened = open_sqlite_store(data_dir + "/jaga.db");
  if (!opened) {
    std::fprintf(stderr, "jaga_seed: %s\n", opened.error().message.c_str());
    return 1;
  }
  Store& store = **opened;
  std::mt19937_64 random(42);
  auto pick = [&](auto& array) { return array[random() % std::size(array)]; };
  auto year_start = *parse_rfc3339("2025-11-25T00:00:00Z");
  auto started = std::chrono::steady_clock::now();

  std::vector<int64_t> analysts;
  for (int i = 1; i <= 20; ++i) {
    User u{0, "analis" + std::to_string(i), hash_password("kata-sandi-benchmark"), Role::analyst};
    auto id = wait_for<int64_t>([&](auto cb) { store.create_user(u, AuditEvent{std::nullopt, "bench", "user.create", "user", u.username, "", ""}, cb); });
    if (!id) {
      std::fprintf(stderr, "jaga_seed: %s (seed an empty data directory)\n", id.error().message.c_str());
      return 1;
    }
    analysts.push_back(*id);
  }

  Throttle throttle(4000);
  std::vector<std::string> codes;
  codes.reserve(static_cast<size_t>(reports));
  for (long i = 0; i < reports; ++i) {
    NewReport r;
    r.tracking_code = generate_tracking_code();
    r.secret_hash = sha256_hex(r.tracking_code);
    std::string word = pick(kWords);
    std::string domain = word + "-" + std::to_string(random() % 20000) + ".com";
    std::string url = "https://" + domain + "/login";
    std::string phone = "+62812" + std::to_string(10000000 + random() % 89999999);
    char text[512];
    std::snprintf(text, sizeof text, pick(kTemplates), url.c_str(), phone.c_str());
    r.input.category = pick(kCategories);
    r.input.description = text;
    r.input.channel = i % 10 == 0 ? Channel::phone : Channel::web;
    r.indicators = {{"url", url, "text"}, {"domain", domain, "text"}, {"phone", phone, "text"}};
    r.created_at = format_rfc3339(year_start + std::chrono::seconds(i * 31536000L / std::max(1L, reports)));
    codes.push_back(r.tracking_code);
    throttle.acquire();
    store.create_report(std::move(r), std::nullopt, [&](Result<int64_t> id) { throttle.release(id.ok()); });
    if ((i + 1) % 100000 == 0) std::fprintf(stderr, "  %ld reports\n", i + 1);
  }
  if (int failed = throttle.drain()) std::fprintf(stderr, "jaga_seed: %d reports failed\n", failed);

  const char* titles[] = {"Phishing %s", "Deface situs %s", "Penipuan %s", "Kebocoran data %s", "DDoS %s"};
  std::vector<std::string> references(static_cast<size_t>(incidents));
  for (long i = 0; i < incidents; ++i) {
    NewIncident in;
    char title[128];
    std::snprintf(title, sizeof title, pick(titles), pick(kWords));
    in.title = title;
    in.category = pick(kCategories);
    in.severity = static_cast<Severity>(random() % 4);
    in.tlp = static_cast<Tlp>(random() % 5);
    in.assignee_id = random() % 5 == 0 ? std::nullopt : std::optional<int64_t>(analysts[random() % analysts.size()]);
    in.created_by = analysts[random() % analysts.size()];
    auto opened_at = year_start + std::chrono::seconds(i * 31536000L / std::max(1L, incidents));
    in.created_at = format_rfc3339(opened_at);
    std::tie(in.response_due, in.resolution_due) = sla_due(SlaPolicy{}, in.severity, opened_at);
    for (int k = 0; k < 1 + static_cast<int>(random() % 3) && !codes.empty(); ++k) in.reports.push_back(codes[random() % codes.size()]);
    throttle.acquire();
    store.create_incident(std::move(in), AuditEvent{std::nullopt, "bench", "incident.create", "", "", "", ""},
                          [&, i](Result<std::string> ref) {
                            if (ref) references[static_cast<size_t>(i)] = *ref;  // each slot written once, read after drain()
                            throttle.release(ref.ok());
                          });
    if ((i + 1) % 20000 == 0) std::fprintf(stderr, "  %ld incidents\n", i + 1);
  }
  if (int failed = throttle.drain()) std::fprintf(stderr, "jaga_seed: %d incidents failed\n", failed);

  // Most of a year's incidents are done: move them along the lifecycle.
  const IncidentStatus path[] = {IncidentStatus::triaged, IncidentStatus::in_progress, IncidentStatus::resolved,
                                 IncidentStatus::closed};
  for (const auto& reference : references) {
    int steps = static_cast<int>(random() % 5);  // 0: still new ... 4: closed
    for (int s = 0; s < steps; ++s) {
      IncidentChange change;
      change.status = path[s];
      throttle.acquire();
      store.update_incident(reference, change, analysts[0], AuditEvent{std::nullopt, "bench", "incident.update", "", "", "", ""},
                            [&](Result<bool> done) { throttle.release(done.ok()); });
    }
  }
  int failed = throttle.drain();
  auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::printf("seeded %ld reports and %ld incidents in %.0f s (%d lifecycle steps refused)\n", reports, incidents, seconds, failed);
  store.close();
  return 0;
}
