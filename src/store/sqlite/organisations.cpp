// The SQLite backend: the constituency (organisations, what they own, their
// contacts) and the organisations affected by each incident.
#include <boost/json.hpp>

#include <algorithm>
#include <map>

#include "store/sqlite/sqlite_store.h"
#include "util/time.h"

namespace jaga::sqlite {

namespace {

// Who already owns a domain, network or AS number, for a clear conflict.
Result<std::string> owner_of(Connection& db, const char* sql, std::string_view value, int64_t except_id) {
  TRY_PREPARE(q, db, sql);
  q.bind(1, value).bind(2, except_id);
  auto row = q.step();
  if (!row) return row.error();
  return *row ? q.text(0) : std::string();
}

// Writes the organisation's own row and replaces its owned things and contacts.
Result<int64_t> write_organisation(Connection& db, const Organisation& o, const std::string& now) {
  int64_t id = o.id;
  if (id == 0) {
    TRY_PREPARE(insert, db,
                "INSERT INTO organisations(parent_id, name, kind, language, created_at, updated_at) "
                "VALUES (?1, ?2, ?3, ?4, ?5, ?5)");
    insert.bind_optional(1, o.parent_id).bind(2, o.name).bind(3, o.kind).bind(4, o.language).bind(5, now);
    if (auto st = insert.run(); !st) {
      if (st.error().kind == ErrorKind::conflict)
        return Error::conflict("there is already an organisation named '" + o.name + "', or its parent does not exist");
      return st.error();
    }
    id = db.last_insert_id();
  } else {
    TRY_PREPARE(update, db,
                "UPDATE organisations SET parent_id = ?2, name = ?3, kind = ?4, language = ?5, updated_at = ?6 WHERE id = ?1");
    update.bind(1, id).bind_optional(2, o.parent_id).bind(3, o.name).bind(4, o.kind).bind(5, o.language).bind(6, now);
    if (auto st = update.run(); !st) {
      if (st.error().kind == ErrorKind::conflict)
        return Error::conflict("there is already an organisation named '" + o.name + "', or its parent does not exist");
      return st.error();
    }
    if (db.changes() == 0) return Error::not_found("no organisation " + std::to_string(id));
    for (const char* sql : {"DELETE FROM organisation_domains WHERE organisation_id = ?1",
                            "DELETE FROM organisation_networks WHERE organisation_id = ?1",
                            "DELETE FROM organisation_asns WHERE organisation_id = ?1",
                            "DELETE FROM organisation_contacts WHERE organisation_id = ?1"}) {
      TRY_PREPARE(clear, db, sql);
      clear.bind(1, id);
      TRY(clear.run());
    }
  }
  // A parent chain must end: refuse to make an organisation its own ancestor.
  for (std::optional<int64_t> p = o.parent_id; p;) {
    if (*p == id) return Error::invalid("'" + o.name + "' cannot be placed under itself or one of its own units", "/parent_id");
    TRY_PREPARE(up, db, "SELECT parent_id FROM organisations WHERE id = ?1");
    up.bind(1, *p);
    auto row = up.step();
    if (!row) return row.error();
    p = *row && !up.is_null(0) ? std::optional<int64_t>(up.integer(0)) : std::nullopt;
  }
  struct Owned {
    const char* insert;
    const char* owner;
    const char* what;
  };
  const Owned domain{"INSERT INTO organisation_domains(organisation_id, domain) VALUES (?1, ?2)",
                     "SELECT o.name FROM organisation_domains d JOIN organisations o ON o.id = d.organisation_id "
                     "WHERE d.domain = ?1 AND o.id <> ?2",
                     "the domain "};
  const Owned network{"INSERT INTO organisation_networks(organisation_id, network) VALUES (?1, ?2)",
                      "SELECT o.name FROM organisation_networks n JOIN organisations o ON o.id = n.organisation_id "
                      "WHERE n.network = ?1 AND o.id <> ?2",
                      "the network "};
  auto add_owned = [&](const Owned& kind, const std::string& value) -> Status {
    auto owner = owner_of(db, kind.owner, value, id);
    if (!owner) return owner.error();
    if (!owner->empty()) return Error::conflict(kind.what + value + " already belongs to " + *owner);
    TRY_PREPARE(insert, db, kind.insert);
    insert.bind(1, id).bind(2, value);
    return insert.run();
  };
  for (const auto& d : o.domains) TRY(add_owned(domain, d));
  for (const auto& n : o.networks) TRY(add_owned(network, n));
  for (int64_t asn : o.asns) {
    TRY_PREPARE(q, db,
                "SELECT o.name FROM organisation_asns a JOIN organisations o ON o.id = a.organisation_id "
                "WHERE a.asn = ?1 AND o.id <> ?2");
    q.bind(1, asn).bind(2, id);
    auto row = q.step();
    if (!row) return row.error();
    if (*row) return Error::conflict("AS" + std::to_string(asn) + " already belongs to " + q.text(0));
    TRY_PREPARE(insert, db, "INSERT INTO organisation_asns(organisation_id, asn) VALUES (?1, ?2)");
    insert.bind(1, id).bind(2, asn);
    TRY(insert.run());
  }
  for (const auto& c : o.contacts) {
    TRY_PREPARE(insert, db,
                "INSERT INTO organisation_contacts(organisation_id, name, email, phone, pgp_key) VALUES (?1, ?2, ?3, ?4, ?5)");
    insert.bind(1, id).bind(2, c.name).bind(3, c.email).bind(4, c.phone).bind(5, c.pgp_key);
    TRY(insert.run());
  }
  return id;
}

}  // namespace

void SqliteStore::save_organisation(Organisation organisation, AuditEvent audit, Callback<int64_t> done) {
  submit_value<int64_t>(
      [o = std::move(organisation)](Connection& db) -> Result<int64_t> { return write_organisation(db, o, now_rfc3339()); },
      std::move(done), std::move(audit));
}

void SqliteStore::delete_organisation(int64_t id, AuditEvent audit, Callback<bool> done) {
  submit_value<bool>(
      [id](Connection& db) -> Result<bool> {
        struct Use {
          const char* sql;
          const char* what;
        };
        for (const Use& use : {Use{"SELECT count(*) FROM organisations WHERE parent_id = ?1", "units under it"},
                               Use{"SELECT count(*) FROM users WHERE organisation_id = ?1", "users"},
                               Use{"SELECT count(*) FROM incident_organisations WHERE organisation_id = ?1", "incidents"}}) {
          TRY_PREPARE(q, db, use.sql);
          q.bind(1, id);
          auto row = q.step();
          if (!row) return row.error();
          if (q.integer(0) > 0)
            return Error::conflict("the organisation still has " + std::to_string(q.integer(0)) + " " + use.what +
                                   "; move or remove them first");
        }
        TRY_PREPARE(remove, db, "DELETE FROM organisations WHERE id = ?1");
        remove.bind(1, id);
        TRY(remove.run());
        if (db.changes() == 0) return Error::not_found("no organisation " + std::to_string(id));
        return true;
      },
      std::move(done), std::move(audit));
}

void SqliteStore::import_organisations(std::vector<Organisation> organisations, AuditEvent audit, Callback<int> done) {
  submit_value<int>(
      [orgs = std::move(organisations)](Connection& db) -> Result<int> {
        std::string now = now_rfc3339();
        auto id_of = [&](const std::string& name) -> Result<int64_t> {
          TRY_PREPARE(q, db, "SELECT id FROM organisations WHERE name = ?1");
          q.bind(1, name);
          auto row = q.step();
          if (!row) return row.error();
          return *row ? q.integer(0) : 0;
        };
        // Parents first: an organisation is written once its parent exists,
        // whatever the order of the rows.
        std::vector<const Organisation*> pending;
        for (const auto& o : orgs) pending.push_back(&o);
        int added = 0;
        while (!pending.empty()) {
          std::vector<const Organisation*> later;
          for (const auto* o : pending) {
            Organisation row = *o;
            if (!row.parent_name.empty()) {
              auto parent = id_of(row.parent_name);
              if (!parent) return parent.error();
              if (*parent == 0) {
                later.push_back(o);
                continue;
              }
              row.parent_id = *parent;
            }
            auto existing = id_of(row.name);
            if (!existing) return existing.error();
            row.id = *existing;
            if (row.id == 0) ++added;
            auto written = write_organisation(db, row, now);
            if (!written) return Error{written.error().kind, row.name + ": " + written.error().message, ""};
          }
          if (later.size() == pending.size())
            return Error::invalid(later.front()->name + ": there is no organisation named '" + later.front()->parent_name + "' to be its parent");
          pending = std::move(later);
        }
        return added;
      },
      std::move(done), std::move(audit));
}

Result<std::vector<Organisation>> SqliteStore::list_organisations() {
  auto lease = readers_.lease();
  Connection& db = *lease;
  ReadTransaction snapshot(db);
  std::vector<Organisation> out;
  std::map<int64_t, size_t> index;
  {
    TRY_PREPARE(q, db,
                "SELECT o.id, o.parent_id, coalesce(p.name, ''), o.name, o.kind, o.language FROM organisations o "
                "LEFT JOIN organisations p ON p.id = o.parent_id ORDER BY o.name");
    TRY(q.for_each_row([&](Statement& q) {
      Organisation o;
      o.id = q.integer(0);
      if (!q.is_null(1)) o.parent_id = q.integer(1);
      o.parent_name = q.text(2);
      o.name = q.text(3);
      o.kind = q.text(4);
      o.language = q.text(5);
      index[o.id] = out.size();
      out.push_back(std::move(o));
    }));
  }
  auto each = [&](const char* sql, auto add) -> Status {
    TRY_PREPARE(q, db, sql);
    return q.for_each_row([&](Statement& q) {
      if (auto it = index.find(q.integer(0)); it != index.end()) add(out[it->second], q);
    });
  };
  TRY(each("SELECT organisation_id, domain FROM organisation_domains ORDER BY rowid",
           [](Organisation& o, Statement& q) { o.domains.push_back(q.text(1)); }));
  TRY(each("SELECT organisation_id, network FROM organisation_networks ORDER BY rowid",
           [](Organisation& o, Statement& q) { o.networks.push_back(q.text(1)); }));
  TRY(each("SELECT organisation_id, asn FROM organisation_asns ORDER BY rowid",
           [](Organisation& o, Statement& q) { o.asns.push_back(q.integer(1)); }));
  TRY(each("SELECT organisation_id, name, email, phone, pgp_key FROM organisation_contacts ORDER BY id",
           [](Organisation& o, Statement& q) { o.contacts.push_back({q.text(1), q.text(2), q.text(3), q.text(4)}); }));
  return out;
}

Result<Organisation> SqliteStore::find_organisation(int64_t id) {
  auto all = list_organisations();
  if (!all) return all.error();
  for (auto& o : *all)
    if (o.id == id) return std::move(o);
  return Error::not_found("no organisation " + std::to_string(id));
}

void SqliteStore::set_incident_organisations(std::string reference, std::string source,
                                             std::vector<IncidentOrganisation> organisations, int64_t actor_id,
                                             std::optional<AuditEvent> audit, Callback<bool> done) {
  submit_value<bool>(
      [reference = std::move(reference), source = std::move(source), orgs = std::move(organisations), actor_id,
       options = options_.notifications](Connection& db) -> Result<bool> {
        auto id = incident_id_of(db, reference);
        if (!id) return id.error();
        std::vector<int64_t> before;
        {
          TRY_PREPARE(q, db, "SELECT organisation_id FROM incident_organisations WHERE incident_id = ?1");
          q.bind(1, *id);
          TRY(q.for_each_row([&](Statement& q) { before.push_back(q.integer(0)); }));
        }
        TRY_PREPARE(clear, db,
                    "DELETE FROM incident_organisations WHERE incident_id = ?1 AND (source = ?2 OR ?2 = 'analyst')");
        clear.bind(1, *id).bind(2, source);
        TRY(clear.run());
        std::string names;
        std::vector<int64_t> newly_affected;
        for (const auto& o : orgs) {
          TRY_PREPARE(insert, db,
                      "INSERT INTO incident_organisations(incident_id, organisation_id, source, reason, indicators) "
                      "VALUES (?1, ?2, ?3, ?4, ?5) "
                      "ON CONFLICT DO UPDATE SET source = excluded.source, reason = excluded.reason, indicators = excluded.indicators");
          insert.bind(1, *id).bind(2, o.organisation_id).bind(3, source).bind(4, o.reason);
          insert.bind(5, boost::json::serialize(boost::json::value_from(o.indicators)));
          if (auto st = insert.run(); !st) {
            if (st.error().kind == ErrorKind::conflict)
              return Error::invalid("there is no organisation " + std::to_string(o.organisation_id), "/organisations");
            return st.error();
          }
          if (std::find(before.begin(), before.end(), o.organisation_id) == before.end())
            newly_affected.push_back(o.organisation_id);
          TRY_PREPARE(name, db, "SELECT name FROM organisations WHERE id = ?1");
          name.bind(1, o.organisation_id);
          auto row = name.step();
          if (!row) return row.error();
          names += (names.empty() ? "" : ", ") + (*row ? name.text(0) : std::to_string(o.organisation_id));
        }
        std::string now = now_rfc3339();
        std::optional<int64_t> actor;
        if (source != "routing") actor = actor_id;
        TRY_PREPARE(event, db,
                    "INSERT INTO incident_events(incident_id, at, actor_id, kind, visibility, text, details) "
                    "VALUES (?1, ?2, ?3, 'organisations', 'internal', ?4, ?5)");
        event.bind(1, *id).bind(2, now).bind_optional(3, actor);
        event.bind(4, names.empty() ? "—" : names).bind(5, "{\"source\":\"" + source + "\"}");
        TRY(event.run());
        // An organisation learns of an incident when it first becomes affected.
        if (!newly_affected.empty()) {
          NotificationScope scope;
          scope.event = NotificationEvent::incident_opened;
          scope.only_organisations = newly_affected;
          scope.reporters = false;
          scope.actor_id = actor;
          auto queued = queue_notifications(db, options, *id, scope, now);
          if (!queued) return queued.error();
        }
        return true;
      },
      std::move(done), std::move(audit));
}

}  // namespace jaga::sqlite
