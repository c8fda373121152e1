#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <future>
#include <thread>

#include "store/blobs.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/migrations.h"
#include "store/store.h"
#include "util/crypto.h"
#include "util/time.h"

namespace jaga {

namespace {

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    init_crypto();
    dir_ = std::filesystem::temp_directory_path() / ("jaga-store-" + random_token(6));
    std::filesystem::create_directories(dir_);
    auto opened = open_sqlite_store((dir_ / "jaga.db").string());
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    store_ = std::move(*opened);
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  NewReport report(std::string code, std::vector<Indicator> indicators, std::string created_at = now_rfc3339()) {
    NewReport r;
    r.tracking_code = std::move(code);
    r.secret_hash = sha256_hex("secret");
    r.input.category = "fraud:phishing";
    r.input.description = "Saya menerima SMS penipuan";
    r.input.anonymous = false;
    r.input.contact = {"Budi", "budi@example.id", "+628123"};
    r.indicators = std::move(indicators);
    r.created_at = std::move(created_at);
    return r;
  }

  static AuditEvent event(std::string action, std::string target = "") {
    return AuditEvent{std::nullopt, "test", std::move(action), target.empty() ? "" : "report", std::move(target), "", ""};
  }

  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;
};

}  // namespace

TEST_F(StoreTest, CreatesAndReadsBackAReportWithContactAndIndicators) {
  auto r = report("JG-2222-3333", {{"url", "http://evil.com/", "text"}, {"domain", "evil.com", "text"}});
  Attachment a{0, sha256_hex("bytes"), "bukti.png", "image/png", 5, now_rfc3339()};
  r.attachments.push_back(a);
  auto id = wait_for<int64_t>([&](auto cb) { store_->create_report(r, std::nullopt, cb); });
  ASSERT_TRUE(id.ok()) << id.error().message;
  auto found = store_->find_report("JG-2222-3333");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->input.contact.email, "budi@example.id");
  EXPECT_FALSE(found->input.anonymous);
  EXPECT_EQ(found->status, ReportStatus::received);
  ASSERT_EQ(found->indicators.size(), 2u);
  ASSERT_EQ(found->attachments.size(), 1u);
  EXPECT_EQ(found->attachments[0].filename, "bukti.png");
  EXPECT_FALSE(store_->find_report("JG-9999-9999").ok());
}

TEST_F(StoreTest, DuplicateTrackingCodeIsAConflictAndWritesNothing) {
  ASSERT_TRUE(wait_for<int64_t>([&](auto cb) { store_->create_report(report("JG-2222-3333", {}), std::nullopt, cb); }).ok());
  auto again = wait_for<int64_t>([&](auto cb) {
    store_->create_report(report("JG-2222-3333", {{"domain", "x.com", "text"}}), std::nullopt, cb);
  });
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().kind, ErrorKind::conflict);
  EXPECT_EQ(*store_->count_reports(), 1);
  EXPECT_TRUE(store_->find_report("JG-2222-3333")->indicators.empty());
}

TEST_F(StoreTest, ReportsNamingTheSameDomainAreRelated) {
  auto first = report("JG-2222-AAAA", {{"domain", "evil.com", "text"}});
  auto second = report("JG-2222-BBBB", {{"domain", "evil.com", "text"}, {"phone", "+62811", "text"}});
  auto third = report("JG-2222-CCCC", {{"phone", "+62811", "text"}});
  for (auto* r : {&first, &second, &third})
    ASSERT_TRUE(wait_for<int64_t>([&](auto cb) { store_->create_report(*r, std::nullopt, cb); }).ok());
  auto related = [&](const std::string& code) { return *store_->find_related_reports(store_->find_report(code)->id, 50); };
  EXPECT_EQ(related("JG-2222-AAAA"), std::vector<std::string>{"JG-2222-BBBB"});
  EXPECT_EQ(related("JG-2222-BBBB"), std::vector<std::string>{"JG-2222-AAAA"});
  EXPECT_TRUE(related("JG-2222-CCCC").empty()) << "phone numbers do not relate reports";
}

TEST_F(StoreTest, ConcurrentWritersAreAllCommitted) {
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        std::string code = "JG-" + std::string(1, "23456789"[t]) + "AAA-" + std::to_string(1000 + i);
        if (wait_for<int64_t>([&](auto cb) { store_->create_report(report(code, {{"domain", "shared.com", "text"}}), std::nullopt, cb); }).ok())
          ++ok;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), 400);
  EXPECT_EQ(*store_->count_reports(), 400);
}

TEST_F(StoreTest, ListFiltersByChannelCategoryAndDate) {
  auto a = report("JG-2222-AAAA", {}, "2026-01-01T00:00:00.000Z");
  auto b = report("JG-2222-BBBB", {}, "2026-02-01T00:00:00.000Z");
  b.input.channel = Channel::phone;
  b.input.category = "malicious-code:infected-system";
  for (auto* r : {&a, &b}) ASSERT_TRUE(wait_for<int64_t>([&](auto cb) { store_->create_report(*r, std::nullopt, cb); }).ok());
  ReportFilter all;
  auto list = store_->list_reports(all);
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].tracking_code, "JG-2222-BBBB") << "newest first";
  ReportFilter phone;
  phone.channel = Channel::phone;
  EXPECT_EQ(store_->list_reports(phone)->size(), 1u);
  ReportFilter fraud;
  fraud.category = "fraud";
  EXPECT_EQ(store_->list_reports(fraud)->at(0).tracking_code, "JG-2222-AAAA");
  ReportFilter january;
  january.from = "2026-01-01";
  january.to = "2026-01-31";
  EXPECT_EQ(store_->list_reports(january)->size(), 1u);
}

TEST_F(StoreTest, AdditionsAndPublicNotes) {
  ASSERT_TRUE(wait_for<int64_t>([&](auto cb) { store_->create_report(report("JG-2222-AAAA", {}), std::nullopt, cb); }).ok());
  Addition addition{0, "Nomor lain: 0812 9999 8888", now_rfc3339(), {}};
  ASSERT_TRUE(wait_for<int64_t>([&](auto cb) {
                store_->add_addition("JG-2222-AAAA", addition, {{"phone", "+6281299998888", "text"}}, cb);
              }).ok());
  ASSERT_TRUE(wait_for<int64_t>([&](auto cb) {
                store_->add_public_note("JG-2222-AAAA", "Kami sedang menangani", ReportStatus::in_review, 0, event("report.note"), cb);
              }).ok() == false) << "author 0 does not exist";
  User user{0, "ana", hash_password("x"), Role::analyst};
  auto uid = wait_for<int64_t>([&](auto cb) { store_->create_user(user, event("user.create"), cb); });
  ASSERT_TRUE(uid.ok());
  ASSERT_TRUE(wait_for<int64_t>([&](auto cb) {
                store_->add_public_note("JG-2222-AAAA", "Kami sedang menangani", ReportStatus::in_review, *uid, event("report.note"), cb);
              }).ok());
  auto r = store_->find_report("JG-2222-AAAA");
  ASSERT_EQ(r->additions.size(), 1u);
  ASSERT_EQ(r->notes.size(), 1u);
  EXPECT_EQ(r->status, ReportStatus::in_review);
  EXPECT_EQ(r->indicators.size(), 1u);
  auto missing = wait_for<int64_t>([&](auto cb) { store_->add_addition("JG-9999-9999", addition, {}, cb); });
  EXPECT_EQ(missing.error().kind, ErrorKind::not_found);
}

TEST_F(StoreTest, UsersSessionsAndLockout) {
  User user{0, "desk1", hash_password("pw"), Role::operator_};
  auto id = wait_for<int64_t>([&](auto cb) { store_->create_user(user, event("user.create"), cb); });
  ASSERT_TRUE(id.ok());
  auto dup = wait_for<int64_t>([&](auto cb) { store_->create_user(user, event("user.create"), cb); });
  EXPECT_EQ(dup.error().message, "a user named 'desk1' already exists");
  ASSERT_TRUE(wait_for<bool>([&](auto cb) { store_->record_sign_in(*id, false, "2030-01-01T00:00:00.000Z", event("session.sign_in_failed"), cb); }).ok());
  auto locked = store_->find_user("desk1");
  EXPECT_EQ(locked->failed_sign_ins, 1);
  EXPECT_EQ(locked->locked_until, "2030-01-01T00:00:00.000Z");
  Session s{"hash", *id, "csrf", now_rfc3339(), "2099-01-01T00:00:00.000Z"};
  ASSERT_TRUE(wait_for<bool>([&](auto cb) { store_->create_session(s, cb); }).ok());
  EXPECT_EQ(store_->find_session("hash")->csrf_token, "csrf");
  ASSERT_TRUE(wait_for<bool>([&](auto cb) { store_->set_password("desk1", hash_password("new"), false, event("user.password"), cb); }).ok());
  EXPECT_FALSE(store_->find_session("hash").ok()) << "a password change ends sessions";
  EXPECT_EQ(store_->find_user("desk1")->failed_sign_ins, 0);
}

TEST_F(StoreTest, MigrationsAreRecordedAndIdempotent) {
  const int latest = sqlite::migrations().back().version;
  EXPECT_EQ(store_->schema_version(), latest);
  store_.reset();
  auto reopened = open_sqlite_store((dir_ / "jaga.db").string());
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ((*reopened)->schema_version(), latest);
}

TEST_F(StoreTest, AChangeAndItsAuditEntryCommitTogether) {
  auto filed = wait_for<int64_t>([&](auto cb) { store_->create_report(report("JG-2222-AAAA", {}), event("report.create", "JG-2222-AAAA"), cb); });
  ASSERT_TRUE(filed.ok());
  auto again = wait_for<int64_t>([&](auto cb) { store_->create_report(report("JG-2222-AAAA", {}), event("report.create", "JG-2222-AAAA"), cb); });
  EXPECT_EQ(again.error().kind, ErrorKind::conflict);
  auto entries = store_->list_audit({});
  ASSERT_EQ(entries->size(), 1u) << "the failed change left no audit entry";
  EXPECT_EQ((*entries)[0].event.action, "report.create");
  EXPECT_EQ((*entries)[0].event.target, "JG-2222-AAAA");
  EXPECT_EQ((*entries)[0].previous_hash, kAuditGenesisHash);
}

TEST_F(StoreTest, TheAuditChainHoldsUnderConcurrentWritersAndFilters) {
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        std::string action = t % 2 ? "session.sign_in" : "export.csv";
        ASSERT_TRUE(wait_for<int64_t>([&](auto cb) { store_->append_audit(event(action), cb); }).ok());
      }
    });
  for (auto& t : threads) t.join();
  auto check = store_->verify_audit_log();
  ASSERT_TRUE(check.ok());
  EXPECT_EQ(check->entries, 200);
  EXPECT_FALSE(check->first_broken_id);
  AuditFilter sessions;
  sessions.action = "session.";
  sessions.limit = 1000;
  EXPECT_EQ(store_->list_audit(sessions)->size(), 100u);
  AuditFilter exact;
  exact.action = "export.csv";
  exact.limit = 10;
  auto page = store_->list_audit(exact);
  ASSERT_EQ(page->size(), 10u);
  EXPECT_GT((*page)[0].id, (*page)[9].id) << "newest first";
}

TEST_F(StoreTest, TheAuditLogRefusesUpdatesAndDeletes) {
  ASSERT_TRUE(wait_for<int64_t>([&](auto cb) { store_->append_audit(event("session.sign_in"), cb); }).ok());
  store_.reset();
  auto db = sqlite::Connection::open((dir_ / "jaga.db").string(), false);
  ASSERT_TRUE(db.ok());
  auto update = (*db)->exec("UPDATE audit_log SET actor = 'someone else'");
  ASSERT_FALSE(update.ok());
  EXPECT_NE(update.error().message.find("append-only"), std::string::npos) << update.error().message;
  EXPECT_FALSE((*db)->exec("DELETE FROM audit_log").ok());
}

TEST(Blobs, ContentAddressedAndDurable) {
  init_crypto();
  auto dir = std::filesystem::temp_directory_path() / ("jaga-blobs-" + random_token(6));
  BlobStore blobs(dir.string());
  ASSERT_TRUE(blobs.prepare().ok());
  auto sha = blobs.put("hello");
  ASSERT_TRUE(sha.ok());
  EXPECT_EQ(*sha, sha256_hex("hello"));
  EXPECT_TRUE(blobs.exists(*sha));
  EXPECT_EQ(*blobs.read(*sha), "hello");
  EXPECT_EQ(*blobs.put("hello"), *sha);
  auto perms = std::filesystem::status(blobs.path_of(*sha)).permissions();
  EXPECT_EQ(perms & std::filesystem::perms::owner_exec, std::filesystem::perms::none);
  std::filesystem::remove_all(dir);
}

}  // namespace jaga

namespace jaga {
namespace {

class IncidentStoreTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    User analyst{0, "analis", hash_password("x"), Role::analyst};
    analyst_id_ = *wait_for<int64_t>([&](auto cb) { store_->create_user(analyst, event("user.create"), cb); });
    for (auto code : {"JG-2222-AAAA", "JG-2222-BBBB", "JG-2222-CCCC"})
      ASSERT_TRUE(wait_for<int64_t>([&](auto cb) {
                    store_->create_report(report(code, {{"domain", "bank-palsu.example", "text"}}), std::nullopt, cb);
                  }).ok());
  }

  NewIncident incident(std::vector<std::string> reports) {
    NewIncident in;
    in.title = "Phishing bank palsu";
    in.category = "fraud:phishing";
    in.severity = Severity::high;
    in.reports = std::move(reports);
    in.created_by = analyst_id_;
    in.created_at = "2026-11-25T08:00:00.000Z";
    std::tie(in.response_due, in.resolution_due) = sla_due(SlaPolicy{}, in.severity, *parse_rfc3339(in.created_at));
    return in;
  }

  Result<bool> change(const std::string& ref, IncidentChange c) {
    return wait_for<bool>([&](auto cb) { store_->update_incident(ref, c, analyst_id_, event("incident.update", ref), cb); });
  }

  int64_t analyst_id_ = 0;
};

TEST_F(IncidentStoreTest, ReportsBecomeAnIncidentWithATimeline) {
  auto ref = wait_for<std::string>([&](auto cb) {
    store_->create_incident(incident({"JG-2222-AAAA", "JG-2222-BBBB"}), event("incident.create"), cb);
  });
  ASSERT_TRUE(ref.ok()) << ref.error().message;
  EXPECT_EQ(*ref, "INC-2026-000001");
  auto found = store_->find_incident(*ref);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->reports, (std::vector<std::string>{"JG-2222-AAAA", "JG-2222-BBBB"}));
  ASSERT_EQ(found->indicators.size(), 1u);
  EXPECT_EQ(found->indicators[0].value, "bank-palsu.example");
  EXPECT_EQ(found->status, IncidentStatus::new_);
  EXPECT_EQ(found->response_due, "2026-11-25T12:00:00.000Z");
  EXPECT_EQ(found->created_by, "analis");
  ASSERT_EQ(found->timeline.size(), 4u);
  EXPECT_EQ(found->timeline[0].kind, "created");
  EXPECT_EQ(found->timeline[2].text, "JG-2222-BBBB");
  EXPECT_EQ(found->timeline[3].kind, "notification") << "the reporter is told";
  EXPECT_EQ(store_->find_report("JG-2222-AAAA")->status, ReportStatus::incident_opened);
  EXPECT_EQ(store_->find_report("JG-2222-CCCC")->status, ReportStatus::received);
}

TEST_F(IncidentStoreTest, AnUnknownReportCreatesNothing) {
  auto ref = wait_for<std::string>([&](auto cb) {
    store_->create_incident(incident({"JG-2222-AAAA", "JG-9999-9999"}), event("incident.create"), cb);
  });
  ASSERT_FALSE(ref.ok());
  EXPECT_EQ(ref.error().message, "there is no report JG-9999-9999");
  EXPECT_TRUE(store_->list_incidents({})->empty());
  EXPECT_EQ(store_->find_report("JG-2222-AAAA")->status, ReportStatus::received) << "rolled back";
  EXPECT_EQ(store_->list_audit({})->size(), 1u) << "only the analyst's creation is in the audit log";
}

TEST_F(IncidentStoreTest, TheLifecycleIsEnforcedAndRecorded) {
  auto ref = *wait_for<std::string>([&](auto cb) { store_->create_incident(incident({"JG-2222-AAAA"}), event("incident.create"), cb); });
  IncidentChange close;
  close.status = IncidentStatus::closed;
  auto refused = change(ref, close);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, ErrorKind::conflict);
  EXPECT_EQ(refused.error().message, "An incident that is new cannot become closed; it can become triaged.");
  IncidentChange triage;
  triage.status = IncidentStatus::triaged;
  triage.severity = Severity::critical;
  triage.assignee_id = analyst_id_;
  ASSERT_TRUE(change(ref, triage).ok());
  auto found = *store_->find_incident(ref);
  EXPECT_EQ(found.status, IncidentStatus::triaged);
  EXPECT_EQ(found.severity, Severity::critical);
  EXPECT_EQ(found.assignee, "analis");
  EXPECT_FALSE(found.first_response_at.empty()) << "triage is the first response";
  EXPECT_EQ(found.timeline.back().kind, "assignee");
  EXPECT_EQ(found.timeline[found.timeline.size() - 3].details, R"({"from":"new","to":"triaged"})");
  IncidentChange nobody;
  nobody.assignee_id = std::optional<int64_t>{};
  ASSERT_TRUE(change(ref, nobody).ok());
  EXPECT_EQ(store_->find_incident(ref)->assignee, "");
  IncidentChange ghost;
  ghost.assignee_id = int64_t{999};
  EXPECT_EQ(change(ref, ghost).error().field, "/assignee");
}

TEST_F(IncidentStoreTest, PublicNotesReachEveryLinkedReporter) {
  auto ref = *wait_for<std::string>([&](auto cb) { store_->create_incident(incident({"JG-2222-AAAA"}), event("incident.create"), cb); });
  ASSERT_EQ(*wait_for<int>([&](auto cb) { store_->link_reports(ref, {"JG-2222-AAAA", "JG-2222-BBBB"}, analyst_id_, event("incident.link"), cb); }), 1);
  ASSERT_TRUE(wait_for<int64_t>([&](auto cb) { store_->comment_incident(ref, "Cek log server", false, analyst_id_, event("incident.comment"), cb); }).ok());
  ASSERT_TRUE(wait_for<int64_t>([&](auto cb) { store_->comment_incident(ref, "Situs sudah diblokir", true, analyst_id_, event("incident.comment"), cb); }).ok());
  for (auto code : {"JG-2222-AAAA", "JG-2222-BBBB"}) {
    auto r = store_->find_report(code);
    ASSERT_EQ(r->notes.size(), 1u) << code << ": only the public note";
    EXPECT_EQ(r->notes[0].text, "Situs sudah diblokir");
  }
  auto found = *store_->find_incident(ref);
  EXPECT_EQ(found.timeline.back().kind, "notification");
  EXPECT_EQ(found.timeline[found.timeline.size() - 2].visibility, "public");
  EXPECT_EQ(found.timeline[found.timeline.size() - 3].visibility, "internal");
  OutboxFilter notes;
  notes.incident = ref;
  auto messages = *store_->list_outbox(notes);
  ASSERT_FALSE(messages.empty());
  EXPECT_EQ(messages[0].event, NotificationEvent::public_note);
  EXPECT_EQ(std::count_if(messages.begin(), messages.end(), [](const auto& m) { return m.event == NotificationEvent::public_note; }), 1)
      << "one email to a person who filed both reports";
}

TEST_F(IncidentStoreTest, ListsFilterByStatusSeverityAssigneeAndOverdue) {
  for (int i = 0; i < 3; ++i)
    ASSERT_TRUE(wait_for<std::string>([&](auto cb) { store_->create_incident(incident({}), event("incident.create"), cb); }).ok());
  IncidentChange mine;
  mine.status = IncidentStatus::triaged;
  mine.assignee_id = analyst_id_;
  ASSERT_TRUE(change("INC-2026-000002", mine).ok());
  IncidentFilter f;
  EXPECT_EQ(store_->list_incidents(f)->size(), 3u);
  EXPECT_EQ(store_->list_incidents(f)->front().reference, "INC-2026-000002") << "most recently changed first";
  f.assignee_id = analyst_id_;
  EXPECT_EQ(store_->list_incidents(f)->size(), 1u);
  f = {};
  f.status = IncidentStatus::new_;
  EXPECT_EQ(store_->list_incidents(f)->size(), 2u);
  f = {};
  f.overdue_only = true;
  f.now = "2026-11-25T13:00:00.000Z";  // past the 4-hour first response of the two untouched ones
  EXPECT_EQ(store_->list_incidents(f)->size(), 2u);
  f.now = "2026-12-01T00:00:00.000Z";  // past every resolution time
  EXPECT_EQ(store_->list_incidents(f)->size(), 3u);
  f = {};
  f.category = "fraud";
  EXPECT_EQ(store_->list_incidents(f)->size(), 3u);
  f.category = "malicious-code";
  EXPECT_TRUE(store_->list_incidents(f)->empty());
}

TEST_F(IncidentStoreTest, TriageMarksSpamWithANoteOrNothingAtAll) {
  auto bad = wait_for<int>([&](auto cb) {
    store_->triage_reports({"JG-2222-AAAA", "JG-9999-9999"}, ReportStatus::spam, "Bukan insiden siber", analyst_id_, event("report.triage"), cb);
  });
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(store_->find_report("JG-2222-AAAA")->status, ReportStatus::received);
  ASSERT_EQ(*wait_for<int>([&](auto cb) {
    store_->triage_reports({"JG-2222-AAAA", "JG-2222-BBBB"}, ReportStatus::spam, "Bukan insiden siber", analyst_id_, event("report.triage"), cb);
  }), 2);
  EXPECT_EQ(store_->find_report("JG-2222-BBBB")->status, ReportStatus::spam);
  EXPECT_EQ(store_->find_report("JG-2222-BBBB")->notes.at(0).text, "Bukan insiden siber");
}

}  // namespace
}  // namespace jaga

namespace jaga {
namespace {

class OrganisationStoreTest : public StoreTest {
 protected:
  Organisation org(std::string name, std::vector<std::string> domains, std::string parent = "") {
    Organisation o;
    o.name = std::move(name);
    o.kind = "ministry";
    o.domains = std::move(domains);
    o.parent_name = std::move(parent);
    o.contacts = {{"CSIRT", "csirt@" + (o.domains.empty() ? std::string("x.go.id") : o.domains[0]), "+62 21 555", ""}};
    return o;
  }
};

TEST_F(OrganisationStoreTest, ImportsInAnyOrderAndUpdatesByName) {
  std::vector<Organisation> orgs{org("Direktorat Pajak Contoh", {"pajak-contoh.go.id"}, "Kementerian Keuangan Contoh"),
                                 org("Kementerian Keuangan Contoh", {"keuangan-contoh.go.id"})};
  orgs[1].networks = {"192.0.2.0/28"};
  orgs[1].asns = {64500};
  auto added = wait_for<int>([&](auto cb) { store_->import_organisations(orgs, event("organisation.import"), cb); });
  ASSERT_TRUE(added.ok()) << added.error().message;
  EXPECT_EQ(*added, 2);
  auto all = *store_->list_organisations();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].name, "Direktorat Pajak Contoh");
  EXPECT_EQ(all[0].parent_name, "Kementerian Keuangan Contoh");
  EXPECT_EQ(all[1].networks, std::vector<std::string>{"192.0.2.0/28"});
  EXPECT_EQ(all[1].contacts.at(0).email, "csirt@keuangan-contoh.go.id");
  orgs[1].domains.push_back("kemenkeu-contoh.go.id");
  EXPECT_EQ(*wait_for<int>([&](auto cb) { store_->import_organisations(orgs, event("organisation.import"), cb); }), 0) << "updated, not added";
  EXPECT_EQ(store_->list_organisations()->at(1).domains.size(), 2u);
}

TEST_F(OrganisationStoreTest, OwnershipConflictsAndBadParentsChangeNothing) {
  ASSERT_TRUE(wait_for<int>([&](auto cb) { store_->import_organisations({org("A", {"a-contoh.go.id"})}, event("organisation.import"), cb); }).ok());
  auto clash = wait_for<int>([&](auto cb) {
    store_->import_organisations({org("B", {"b-contoh.go.id"}), org("C", {"a-contoh.go.id"})}, event("organisation.import"), cb);
  });
  ASSERT_FALSE(clash.ok());
  EXPECT_EQ(clash.error().message, "C: the domain a-contoh.go.id already belongs to A");
  EXPECT_EQ(store_->list_organisations()->size(), 1u) << "B was rolled back too";
  auto orphan = wait_for<int>([&](auto cb) { store_->import_organisations({org("D", {}, "Nowhere")}, event("organisation.import"), cb); });
  EXPECT_EQ(orphan.error().message, "D: there is no organisation named 'Nowhere' to be its parent");
  auto a = store_->list_organisations()->at(0);
  a.parent_id = a.id;
  auto loop = wait_for<int64_t>([&](auto cb) { store_->save_organisation(a, event("organisation.update"), cb); });
  EXPECT_EQ(loop.error().field, "/parent_id");
}

TEST_F(OrganisationStoreTest, IncidentsNameTheirOrganisationsAndContactsSeeOnlyTheirs) {
  ASSERT_TRUE(wait_for<int>([&](auto cb) {
    store_->import_organisations({org("A", {"a-contoh.go.id"}), org("B", {"b-contoh.go.id"})}, event("organisation.import"), cb);
  }).ok());
  auto orgs = *store_->list_organisations();
  User analyst{0, "analis", hash_password("x"), Role::analyst};
  auto analyst_id = *wait_for<int64_t>([&](auto cb) { store_->create_user(analyst, event("user.create"), cb); });
  NewIncident in;
  in.title = "x";
  in.category = "fraud:phishing";
  in.created_by = analyst_id;
  in.created_at = now_rfc3339();
  in.response_due = in.resolution_due = "2099-01-01T00:00:00.000Z";
  auto first = *wait_for<std::string>([&](auto cb) { store_->create_incident(in, event("incident.create"), cb); });
  auto second = *wait_for<std::string>([&](auto cb) { store_->create_incident(in, event("incident.create"), cb); });
  ASSERT_TRUE(wait_for<bool>([&](auto cb) {
    store_->set_incident_organisations(first, "routing", {{orgs[0].id, "", "routing", "a-contoh.go.id"}}, analyst_id, std::nullopt, cb);
  }).ok());
  auto found = *store_->find_incident(first);
  ASSERT_EQ(found.organisations.size(), 1u);
  EXPECT_EQ(found.organisations[0].name, "A");
  EXPECT_EQ(found.timeline[found.timeline.size() - 2].kind, "organisations");
  EXPECT_EQ(found.timeline.back().kind, "notification");
  IncidentFilter only_a;
  only_a.restrict_to_organisations = true;
  only_a.organisation_ids = {orgs[0].id};
  auto seen = *store_->list_incidents(only_a);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].reference, first);
  only_a.organisation_ids = {};
  EXPECT_TRUE(store_->list_incidents(only_a)->empty()) << "a contact without an organisation sees nothing";
  EXPECT_EQ(store_->list_incidents({})->size(), 2u);
  auto in_use = wait_for<bool>([&](auto cb) { store_->delete_organisation(orgs[0].id, event("organisation.delete"), cb); });
  EXPECT_EQ(in_use.error().message, "the organisation still has 1 incidents; move or remove them first");
  EXPECT_TRUE(wait_for<bool>([&](auto cb) { store_->delete_organisation(orgs[1].id, event("organisation.delete"), cb); }).ok());
  (void)second;
}

}  // namespace
}  // namespace jaga

namespace jaga {
namespace {

TEST_F(StoreTest, ReportsAreFoundByWordsFragmentsAndIndicatorsInAnyLanguage) {
  auto a = report("JG-2222-AAAA", {{"domain", "bank-palsu.example", "text"}});
  a.input.description = "Saya menerima SMS penipuan";
  auto b = report("JG-2222-BBBB", {});
  b.input.description = "收到冒充税务局的钓鱼邮件";
  for (auto* r : {&a, &b}) ASSERT_TRUE(wait_for<int64_t>([&](auto cb) { store_->create_report(*r, std::nullopt, cb); }).ok());
  Addition addition{0, "Nomor rekening tujuan 1234-5678", now_rfc3339(), {}};
  ASSERT_TRUE(wait_for<int64_t>([&](auto cb) { store_->add_addition("JG-2222-BBBB", addition, {}, cb); }).ok());
  auto found = [&](std::string text) {
    ReportFilter f;
    f.text = std::move(text);
    std::vector<std::string> codes;
    auto list = store_->list_reports(f);
    if (!list) return std::vector<std::string>{"error: " + list.error().message};
    for (const auto& s : *list) codes.push_back(s.tracking_code);
    return codes;
  };
  EXPECT_EQ(found("penipuan"), std::vector<std::string>{"JG-2222-AAAA"});
  EXPECT_EQ(found("palsu"), std::vector<std::string>{"JG-2222-AAAA"}) << "a fragment of an indicator";
  EXPECT_EQ(found("税务局"), std::vector<std::string>{"JG-2222-BBBB"}) << "Chinese without spaces";
  EXPECT_EQ(found("1234-5678"), std::vector<std::string>{"JG-2222-BBBB"}) << "added later";
  EXPECT_TRUE(found("\"tidak ada\" OR x").empty()) << "query syntax is just text";
}

}  // namespace
}  // namespace jaga

namespace jaga {
namespace {

class OutboxStoreTest : public OrganisationStoreTest {
 protected:
  // Organisation A (English) with one contact, a report by a reporter with
  // an address, and an incident made of it that routing gave to A.
  void SetUp() override {
    OrganisationStoreTest::SetUp();
    auto a = org("A", {"a-contoh.go.id"});
    a.language = "en";
    auto b = org("B", {"b-contoh.go.id"});
    b.contacts.clear();  // nobody to write to
    ASSERT_TRUE(wait_for<int>([&](auto cb) { store_->import_organisations({a, b}, event("organisation.import"), cb); }).ok());
    orgs_ = *store_->list_organisations();
    User analyst{0, "analis", hash_password("x"), Role::analyst};
    analyst_id_ = *wait_for<int64_t>([&](auto cb) { store_->create_user(analyst, event("user.create"), cb); });
    auto r = report("JG-2222-3333", {{"domain", "sso.a-contoh.go.id", "text"}, {"url", "http://evil.example/a", "text"}});
    ASSERT_TRUE(wait_for<int64_t>([&](auto cb) { store_->create_report(r, std::nullopt, cb); }).ok());
    NewIncident in;
    in.title = "Phishing for A";
    in.category = "fraud:phishing";
    in.created_by = analyst_id_;
    in.created_at = now_rfc3339();
    in.response_due = in.resolution_due = "2099-01-01T00:00:00.000Z";
    in.reports = {"JG-2222-3333"};
    reference_ = *wait_for<std::string>([&](auto cb) { store_->create_incident(in, event("incident.create"), cb); });
  }

  std::vector<OutboxMessage> outbox() {
    OutboxFilter f;
    f.incident = reference_;
    auto list = store_->list_outbox(f);
    return list ? *list : std::vector<OutboxMessage>{};
  }

  std::vector<Organisation> orgs_;
  int64_t analyst_id_ = 0;
  std::string reference_;
};

TEST_F(OutboxStoreTest, TheReporterAndThenTheNewlyAffectedOrganisationAreWrittenTo) {
  auto messages = outbox();
  ASSERT_EQ(messages.size(), 1u) << "no organisation yet: only the reporter";
  EXPECT_EQ(messages[0].recipient, "budi@example.id");
  EXPECT_EQ(messages[0].recipient_kind, RecipientKind::reporter);
  EXPECT_NE(messages[0].subject.find("JG-2222-3333"), std::string::npos) << messages[0].subject;

  IncidentOrganisation routed{orgs_[0].id, "", "routing", "sso.a-contoh.go.id is under a-contoh.go.id", {"sso.a-contoh.go.id"}};
  ASSERT_TRUE(wait_for<bool>([&](auto cb) { store_->set_incident_organisations(reference_, "routing", {routed}, 0, std::nullopt, cb); }).ok());
  messages = outbox();
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[0].recipient, "csirt@a-contoh.go.id");
  EXPECT_EQ(messages[0].organisation, "A");
  EXPECT_EQ(messages[0].language, "en");
  EXPECT_NE(messages[0].body.find("- domain: sso.a-contoh.go.id"), std::string::npos) << messages[0].body;
  EXPECT_NE(messages[0].body.find("- url: http://evil.example/a"), std::string::npos);
  // Routing again with the same answer notifies nobody again.
  ASSERT_TRUE(wait_for<bool>([&](auto cb) { store_->set_incident_organisations(reference_, "routing", {routed}, 0, std::nullopt, cb); }).ok());
  EXPECT_EQ(outbox().size(), 2u);
  // An organisation without an address gets a failed message that says why.
  IncidentOrganisation chosen{orgs_[1].id, "", "analyst", "chosen"};
  ASSERT_TRUE(wait_for<bool>([&](auto cb) {
    store_->set_incident_organisations(reference_, "analyst", {chosen}, analyst_id_, event("incident.organisations"), cb);
  }).ok());
  messages = outbox();
  ASSERT_EQ(messages.size(), 3u);
  EXPECT_EQ(messages[0].status, DeliveryStatus::failed);
  EXPECT_EQ(messages[0].last_error, "B has no contact with an email address: add one in the registry, then notify again.");
}

TEST_F(OutboxStoreTest, AStatusChangeQueuesMessagesInItsTransactionAndARefusedOneQueuesNothing) {
  IncidentOrganisation routed{orgs_[0].id, "", "routing", "r", {}};
  ASSERT_TRUE(wait_for<bool>([&](auto cb) { store_->set_incident_organisations(reference_, "routing", {routed}, 0, std::nullopt, cb); }).ok());
  size_t before = outbox().size();
  IncidentChange refused;
  refused.status = IncidentStatus::closed;  // new → closed is not allowed
  EXPECT_FALSE(wait_for<bool>([&](auto cb) { store_->update_incident(reference_, refused, analyst_id_, event("incident.update"), cb); }).ok());
  EXPECT_EQ(outbox().size(), before) << "nothing queued for a change that did not happen";
  IncidentChange triaged;
  triaged.status = IncidentStatus::triaged;
  ASSERT_TRUE(wait_for<bool>([&](auto cb) { store_->update_incident(reference_, triaged, analyst_id_, event("incident.update"), cb); }).ok());
  auto messages = outbox();
  ASSERT_EQ(messages.size(), before + 1) << "the organisation hears of it; the reporter waits for the end";
  EXPECT_EQ(messages[0].subject, "[" + reference_ + "] Status: triaged");
  IncidentChange resolved;
  resolved.status = IncidentStatus::resolved;
  ASSERT_TRUE(wait_for<bool>([&](auto cb) { store_->update_incident(reference_, resolved, analyst_id_, event("incident.update"), cb); }).ok());
  messages = outbox();
  ASSERT_EQ(messages.size(), before + 3) << "the end reaches both";
  EXPECT_EQ(messages[0].subject, "Laporan JG-2222-3333: selesai ditangani") << "in the reporter's language";
  EXPECT_EQ(store_->find_incident(reference_)->timeline.back().kind, "notification");
}

TEST_F(OutboxStoreTest, DeliveriesAreRecordedRetriedAndNeverLost) {
  auto due = *store_->due_messages(now_rfc3339(), 10);
  ASSERT_EQ(due.size(), 1u);
  int64_t id = due[0].id;
  DeliveryOutcome later{false, "451 try again", "2099-01-01T00:00:00.000Z", now_rfc3339()};
  ASSERT_TRUE(*wait_for<bool>([&](auto cb) { store_->record_delivery(id, later, cb); }));
  EXPECT_TRUE(store_->due_messages(now_rfc3339(), 10)->empty()) << "not due before its next attempt";
  EXPECT_EQ(store_->outbox_counts()->retrying, 1);
  DeliveryOutcome give_up{false, "550 no such user", "", now_rfc3339()};
  ASSERT_TRUE(*wait_for<bool>([&](auto cb) { store_->record_delivery(id, give_up, cb); }));
  auto failed = outbox()[0];
  EXPECT_EQ(failed.status, DeliveryStatus::failed);
  EXPECT_EQ(failed.attempts, 2);
  EXPECT_EQ(failed.last_error, "550 no such user");
  EXPECT_EQ(store_->outbox_counts()->failed, 1);
  ASSERT_TRUE(wait_for<bool>([&](auto cb) { store_->retry_message(id, event("notification.retry"), cb); }).ok());
  ASSERT_EQ(store_->due_messages(now_rfc3339(), 10)->size(), 1u) << "due again at once";
  DeliveryOutcome sent{true, "", "", now_rfc3339()};
  ASSERT_TRUE(*wait_for<bool>([&](auto cb) { store_->record_delivery(id, sent, cb); }));
  EXPECT_EQ(outbox()[0].status, DeliveryStatus::sent);
  auto again = wait_for<bool>([&](auto cb) { store_->retry_message(id, event("notification.retry"), cb); });
  EXPECT_EQ(again.error().kind, ErrorKind::conflict);
}

TEST_F(OutboxStoreTest, RemindersGoOncePerDueTimeAndTemplatesCanBeReplaced) {
  IncidentOrganisation routed{orgs_[0].id, "", "routing", "r", {}};
  ASSERT_TRUE(wait_for<bool>([&](auto cb) { store_->set_incident_organisations(reference_, "routing", {routed}, 0, std::nullopt, cb); }).ok());
  TemplateOverride mine{NotificationEvent::sla_reminder, RecipientKind::organisation_contact, "en", "Due: {{reference}}", "Hurry, {{organisation}}.", "", ""};
  ASSERT_TRUE(wait_for<bool>([&](auto cb) { store_->save_template(mine, analyst_id_, event("template.update"), cb); }).ok());
  EXPECT_EQ(*wait_for<int>([&](auto cb) { store_->queue_sla_reminders("2000-01-01T00:00:00.000Z", cb); }), 0) << "not due yet";
  EXPECT_EQ(*wait_for<int>([&](auto cb) { store_->queue_sla_reminders("2099-12-31T00:00:00.000Z", cb); }), 1);
  EXPECT_EQ(*wait_for<int>([&](auto cb) { store_->queue_sla_reminders("2099-12-31T00:00:00.000Z", cb); }), 0) << "once";
  auto reminder = outbox()[0];
  EXPECT_EQ(reminder.subject, "Due: " + reference_);
  EXPECT_EQ(reminder.body, "Hurry, A.");
  auto overrides = *store_->list_template_overrides();
  ASSERT_EQ(overrides.size(), 1u);
  EXPECT_EQ(overrides[0].updated_by, "analis");
  ASSERT_TRUE(*wait_for<bool>([&](auto cb) {
    store_->reset_template(NotificationEvent::sla_reminder, RecipientKind::organisation_contact, "en", event("template.reset"), cb);
  }));
  EXPECT_TRUE(store_->list_template_overrides()->empty());
}

}  // namespace
}  // namespace jaga

namespace jaga {

namespace {

IndicatorInput input(std::string kind, std::string value, Tlp tlp, std::string registrable = "") {
  IndicatorInput in;
  in.kind = std::move(kind);
  in.value = std::move(value);
  in.tlp = tlp;
  in.registrable = std::move(registrable);
  return in;
}

IndicatorImport batch(IndicatorSourceKind kind, std::string name, std::vector<IndicatorInput> indicators) {
  return IndicatorImport{kind, std::move(name), std::move(indicators)};
}

}  // namespace

TEST_F(StoreTest, IndicatorsUpsertByValueWithTheirSourcesAndTheLoosestLabel) {
  auto import = [&](IndicatorImport b) {
    return wait_for<IndicatorImportCounts>([&](auto cb) { store_->import_indicators(std::move(b), {}, std::nullopt, cb); });
  };
  auto first = import(batch(IndicatorSourceKind::feed, "weekly",
                            {input("domain", "evil.example", Tlp::green, "evil.example"),
                             input("domain", "evil.example", Tlp::green, "evil.example"),  // twice in one file: once
                             input("ipv4", "203.0.113.7", Tlp::amber)}));
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->added, 2);
  auto generation = store_->indicator_generation();
  auto again = import(batch(IndicatorSourceKind::feed, "weekly", {input("domain", "evil.example", Tlp::green)}));
  EXPECT_EQ(again->added, 0);
  EXPECT_EQ(again->updated, 1);
  EXPECT_GT(*store_->indicator_generation(), *generation) << "an import tells the matcher to rebuild";
  EXPECT_EQ(*store_->count_indicators(), 2);

  auto evil = store_->find_indicator_by_value("domain", "evil.example");
  ASSERT_TRUE(evil);
  ASSERT_EQ(evil->sources.size(), 1u);
  EXPECT_EQ(evil->sources[0].count, 2) << "named twice, in two imports";
  EXPECT_EQ(evil->tlp, Tlp::green);

  // A partner names it under RED: the value is still known under GREEN.
  ASSERT_TRUE(import(batch(IndicatorSourceKind::partner, "CN-CERT", {input("domain", "evil.example", Tlp::red)})));
  EXPECT_EQ(store_->find_indicator(evil->id)->tlp, Tlp::green);
  // The feed re-labels it AMBER: the loosest label left is AMBER, not GREEN.
  ASSERT_TRUE(import(batch(IndicatorSourceKind::feed, "weekly", {input("domain", "evil.example", Tlp::amber)})));
  auto relabelled = store_->find_indicator(evil->id);
  EXPECT_EQ(relabelled->tlp, Tlp::amber);
  EXPECT_EQ(relabelled->sources.size(), 2u);

  IndicatorFilter green;
  green.max_tlp = Tlp::green;
  green.limit = 0;
  EXPECT_TRUE(store_->list_indicators(green)->empty()) << "nothing is shareable at GREEN any more";
}

TEST_F(StoreTest, CorrelationsFollowTheRegistrableDomainToReports) {
  auto r = report("JG-2222-4444", {{"url", "http://login.evil.example/a", "text", "evil.example", ""}});
  ASSERT_TRUE(wait_for<int64_t>([&](auto cb) { store_->create_report(r, std::nullopt, cb); }));
  ASSERT_TRUE(wait_for<IndicatorImportCounts>([&](auto cb) {
    store_->import_indicators(batch(IndicatorSourceKind::feed, "weekly", {input("domain", "evil.example", Tlp::green, "evil.example")}),
                              {}, std::nullopt, cb);
  }));
  auto evil = store_->find_indicator_by_value("domain", "evil.example");
  auto links = store_->correlate_indicator(evil->id, 10);
  ASSERT_TRUE(links) << links.error().message;
  bool report_found = false, neighbour_found = false;
  for (const auto& c : *links) {
    report_found |= c.link == CorrelationLink::same_registrable_domain && c.object_kind == "report" && c.object == "JG-2222-4444";
    neighbour_found |= c.object_kind == "indicator" && c.indicator == "http://login.evil.example/a" && c.title == "report: reports";
  }
  EXPECT_TRUE(report_found);
  EXPECT_TRUE(neighbour_found);

  // What only a report names is not vetted: feeds and lookups leave it out.
  IndicatorFilter vetted;
  vetted.vetted_only = true;
  vetted.limit = 0;
  auto listed = store_->list_indicators(vetted);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].value, "evil.example");
}

}  // namespace jaga

namespace jaga {

namespace {

SharedObjectInput shared(std::string id, std::string version, std::optional<Tlp> tlp, std::string body = "") {
  SharedObjectInput o;
  o.stix_id = std::move(id);
  o.type = o.stix_id.substr(0, o.stix_id.find("--"));
  o.spec_version = "2.1";
  o.version = std::move(version);
  o.tlp = tlp;
  o.json = body.empty() ? "{\"id\":\"" + o.stix_id + "\",\"v\":\"" + o.version + "\"}" : body;
  return o;
}

constexpr const char* kA = "indicator--00000000-0000-4000-8000-00000000000a";
constexpr const char* kB = "indicator--00000000-0000-4000-8000-00000000000b";
constexpr const char* kC = "domain-name--00000000-0000-4000-8000-00000000000c";

}  // namespace

TEST_F(StoreTest, APartnerIsSavedWithItsAgreementAndTheCollectionsItNames) {
  Partner p;
  p.name = "cn-cac";
  p.password_hash = hash_password("secret one");
  p.agreement.max_tlp = Tlp::amber;
  p.collections = {{"id-cn", true, true}, {"asean", true, false}};
  auto id = wait_for<int64_t>([&](auto done) { store_->save_partner(p, event("partner.add"), done); });
  ASSERT_TRUE(id) << id.error().message;
  auto again = wait_for<int64_t>([&](auto done) { store_->save_partner(p, event("partner.add"), done); });
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().kind, ErrorKind::conflict);

  auto found = store_->find_partner("cn-cac");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->agreement.max_tlp, Tlp::amber);
  ASSERT_EQ(found->collections.size(), 2u);
  EXPECT_EQ(found->collections[0].collection, "asean");
  EXPECT_FALSE(found->collections[0].write);
  EXPECT_TRUE(found->collections[1].write);
  auto collection = store_->find_collection("id-cn");
  ASSERT_TRUE(collection);
  EXPECT_EQ(collection->max_tlp, Tlp::amber);  // created with the partner's label
  EXPECT_EQ(store_->find_collection(collection->taxii_id)->alias, "id-cn");
  EXPECT_EQ(store_->find_collection("nope").error().kind, ErrorKind::not_found);
}

TEST_F(StoreTest, SharedObjectsKeepEveryVersionAndRefuseAConflictingOne) {
  auto collection = wait_for<Collection>([&](auto done) {
    store_->save_collection(Collection{0, "", "id-cn", "ID-CN", "", Tlp::green, ""}, std::nullopt, done);
  });
  ASSERT_TRUE(collection) << collection.error().message;
  std::vector<SharedObjectInput> batch = {
      shared(kA, "2026-01-01T00:00:00.000000Z", Tlp::green), shared(kA, "2026-02-01T00:00:00.000000Z", Tlp::green),
      shared(kB, "2026-01-01T00:00:00.000000Z", Tlp::red), shared(kC, "", std::nullopt)};
  auto status = wait_for<WriteStatus>([&](auto done) {
    store_->add_shared_objects(*collection, batch, WriteOrigin{"cn-cac", ""},
                               Transfer{0, "", "received", "cn-cac", "id-cn", "taxii-post", "{}", {}}, done);
  });
  ASSERT_TRUE(status) << status.error().message;
  EXPECT_EQ(status->successes.size(), 4u);
  // The same objects again add nothing; a different text under a held version is a conflict.
  auto second = wait_for<WriteStatus>([&](auto done) {
    store_->add_shared_objects(*collection,
                               {shared(kA, "2026-02-01T00:00:00.000000Z", Tlp::green), shared(kC, "", std::nullopt),
                                shared(kA, "2026-01-01T00:00:00.000000Z", Tlp::green, "{\"changed\":true}")},
                               WriteOrigin{}, std::nullopt, done);
  });
  ASSERT_TRUE(second);
  EXPECT_EQ(second->successes.size(), 2u);
  ASSERT_EQ(second->failures.size(), 1u);
  EXPECT_EQ(second->failures[0].stix_id, kA);
  auto saved = store_->find_write_status(second->id);
  ASSERT_TRUE(saved);
  EXPECT_EQ(saved->failures.size(), 1u);

  ObjectQuery q;
  q.collection_id = collection->id;
  auto all = store_->list_shared_objects(q);
  ASSERT_TRUE(all);
  ASSERT_EQ(all->objects.size(), 3u);  // the last version of each
  auto held = [&](const std::string& id) {
    return *std::find_if(all->objects.begin(), all->objects.end(), [&](const SharedObject& o) { return o.stix_id == id; });
  };
  EXPECT_EQ(held(kA).version, "2026-02-01T00:00:00.000000Z");
  EXPECT_EQ(held(kC).tlp, Tlp::green);  // unmarked: the collection's label
  EXPECT_TRUE(std::is_sorted(all->objects.begin(), all->objects.end(),
                             [](const auto& a, const auto& b) { return a.date_added < b.date_added; }));

  q.max_tlp = Tlp::green;
  auto partner_view = store_->list_shared_objects(q);
  ASSERT_TRUE(partner_view);
  EXPECT_EQ(partner_view->objects.size(), 2u);  // not the RED one

  q.version_match = VersionMatch::all;
  q.limit = 2;
  auto first_page = store_->list_shared_objects(q);
  ASSERT_TRUE(first_page);
  EXPECT_TRUE(first_page->more);
  q.added_after = first_page->objects.back().date_added;
  auto second_page = store_->list_shared_objects(q);
  ASSERT_TRUE(second_page);
  EXPECT_FALSE(second_page->more);
  ASSERT_EQ(second_page->objects.size(), 1u);
  // A batch is written in id order (domain-name-- before indicator--), each version in the order given.
  EXPECT_EQ(second_page->objects[0].stix_id, kA);
  EXPECT_EQ(second_page->objects[0].version, "2026-02-01T00:00:00.000000Z");

  ObjectQuery first;
  first.collection_id = collection->id;
  first.version_match = VersionMatch::first;
  first.ids = {kA};
  auto oldest = store_->list_shared_objects(first);
  ASSERT_TRUE(oldest);
  ASSERT_EQ(oldest->objects.size(), 1u);
  EXPECT_EQ(oldest->objects[0].version, "2026-01-01T00:00:00.000000Z");

  auto transfers = store_->list_transfers(TransferFilter{"cn-cac", "", kB, "", "", 0, 10});
  ASSERT_TRUE(transfers);
  ASSERT_EQ(transfers->size(), 1u);
  EXPECT_EQ((*transfers)[0].objects.size(), 4u);

  ObjectQuery del;
  del.collection_id = collection->id;
  del.version_match = VersionMatch::all;
  auto deleted = wait_for<int>([&](auto done) { store_->delete_shared_object(del, kA, event("taxii.delete"), done); });
  ASSERT_TRUE(deleted);
  EXPECT_EQ(*deleted, 2);
}


TEST_F(StoreTest, ABulkWriteThatFailsHalfwayLeavesNothingAndTheWritesAroundItCommit) {
  auto collection = wait_for<Collection>([&](auto done) {
    store_->save_collection(Collection{0, "", "id-cn", "ID-CN", "", Tlp::green, ""}, std::nullopt, done);
  });
  ASSERT_TRUE(collection) << collection.error().message;
  Collection missing = *collection;
  missing.id += 1000;  // no such collection: its rows break a foreign key
  auto writes = std::make_shared<std::vector<ReceivedObjects>>();
  writes->push_back({*collection, {shared(kA, "2026-01-01T00:00:00.000000Z", Tlp::green)}, WriteOrigin{"cn-cac", ""}});
  writes->push_back({missing, {shared(kB, "2026-01-01T00:00:00.000000Z", Tlp::green)}, WriteOrigin{"cn-cac", ""}});
  // Queued together: a report before the bulk write, one after it.
  std::promise<Result<int64_t>> before, after;
  std::promise<Result<std::vector<WriteStatus>>> bulk;
  store_->create_report(report("JG-2222-AAAA", {}), std::nullopt, [&](Result<int64_t> r) { before.set_value(r); });
  store_->receive_shared_objects(writes, [&](Result<std::vector<WriteStatus>> r) { bulk.set_value(std::move(r)); });
  store_->create_report(report("JG-2222-BBBB", {}), std::nullopt, [&](Result<int64_t> r) { after.set_value(r); });
  EXPECT_FALSE(bulk.get_future().get().ok());
  EXPECT_TRUE(before.get_future().get().ok());
  EXPECT_TRUE(after.get_future().get().ok());
  ObjectQuery q;
  q.collection_id = collection->id;
  auto held = store_->list_shared_objects(q);
  ASSERT_TRUE(held);
  EXPECT_TRUE(held->objects.empty()) << "the first write of the failed bulk job stayed";
  EXPECT_EQ(*store_->count_reports(), 2);
}

TEST_F(StoreTest, SiteHistoryRollsChecksIntoHoursAndHoursIntoDays) {
  Site site;
  site.url = "https://dinkes.contoh.go.id/";
  ASSERT_TRUE(wait_for<SiteSaveCounts>([&](auto cb) { store_->save_sites({site}, event("site.save"), cb); }).ok());
  auto sites = store_->list_sites({});
  ASSERT_TRUE(sites.ok() && sites->size() == 1u);
  int64_t id = sites->front().id;
  // Twelve checks an hour for three hours, 100 days ago, and an hour, 10 days ago, and one today.
  std::vector<SiteCheckRecord> checks;
  auto add = [&](const std::string& hour, int i, bool up, double ms) {
    char at[64];
    std::snprintf(at, sizeof at, "%s:%02d:00.000Z", hour.c_str(), i * 5);
    checks.push_back({id, at, up, up ? 200L : 0L, ms, 90, "", "[]", {}, {}});
  };
  for (const char* hour : {"2026-08-25T10", "2026-08-25T11", "2026-08-25T12"})
    for (int i = 0; i < 12; ++i) add(hour, i, i != 0, 100 + i);
  for (int i = 0; i < 12; ++i) add("2026-11-23T08", i, true, i < 11 ? 50 : 500);
  add("2026-12-03T09", 0, true, 42);
  auto written = wait_for<int>([&](auto cb) { store_->record_site_checks(checks, cb); });
  ASSERT_TRUE(written.ok()) << written.error().message;
  EXPECT_EQ(*written, 49);

  auto before = store_->site_history(id, "2026-01-01T00:00:00.000Z");
  ASSERT_TRUE(before.ok()) << before.error().message;
  EXPECT_EQ(before->size(), 5u) << "the checks read as five hours before any roll-up";

  auto rolled = wait_for<int>([&](auto cb) {
    store_->roll_up_site_history(SiteHistoryPolicy{7, 90}, "2026-12-03T10:00:00.000Z", cb);
  });
  ASSERT_TRUE(rolled.ok()) << rolled.error().message;
  auto history = store_->site_history(id, "2026-01-01T00:00:00.000Z");
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 3u);
  const SiteRollup& day = (*history)[0];
  EXPECT_EQ(day.period, "day");
  EXPECT_EQ(day.start, "2026-08-25T00:00:00.000Z");
  EXPECT_EQ(day.checks, 36);
  EXPECT_EQ(day.up_checks, 33);
  EXPECT_EQ(day.max_ms, 111);
  const SiteRollup& hour = (*history)[1];
  EXPECT_EQ(hour.period, "hour");
  EXPECT_EQ(hour.start, "2026-11-23T08:00:00.000Z");
  EXPECT_EQ(hour.checks, 12);
  EXPECT_EQ(hour.p50_ms, 50);
  EXPECT_EQ(hour.p95_ms, 500);
  EXPECT_EQ((*history)[2].start, "2026-12-03T09:00:00.000Z") << "today's check is still a check";
  EXPECT_EQ((*history)[2].checks, 1);
  // Rolling again changes nothing.
  ASSERT_TRUE(wait_for<int>([&](auto cb) {
                store_->roll_up_site_history(SiteHistoryPolicy{7, 90}, "2026-12-03T10:00:00.000Z", cb);
              }).ok());
  auto again = store_->site_history(id, "2026-01-01T00:00:00.000Z");
  ASSERT_TRUE(again.ok());
  ASSERT_EQ(again->size(), 3u);
  EXPECT_EQ((*again)[0].checks, 36);
}

TEST_F(StoreTest, ACheckWhoseFindingsAreUnchangedKeepsTheStoredOnesAndUpdatesTheRest) {
  Site site;
  site.url = "https://bappeda.contoh.go.id/";
  ASSERT_TRUE(wait_for<SiteSaveCounts>([&](auto cb) { store_->save_sites({site}, event("site.save"), cb); }).ok());
  int64_t id = store_->list_sites({}).value().front().id;
  const std::string findings = R"([{"id":"baseline-csp","severity":"medium","message":"There is no CSP."}])";
  SiteCheckRecord first{id, "2026-12-04T10:00:00.000Z", true, 200, 12, 83, "", findings, {}, {}};
  ASSERT_TRUE(wait_for<int>([&](auto cb) { store_->record_site_checks({first}, cb); }).ok());
  SiteCheckRecord same{id, "2026-12-04T10:00:30.000Z", false, 503, 40, 83, "the site answered 503", std::nullopt, {}, {}};
  ASSERT_TRUE(wait_for<int>([&](auto cb) { store_->record_site_checks({same}, cb); }).ok());
  auto state = store_->list_site_states({}).value().front();
  EXPECT_EQ(state.findings_json, findings) << "the findings the last record wrote";
  EXPECT_EQ(state.checked_at, "2026-12-04T10:00:30.000Z");
  EXPECT_FALSE(state.up);
  EXPECT_EQ(state.status, 503);
  EXPECT_EQ(state.error, "the site answered 503");
  SiteCheckRecord changed{id, "2026-12-04T10:01:00.000Z", true, 200, 11, 100, "", "[]", {}, {}};
  ASSERT_TRUE(wait_for<int>([&](auto cb) { store_->record_site_checks({changed}, cb); }).ok());
  EXPECT_EQ(store_->list_site_states({}).value().front().findings_json, "[]");
}

TEST_F(StoreTest, TheSitesGenerationGrowsWithChangesToTheSitesOnly) {
  auto generation = [&] { return store_->site_generation().value(); };
  int64_t start = generation();
  Site site;
  site.url = "https://disdik.contoh.go.id/";
  ASSERT_TRUE(wait_for<SiteSaveCounts>([&](auto cb) { store_->save_sites({site}, event("site.save"), cb); }).ok());
  int64_t added = generation();
  EXPECT_GT(added, start);
  int64_t id = store_->list_sites({}).value().front().id;
  // A check is no change to the sites.
  SiteCheckRecord check{id, "2026-12-03T10:00:00.000Z", true, 200, 12, 90, "", R"([{"id":"baseline-csp"}])", {}, {}};
  ASSERT_TRUE(wait_for<int>([&](auto cb) { store_->record_site_checks({check}, cb); }).ok());
  EXPECT_EQ(generation(), added);
  // The states without findings, as the monitor reads them.
  SiteFilter schedule_only;
  schedule_only.findings = false;
  auto states = store_->list_site_states(schedule_only);
  ASSERT_TRUE(states.ok());
  EXPECT_EQ(states->front().findings_json, "[]");
  EXPECT_EQ(states->front().checked_at, "2026-12-03T10:00:00.000Z");
  EXPECT_NE(store_->list_site_states({}).value().front().findings_json, "[]");
  site.interval_seconds = 600;
  ASSERT_TRUE(wait_for<SiteSaveCounts>([&](auto cb) { store_->save_sites({site}, event("site.save"), cb); }).ok());
  EXPECT_GT(generation(), added);
  int64_t changed = generation();
  ASSERT_TRUE(wait_for<bool>([&](auto cb) { store_->delete_site(site.url, event("site.delete"), cb); }).value());
  EXPECT_GT(generation(), changed);
}

}  // namespace jaga
