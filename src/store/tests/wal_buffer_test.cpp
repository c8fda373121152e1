// The WAL's gathered writes: what a commit acknowledged is in the file, for
// other connections at once and after the process dies, whatever the buffer
// held; pages spilled and read back within a transaction come back whole.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "store/sqlite/connection.h"
#include "util/crypto.h"

namespace jaga::sqlite {
namespace {

class WalBufferTest : public ::testing::Test {
 protected:
  void SetUp() override {
    init_crypto();
    dir_ = std::filesystem::temp_directory_path() / ("jaga-wal-" + random_token(6));
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "test.db").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<Connection> open(bool read_only = false) {
    auto opened = Connection::open(path_, read_only);
    EXPECT_TRUE(opened.ok()) << opened.error().message;
    return opened.ok() ? std::move(*opened) : nullptr;
  }

  static int64_t count(Connection& db, const char* sql) {
    auto q = db.prepare(sql);
    EXPECT_TRUE(q.ok());
    auto row = q->step();
    EXPECT_TRUE(row.ok() && *row);
    return q->integer(0);
  }

  static void insert_rows(Connection& db, int from, int to) {
    ASSERT_TRUE(db.exec("BEGIN IMMEDIATE").ok());
    for (int i = from; i < to; ++i) {
      auto insert = db.prepare("INSERT INTO t(k, v) VALUES (?1, ?2)");
      ASSERT_TRUE(insert.ok());
      // Random-looking keys spread the index's pages, as STIX ids do.
      insert->bind(1, sha256_hex(std::to_string(i))).bind(2, std::string(300, static_cast<char>('a' + i % 26)));
      ASSERT_TRUE(insert->run().ok());
    }
    ASSERT_TRUE(db.exec("COMMIT").ok());
  }

  std::filesystem::path dir_;
  std::string path_;
};

TEST_F(WalBufferTest, ACommitIsSeenByAnotherConnectionAtOnce) {
  auto writer = open();
  ASSERT_TRUE(writer->exec("CREATE TABLE t(k TEXT PRIMARY KEY, v TEXT NOT NULL)").ok());
  auto reader = open(true);
  for (int round = 0; round < 50; ++round) {
    insert_rows(*writer, round * 7, round * 7 + 7);
    EXPECT_EQ(count(*reader, "SELECT count(*) FROM t"), round * 7 + 7) << "after commit " << round;
  }
}

TEST_F(WalBufferTest, PagesSpilledWithinATransactionComeBackWhole) {
  auto writer = open();
  // A cache of a few pages: the transaction writes frames before its
  // commit, reads them back, and writes some pages again in place.
  ASSERT_TRUE(writer->exec("PRAGMA cache_size = 8").ok());
  ASSERT_TRUE(writer->exec("CREATE TABLE t(k TEXT PRIMARY KEY, v TEXT NOT NULL)").ok());
  insert_rows(*writer, 0, 20000);
  auto reader = open(true);
  EXPECT_EQ(count(*reader, "SELECT count(*) FROM t"), 20000);
  EXPECT_EQ(count(*reader, "SELECT count(*) FROM t WHERE length(v) = 300"), 20000);
  auto check = reader->prepare("PRAGMA integrity_check");
  ASSERT_TRUE(check.ok());
  ASSERT_TRUE(check->step().ok());
  EXPECT_EQ(check->text(0), "ok");
}

TEST_F(WalBufferTest, WhatWasCommittedSurvivesTheProcessDyingAndNothingElse) {
  {
    auto setup = open();
    ASSERT_TRUE(setup->exec("CREATE TABLE t(k TEXT PRIMARY KEY, v TEXT NOT NULL)").ok());
  }
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // No destructor runs: whatever the buffer holds at _exit is lost.
    auto opened = Connection::open(path_, false);
    if (!opened) _exit(2);
    auto& db = **opened;
    // Few pages cached: the uncommitted transaction spills frames into the WAL.
    if (!db.exec("PRAGMA cache_size = 8").ok()) _exit(8);
    if (!db.exec("BEGIN IMMEDIATE").ok()) _exit(3);
    for (int i = 0; i < 3000; ++i) {
      auto insert = db.prepare("INSERT INTO t(k, v) VALUES (?1, 'committed')");
      if (!insert || !insert->bind(1, std::to_string(i)).run().ok()) _exit(4);
    }
    if (!db.exec("COMMIT").ok()) _exit(5);
    if (!db.exec("BEGIN IMMEDIATE").ok()) _exit(6);
    for (int i = 0; i < 500; ++i) {
      auto insert = db.prepare("INSERT INTO t(k, v) VALUES (?1, 'never committed ' || hex(randomblob(150)))");
      if (!insert || !insert->bind(1, "x" + std::to_string(i)).run().ok()) _exit(7);
    }
    _exit(0);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 0);
  auto db = open();
  EXPECT_EQ(count(*db, "SELECT count(*) FROM t WHERE v = 'committed'"), 3000);
  EXPECT_EQ(count(*db, "SELECT count(*) FROM t WHERE k LIKE 'x%'"), 0);
  EXPECT_EQ(count(*db, "SELECT count(*) FROM t"), 3000);
}

}  // namespace
}  // namespace jaga::sqlite
