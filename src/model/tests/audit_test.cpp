#include "model/audit.h"

#include <gtest/gtest.h>

namespace jaga {
namespace {

std::vector<AuditEntry> chain(int n) {
  std::vector<AuditEntry> out;
  std::string previous = kAuditGenesisHash;
  for (int i = 1; i <= n; ++i) {
    AuditEntry e;
    e.id = i;
    e.at = "2026-11-25T10:00:0" + std::to_string(i % 10) + "Z";
    e.event = {int64_t{7}, "analis", "report.note", "report", "JG-2222-AAAA", R"({"status":"in_review"})", "10.0.0.5"};
    e.previous_hash = previous;
    e.hash = audit_hash(e);
    previous = e.hash;
    out.push_back(e);
  }
  return out;
}

AuditCheck check(const std::vector<AuditEntry>& entries) {
  AuditChainChecker checker;
  for (const auto& e : entries) checker.add(e);
  return checker.result();
}

TEST(Audit, AnIntactChainPasses) {
  auto result = check(chain(5));
  EXPECT_EQ(result.entries, 5);
  EXPECT_FALSE(result.first_broken_id);
}

TEST(Audit, AnEditedEntryIsNamed) {
  auto entries = chain(5);
  entries[2].event.actor = "someone else";
  auto result = check(entries);
  ASSERT_TRUE(result.first_broken_id);
  EXPECT_EQ(*result.first_broken_id, 3);
  EXPECT_EQ(result.problem, "its hash does not match its contents");
}

TEST(Audit, ARehashedEditBreaksTheNextEntry) {
  auto entries = chain(5);
  entries[2].event.details = "{}";
  entries[2].hash = audit_hash(entries[2]);  // a forger recomputes this one hash
  auto result = check(entries);
  ASSERT_TRUE(result.first_broken_id);
  EXPECT_EQ(*result.first_broken_id, 4);
}

TEST(Audit, ARemovedEntryIsNamed) {
  auto entries = chain(5);
  entries.erase(entries.begin() + 1);
  auto result = check(entries);
  ASSERT_TRUE(result.first_broken_id);
  EXPECT_EQ(*result.first_broken_id, 3);
  EXPECT_EQ(result.problem, "entry 2 is missing");
}

TEST(Audit, FieldsCannotBeShiftedIntoEachOther) {
  AuditEntry a = chain(1)[0], b = a;
  a.event.target_type = "report";
  a.event.target = "x";
  b.event.target_type = "reportx";
  b.event.target = "";
  EXPECT_NE(audit_hash(a), audit_hash(b));
  b = a;
  b.event.actor_id.reset();
  EXPECT_NE(audit_hash(a), audit_hash(b));
}

}  // namespace
}  // namespace jaga
