// The SQLite backend: reports, their attachments, indicators, additions and notes.
#include "store/sqlite/sqlite_store.h"
#include "util/time.h"

namespace jaga::sqlite {

namespace {

Attachment read_attachment(Statement& s, int first) {
  Attachment a;
  a.id = s.integer(first);
  a.sha256 = s.text(first + 1);
  a.filename = s.text(first + 2);
  a.media_type = s.text(first + 3);
  a.size = s.integer(first + 4);
  a.created_at = s.text(first + 5);
  return a;
}

Status link_indicators(Connection& db, int64_t report_id, const std::vector<Indicator>& indicators,
                       const std::string& now) {
  for (const auto& indicator : indicators) {
    TRY_PREPARE(
        upsert, db,
        "INSERT INTO indicators(type, value, first_seen, last_seen, registrable, network) VALUES (?1, ?2, ?3, ?3, ?4, ?5) "
        "ON CONFLICT(type, value) DO UPDATE SET last_seen = excluded.last_seen, "
        "registrable = coalesce(excluded.registrable, registrable), network = coalesce(excluded.network, network) "
        "RETURNING id");
    upsert.bind(1, indicator.type).bind(2, indicator.value).bind(3, now);
    upsert.bind_or_null(4, indicator.registrable).bind_or_null(5, indicator.network);
    auto row = upsert.step();
    if (!row) return row.error();
    int64_t indicator_id = upsert.integer(0);
    TRY(upsert.run());
    TRY_PREPARE(
        link, db,
        "INSERT INTO report_indicators(report_id, indicator_id, source) VALUES (?1, ?2, ?3) "
        "ON CONFLICT DO NOTHING");
    link.bind(1, report_id).bind(2, indicator_id).bind(3, indicator.source);
    TRY(link.run());
  }
  // No new indicator generation: what only reports name is not matched or
  // looked up, so the matcher need not be rebuilt for every report filed.
  return {};
}

Status insert_attachments(Connection& db, int64_t report_id, std::optional<int64_t> addition_id,
                          const std::vector<Attachment>& attachments) {
  for (const auto& a : attachments) {
    TRY_PREPARE(
        insert, db,
        "INSERT INTO attachments(report_id, addition_id, sha256, filename, media_type, size, "
        "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    insert.bind(1, report_id).bind_optional(2, addition_id).bind(3, a.sha256).bind(4, a.filename);
    insert.bind(5, a.media_type).bind(6, a.size).bind(7, a.created_at);
    TRY(insert.run());
  }
  return {};
}


}  // namespace

Result<int64_t> report_id_of(Connection& db, const std::string& tracking_code) {
  auto stmt = db.prepare("SELECT id FROM reports WHERE tracking_code = ?1");
  if (!stmt) return stmt.error();
  stmt->bind(1, tracking_code);
  auto row = stmt->step();
  if (!row) return row.error();
  if (!*row) return Error::not_found("no report with this tracking code");
  return stmt->integer(0);
}

std::string search_phrase(std::string_view text) {
  std::string out = "\"";
  for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

Result<int64_t> note_report(Connection& db, int64_t report_id, const std::string& text,
                            std::optional<ReportStatus> new_status, std::optional<int64_t> author_id,
                            const std::string& now) {
  int64_t id = 0;
  if (!text.empty()) {
    TRY_PREPARE(insert, db,
                "INSERT INTO public_notes(report_id, text, author_id, created_at) VALUES (?1, ?2, ?3, ?4)");
    insert.bind(1, report_id).bind(2, text).bind_optional(3, author_id).bind(4, now);
    TRY(insert.run());
    id = db.last_insert_id();
  }
  TRY_PREPARE(update, db, "UPDATE reports SET updated_at = ?2, status = coalesce(?3, status) WHERE id = ?1");
  update.bind(1, report_id).bind(2, now);
  if (new_status) update.bind(3, to_string(*new_status));
  else update.bind(3, std::nullopt);
  TRY(update.run());
  return id;
}

void SqliteStore::create_report(NewReport report, std::optional<AuditEvent> audit,
                                Callback<int64_t> done) {
  submit_value<int64_t>(
      [report = std::move(report)](Connection& db) -> Result<int64_t> {
        const auto& in = report.input;
        TRY_PREPARE(
            insert, db,
            "INSERT INTO reports(tracking_code, secret_hash, category, description, occurred_at, "
            "involved, language, channel, status, consent, operator_id, created_at, updated_at) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'received', ?9, ?10, ?11, ?11)");
        insert.bind(1, report.tracking_code).bind(2, report.secret_hash).bind(3, in.category);
        insert.bind(4, in.description);
        if (in.occurred_at.empty())
          insert.bind(5, std::nullopt);
        else
          insert.bind(5, in.occurred_at);
        insert.bind(6, in.involved).bind(7, in.language).bind(8, to_string(in.channel));
        insert.bind(9, static_cast<int64_t>(in.consent)).bind_optional(10, report.operator_id);
        insert.bind(11, report.created_at);
        TRY(insert.run());
        int64_t id = db.last_insert_id();
        TRY_PREPARE(contact, db,
                    "INSERT INTO reporter_contacts(report_id, anonymous, name, email, phone) "
                    "VALUES (?1, ?2, ?3, ?4, ?5)");
        contact.bind(1, id).bind(2, static_cast<int64_t>(in.anonymous)).bind(3, in.contact.name);
        contact.bind(4, in.contact.email).bind(5, in.contact.phone);
        TRY(contact.run());
        TRY(insert_attachments(db, id, std::nullopt, report.attachments));
        TRY(link_indicators(db, id, report.indicators, report.created_at));
        TRY(queue_search(db, "report", id));
        return id;
      },
      std::move(done), std::move(audit));
}

void SqliteStore::add_addition(std::string tracking_code, Addition addition,
                               std::vector<Indicator> indicators, Callback<int64_t> done) {
  submit_value<int64_t>(
      [code = std::move(tracking_code), addition = std::move(addition),
       indicators = std::move(indicators)](Connection& db) -> Result<int64_t> {
        auto report_id = report_id_of(db, code);
        if (!report_id) return report_id.error();
        TRY_PREPARE(
            insert, db,
            "INSERT INTO report_additions(report_id, text, created_at) VALUES (?1, ?2, ?3)");
        insert.bind(1, *report_id).bind(2, addition.text).bind(3, addition.created_at);
        TRY(insert.run());
        int64_t id = db.last_insert_id();
        TRY(insert_attachments(db, *report_id, id, addition.attachments));
        TRY(link_indicators(db, *report_id, indicators, addition.created_at));
        TRY(queue_search(db, "report", *report_id));
        TRY_PREPARE(touch, db, "UPDATE reports SET updated_at = ?2 WHERE id = ?1");
        touch.bind(1, *report_id).bind(2, addition.created_at);
        TRY(touch.run());
        return id;
      },
      std::move(done));
}

void SqliteStore::add_public_note(std::string tracking_code, std::string text,
                                  std::optional<ReportStatus> new_status, int64_t author_id,
                                  AuditEvent audit, Callback<int64_t> done) {
  submit_value<int64_t>(
      [code = std::move(tracking_code), text = std::move(text), new_status,
       author_id](Connection& db) -> Result<int64_t> {
        auto report_id = report_id_of(db, code);
        if (!report_id) return report_id.error();
        return note_report(db, *report_id, text, new_status, author_id, now_rfc3339());
      },
      std::move(done), std::move(audit));
}

Result<Report> SqliteStore::find_report(const std::string& tracking_code) {
  auto lease = readers_.lease();
  Connection& db = *lease;
  ReadTransaction snapshot(db);
  Report r;
  {
    TRY_PREPARE(
        q, db,
        "SELECT r.id, r.tracking_code, r.secret_hash, r.category, r.description, "
        "coalesce(r.occurred_at, ''), r.involved, r.language, r.channel, r.status, r.consent, "
        "r.operator_id, coalesce(u.username, ''), r.created_at, r.updated_at, c.anonymous, "
        "coalesce(c.name, ''), coalesce(c.email, ''), coalesce(c.phone, '') "
        "FROM reports r LEFT JOIN reporter_contacts c ON c.report_id = r.id "
        "LEFT JOIN users u ON u.id = r.operator_id WHERE r.tracking_code = ?1");
    q.bind(1, tracking_code);
    auto row = q.step();
    if (!row) return row.error();
    if (!*row) return Error::not_found("no report with this tracking code");
    r.id = q.integer(0);
    r.tracking_code = q.text(1);
    r.secret_hash = q.text(2);
    r.input.category = q.text(3);
    r.input.description = q.text(4);
    r.input.occurred_at = q.text(5);
    r.input.involved = q.text(6);
    r.input.language = q.text(7);
    r.input.channel = parse_channel(q.text(8)).value_or(Channel::web);
    r.status = parse_report_status(q.text(9)).value_or(ReportStatus::received);
    r.input.consent = q.integer(10) != 0;
    if (!q.is_null(11)) r.operator_id = q.integer(11);
    r.operator_name = q.text(12);
    r.created_at = q.text(13);
    r.updated_at = q.text(14);
    r.input.anonymous = q.is_null(15) || q.integer(15) != 0;
    r.input.contact = {q.text(16), q.text(17), q.text(18)};
  }
  std::vector<std::pair<int64_t, Attachment>> attachments;
  {
    TRY_PREPARE(
        q, db,
        "SELECT id, sha256, filename, media_type, size, created_at, coalesce(addition_id, 0) "
        "FROM attachments WHERE report_id = ?1 ORDER BY id");
    q.bind(1, r.id);
    TRY(q.for_each_row(
        [&](Statement& q) { attachments.emplace_back(q.integer(6), read_attachment(q, 0)); }));
  }
  for (auto& [addition_id, a] : attachments)
    if (addition_id == 0) r.attachments.push_back(a);
  {
    TRY_PREPARE(
        q, db,
        "SELECT id, text, created_at FROM report_additions WHERE report_id = ?1 ORDER BY id");
    q.bind(1, r.id);
    TRY(q.for_each_row([&](Statement& q) {
      Addition a{q.integer(0), q.text(1), q.text(2), {}};
      for (auto& [addition_id, att] : attachments)
        if (addition_id == a.id) a.attachments.push_back(att);
      r.additions.push_back(std::move(a));
    }));
  }
  {
    TRY_PREPARE(q, db,
                "SELECT i.type, i.value, ri.source FROM report_indicators ri "
                "JOIN indicators i ON i.id = ri.indicator_id WHERE ri.report_id = ?1 ORDER BY "
                "ri.indicator_id");
    q.bind(1, r.id);
    TRY(q.for_each_row([&](Statement& q) {
      r.indicators.push_back({q.text(0), q.text(1), q.text(2)});
    }));
  }
  {
    TRY_PREPARE(q, db,
                "SELECT id, text, created_at FROM public_notes WHERE report_id = ?1 ORDER BY id");
    q.bind(1, r.id);
    TRY(q.for_each_row([&](Statement& q) {
      r.notes.push_back({q.integer(0), q.text(1), q.text(2)});
    }));
  }
  return r;
}

Result<std::vector<std::string>> SqliteStore::find_related_reports(int64_t report_id, int limit) {
  auto lease = readers_.lease();
  TRY_PREPARE(q, *lease,
              "SELECT DISTINCT other.tracking_code, other.created_at FROM report_indicators mine "
              "JOIN indicators i ON i.id = mine.indicator_id AND i.type IN ('url', 'domain') "
              "JOIN report_indicators theirs ON theirs.indicator_id = mine.indicator_id "
              "AND theirs.report_id <> mine.report_id "
              "JOIN reports other ON other.id = theirs.report_id "
              "WHERE mine.report_id = ?1 ORDER BY other.created_at DESC LIMIT ?2");
  q.bind(1, report_id).bind(2, static_cast<int64_t>(limit));
  std::vector<std::string> codes;
  TRY(q.for_each_row([&](Statement& q) { codes.push_back(q.text(0)); }));
  return codes;
}

Result<std::vector<ReportSummary>> SqliteStore::list_reports(const ReportFilter& f) {
  auto lease = readers_.lease();
  Connection& db = *lease;
  // Optional filters: a NULL parameter switches its filter off. A search is
  // driven from the text index, newest match first, so that it stops after
  // one page instead of testing every report.
  static const std::string columns =
      "SELECT r.tracking_code, r.category, r.channel, r.status, r.created_at, substr(r.description, 1, 160), "
      "(SELECT count(*) FROM attachments a WHERE a.report_id = r.id) ";
  static const std::string filters =
      "(?1 IS NULL OR r.channel = ?1) AND (?2 IS NULL OR r.category = ?2 OR r.category LIKE ?2 || ':%') "
      "AND (?3 IS NULL OR r.created_at >= ?3) AND (?4 IS NULL OR r.created_at < ?4) AND (?7 IS NULL OR r.status = ?7) ";
  static const std::string browse = columns + "FROM reports r WHERE " + filters +
                                    "AND ?8 IS NULL ORDER BY r.created_at DESC, r.id DESC LIMIT ?5 OFFSET ?6";
  static const std::string search = columns + "FROM report_search s JOIN reports r ON r.id = s.rowid "
                                    "WHERE report_search MATCH ?8 AND " + filters +
                                    "ORDER BY s.rowid DESC LIMIT ?5 OFFSET ?6";
  TRY_PREPARE(q, db, f.text.empty() ? browse.c_str() : search.c_str());
  q.bind_or_null(1, f.channel ? to_string(*f.channel) : "").bind_or_null(2, f.category);
  q.bind_or_null(3, f.from).bind_or_null(4, f.to);
  q.bind(5, static_cast<int64_t>(f.limit)).bind(6, static_cast<int64_t>(f.offset));
  q.bind_or_null(7, f.status ? to_string(*f.status) : "").bind_or_null(8, f.text.empty() ? "" : search_phrase(f.text));
  std::vector<ReportSummary> out;
  TRY(q.for_each_row([&](Statement& q) {
    ReportSummary s;
    s.tracking_code = q.text(0);
    s.category = q.text(1);
    s.channel = parse_channel(q.text(2)).value_or(Channel::web);
    s.status = parse_report_status(q.text(3)).value_or(ReportStatus::received);
    s.created_at = q.text(4);
    s.description_excerpt = q.text(5);
    s.attachment_count = static_cast<int>(q.integer(6));
    out.push_back(std::move(s));
  }));
  return out;
}

Result<Attachment> SqliteStore::find_attachment(int64_t id) {
  auto lease = readers_.lease();
  TRY_PREPARE(
      q, *lease,
      "SELECT id, sha256, filename, media_type, size, created_at FROM attachments WHERE id = ?1");
  q.bind(1, id);
  auto row = q.step();
  if (!row) return row.error();
  if (!*row) return Error::not_found("no attachment with this id");
  return read_attachment(q, 0);
}

}  // namespace jaga::sqlite
