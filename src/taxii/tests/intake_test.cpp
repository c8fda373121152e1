#include "taxii/intake.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include "store/wait.h"
#include "util/crypto.h"

namespace jaga::taxii {
namespace {

namespace fs = std::filesystem;

std::string indicator(int n) {
  char id[64];
  std::snprintf(id, sizeof id, "indicator--00000000-0000-4000-8000-%012d", n);
  return std::string("{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":\"") + id +
         "\",\"created\":\"2026-11-01T00:00:00.000Z\",\"modified\":\"2026-11-01T00:00:00.000Z\","
         "\"pattern\":\"[domain-name:value = 'host-" +
         std::to_string(n) + ".example']\",\"pattern_type\":\"stix\",\"valid_from\":\"2026-11-01T00:00:00.000Z\"}";
}

std::string envelope(int first, int count) {
  std::string out = "{\"objects\":[";
  for (int n = first; n < first + count; ++n) out += (n > first ? "," : "") + indicator(n);
  return out + "]}";
}

class IntakeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    init_crypto();
    dir_ = fs::temp_directory_path() / ("jaga-intake-" + random_token(6));
    fs::create_directories(dir_);
    open();
    Partner p;
    p.name = "cn-cac";
    p.password_hash = "not used here";
    p.agreement.reference = "ID-CN 2026";
    p.collections = {{"id-cn", true, true}};
    auto id = wait_for<int64_t>([&](auto done) {
      store_->save_partner(p, AuditEvent{std::nullopt, "test", "partner.add", "partner", "cn-cac", "", ""}, done);
    });
    ASSERT_TRUE(id) << id.error().message;
    partner_ = *store_->find_partner("cn-cac");
    collection_ = *store_->find_collection("id-cn");
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }
  void open() {
    auto opened = open_sqlite_store((dir_ / "jaga.db").string());
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    store_ = std::move(*opened);
  }
  IntakeOptions options() const { return IntakeOptions{(dir_ / "spool").string(), 200000, 1000000}; }
  // Indicators that follow only when too many wait.
  IntakeOptions patient_options(size_t max_following_objects) const {
    auto o = options();
    o.quiet = std::chrono::hours(1);
    o.max_following_objects = max_following_objects;
    return o;
  }
  // The indicators whose value has `text`, with how many times their source sent them.
  std::vector<std::pair<std::string, int64_t>> indicators(const std::string& text) {
    IndicatorFilter filter;
    filter.query = text;
    filter.limit = 0;
    auto found = store_->list_indicators(filter);
    std::vector<std::pair<std::string, int64_t>> out;
    if (!found) return out;
    for (const auto& i : *found) {
      auto stored = store_->find_indicator(i.id);
      int64_t count = 0;
      if (stored)
        for (const auto& source : stored->sources) count += source.count;
      out.emplace_back(i.value, count);
    }
    std::sort(out.begin(), out.end());
    return out;
  }
  // Waits (at most 30 s) until `done` holds.
  template <typename Done>
  bool eventually(Done done) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (!done() && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    return done();
  }
  size_t held() {
    ObjectQuery q;
    q.collection_id = collection_.id;
    q.limit = 100000;
    auto page = store_->list_shared_objects(q);
    return page ? page->objects.size() : 0;
  }
  size_t spooled() {
    size_t files = 0;
    for (const auto& entry : fs::directory_iterator(dir_ / "spool")) files += entry.path().extension() == ".envelope";
    return files;
  }
  Result<WriteStatus> accept(EnvelopeIntake& intake, std::string body) {
    return wait_for<WriteStatus>([&](auto done) { intake.accept(partner_, collection_, std::move(body), done); });
  }

  fs::path dir_;
  std::unique_ptr<Store> store_;
  Partner partner_;
  Collection collection_;
};

TEST_F(IntakeTest, AnIdleIntakeAnswersOnceTheEnvelopeIsWrittenAndItsIndicatorsFollow) {
  EnvelopeIntake intake(*store_, options());
  std::atomic<int> changed = 0;
  std::atomic<size_t> following = 0;
  ASSERT_TRUE(intake.start([&] { ++changed; }, [&](const IntakeCounts& counts) { following = counts.following_objects; }));
  auto status = accept(intake, envelope(1, 3));
  ASSERT_TRUE(status) << status.error().message;
  EXPECT_EQ(status->status, "complete");
  EXPECT_EQ(status->successes.size(), 3u);
  EXPECT_EQ(held(), 3u);
  // The indicators follow once no objects wait; the file goes with them.
  ASSERT_TRUE(eventually([&] { return changed == 1; }));
  EXPECT_TRUE(eventually([&] { return spooled() == 0 && following == 0; }));
  auto waiting = store_->list_waiting_indicators();
  ASSERT_TRUE(waiting);
  EXPECT_TRUE(waiting->empty());
  auto stored = store_->find_write_status(status->id);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->successes.size(), 3u);
  TransferFilter filter;
  filter.partner = "cn-cac";
  auto transfers = store_->list_transfers(filter);
  ASSERT_TRUE(transfers);
  ASSERT_EQ(transfers->size(), 1u);
  EXPECT_EQ((*transfers)[0].channel, "taxii-post");
  EXPECT_EQ((*transfers)[0].objects.size(), 3u);
  EXPECT_NE((*transfers)[0].agreement.find("ID-CN 2026"), std::string::npos);
  using Seen = std::vector<std::pair<std::string, int64_t>>;
  EXPECT_EQ(indicators("host-"), (Seen{{"host-1.example", 1}, {"host-2.example", 1}, {"host-3.example", 1}}));

  // A malformed envelope is refused and nothing is spooled.
  auto refused = accept(intake, "{\"objects\":[{\"type\":\"indicator\"}]}");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind, ErrorKind::invalid_input);
  EXPECT_EQ(spooled(), 0u);
}

TEST_F(IntakeTest, IndicatorsWaitWhileObjectsComeUnlessTooManyWait) {
  using Seen = std::vector<std::pair<std::string, int64_t>>;
  {
    EnvelopeIntake intake(*store_, patient_options(1000));
    ASSERT_TRUE(intake.start({}));
    ASSERT_TRUE(accept(intake, envelope(1, 2)));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    EXPECT_EQ(indicators("host-"), Seen{});
    EXPECT_EQ(spooled(), 1u);  // kept until its indicators are in
  }
  // More than max_following_objects wait: they follow without a quiet moment.
  EnvelopeIntake intake(*store_, patient_options(3));
  ASSERT_TRUE(intake.start({}));  // the first envelope is waiting again
  ASSERT_TRUE(accept(intake, envelope(10, 2)));
  EXPECT_TRUE(eventually([&] { return spooled() == 0; }));
  EXPECT_EQ(indicators("host-"),
            (Seen{{"host-1.example", 1}, {"host-10.example", 1}, {"host-11.example", 1}, {"host-2.example", 1}}));
}

TEST_F(IntakeTest, EnvelopesArrivingWhileOneIsWrittenAnswerPendingAndAreAllWritten) {
  EnvelopeIntake intake(*store_, options());
  ASSERT_TRUE(intake.start({}));
  constexpr int kEnvelopes = 8, kEach = 500;
  std::vector<std::thread> posts;
  std::vector<Result<WriteStatus>> answers(kEnvelopes, Error::internal("no answer"));
  for (int i = 0; i < kEnvelopes; ++i)
    posts.emplace_back([&, i] { answers[i] = accept(intake, envelope(i * kEach, kEach)); });
  for (auto& post : posts) post.join();
  int pending = 0;
  for (const auto& answer : answers) {
    ASSERT_TRUE(answer) << answer.error().message;
    if (answer->status == "pending") {
      ++pending;
      EXPECT_EQ(answer->pendings.size(), static_cast<size_t>(kEach));
    } else {
      EXPECT_EQ(answer->successes.size(), static_cast<size_t>(kEach));
    }
  }
  // Every status completes: the intake's own answer until written, the store's after.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  for (const auto& answer : answers) {
    while (intake.pending(answer->id) && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    auto stored = store_->find_write_status(answer->id);
    ASSERT_TRUE(stored) << answer->id;
    EXPECT_EQ(stored->status, "complete");
    EXPECT_EQ(stored->successes.size(), static_cast<size_t>(kEach));
  }
  EXPECT_EQ(held(), static_cast<size_t>(kEnvelopes * kEach));
  EXPECT_TRUE(eventually([&] { return spooled() == 0; }));
  EXPECT_EQ(indicators("host-").size(), static_cast<size_t>(kEnvelopes * kEach));
  std::printf("%d of %d envelopes were answered pending\n", pending, kEnvelopes);
}

TEST_F(IntakeTest, WhatTheSpoolKeptFromACrashIsWrittenAtStart) {
  fs::create_directories(dir_ / "spool");
  auto spool = [&](const std::string& name, const std::string& status, const std::string& body) {
    std::ofstream(dir_ / "spool" / name) << "{\"status\":\"" << status
                                         << "\",\"partner\":\"cn-cac\",\"collection\":\"id-cn\",\"received\":\"\"}\n"
                                         << body;
  };
  // Committed with its indicators before the crash: only its file was left.
  {
    EnvelopeIntake first(*store_, options());
    ASSERT_TRUE(first.start({}));
    auto written = accept(first, envelope(100, 2));
    ASSERT_TRUE(written);
    ASSERT_TRUE(eventually([&] { return spooled() == 0; }));
    first.stop();
    spool("00000000000000000001-" + written->id + ".envelope", written->id, envelope(100, 2));
  }
  // Objects committed, the crash before its indicators.
  {
    EnvelopeIntake first(*store_, patient_options(1000));
    ASSERT_TRUE(first.start({}));
    ASSERT_TRUE(accept(first, envelope(300, 3)));
    first.stop();
  }
  // Spooled, never written.
  spool("00000000000000000002-3f0c3b5e-0000-4000-8000-000000000001.envelope", "3f0c3b5e-0000-4000-8000-000000000001",
        envelope(200, 4));
  // Unreadable: kept aside, not lost and not in the way.
  spool("00000000000000000003-3f0c3b5e-0000-4000-8000-000000000002.envelope", "3f0c3b5e-0000-4000-8000-000000000002",
        "{\"objects\":[{\"type\":\"indicator\"}]}");
  store_.reset();  // the server restarts
  open();
  EnvelopeIntake intake(*store_, options());
  ASSERT_TRUE(intake.start({}));
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (intake.pending("3f0c3b5e-0000-4000-8000-000000000001") && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  auto stored = store_->find_write_status("3f0c3b5e-0000-4000-8000-000000000001");
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->successes.size(), 4u);
  EXPECT_EQ(held(), 9u);  // the two written before, once, the three, and the four
  EXPECT_TRUE(eventually([&] { return spooled() == 0; }));
  // Every indicator once: none written twice, none lost.
  using Seen = std::vector<std::pair<std::string, int64_t>>;
  EXPECT_EQ(indicators("host-1"), (Seen{{"host-100.example", 1}, {"host-101.example", 1}}));
  EXPECT_EQ(indicators("host-2"),
            (Seen{{"host-200.example", 1}, {"host-201.example", 1}, {"host-202.example", 1}, {"host-203.example", 1}}));
  EXPECT_EQ(indicators("host-3"), (Seen{{"host-300.example", 1}, {"host-301.example", 1}, {"host-302.example", 1}}));
  EXPECT_TRUE(fs::exists(dir_ / "spool" /
                         "00000000000000000003-3f0c3b5e-0000-4000-8000-000000000002.envelope.kept"));
}

}  // namespace
}  // namespace jaga::taxii
