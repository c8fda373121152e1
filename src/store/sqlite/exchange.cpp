// The SQLite backend: partner exchange. Collections, partners with their
// agreements and rights, the STIX objects each collection holds (every
// version, paged by the time each was added), write statuses, conflicts and
// the cross-border transfer log.
#include <algorithm>

#include <boost/json.hpp>

#include "store/sqlite/sqlite_store.h"
#include "util/crypto.h"
#include "util/text.h"
#include "util/time.h"

namespace jaga::sqlite {

namespace json = boost::json;

namespace {

int64_t rank(Tlp tlp) { return static_cast<int64_t>(tlp); }
Tlp tlp_of(int64_t rank) { return static_cast<Tlp>(rank < 0 ? 0 : rank > 4 ? 4 : rank); }

// "2026-12-02T08:00:00.123456Z" in microseconds since the epoch.
int64_t micros_of(const std::string& date_added) {
  if (date_added.size() != 27) return 0;
  auto seconds = parse_rfc3339(date_added.substr(0, 19) + "Z");
  if (!seconds) return 0;
  return unix_seconds(*seconds) * 1000000 + std::stoll(date_added.substr(20, 6));
}

Collection read_collection(Statement& q) {
  return Collection{q.integer(0), q.text(1), q.text(2), q.text(3), q.text(4), tlp_of(q.integer(5)), q.text(6)};
}

Result<Collection> collection_by(Connection& db, const std::string& id_or_alias) {
  TRY_PREPARE(q, db, "SELECT id, taxii_id, alias, title, description, max_tlp, created_at FROM collections "
                     "WHERE taxii_id = ?1 OR alias = ?1");
  q.bind(1, id_or_alias);
  auto row = q.step();
  if (!row) return row.error();
  if (!*row) return Error::not_found("There is no collection " + id_or_alias + ".");
  return read_collection(q);
}

Result<Collection> upsert_collection(Connection& db, const Collection& c) {
  TRY_PREPARE(q, db,
              "INSERT INTO collections(taxii_id, alias, title, description, max_tlp, created_at) "
              "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(alias) DO UPDATE SET title = excluded.title, "
              "description = excluded.description, max_tlp = excluded.max_tlp");
  q.bind(1, c.taxii_id.empty() ? random_uuid() : c.taxii_id)
      .bind(2, c.alias)
      .bind(3, c.title.empty() ? c.alias : c.title)
      .bind(4, c.description)
      .bind(5, rank(c.max_tlp))
      .bind(6, now_rfc3339());
  TRY(q.run());
  return collection_by(db, c.alias);
}

Partner read_partner(Statement& q) {
  Partner p;
  p.id = q.integer(0);
  p.name = q.text(1);
  p.title = q.text(2);
  p.password_hash = q.text(3);
  p.agreement.max_tlp = tlp_of(q.integer(4));
  p.agreement.personal_data = q.integer(5) != 0;
  p.agreement.four_eyes = q.integer(6) != 0;
  p.agreement.reference = q.text(7);
  p.disabled = q.integer(8) != 0;
  p.created_at = q.text(9);
  p.updated_at = q.text(10);
  return p;
}

Status read_rights(Connection& db, Partner& p) {
  TRY_PREPARE(q, db,
              "SELECT c.alias, pc.can_read, pc.can_write FROM partner_collections pc JOIN collections c ON "
              "c.id = pc.collection_id WHERE pc.partner_id = ?1 ORDER BY c.alias");
  q.bind(1, p.id);
  return q.for_each_row([&](Statement& r) {
    p.collections.push_back({r.text(0), r.integer(1) != 0, r.integer(2) != 0});
  });
}

std::optional<std::string> json_list(const std::vector<std::string>& values) {
  if (values.empty()) return std::nullopt;
  json::array a;
  for (const auto& v : values) a.emplace_back(v);
  return json::serialize(a);
}

std::string_view version_match_text(VersionMatch m) {
  switch (m) {
    case VersionMatch::last: return "last";
    case VersionMatch::first: return "first";
    case VersionMatch::all: return "all";
    case VersionMatch::listed: return "listed";
  }
  return "last";
}

// The conditions of an object query; ?1 collection, ?2 added after, ?3 the
// highest label, ?4 ids, ?5 types, ?6 spec versions (JSON lists or NULL),
// ?7 the version match, ?8 listed versions.
#define OBJECT_CONDITIONS                                                                                          \
  "collection_id = ?1 AND date_added > ?2 AND tlp <= ?3 "                                                          \
  "AND (?4 IS NULL OR stix_id IN (SELECT value FROM json_each(?4))) "                                              \
  "AND (?5 IS NULL OR type IN (SELECT value FROM json_each(?5))) "                                                 \
  "AND (?6 IS NULL OR spec_version IN (SELECT value FROM json_each(?6))) "                                         \
  "AND CASE ?7 WHEN 'all' THEN 1 "                                                                                 \
  "WHEN 'listed' THEN version IN (SELECT value FROM json_each(?8)) "                                               \
  "ELSE version = (SELECT CASE ?7 WHEN 'first' THEN min(x.version) ELSE max(x.version) END FROM shared_objects x " \
  "WHERE x.collection_id = o.collection_id AND x.stix_id = o.stix_id AND x.tlp <= ?3 "                             \
  "AND (?6 IS NULL OR x.spec_version IN (SELECT value FROM json_each(?6)))) END "

void bind_conditions(Statement& q, const ObjectQuery& query) {
  q.bind(1, query.collection_id).bind(2, query.added_after).bind(3, rank(query.max_tlp));
  auto ids = json_list(query.ids), types = json_list(query.types), specs = json_list(query.spec_versions);
  auto versions = json_list(query.versions);
  if (ids) q.bind(4, *ids); else q.bind(4, std::nullopt);
  if (types) q.bind(5, *types); else q.bind(5, std::nullopt);
  if (specs) q.bind(6, *specs); else q.bind(6, std::nullopt);
  q.bind(7, version_match_text(query.version_match));
  q.bind(8, versions.value_or("[]"));
}

std::vector<WriteOutcome> outcomes_of(const std::string& text) {
  std::vector<WriteOutcome> out;
  json::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_array()) return out;
  for (const auto& e : v.get_array()) {
    if (!e.is_object()) continue;
    const auto& o = e.get_object();
    auto text_at = [&](const char* k) {
      auto* x = o.if_contains(k);
      return x && x->is_string() ? std::string(x->get_string()) : std::string();
    };
    out.push_back({text_at("id"), text_at("version"), text_at("message")});
  }
  return out;
}

Status insert_transfer(Connection& db, const Transfer& t) {
  std::string objects = "[";
  objects.reserve(t.objects.size() * 80 + 2);
  for (const auto& [id, version] : t.objects) {
    if (objects.size() > 1) objects += ',';
    objects += '[';
    append_json_string(objects, id);
    objects += ',';
    append_json_string(objects, version);
    objects += ']';
  }
  objects += ']';
  TRY_PREPARE(q, db,
              "INSERT INTO transfers(at, direction, partner, collection, channel, agreement, object_count, objects) "
              "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
  q.bind(1, t.at.empty() ? now_rfc3339() : t.at)
      .bind(2, t.direction)
      .bind(3, t.partner)
      .bind(4, t.collection)
      .bind(5, t.channel)
      .bind(6, t.agreement.empty() ? "{}" : t.agreement)
      .bind(7, static_cast<int64_t>(t.objects.size()))
      .bind(8, objects);
  return q.run();
}

// A partner's sighting of an object shared from an incident goes on that
// incident's timeline.
Status join_sightings(Connection& db, const WriteStatus& status, const std::vector<SharedObjectInput>& objects,
                      const WriteOrigin& origin) {
  if (origin.partner.empty()) return {};
  for (const auto& object : objects) {
    if (object.type != "sighting") continue;
    bool written = false;
    for (const auto& s : status.successes) written = written || s.stix_id == object.stix_id;
    if (!written) continue;
    TRY_PREPARE(q, db,
                "SELECT i.id, i.reference, json_extract(?1, '$.sighting_of_ref'), coalesce(json_extract(?1, '$.count'), 1), "
                "coalesce(json_extract(?1, '$.last_seen'), '') FROM shared_from_incidents f "
                "JOIN incidents i ON i.reference = f.incident_reference WHERE f.stix_id = json_extract(?1, '$.sighting_of_ref')");
    q.bind(1, object.json);
    std::vector<std::pair<int64_t, std::string>> events;
    TRY(q.for_each_row([&](Statement& r) {
      events.emplace_back(r.integer(0), json::serialize(json::object{{"partner", origin.partner},
                                                                    {"sighting", object.stix_id},
                                                                    {"sighting_of", r.text(2)},
                                                                    {"count", r.integer(3)},
                                                                    {"last_seen", r.text(4)}}));
    }));
    for (const auto& [incident, details] : events)
      TRY(add_event(db, incident, now_rfc3339(), std::nullopt, "partner_sighting", false,
                    origin.partner + " sighted a shared indicator", details));
  }
  return {};
}

}  // namespace

void SqliteStore::save_collection(Collection collection, std::optional<AuditEvent> audit, Callback<Collection> done) {
  submit_value<Collection>(
      [collection = std::move(collection)](Connection& db) { return upsert_collection(db, collection); },
      std::move(done), std::move(audit));
}

Result<std::vector<Collection>> SqliteStore::list_collections() {
  auto lease = readers_.lease();
  TRY_PREPARE(q, *lease, "SELECT id, taxii_id, alias, title, description, max_tlp, created_at FROM collections ORDER BY alias");
  std::vector<Collection> out;
  TRY(q.for_each_row([&](Statement& r) { out.push_back(read_collection(r)); }));
  return out;
}

Result<Collection> SqliteStore::find_collection(const std::string& id_or_alias) {
  auto lease = readers_.lease();
  return collection_by(*lease, id_or_alias);
}

void SqliteStore::save_partner(Partner partner, AuditEvent audit, Callback<int64_t> done) {
  submit_value<int64_t>(
      [partner = std::move(partner)](Connection& db) -> Result<int64_t> {
        std::string now = now_rfc3339();
        int64_t id = partner.id;
        const auto& a = partner.agreement;
        if (id == 0) {
          TRY_PREPARE(insert, db,
                      "INSERT INTO partners(name, title, password_hash, max_tlp, personal_data, four_eyes, "
                      "agreement_ref, disabled, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)");
          insert.bind(1, partner.name).bind(2, partner.title).bind(3, partner.password_hash).bind(4, rank(a.max_tlp));
          insert.bind(5, int64_t{a.personal_data}).bind(6, int64_t{a.four_eyes}).bind(7, a.reference);
          insert.bind(8, int64_t{partner.disabled}).bind(9, now);
          if (auto st = insert.run(); !st) {
            if (st.error().kind == ErrorKind::conflict) return Error::conflict("A partner named " + partner.name + " exists.");
            return st.error();
          }
          id = db.last_insert_id();
        } else {
          // An empty password hash keeps the one stored.
          TRY_PREPARE(update, db,
                      "UPDATE partners SET title = ?2, password_hash = CASE WHEN ?3 = '' THEN password_hash ELSE ?3 END, "
                      "max_tlp = ?4, personal_data = ?5, four_eyes = ?6, agreement_ref = ?7, disabled = ?8, "
                      "updated_at = ?9 WHERE id = ?1");
          update.bind(1, id).bind(2, partner.title).bind(3, partner.password_hash).bind(4, rank(a.max_tlp));
          update.bind(5, int64_t{a.personal_data}).bind(6, int64_t{a.four_eyes}).bind(7, a.reference);
          update.bind(8, int64_t{partner.disabled}).bind(9, now);
          TRY(update.run());
          if (db.changes() == 0) return Error::not_found("There is no such partner.");
          TRY_PREPARE(clear, db, "DELETE FROM partner_collections WHERE partner_id = ?1");
          clear.bind(1, id);
          TRY(clear.run());
        }
        for (const auto& right : partner.collections) {
          auto collection = collection_by(db, right.collection);
          if (!collection && collection.error().kind == ErrorKind::not_found)
            collection = upsert_collection(db, Collection{0, "", right.collection, right.collection, "", a.max_tlp, ""});
          if (!collection) return collection.error();
          TRY_PREPARE(grant, db,
                      "INSERT INTO partner_collections(partner_id, collection_id, can_read, can_write) VALUES (?1, ?2, ?3, ?4) "
                      "ON CONFLICT DO UPDATE SET can_read = max(can_read, excluded.can_read), "
                      "can_write = max(can_write, excluded.can_write)");
          grant.bind(1, id).bind(2, collection->id).bind(3, int64_t{right.read}).bind(4, int64_t{right.write});
          TRY(grant.run());
        }
        return id;
      },
      std::move(done), std::move(audit));
}

Result<Partner> SqliteStore::find_partner(const std::string& name) {
  auto lease = readers_.lease();
  ReadTransaction snapshot(*lease);
  TRY_PREPARE(q, *lease,
              "SELECT id, name, title, password_hash, max_tlp, personal_data, four_eyes, agreement_ref, disabled, "
              "created_at, updated_at FROM partners WHERE name = ?1");
  q.bind(1, name);
  auto row = q.step();
  if (!row) return row.error();
  if (!*row) return Error::not_found("There is no partner " + name + ".");
  auto partner = read_partner(q);
  TRY(read_rights(*lease, partner));
  return partner;
}

Result<std::vector<Partner>> SqliteStore::list_partners() {
  auto lease = readers_.lease();
  ReadTransaction snapshot(*lease);
  std::vector<Partner> out;
  {
    TRY_PREPARE(q, *lease,
                "SELECT id, name, title, password_hash, max_tlp, personal_data, four_eyes, agreement_ref, disabled, "
                "created_at, updated_at FROM partners ORDER BY name");
    TRY(q.for_each_row([&](Statement& r) { out.push_back(read_partner(r)); }));
  }
  for (auto& p : out) TRY(read_rights(*lease, p));
  return out;
}

// One write of shared objects: what it is, into which collection, and the
// status it is building.
struct SqliteStore::ObjectWrite {
  const Collection& collection;
  const std::vector<SharedObjectInput>& objects;
  const WriteOrigin& origin;
  std::optional<Transfer>& transfer;
  WriteStatus status;
  std::string from;
};

SqliteStore::ObjectWrite SqliteStore::begin_object_write(const Collection& collection,
                                                         const std::vector<SharedObjectInput>& objects,
                                                         const WriteOrigin& origin, std::optional<Transfer>& transfer) {
  ObjectWrite write{collection, objects, origin, transfer, {}, origin.partner.empty() ? "local" : origin.partner};
  write.status.id = origin.status_id.empty() ? random_uuid() : origin.status_id;
  write.status.collection = collection.alias;
  write.status.request_timestamp = format_rfc3339_micros(unix_micros());
  write.status.successes.reserve(objects.size());
  return write;
}

Status SqliteStore::insert_shared_object(Connection& db, ObjectWrite& write, const SharedObjectInput& object) {
  objects_written_ = true;
  const Collection& collection = write.collection;
  WriteStatus& status = write.status;
  if (last_added_micros_ == 0) {
    // Rows are added in date_added order, so the last row has the latest.
    TRY_PREPARE(last, db, "SELECT date_added FROM shared_objects ORDER BY seq DESC LIMIT 1");
    auto row = last.step();
    if (!row) return row.error();
    last_added_micros_ = *row ? micros_of(last.text(0)) : 1;
  }
  // Unique and increasing, whatever the clock does.
  last_added_micros_ = std::max(last_added_micros_ + 1, unix_micros());
  std::string date_added = format_rfc3339_micros(last_added_micros_);
  // The row as `sql` inserts it, with `row_version` as its version; true when it was added.
  auto insert_row = [&](const char* sql, const std::string& row_version) -> Result<bool> {
    TRY_PREPARE(insert, db, sql);
    insert.bind(1, collection.id).bind_unowned(2, object.stix_id).bind_unowned(3, object.type);
    insert.bind_unowned(4, object.spec_version).bind_unowned(5, row_version).bind_unowned(6, date_added);
    insert.bind(7, rank(label_on_arrival(object.tlp, collection))).bind_unowned(8, object.json);
    insert.bind_unowned_or_null(9, object.full_json).bind_unowned(10, write.from);
    TRY(insert.run());
    return db.changes() > 0;
  };
#define JAGA_INSERT_SHARED_OBJECT                                                                      \
  "INSERT INTO shared_objects(collection_id, stix_id, type, spec_version, version, date_added, tlp, " \
  "json, full_json, origin) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
  std::string version = object.version;
  if (!version.empty()) {
    // Most objects are new: try the insert, and look at what is held only when it is refused.
    auto added = insert_row(JAGA_INSERT_SHARED_OBJECT " ON CONFLICT(collection_id, stix_id, version) DO NOTHING", version);
    if (!added) return added.error();
    if (*added) {
      status.successes.push_back({object.stix_id, version, ""});
      return {};
    }
  }
  std::optional<std::string> held;
  {
    // An object without times is the same object when its text is.
    TRY_PREPARE(find, db,
                "SELECT json, version FROM shared_objects WHERE collection_id = ?1 AND stix_id = ?2 AND "
                "(version = ?3 OR (?3 = '' AND json = ?4)) LIMIT 1");
    find.bind(1, collection.id).bind(2, object.stix_id).bind(3, version).bind(4, object.json);
    auto row = find.step();
    if (!row) return row.error();
    if (*row) {
      held = find.text(0);
      version = find.text(1);
    }
  }
  if (held) {
    if (*held == object.json) {
      status.successes.push_back({object.stix_id, version, ""});
    } else {
      TRY_PREPARE(conflict, db,
                  "INSERT INTO exchange_conflicts(at, collection_id, stix_id, version, origin, json) "
                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
      conflict.bind(1, date_added).bind(2, collection.id).bind(3, object.stix_id).bind(4, version);
      conflict.bind(5, write.from).bind(6, object.json);
      TRY(conflict.run());
      status.failures.push_back({object.stix_id, version,
                                 "A different object with this id and modified time is held; the held one "
                                 "stays and this one is recorded as a conflict."});
    }
    return {};
  }
  // Without times: the time added stands for its version.
  if (auto added = insert_row(JAGA_INSERT_SHARED_OBJECT, date_added); !added) return added.error();
#undef JAGA_INSERT_SHARED_OBJECT
  status.successes.push_back({object.stix_id, date_added, ""});
  return {};
}

Result<WriteStatus> SqliteStore::finish_object_write(Connection& db, ObjectWrite& write) {
  WriteStatus& status = write.status;
  TRY_PREPARE(save, db,
              "INSERT INTO taxii_statuses(id, collection, partner, request_timestamp, status, successes, "
              "failures, pendings) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, '[]')");
  save.bind(1, status.id).bind(2, write.collection.alias).bind(3, write.origin.partner);
  save.bind(4, status.request_timestamp).bind(5, status.status).bind(6, outcomes_json(status.successes));
  save.bind(7, outcomes_json(status.failures));
  TRY(save.run());
  TRY(join_sightings(db, status, write.objects, write.origin));
  if (write.transfer) {
    write.transfer->objects.reserve(write.transfer->objects.size() + status.successes.size());
    for (const auto& s : status.successes) write.transfer->objects.emplace_back(s.stix_id, s.version);
    TRY(insert_transfer(db, *write.transfer));
  }
  return std::move(status);
}

Result<WriteStatus> SqliteStore::write_shared_objects(Connection& db, const Collection& collection,
                                                      const std::vector<SharedObjectInput>& objects,
                                                      const WriteOrigin& origin, std::optional<Transfer>& transfer) {
  auto write = begin_object_write(collection, objects, origin, transfer);
  // In id order the (collection, id, version) index is written nearly in
  // sequence, each page once per write.
  std::vector<uint32_t> order(objects.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](uint32_t a, uint32_t b) { return objects[a].stix_id < objects[b].stix_id; });
  for (uint32_t index : order) TRY(insert_shared_object(db, write, objects[index]));
  return finish_object_write(db, write);
}

void SqliteStore::add_shared_objects(Collection collection, std::vector<SharedObjectInput> objects, WriteOrigin origin,
                                     std::optional<Transfer> transfer, Callback<WriteStatus> done) {
  // A few objects share a commit; an envelope's worth is a bulk write.
  Batching batching = objects.size() > 100 ? Batching::alone : Batching::shared;
  submit_value<WriteStatus>(
      [this, collection = std::move(collection), objects = std::move(objects), origin = std::move(origin),
       transfer = std::move(transfer)](Connection& db) mutable -> Result<WriteStatus> {
        return write_shared_objects(db, collection, objects, origin, transfer);
      },
      std::move(done), std::nullopt, batching);
}

void SqliteStore::receive_shared_objects(std::shared_ptr<std::vector<ReceivedObjects>> shared_writes,
                                         Callback<std::vector<WriteStatus>> done) {
  submit_value<std::vector<WriteStatus>>(
      [this, shared_writes = std::move(shared_writes)](Connection& db) mutable -> Result<std::vector<WriteStatus>> {
        auto& writes = *shared_writes;
        // Every write's objects in one (collection, id) order: the index of
        // versions is swept once per commit, not once per write (with twenty
        // envelopes in a commit, twenty sweeps of an index larger than the
        // page cache).
        std::vector<ObjectWrite> begun;
        begun.reserve(writes.size());
        // The keys side by side, not behind the writes: the sort reads them
        // from one array. Ties keep arrival order.
        struct Place {
          int64_t collection_id;
          std::string_view stix_id;
          uint32_t write, object;
          auto key() const { return std::tie(collection_id, stix_id, write, object); }
        };
        std::vector<Place> order;
        size_t total = 0;
        for (const auto& write : writes) total += write.objects.size();
        order.reserve(total);
        for (uint32_t w = 0; w < writes.size(); ++w) {
          auto& write = writes[w];
          begun.push_back(begin_object_write(write.collection, write.objects, write.origin, write.transfer));
          for (uint32_t i = 0; i < write.objects.size(); ++i)
            order.push_back({write.collection.id, write.objects[i].stix_id, w, i});
        }
        std::sort(order.begin(), order.end(), [](const Place& a, const Place& b) { return a.key() < b.key(); });
        for (const auto& at : order) TRY(insert_shared_object(db, begun[at.write], writes[at.write].objects[at.object]));
        std::vector<WriteStatus> statuses;
        statuses.reserve(writes.size());
        for (auto& write : begun) {
          auto status = finish_object_write(db, write);
          if (!status) return status.error();
          statuses.push_back(std::move(*status));
        }
        for (const auto& write : writes) {
          if (!write.indicators_follow) continue;
          TRY_PREPARE(waiting, db, "INSERT OR IGNORE INTO taxii_indicators_waiting(status_id) VALUES (?1)");
          waiting.bind(1, write.origin.status_id);
          TRY(waiting.run());
        }
        std::vector<const IndicatorImport*> imports;
        for (const auto& write : writes)
          if (write.indicators) imports.push_back(&*write.indicators);
        TRY(write_indicator_imports(db, imports));
        return statuses;
      },
      std::move(done), std::nullopt, Batching::alone);
}

// One import per source, in key order across all the imports.
Status SqliteStore::write_indicator_imports(Connection& db, const std::vector<const IndicatorImport*>& imports) {
  struct SourceRuns {
    const IndicatorImport* first;
    std::vector<const std::vector<IndicatorInput>*> runs;
  };
  std::vector<SourceRuns> sources;
  for (const auto* import : imports) {
    auto same = std::find_if(sources.begin(), sources.end(), [&](const SourceRuns& s) {
      return s.first->source_kind == import->source_kind && s.first->source_name == import->source_name;
    });
    if (same == sources.end()) sources.push_back({import, {&import->indicators}});
    else same->runs.push_back(&import->indicators);
  }
  for (const auto& source : sources)
    TRY(write_indicator_import(db, source.first->source_kind, source.first->source_name, source.runs, {}));
  return {};
}

void SqliteStore::receive_following_indicators(std::shared_ptr<std::vector<IndicatorImport>> shared_imports,
                                               std::vector<std::string> status_ids, Callback<int64_t> done) {
  submit_value<int64_t>(
      [this, shared_imports = std::move(shared_imports),
       status_ids = std::move(status_ids)](Connection& db) -> Result<int64_t> {
        std::vector<const IndicatorImport*> imports;
        for (const auto& import : *shared_imports) imports.push_back(&import);
        TRY(write_indicator_imports(db, imports));
        int64_t waited = 0;
        for (const auto& id : status_ids) {
          TRY_PREPARE(done_waiting, db, "DELETE FROM taxii_indicators_waiting WHERE status_id = ?1");
          done_waiting.bind(1, id);
          TRY(done_waiting.run());
          waited += db.changes();
        }
        return waited;
      },
      std::move(done), std::nullopt, Batching::alone);
}

Result<std::vector<std::string>> SqliteStore::list_waiting_indicators() {
  auto lease = readers_.lease();
  TRY_PREPARE(q, *lease, "SELECT status_id FROM taxii_indicators_waiting ORDER BY status_id");
  std::vector<std::string> ids;
  TRY(q.for_each_row([&](Statement& q) { ids.push_back(q.text(0)); }));
  return ids;
}

Result<ObjectPage> SqliteStore::list_shared_objects(const ObjectQuery& query) {
  auto lease = object_readers_.lease();
  auto db = (*lease).current(objects_generation_);
  if (!db) return db.error();
  TRY_PREPARE(q, **db,
              "SELECT stix_id, type, spec_version, version, date_added, tlp, full_json IS NOT NULL, "
              "CASE WHEN ?10 = 0 THEN '' WHEN ?9 = 1 AND full_json IS NOT NULL THEN full_json ELSE json END, origin "
              "FROM shared_objects o WHERE " OBJECT_CONDITIONS "ORDER BY date_added LIMIT ?11");
  bind_conditions(q, query);
  q.bind(9, int64_t{query.personal_data}).bind(10, int64_t{query.with_json});
  q.bind(11, static_cast<int64_t>(query.limit + 1));
  ObjectPage page;
  TRY(q.for_each_row([&](Statement& r) {
    SharedObject o;
    o.collection_id = query.collection_id;
    o.stix_id = r.text(0);
    o.type = r.text(1);
    o.spec_version = r.text(2);
    o.version = r.text(3);
    o.date_added = r.text(4);
    o.tlp = tlp_of(r.integer(5));
    o.personal_data = r.integer(6) != 0;
    o.json = r.text(7);
    o.origin = r.text(8);
    page.objects.push_back(std::move(o));
  }));
  if (page.objects.size() > query.limit) {
    page.objects.pop_back();
    page.more = true;
  }
  return page;
}

void SqliteStore::delete_shared_object(ObjectQuery query, std::string stix_id, AuditEvent audit, Callback<int> done) {
  submit_value<int>(
      [this, query = std::move(query), stix_id = std::move(stix_id)](Connection& db) -> Result<int> {
        objects_written_ = true;
        ObjectQuery one = query;
        one.ids = {stix_id};
        TRY_PREPARE(q, db,
                    "DELETE FROM shared_objects WHERE seq IN (SELECT seq FROM shared_objects o WHERE " OBJECT_CONDITIONS
                    ")");
        bind_conditions(q, one);
        TRY(q.run());
        return db.changes();
      },
      std::move(done), std::move(audit));
}

Result<WriteStatus> SqliteStore::find_write_status(const std::string& id) {
  auto lease = readers_.lease();
  TRY_PREPARE(q, *lease,
              "SELECT id, collection, request_timestamp, status, successes, failures, pendings FROM taxii_statuses "
              "WHERE id = ?1");
  q.bind(1, id);
  auto row = q.step();
  if (!row) return row.error();
  if (!*row) return Error::not_found("There is no status " + id + ".");
  WriteStatus s;
  s.id = q.text(0);
  s.collection = q.text(1);
  s.request_timestamp = q.text(2);
  s.status = q.text(3);
  s.successes = outcomes_of(q.text(4));
  s.failures = outcomes_of(q.text(5));
  s.pendings = outcomes_of(q.text(6));
  return s;
}

void SqliteStore::log_transfer(Transfer transfer, Callback<int64_t> done) {
  submit_value<int64_t>(
      [transfer = std::move(transfer)](Connection& db) -> Result<int64_t> {
        TRY(insert_transfer(db, transfer));
        return db.last_insert_id();
      },
      std::move(done));
}

Result<std::vector<Transfer>> SqliteStore::list_transfers(const TransferFilter& f) {
  auto lease = readers_.lease();
  TRY_PREPARE(q, *lease,
              "SELECT id, at, direction, partner, collection, channel, agreement, objects FROM transfers "
              "WHERE (?1 IS NULL OR partner = ?1) AND (?2 IS NULL OR direction = ?2) "
              "AND (?3 IS NULL OR instr(objects, ?3) > 0) AND (?4 IS NULL OR at >= ?4) AND (?5 IS NULL OR at < ?5) "
              "AND (?6 = 0 OR id < ?6) ORDER BY id DESC LIMIT ?7");
  q.bind_or_null(1, f.partner).bind_or_null(2, f.direction);
  q.bind_or_null(3, f.object_id.empty() ? std::string() : "\"" + f.object_id + "\"");
  q.bind_or_null(4, f.since).bind_or_null(5, f.until).bind(6, f.before_id).bind(7, int64_t{f.limit});
  std::vector<Transfer> out;
  TRY(q.for_each_row([&](Statement& r) {
    Transfer t;
    t.id = r.integer(0);
    t.at = r.text(1);
    t.direction = r.text(2);
    t.partner = r.text(3);
    t.collection = r.text(4);
    t.channel = r.text(5);
    t.agreement = r.text(6);
    json::error_code ec;
    auto objects = json::parse(r.text(7), ec);
    if (!ec && objects.is_array())
      for (const auto& pair : objects.get_array())
        if (pair.is_array() && pair.get_array().size() == 2 && pair.get_array()[0].is_string() &&
            pair.get_array()[1].is_string())
          t.objects.emplace_back(std::string(pair.get_array()[0].get_string()),
                                 std::string(pair.get_array()[1].get_string()));
    out.push_back(std::move(t));
  }));
  return out;
}

}  // namespace jaga::sqlite

namespace jaga::sqlite {

namespace {

json::array objects_json(const std::vector<SharedObjectInput>& objects) {
  json::array out;
  for (const auto& o : objects) {
    json::object entry{{"stix_id", o.stix_id}, {"type", o.type}, {"spec_version", o.spec_version},
                       {"version", o.version}, {"json", o.json}};
    if (o.tlp) entry["tlp"] = rank(*o.tlp);
    if (!o.full_json.empty()) entry["full_json"] = o.full_json;
    out.push_back(std::move(entry));
  }
  return out;
}

std::vector<SharedObjectInput> objects_of(const std::string& text) {
  std::vector<SharedObjectInput> out;
  json::error_code ec;
  auto parsed = json::parse(text, ec);
  if (ec || !parsed.is_array()) return out;
  auto field = [](const json::object& o, const char* name) {
    auto* v = o.if_contains(name);
    return v && v->is_string() ? std::string(v->get_string()) : std::string();
  };
  for (const auto& v : parsed.get_array()) {
    if (!v.is_object()) continue;
    const auto& o = v.get_object();
    SharedObjectInput in{field(o, "stix_id"), field(o, "type"), field(o, "spec_version"), field(o, "version"),
                         std::nullopt, field(o, "json"), field(o, "full_json")};
    if (auto* t = o.if_contains("tlp"); t && t->is_int64()) in.tlp = tlp_of(t->get_int64());
    out.push_back(std::move(in));
  }
  return out;
}

#define SHARE_COLUMNS                                                                                     \
  "s.id, s.incident_reference, c.alias, s.tlp, s.summary, s.state, s.requested_by, s.requested_at, s.decided_by, " \
  "s.decided_at, s.reason, s.approvers_for "

Share read_share(Statement& q) {
  Share s;
  s.id = q.integer(0);
  s.incident = q.text(1);
  s.collection = q.text(2);
  s.tlp = tlp_of(q.integer(3));
  s.summary = q.text(4);
  s.state = q.text(5);
  s.requested_by = q.text(6);
  s.requested_at = q.text(7);
  s.decided_by = q.text(8);
  s.decided_at = q.text(9);
  s.reason = q.text(10);
  json::error_code ec;
  auto approvers = json::parse(q.text(11), ec);
  if (!ec && approvers.is_array())
    for (const auto& a : approvers.get_array())
      if (a.is_string()) s.approvers_for.emplace_back(a.get_string());
  return s;
}

Result<Share> share_by(Connection& db, int64_t id, bool with_objects) {
  TRY_PREPARE(q, db, "SELECT " SHARE_COLUMNS
                     ", s.objects FROM shares s JOIN collections c ON c.id = s.collection_id WHERE s.id = ?1");
  q.bind(1, id);
  auto row = q.step();
  if (!row) return row.error();
  if (!*row) return Error::not_found("There is no share " + std::to_string(id) + ".");
  auto share = read_share(q);
  if (with_objects) share.objects = objects_of(q.text(12));
  return share;
}

}  // namespace

void SqliteStore::create_share(Share share, bool publish, AuditEvent audit, Callback<Share> done) {
  submit_value<Share>(
      [this, share = std::move(share), publish](Connection& db) mutable -> Result<Share> {
        auto collection = collection_by(db, share.collection);
        if (!collection) return collection.error();
        TRY(incident_id_of(db, share.incident));
        share.requested_at = now_rfc3339();
        share.state = "pending";
        json::array approvers;
        for (const auto& a : share.approvers_for) approvers.emplace_back(a);
        TRY_PREPARE(insert, db,
                    "INSERT INTO shares(incident_reference, collection_id, tlp, summary, state, requested_by, "
                    "requested_at, approvers_for, objects) VALUES (?1, ?2, ?3, ?4, 'pending', ?5, ?6, ?7, ?8)");
        insert.bind(1, share.incident).bind(2, collection->id).bind(3, rank(share.tlp)).bind(4, share.summary);
        insert.bind(5, share.requested_by).bind(6, share.requested_at).bind(7, json::serialize(approvers));
        insert.bind(8, json::serialize(objects_json(share.objects)));
        TRY(insert.run());
        share.id = db.last_insert_id();
        if (!publish) return share;
        TRY(publish_share(db, *collection, share));
        return share;
      },
      std::move(done), std::move(audit));
}

Status SqliteStore::publish_share(Connection& db, const Collection& collection, Share& share) {
  std::optional<Transfer> no_transfer;  // written locally; partners' reads and pushes log what leaves
  auto written = write_shared_objects(db, collection, share.objects, WriteOrigin{}, no_transfer);
  if (!written) return written.error();
  if (!written->failures.empty())
    return Error::conflict("The collection holds a different " + written->failures.front().stix_id +
                           " of the same version; nothing was shared.");
  for (const auto& o : share.objects) {
    TRY_PREPARE(remember, db,
                "INSERT OR IGNORE INTO shared_from_incidents(stix_id, incident_reference) VALUES (?1, ?2)");
    remember.bind(1, o.stix_id).bind(2, share.incident);
    TRY(remember.run());
  }
  share.state = "published";
  TRY_PREPARE(update, db, "UPDATE shares SET state = 'published' WHERE id = ?1");
  update.bind(1, share.id);
  TRY(update.run());
  auto incident = incident_id_of(db, share.incident);
  if (!incident) return incident.error();
  return add_event(db, *incident, now_rfc3339(), std::nullopt, "shared", false,
                   share.summary + " shared to " + collection.alias + " at " + std::string(to_string(share.tlp)),
                   json::serialize(json::object{{"share", share.id}, {"collection", collection.alias}}));
}

void SqliteStore::decide_share(int64_t id, std::string decided_by, bool approve, std::string reason, AuditEvent audit,
                               Callback<Share> done) {
  submit_value<Share>(
      [this, id, decided_by = std::move(decided_by), approve, reason = std::move(reason)](Connection& db) -> Result<Share> {
        auto share = share_by(db, id, true);
        if (!share) return share.error();
        if (share->state != "pending")
          return Error::conflict("Share " + std::to_string(id) + " is already " + share->state + ".");
        if (share->requested_by == decided_by)
          return Error::forbidden("A share needs a second analyst: the one who asked for it cannot approve it.");
        share->decided_by = decided_by;
        share->decided_at = now_rfc3339();
        share->reason = reason;
        TRY_PREPARE(update, db, "UPDATE shares SET state = ?2, decided_by = ?3, decided_at = ?4, reason = ?5 WHERE id = ?1");
        update.bind(1, id).bind(2, approve ? "published" : "rejected").bind(3, decided_by).bind(4, share->decided_at);
        update.bind(5, reason);
        TRY(update.run());
        if (!approve) {
          share->state = "rejected";
          return share;
        }
        auto collection = collection_by(db, share->collection);
        if (!collection) return collection.error();
        TRY(publish_share(db, *collection, *share));
        return share;
      },
      std::move(done), std::move(audit));
}

Result<Share> SqliteStore::find_share(int64_t id) {
  auto lease = readers_.lease();
  return share_by(*lease, id, true);
}

Result<std::vector<Share>> SqliteStore::list_shares(const std::string& state, const std::string& incident) {
  auto lease = readers_.lease();
  TRY_PREPARE(q, *lease, "SELECT " SHARE_COLUMNS
                         " FROM shares s JOIN collections c ON c.id = s.collection_id WHERE (?1 IS NULL OR "
                             "s.state = ?1) AND (?2 IS NULL OR s.incident_reference = ?2) ORDER BY s.id DESC LIMIT 500");
  q.bind_or_null(1, state).bind_or_null(2, incident);
  std::vector<Share> out;
  TRY(q.for_each_row([&](Statement& r) { out.push_back(read_share(r)); }));
  return out;
}

void SqliteStore::save_partner_remote(PartnerRemote remote, AuditEvent audit, Callback<bool> done) {
  submit_value<bool>(
      [remote = std::move(remote)](Connection& db) -> Result<bool> {
        TRY_PREPARE(q, db,
                    "INSERT INTO partner_remotes(partner_id, api_root, remote_collection, username, password, pull_into, "
                    "push_from, interval_seconds) SELECT id, ?2, ?3, ?4, ?5, ?6, ?7, ?8 FROM partners WHERE name = ?1 "
                    "ON CONFLICT(partner_id) DO UPDATE SET api_root = excluded.api_root, remote_collection = "
                    "excluded.remote_collection, username = excluded.username, password = excluded.password, "
                    "pull_into = excluded.pull_into, push_from = excluded.push_from, interval_seconds = "
                    "excluded.interval_seconds, failures = 0, last_error = ''");
        q.bind(1, remote.partner).bind(2, remote.api_root).bind(3, remote.remote_collection).bind(4, remote.username);
        q.bind(5, remote.password).bind(6, remote.pull_into).bind(7, remote.push_from);
        q.bind(8, int64_t{remote.interval_seconds});
        TRY(q.run());
        if (db.changes() == 0) return Error::not_found("There is no partner " + remote.partner + ".");
        for (const auto& alias : {remote.pull_into, remote.push_from}) {
          if (alias.empty()) continue;
          auto c = collection_by(db, alias);
          if (!c && c.error().kind == ErrorKind::not_found)
            c = upsert_collection(db, Collection{0, "", alias, alias, "", Tlp::green, ""});
          if (!c) return c.error();
        }
        return true;
      },
      std::move(done), std::move(audit));
}

Result<std::vector<PartnerRemote>> SqliteStore::list_partner_remotes() {
  auto lease = readers_.lease();
  TRY_PREPARE(q, *lease,
              "SELECT p.name, r.api_root, r.remote_collection, r.username, r.password, r.pull_into, r.push_from, "
              "r.interval_seconds, r.pull_cursor, r.push_cursor, r.last_attempt, r.last_success, r.last_error, "
              "r.failures, r.pulled, r.pushed FROM partner_remotes r JOIN partners p ON p.id = r.partner_id "
              "WHERE p.disabled = 0 ORDER BY p.name");
  std::vector<PartnerRemote> out;
  TRY(q.for_each_row([&](Statement& r) {
    PartnerRemote p;
    p.partner = r.text(0);
    p.api_root = r.text(1);
    p.remote_collection = r.text(2);
    p.username = r.text(3);
    p.password = r.text(4);
    p.pull_into = r.text(5);
    p.push_from = r.text(6);
    p.interval_seconds = static_cast<int>(r.integer(7));
    p.pull_cursor = r.text(8);
    p.push_cursor = r.text(9);
    p.last_attempt = r.text(10);
    p.last_success = r.text(11);
    p.last_error = r.text(12);
    p.failures = static_cast<int>(r.integer(13));
    p.pulled = r.integer(14);
    p.pushed = r.integer(15);
    out.push_back(std::move(p));
  }));
  return out;
}

void SqliteStore::record_sync(PartnerRemote state, Callback<bool> done) {
  submit_value<bool>(
      [state = std::move(state)](Connection& db) -> Result<bool> {
        TRY_PREPARE(q, db,
                    "UPDATE partner_remotes SET pull_cursor = ?2, push_cursor = ?3, last_attempt = ?4, last_success = ?5, "
                    "last_error = ?6, failures = ?7, pulled = ?8, pushed = ?9 "
                    "WHERE partner_id = (SELECT id FROM partners WHERE name = ?1)");
        q.bind(1, state.partner).bind(2, state.pull_cursor).bind(3, state.push_cursor).bind(4, state.last_attempt);
        q.bind(5, state.last_success).bind(6, state.last_error).bind(7, int64_t{state.failures});
        q.bind(8, state.pulled).bind(9, state.pushed);
        TRY(q.run());
        return db.changes() > 0;
      },
      std::move(done));
}

}  // namespace jaga::sqlite
