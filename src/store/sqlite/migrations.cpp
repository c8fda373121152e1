#include "store/sqlite/migrations.h"

namespace jaga::sqlite {

const std::vector<Migration>& migrations() {
  static const std::vector<Migration> all = {
      {1, "reports, attachments, indicators, users and sessions", R"sql(
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  role TEXT NOT NULL,
  must_change_password INTEGER NOT NULL DEFAULT 0,
  failed_sign_ins INTEGER NOT NULL DEFAULT 0,
  locked_until TEXT,
  created_at TEXT NOT NULL
);
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf_token TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
CREATE TABLE reports (
  id INTEGER PRIMARY KEY,
  tracking_code TEXT NOT NULL UNIQUE,
  secret_hash TEXT NOT NULL,
  category TEXT NOT NULL,
  description TEXT NOT NULL,
  occurred_at TEXT,
  involved TEXT NOT NULL DEFAULT '',
  language TEXT NOT NULL,
  channel TEXT NOT NULL,
  status TEXT NOT NULL,
  consent INTEGER NOT NULL,
  operator_id INTEGER REFERENCES users(id),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX reports_by_created ON reports(created_at);
CREATE INDEX reports_by_channel ON reports(channel, created_at);
CREATE INDEX reports_by_category ON reports(category, created_at);
-- Personal data of reporters, apart from the report so that it can be
-- redacted, exported and deleted on its own.
CREATE TABLE reporter_contacts (
  report_id INTEGER PRIMARY KEY REFERENCES reports(id) ON DELETE CASCADE,
  anonymous INTEGER NOT NULL,
  name TEXT NOT NULL DEFAULT '',
  email TEXT NOT NULL DEFAULT '',
  phone TEXT NOT NULL DEFAULT ''
);
CREATE TABLE report_additions (
  id INTEGER PRIMARY KEY,
  report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
  text TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX report_additions_by_report ON report_additions(report_id);
CREATE TABLE attachments (
  id INTEGER PRIMARY KEY,
  report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
  addition_id INTEGER REFERENCES report_additions(id) ON DELETE CASCADE,
  sha256 TEXT NOT NULL,
  filename TEXT NOT NULL,
  media_type TEXT NOT NULL,
  size INTEGER NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX attachments_by_report ON attachments(report_id);
CREATE TABLE indicators (
  id INTEGER PRIMARY KEY,
  type TEXT NOT NULL,
  value TEXT NOT NULL,
  first_seen TEXT NOT NULL,
  last_seen TEXT NOT NULL,
  UNIQUE (type, value)
);
CREATE TABLE report_indicators (
  report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
  indicator_id INTEGER NOT NULL REFERENCES indicators(id),
  source TEXT NOT NULL,
  PRIMARY KEY (report_id, indicator_id)
) WITHOUT ROWID;
CREATE INDEX report_indicators_by_indicator ON report_indicators(indicator_id, report_id);
CREATE TABLE public_notes (
  id INTEGER PRIMARY KEY,
  report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
  text TEXT NOT NULL,
  author_id INTEGER REFERENCES users(id),
  created_at TEXT NOT NULL
);
CREATE INDEX public_notes_by_report ON public_notes(report_id);
)sql"},
      {2, "the audit log, append-only and hash-chained", R"sql(
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  actor_id INTEGER,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  target_type TEXT NOT NULL,
  target TEXT NOT NULL,
  details TEXT NOT NULL,
  remote_address TEXT NOT NULL,
  previous_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit_log_by_actor ON audit_log(actor, id);
CREATE INDEX audit_log_by_action ON audit_log(action, id);
CREATE INDEX audit_log_by_time ON audit_log(at);
-- Append-only for the application; anyone who bypasses these triggers is
-- caught by the hash chain (jaga audit verify).
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
)sql"},
      {3, "API tokens for scripts", R"sql(
CREATE TABLE api_tokens (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL,
  created_at TEXT NOT NULL,
  last_used_at TEXT,
  revoked_at TEXT
);
CREATE INDEX api_tokens_by_user ON api_tokens(user_id);
)sql"},
      {4, "incidents, their reports and their timeline", R"sql(
CREATE TABLE incidents (
  id INTEGER PRIMARY KEY,
  reference TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL,
  category TEXT NOT NULL,
  severity TEXT NOT NULL,
  tlp TEXT NOT NULL,
  status TEXT NOT NULL,
  assignee_id INTEGER REFERENCES users(id),
  created_by INTEGER REFERENCES users(id),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  response_due TEXT NOT NULL,
  resolution_due TEXT NOT NULL,
  first_response_at TEXT,
  resolved_at TEXT
);
CREATE INDEX incidents_by_updated ON incidents(updated_at);
CREATE INDEX incidents_by_status ON incidents(status, updated_at);
CREATE INDEX incidents_by_assignee ON incidents(assignee_id, updated_at);
CREATE INDEX incidents_by_category ON incidents(category, updated_at);
CREATE TABLE incident_reports (
  incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  report_id INTEGER NOT NULL REFERENCES reports(id),
  PRIMARY KEY (incident_id, report_id)
) WITHOUT ROWID;
CREATE INDEX incident_reports_by_report ON incident_reports(report_id);
CREATE TABLE incident_events (
  id INTEGER PRIMARY KEY,
  incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  at TEXT NOT NULL,
  actor_id INTEGER REFERENCES users(id),
  kind TEXT NOT NULL,
  visibility TEXT NOT NULL,
  text TEXT NOT NULL,
  details TEXT NOT NULL
);
CREATE INDEX incident_events_by_incident ON incident_events(incident_id, id);
)sql"},
      {5, "the constituency: organisations, what they own, their contacts; affected organisations of incidents", R"sql(
CREATE TABLE organisations (
  id INTEGER PRIMARY KEY,
  parent_id INTEGER REFERENCES organisations(id),
  name TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  language TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX organisations_by_parent ON organisations(parent_id);
CREATE TABLE organisation_domains (
  organisation_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  domain TEXT NOT NULL UNIQUE
);
CREATE INDEX organisation_domains_by_organisation ON organisation_domains(organisation_id);
CREATE TABLE organisation_networks (
  organisation_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  network TEXT NOT NULL UNIQUE
);
CREATE INDEX organisation_networks_by_organisation ON organisation_networks(organisation_id);
CREATE TABLE organisation_asns (
  organisation_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  asn INTEGER NOT NULL UNIQUE
);
CREATE INDEX organisation_asns_by_organisation ON organisation_asns(organisation_id);
CREATE TABLE organisation_contacts (
  id INTEGER PRIMARY KEY,
  organisation_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  email TEXT NOT NULL,
  phone TEXT NOT NULL,
  pgp_key TEXT NOT NULL
);
CREATE INDEX organisation_contacts_by_organisation ON organisation_contacts(organisation_id);
CREATE TABLE incident_organisations (
  incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  source TEXT NOT NULL,
  reason TEXT NOT NULL,
  PRIMARY KEY (incident_id, organisation_id)
) WITHOUT ROWID;
CREATE INDEX incident_organisations_by_organisation ON incident_organisations(organisation_id, incident_id);
ALTER TABLE users ADD COLUMN organisation_id INTEGER REFERENCES organisations(id);
)sql"},
      {6, "second factor: TOTP secrets and recovery codes", R"sql(
ALTER TABLE users ADD COLUMN totp_secret TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN totp_enabled INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN totp_last_step INTEGER NOT NULL DEFAULT 0;
CREATE TABLE recovery_codes (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  code_hash TEXT NOT NULL,
  used_at TEXT
);
CREATE INDEX recovery_codes_by_user ON recovery_codes(user_id);
)sql"},
      {7, "full-text search over reports and incidents (trigrams: any language, fragments of addresses)", R"sql(
CREATE VIRTUAL TABLE report_search USING fts5(body, tokenize = 'trigram');
INSERT INTO report_search(rowid, body)
  SELECT r.id, r.description || ' ' || r.involved || ' ' ||
    coalesce((SELECT group_concat(a.text, ' ') FROM report_additions a WHERE a.report_id = r.id), '') || ' ' ||
    coalesce((SELECT group_concat(i.value, ' ') FROM report_indicators ri JOIN indicators i ON i.id = ri.indicator_id
              WHERE ri.report_id = r.id), '')
  FROM reports r;
CREATE VIRTUAL TABLE incident_search USING fts5(body, tokenize = 'trigram');
INSERT INTO incident_search(rowid, body)
  SELECT i.id, i.reference || ' ' || i.title || ' ' ||
    coalesce((SELECT group_concat(e.text, ' ') FROM incident_events e WHERE e.incident_id = i.id
              AND e.kind IN ('comment', 'public_note')), '')
  FROM incidents i;
)sql"},
      {8, "search indexing once per transaction: the queue of reports and incidents to index", R"sql(
CREATE TABLE search_queue (
  kind TEXT NOT NULL,
  id INTEGER NOT NULL,
  PRIMARY KEY (kind, id)
) WITHOUT ROWID;
)sql"},
      {9, "notifications: the outbox, administrators' templates, SLA reminders, indicators routed to each organisation", R"sql(
-- One message per recipient, composed in the transaction of the change that
-- causes it; delivered (or failed, visibly) by the delivery worker.
CREATE TABLE outbox (
  id INTEGER PRIMARY KEY,
  incident_id INTEGER REFERENCES incidents(id) ON DELETE SET NULL,
  event TEXT NOT NULL,
  recipient_kind TEXT NOT NULL,
  organisation_id INTEGER REFERENCES organisations(id) ON DELETE SET NULL,
  report_id INTEGER REFERENCES reports(id) ON DELETE SET NULL,
  recipient TEXT NOT NULL,
  recipient_name TEXT NOT NULL,
  language TEXT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  status TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT NOT NULL,
  last_error TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  sent_at TEXT
);
CREATE INDEX outbox_due ON outbox(next_attempt_at) WHERE status = 'queued';
CREATE INDEX outbox_by_status ON outbox(status, id);
CREATE INDEX outbox_by_incident ON outbox(incident_id, id);
CREATE TABLE notification_templates (
  event TEXT NOT NULL,
  recipient_kind TEXT NOT NULL,
  language TEXT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by INTEGER REFERENCES users(id),
  PRIMARY KEY (event, recipient_kind, language)
) WITHOUT ROWID;
-- The resolution due time a reminder was last sent for: a new due time
-- (another severity) earns a new reminder.
ALTER TABLE incidents ADD COLUMN reminded_for TEXT;
CREATE INDEX incidents_open_by_resolution_due ON incidents(resolution_due) WHERE status NOT IN ('resolved', 'closed');
ALTER TABLE incident_organisations ADD COLUMN indicators TEXT NOT NULL DEFAULT '[]';
)sql"},
      {10, "the store of indicators: sources with their counts, TLP, confidence, expiry, warninglists, correlation keys", R"sql(
-- tlp is the rank of a TLP 2.0 label (0 CLEAR .. 4 RED), so that "what may be
-- shared at GREEN" is a comparison. An indicator's own label is the least
-- restrictive among its sources'.
ALTER TABLE indicators ADD COLUMN registrable TEXT;
ALTER TABLE indicators ADD COLUMN network TEXT;
ALTER TABLE indicators ADD COLUMN tlp INTEGER NOT NULL DEFAULT 2;
ALTER TABLE indicators ADD COLUMN confidence INTEGER;
ALTER TABLE indicators ADD COLUMN valid_until TEXT;
ALTER TABLE indicators ADD COLUMN warninglist TEXT;
-- Correlation is computed on demand from these two indexes, never stored as pairs.
CREATE INDEX indicators_by_registrable ON indicators(registrable) WHERE registrable IS NOT NULL;
CREATE INDEX indicators_by_network ON indicators(network) WHERE network IS NOT NULL;
CREATE TABLE indicator_sources (
  indicator_id INTEGER NOT NULL REFERENCES indicators(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  tlp INTEGER NOT NULL,
  count INTEGER NOT NULL,
  first_seen TEXT NOT NULL,
  last_seen TEXT NOT NULL,
  PRIMARY KEY (indicator_id, kind, name)
) WITHOUT ROWID;
CREATE INDEX indicator_sources_by_source ON indicator_sources(kind, name, indicator_id);
-- Grows with every change to the indicators: the lookup matcher rebuilds when it does.
CREATE TABLE indicator_generation (id INTEGER PRIMARY KEY CHECK (id = 1), generation INTEGER NOT NULL);
INSERT INTO indicator_generation VALUES (1, 0);
-- Reports are not rows here: report_indicators already records which
-- reports name a value, and each read adds them as the source "reports".
)sql"},
      {11, "partner exchange: TAXII collections, partners and their agreements, shared STIX objects, write statuses, the transfer log", R"sql(
-- A collection is a sharing group; max_tlp is a TLP rank (0 CLEAR .. 4 RED).
CREATE TABLE collections (
  id INTEGER PRIMARY KEY,
  taxii_id TEXT NOT NULL UNIQUE,
  alias TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  max_tlp INTEGER NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE partners (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL DEFAULT '',
  password_hash TEXT NOT NULL,
  max_tlp INTEGER NOT NULL,
  personal_data INTEGER NOT NULL DEFAULT 0,
  four_eyes INTEGER NOT NULL DEFAULT 0,
  agreement_ref TEXT NOT NULL DEFAULT '',
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE TABLE partner_collections (
  partner_id INTEGER NOT NULL REFERENCES partners(id) ON DELETE CASCADE,
  collection_id INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
  can_read INTEGER NOT NULL,
  can_write INTEGER NOT NULL,
  PRIMARY KEY (partner_id, collection_id)
) WITHOUT ROWID;
-- Every version of every object a collection holds. version is the
-- normalised modified (or created) time, or date_added for objects with
-- neither; date_added is unique and grows with every write, so that paging by
-- it neither skips nor repeats. full_json, when set, also carries reporters'
-- personal data and goes only where an agreement allows it.
CREATE TABLE shared_objects (
  seq INTEGER PRIMARY KEY,
  collection_id INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
  stix_id TEXT NOT NULL,
  type TEXT NOT NULL,
  spec_version TEXT NOT NULL,
  version TEXT NOT NULL,
  date_added TEXT NOT NULL,
  tlp INTEGER NOT NULL,
  json TEXT NOT NULL,
  full_json TEXT,
  origin TEXT NOT NULL
);
CREATE UNIQUE INDEX shared_objects_by_version ON shared_objects(collection_id, stix_id, version);
CREATE INDEX shared_objects_by_added ON shared_objects(collection_id, date_added);
-- Same id and version, different content: kept out and recorded here.
CREATE TABLE exchange_conflicts (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  collection_id INTEGER NOT NULL,
  stix_id TEXT NOT NULL,
  version TEXT NOT NULL,
  origin TEXT NOT NULL,
  json TEXT NOT NULL
);
CREATE TABLE taxii_statuses (
  id TEXT PRIMARY KEY,
  collection TEXT NOT NULL,
  partner TEXT NOT NULL,
  request_timestamp TEXT NOT NULL,
  status TEXT NOT NULL,
  successes TEXT NOT NULL,
  failures TEXT NOT NULL,
  pendings TEXT NOT NULL
);
-- One entry per exchange with a partner; objects is a JSON list of [id, version].
CREATE TABLE transfers (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  direction TEXT NOT NULL,
  partner TEXT NOT NULL,
  collection TEXT NOT NULL,
  channel TEXT NOT NULL,
  agreement TEXT NOT NULL,
  object_count INTEGER NOT NULL,
  objects TEXT NOT NULL
);
CREATE INDEX transfers_by_partner ON transfers(partner, id);
CREATE INDEX transfers_by_time ON transfers(at);
)sql"},
      {12, "shares from incidents with four-eyes approval, partners' TAXII servers and their sync state", R"sql(
-- objects is a JSON list of the STIX texts to write: [{"json": ..., "full_json": ...}, ...]
CREATE TABLE shares (
  id INTEGER PRIMARY KEY,
  incident_reference TEXT NOT NULL,
  collection_id INTEGER NOT NULL REFERENCES collections(id),
  tlp INTEGER NOT NULL,
  summary TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('pending', 'published', 'rejected')),
  requested_by TEXT NOT NULL,
  requested_at TEXT NOT NULL,
  decided_by TEXT NOT NULL DEFAULT '',
  decided_at TEXT NOT NULL DEFAULT '',
  reason TEXT NOT NULL DEFAULT '',
  approvers_for TEXT NOT NULL DEFAULT '[]',
  objects TEXT NOT NULL
);
CREATE INDEX shares_by_state ON shares(state, id);
CREATE INDEX shares_by_incident ON shares(incident_reference, id);
-- Which incident a published object came from: a partner's sighting of it joins that incident.
CREATE TABLE shared_from_incidents (
  stix_id TEXT NOT NULL,
  incident_reference TEXT NOT NULL,
  PRIMARY KEY (stix_id, incident_reference)
) WITHOUT ROWID;
-- The password is the one the partner's server gave this desk: it has to be
-- sent, so it is kept as given (the data directory is the secret's boundary).
CREATE TABLE partner_remotes (
  partner_id INTEGER PRIMARY KEY REFERENCES partners(id) ON DELETE CASCADE,
  api_root TEXT NOT NULL,
  remote_collection TEXT NOT NULL,
  username TEXT NOT NULL,
  password TEXT NOT NULL,
  pull_into TEXT NOT NULL,
  push_from TEXT NOT NULL DEFAULT '',
  interval_seconds INTEGER NOT NULL DEFAULT 300,
  pull_cursor TEXT NOT NULL DEFAULT '',
  push_cursor TEXT NOT NULL DEFAULT '',
  last_attempt TEXT NOT NULL DEFAULT '',
  last_success TEXT NOT NULL DEFAULT '',
  last_error TEXT NOT NULL DEFAULT '',
  failures INTEGER NOT NULL DEFAULT 0,
  pulled INTEGER NOT NULL DEFAULT 0,
  pushed INTEGER NOT NULL DEFAULT 0
);
)sql"},
      {13, "the website monitor's sites", R"sql(
-- keywords and tags are JSON lists of text.
CREATE TABLE sites (
  id INTEGER PRIMARY KEY,
  url TEXT NOT NULL UNIQUE,
  organisation_id INTEGER REFERENCES organisations(id) ON DELETE SET NULL,
  interval_seconds INTEGER NOT NULL CHECK (interval_seconds BETWEEN 30 AND 86400),
  keywords TEXT NOT NULL DEFAULT '[]',
  tags TEXT NOT NULL DEFAULT '[]',
  enabled INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX sites_by_organisation ON sites(organisation_id, id);
)sql"},
      {14, "the website monitor's checks: each site's latest state and the history of its checks", R"sql(
-- findings is the JSON list of the last check's findings (id, severity, message, fix).
CREATE TABLE site_status (
  site_id INTEGER PRIMARY KEY REFERENCES sites(id) ON DELETE CASCADE,
  checked_at TEXT NOT NULL,
  up INTEGER NOT NULL,
  status INTEGER NOT NULL,
  total_ms REAL NOT NULL,
  score INTEGER NOT NULL,
  error TEXT NOT NULL DEFAULT '',
  findings TEXT NOT NULL DEFAULT '[]',
  failures_in_row INTEGER NOT NULL DEFAULT 0,
  up_since TEXT NOT NULL DEFAULT '',
  down_since TEXT NOT NULL DEFAULT ''
);
CREATE TABLE site_checks (
  site_id INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  checked_at TEXT NOT NULL,
  up INTEGER NOT NULL,
  status INTEGER NOT NULL,
  total_ms REAL NOT NULL,
  score INTEGER NOT NULL,
  PRIMARY KEY (site_id, checked_at)
) WITHOUT ROWID;
)sql"},
      {15, "the website monitor's alerts, each with its incident", R"sql(
-- An alert is open while closed_at is ''. One open alert per site and kind.
CREATE TABLE site_alerts (
  id INTEGER PRIMARY KEY,
  site_id INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  incident_id INTEGER NOT NULL REFERENCES incidents(id),
  opened_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL,
  closed_at TEXT NOT NULL DEFAULT '',
  seen INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX site_alerts_open ON site_alerts(site_id, kind) WHERE closed_at = '';
CREATE INDEX site_alerts_by_site ON site_alerts(site_id, kind, id);
)sql"},
      {16, "the website monitor's history in hourly and daily roll-ups", R"sql(
-- period is 'hour' or 'day'; start is the period's first instant (RFC 3339).
-- Latencies are of the checks that were up, in milliseconds.
CREATE TABLE site_rollups (
  site_id INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  period TEXT NOT NULL CHECK (period IN ('hour', 'day')),
  start TEXT NOT NULL,
  checks INTEGER NOT NULL,
  up_checks INTEGER NOT NULL,
  p50_ms REAL NOT NULL,
  p95_ms REAL NOT NULL,
  max_ms REAL NOT NULL,
  PRIMARY KEY (site_id, period, start)
) WITHOUT ROWID;
CREATE INDEX site_checks_by_time ON site_checks(checked_at);
)sql"},
      {17, "the website monitor's content baselines, the copies of pages kept as evidence, and a generation of the sites", R"sql(
-- One per site, learnt from a clean check. sketch is hex; the hosts are JSON
-- lists; text is the start of the page's visible text.
CREATE TABLE site_baselines (
  site_id INTEGER PRIMARY KEY REFERENCES sites(id) ON DELETE CASCADE,
  learned_at TEXT NOT NULL,
  title TEXT NOT NULL,
  sketch TEXT NOT NULL,
  script_hosts TEXT NOT NULL DEFAULT '[]',
  frame_hosts TEXT NOT NULL DEFAULT '[]',
  text TEXT NOT NULL DEFAULT ''
);
-- A page as it was served when an alert opened. It belongs to the incident
-- and outlives the site's removal.
CREATE TABLE site_evidence (
  id INTEGER PRIMARY KEY,
  incident_id INTEGER NOT NULL REFERENCES incidents(id),
  site_id INTEGER NOT NULL,
  kind TEXT NOT NULL,
  captured_at TEXT NOT NULL,
  url TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  body BLOB NOT NULL
);
CREATE INDEX site_evidence_by_site ON site_evidence(site_id, id);
CREATE INDEX site_evidence_by_incident ON site_evidence(incident_id, id);
-- Grows with every change to the sites: the monitor reads them again only when it has.
CREATE TABLE site_generation (id INTEGER PRIMARY KEY CHECK (id = 1), generation INTEGER NOT NULL);
INSERT INTO site_generation VALUES (1, 0);
CREATE TRIGGER sites_added AFTER INSERT ON sites BEGIN UPDATE site_generation SET generation = generation + 1; END;
CREATE TRIGGER sites_changed AFTER UPDATE ON sites BEGIN UPDATE site_generation SET generation = generation + 1; END;
CREATE TRIGGER sites_removed AFTER DELETE ON sites BEGIN UPDATE site_generation SET generation = generation + 1; END;
)sql"},
      {18, "partners' envelopes whose objects are written and whose indicators follow", R"sql(
-- A row per envelope, written with its objects and removed with its
-- indicators: what a restart still has to read from the spool.
CREATE TABLE taxii_indicators_waiting (status_id TEXT PRIMARY KEY) WITHOUT ROWID;
)sql"},
  };
  return all;
}

}  // namespace jaga::sqlite
