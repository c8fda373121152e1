// The SQLite backend: users, sessions and API tokens.
#include "store/sqlite/sqlite_store.h"
#include "util/time.h"

namespace jaga::sqlite {

User read_user(Statement& s) {
  User u;
  u.id = s.integer(0);
  u.username = s.text(1);
  u.password_hash = s.text(2);
  u.role = parse_role(s.text(3)).value_or(Role::operator_);
  u.must_change_password = s.integer(4) != 0;
  u.failed_sign_ins = static_cast<int>(s.integer(5));
  u.locked_until = s.text(6);
  u.created_at = s.text(7);
  if (!s.is_null(8)) u.organisation_id = s.integer(8);
  u.totp_secret = s.text(9);
  u.totp_enabled = s.integer(10) != 0;
  u.totp_last_step = s.integer(11);
  return u;
}

namespace {

constexpr const char* user_columns_sql =
    "SELECT id, username, password_hash, role, must_change_password, failed_sign_ins, "
    "coalesce(locked_until, ''), created_at, organisation_id, totp_secret, totp_enabled, totp_last_step FROM users ";

constexpr const char* token_columns_sql =
    "SELECT t.id, t.user_id, u.username, t.name, t.token_hash, t.role, t.created_at, "
    "coalesce(t.last_used_at, ''), coalesce(t.revoked_at, '') FROM api_tokens t JOIN users u ON "
    "u.id = t.user_id ";

ApiToken read_token(Statement& q) {
  ApiToken t;
  t.id = q.integer(0);
  t.user_id = q.integer(1);
  t.username = q.text(2);
  t.name = q.text(3);
  t.token_hash = q.text(4);
  t.role = parse_role(q.text(5)).value_or(Role::operator_);
  t.created_at = q.text(6);
  t.last_used_at = q.text(7);
  t.revoked_at = q.text(8);
  return t;
}

}  // namespace

void SqliteStore::set_user_organisation(std::string username, std::optional<int64_t> organisation_id, AuditEvent audit,
                                        Callback<bool> done) {
  submit_value<bool>(
      [username = std::move(username), organisation_id](Connection& db) -> Result<bool> {
        TRY_PREPARE(update, db, "UPDATE users SET organisation_id = ?2 WHERE username = ?1");
        update.bind(1, username).bind_optional(2, organisation_id);
        if (auto st = update.run(); !st) {
          if (st.error().kind == ErrorKind::conflict) return Error::invalid("there is no such organisation");
          return st.error();
        }
        if (db.changes() == 0) return Error::not_found("no user named '" + username + "'");
        return true;
      },
      std::move(done), std::move(audit));
}

void SqliteStore::set_totp(int64_t user_id, std::string secret, bool enabled, std::vector<std::string> recovery_code_hashes,
                           AuditEvent audit, Callback<bool> done) {
  submit_value<bool>(
      [user_id, secret = std::move(secret), enabled, hashes = std::move(recovery_code_hashes)](Connection& db) -> Result<bool> {
        TRY_PREPARE(update, db, "UPDATE users SET totp_secret = ?2, totp_enabled = ?3 WHERE id = ?1");
        update.bind(1, user_id).bind(2, secret).bind(3, int64_t{enabled});
        TRY(update.run());
        if (db.changes() == 0) return Error::not_found("no such user");
        TRY_PREPARE(clear, db, "DELETE FROM recovery_codes WHERE user_id = ?1");
        clear.bind(1, user_id);
        TRY(clear.run());
        for (const auto& hash : hashes) {
          TRY_PREPARE(insert, db, "INSERT INTO recovery_codes(user_id, code_hash) VALUES (?1, ?2)");
          insert.bind(1, user_id).bind(2, hash);
          TRY(insert.run());
        }
        return true;
      },
      std::move(done), std::move(audit));
}

void SqliteStore::claim_totp_step(int64_t user_id, int64_t step, Callback<bool> done) {
  submit_value<bool>(
      [user_id, step](Connection& db) -> Result<bool> {
        TRY_PREPARE(update, db, "UPDATE users SET totp_last_step = ?2 WHERE id = ?1 AND totp_last_step < ?2");
        update.bind(1, user_id).bind(2, step);
        TRY(update.run());
        return db.changes() == 1;
      },
      std::move(done));
}

void SqliteStore::use_recovery_code(int64_t user_id, std::string code_hash, Callback<bool> done) {
  submit_value<bool>(
      [user_id, code_hash = std::move(code_hash)](Connection& db) -> Result<bool> {
        TRY_PREPARE(update, db,
                    "UPDATE recovery_codes SET used_at = ?3 WHERE user_id = ?1 AND code_hash = ?2 AND used_at IS NULL");
        update.bind(1, user_id).bind(2, code_hash).bind(3, now_rfc3339());
        TRY(update.run());
        return db.changes() == 1;
      },
      std::move(done));
}

void SqliteStore::create_user(User user, AuditEvent audit, Callback<int64_t> done) {
  submit_value<int64_t>(
      [user = std::move(user)](Connection& db) -> Result<int64_t> {
        TRY_PREPARE(
            insert, db,
            "INSERT INTO users(username, password_hash, role, must_change_password, created_at, organisation_id) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
        insert.bind(1, user.username).bind(2, user.password_hash).bind(3, to_string(user.role));
        insert.bind(4, static_cast<int64_t>(user.must_change_password)).bind(5, now_rfc3339());
        insert.bind_optional(6, user.organisation_id);
        auto st = insert.run();
        if (!st) {
          if (st.error().kind == ErrorKind::conflict)
            return Error::conflict("a user named '" + user.username + "' already exists");
          return st.error();
        }
        return db.last_insert_id();
      },
      std::move(done), std::move(audit));
}

void SqliteStore::set_password(std::string username, std::string hash, bool must_change,
                               AuditEvent audit, Callback<bool> done) {
  submit_value<bool>(
      [username = std::move(username), hash = std::move(hash),
       must_change](Connection& db) -> Result<bool> {
        TRY_PREPARE(
            update, db,
            "UPDATE users SET password_hash = ?2, must_change_password = ?3, failed_sign_ins = 0, "
            "locked_until = NULL WHERE username = ?1");
        update.bind(1, username).bind(2, hash).bind(3, static_cast<int64_t>(must_change));
        TRY(update.run());
        if (db.changes() == 0) return Error::not_found("no user named '" + username + "'");
        TRY_PREPARE(
            sessions, db,
            "DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE username = ?1)");
        sessions.bind(1, username);
        TRY(sessions.run());
        return true;
      },
      std::move(done), std::move(audit));
}

void SqliteStore::record_sign_in(int64_t user_id, bool success, std::string locked_until,
                                 AuditEvent audit, Callback<bool> done) {
  submit_value<bool>(
      [user_id, success, locked_until = std::move(locked_until)](Connection& db) -> Result<bool> {
        if (success) {
          TRY_PREPARE(q, db,
                      "UPDATE users SET failed_sign_ins = 0, locked_until = NULL WHERE id = ?1");
          q.bind(1, user_id);
          TRY(q.run());
        } else {
          TRY_PREPARE(q, db,
                      "UPDATE users SET failed_sign_ins = failed_sign_ins + 1, "
                      "locked_until = coalesce(?2, locked_until) WHERE id = ?1");
          q.bind(1, user_id);
          if (locked_until.empty())
            q.bind(2, std::nullopt);
          else
            q.bind(2, locked_until);
          TRY(q.run());
        }
        return true;
      },
      std::move(done), std::move(audit));
}

Result<User> SqliteStore::find_user(const std::string& username) {
  static const std::string sql = std::string(user_columns_sql) + "WHERE username = ?1";
  return find_one_user(sql.c_str(), [&](Statement& q) { q.bind(1, username); });
}

Result<User> SqliteStore::find_user_by_id(int64_t id) {
  static const std::string sql = std::string(user_columns_sql) + "WHERE id = ?1";
  return find_one_user(sql.c_str(), [&](Statement& q) { q.bind(1, id); });
}

Result<std::vector<User>> SqliteStore::list_users() {
  static const std::string sql = std::string(user_columns_sql) + "ORDER BY username";
  auto lease = readers_.lease();
  TRY_PREPARE(q, *lease, sql.c_str());
  std::vector<User> users;
  TRY(q.for_each_row([&](Statement& q) { users.push_back(read_user(q)); }));
  return users;
}

void SqliteStore::create_session(Session session, Callback<bool> done) {
  submit_value<bool>(
      [session = std::move(session)](Connection& db) -> Result<bool> {
        TRY_PREPARE(q, db,
                    "INSERT INTO sessions(token_hash, user_id, csrf_token, created_at, expires_at) "
                    "VALUES (?1, ?2, ?3, ?4, ?5)");
        q.bind(1, session.token_hash).bind(2, session.user_id).bind(3, session.csrf_token);
        q.bind(4, session.created_at).bind(5, session.expires_at);
        TRY(q.run());
        TRY_PREPARE(expired, db, "DELETE FROM sessions WHERE expires_at < ?1");
        expired.bind(1, session.created_at);
        TRY(expired.run());
        return true;
      },
      std::move(done));
}

void SqliteStore::delete_session(std::string token_hash, AuditEvent audit, Callback<bool> done) {
  submit_value<bool>(
      [token_hash = std::move(token_hash)](Connection& db) -> Result<bool> {
        TRY_PREPARE(q, db, "DELETE FROM sessions WHERE token_hash = ?1");
        q.bind(1, token_hash);
        TRY(q.run());
        return true;
      },
      std::move(done), std::move(audit));
}

void SqliteStore::create_token(ApiToken token, AuditEvent audit, Callback<int64_t> done) {
  submit_value<int64_t>(
      [token = std::move(token)](Connection& db) -> Result<int64_t> {
        TRY_PREPARE(insert, db,
                    "INSERT INTO api_tokens(user_id, name, token_hash, role, created_at) VALUES "
                    "(?1, ?2, ?3, ?4, ?5)");
        insert.bind(1, token.user_id).bind(2, token.name).bind(3, token.token_hash);
        insert.bind(4, to_string(token.role)).bind(5, token.created_at);
        TRY(insert.run());
        return db.last_insert_id();
      },
      std::move(done), std::move(audit));
}

void SqliteStore::revoke_token(int64_t id, AuditEvent audit, Callback<bool> done) {
  submit_value<bool>(
      [id](Connection& db) -> Result<bool> {
        TRY_PREPARE(update, db,
                    "UPDATE api_tokens SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL");
        update.bind(1, id).bind(2, now_rfc3339());
        TRY(update.run());
        if (db.changes() == 0)
          return Error::not_found("no valid token with id " + std::to_string(id));
        return true;
      },
      std::move(done), std::move(audit));
}

void SqliteStore::touch_token(int64_t id) {
  auto now = Clock::now();
  submit(
      [id, used_at = format_rfc3339(now),
       minute_ago = format_rfc3339(now - std::chrono::minutes(1))](Connection& db) -> Status {
        TRY_PREPARE(update, db,
                    "UPDATE api_tokens SET last_used_at = ?2 WHERE id = ?1 "
                    "AND (last_used_at IS NULL OR last_used_at < ?3)");
        update.bind(1, id).bind(2, used_at).bind(3, minute_ago);
        return update.run();
      },
      [](Status) {});
}

Result<std::pair<ApiToken, User>> SqliteStore::find_token_with_user(const std::string& token_hash) {
  static const std::string token_sql = std::string(token_columns_sql) + "WHERE t.token_hash = ?1";
  static const std::string user_sql = std::string(user_columns_sql) + "WHERE id = ?1";
  auto lease = readers_.lease();
  ReadTransaction snapshot(*lease);  // one lock cycle for both reads
  TRY_PREPARE(q, *lease, token_sql.c_str());
  q.bind(1, token_hash);
  auto row = q.step();
  if (!row) return row.error();
  if (!*row) return Error::unauthenticated("unknown token");
  ApiToken token = read_token(q);
  TRY_PREPARE(u, *lease, user_sql.c_str());
  u.bind(1, token.user_id);
  auto user_row = u.step();
  if (!user_row) return user_row.error();
  if (!*user_row) return Error::not_found("no user " + std::to_string(token.user_id));
  return std::pair<ApiToken, User>(std::move(token), read_user(u));
}

Result<std::vector<ApiToken>> SqliteStore::list_tokens() {
  static const std::string sql = std::string(token_columns_sql) + "ORDER BY t.id";
  auto lease = readers_.lease();
  TRY_PREPARE(q, *lease, sql.c_str());
  std::vector<ApiToken> out;
  TRY(q.for_each_row([&](Statement& q) { out.push_back(read_token(q)); }));
  return out;
}

Result<Session> SqliteStore::find_session(const std::string& token_hash) {
  auto lease = readers_.lease();
  TRY_PREPARE(q, *lease,
              "SELECT token_hash, user_id, csrf_token, created_at, expires_at FROM sessions "
              "WHERE token_hash = ?1");
  q.bind(1, token_hash);
  auto row = q.step();
  if (!row) return row.error();
  if (!*row) return Error::unauthenticated("not signed in");
  return Session{q.text(0), q.integer(1), q.text(2), q.text(3), q.text(4)};
}

}  // namespace jaga::sqlite
