// One SQLite connection with a cache of prepared statements, and Statement,
// a bound and stepping view of one of them. Internal to the SQLite backend.
// A Connection is used by one thread at a time (the writer, or a reader that
// borrowed it from the pool). All SQLite return codes become Errors here.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "util/result.h"

struct sqlite3;
struct sqlite3_stmt;

namespace jaga::sqlite {

class Connection;

class Statement {
 public:
  Statement(Connection& connection, sqlite3_stmt* stmt);
  ~Statement();  // resets, so the cached statement can be reused
  Statement(Statement&& other) noexcept
      : connection_(other.connection_), stmt_(other.stmt_), failed_bind_(other.failed_bind_) {
    other.stmt_ = nullptr;
  }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement& operator=(Statement&&) = delete;

  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, int64_t value);
  Statement& bind(int index, std::nullopt_t);
  Statement& bind_optional(int index, const std::optional<int64_t>& value);
  Statement& bind_real(int index, double value);
  Statement& bind_blob(int index, std::string_view bytes);  // copied, stored as a BLOB
  // Empty text binds NULL: the optional filters of the list queries are
  // written "?n IS NULL OR ...".
  Statement& bind_or_null(int index, std::string_view text);
  // Text SQLite reads in place instead of copying: it must stay alive and
  // unchanged until this Statement is gone (its destructor clears the
  // bindings). For the writer's inserts of a million rows, where the copies
  // were a tenth of the writer's time.
  Statement& bind_unowned(int index, std::string_view text);
  Statement& bind_unowned_or_null(int index, std::string_view text);

  // Steps once: true with a row, false when done; errors become Error.
  Result<bool> step();
  Status run();  // steps to completion of a statement that returns no rows

  // Steps through every row, calling on_row(*this) for each.
  template <class OnRow>
  Status for_each_row(OnRow on_row) {
    while (true) {
      auto row = step();
      if (!row) return row.error();
      if (!*row) return {};
      on_row(*this);
    }
  }

  std::string text(int column) const;
  int64_t integer(int column) const;
  std::string blob(int column) const;
  double real(int column) const;
  bool is_null(int column) const;

 private:
  Statement& bind_text(int index, std::string_view text, bool copy);

  Connection& connection_;
  sqlite3_stmt* stmt_;
  bool failed_bind_ = false;
};

class Connection {
 public:
  static Result<std::unique_ptr<Connection>> open(const std::string& path, bool read_only);
  ~Connection();

  Result<Statement> prepare(const char* sql);  // cached by the address of `sql`
  Status exec(const char* sql);                // for statements without parameters or rows
  int64_t last_insert_id() const;
  int changes() const;
  std::string last_error() const;
  Error error(int code, std::string_view context) const;

 private:
  explicit Connection(sqlite3* db) : db_(db) {}
  sqlite3* db_;
  std::unordered_map<const char*, sqlite3_stmt*> statements_;
};

// Holds one read transaction open for its lifetime, so that several SELECTs
// see one snapshot and take SQLite's WAL read lock once instead of once each.
class ReadTransaction {
 public:
  explicit ReadTransaction(Connection& connection);
  ~ReadTransaction();
  ReadTransaction(const ReadTransaction&) = delete;
  ReadTransaction& operator=(const ReadTransaction&) = delete;

 private:
  Connection& connection_;
  bool open_;
};

}  // namespace jaga::sqlite
