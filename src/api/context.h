// What the REST handlers share: the store, the blob store, metrics, limits and
// the settings that shape answers. Built once by app/ and outlives the server.
#pragma once

#include <functional>

#include <memory>
#include <string>

#include "api/indicator_service.h"
#include "api/partner_credentials.h"
#include "api/pow.h"
#include "http/metrics.h"
#include "http/rate_limit.h"
#include "intel/extract.h"
#include "model/incident.h"
#include "store/blobs.h"
#include "store/store.h"
#include "util/worker_pool.h"

namespace jaga::taxii {
class SyncService;
class EnvelopeIntake;
}

namespace jaga::api {

struct ApiSettings {
  int pow_difficulty = 16;
  std::string pow_key;             // random per process: challenges do not outlive a restart
  std::string public_url;          // e.g. https://lapor.example.go.id; empty: from the Host header
  std::string web_root;            // built front end (index.html, desk.html, assets/)
  size_t max_attachments = 10;
  size_t max_attachment_bytes = 10 * 1024 * 1024;
  int session_hours = 8;
  int lockout_failures = 5;
  int lockout_minutes = 15;
  ExtractOptions extract;
  SlaPolicy sla;
  bool mail_delivery = false;
  std::string agency_name = "jaga";  // the desk as STIX names it (its identity object)
  std::string agency_country;        // ISO 3166-1 alpha-2  // a mail server is configured: the outbox is being delivered
};

struct ApiContext {
  Store& store;
  BlobStore& blobs;
  http::Metrics& metrics;
  WorkerPool& workers;
  ApiSettings settings;
  http::RateLimiter report_limiter;
  http::RateLimiter sign_in_limiter;
  PowReplayCache pow_replays;
  PartnerCredentialCache partner_credentials;
  IndicatorLookup* lookup = nullptr;  // answers /api/v1/lookup; set by the server
  taxii::SyncService* partner_sync = nullptr;  // syncs with partners' TAXII servers; set by the server
  std::function<void()> site_monitor_changed;  // the watched sites changed; set by the server
  taxii::EnvelopeIntake* intake = nullptr;     // partners' POSTed envelopes; set by the server (else written one by one)
};

}  // namespace jaga::api
