#include "taxii/intake.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <system_error>
#include <vector>

#include <boost/json.hpp>

#include "stix/object.h"
#include "store/wait.h"
#include "taxii/received.h"
#include "util/crypto.h"
#include "util/file.h"
#include "util/log.h"
#include "util/time.h"

namespace jaga::taxii {

namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

constexpr std::string_view kSpoolSuffix = ".envelope";

// What the status resource says of objects not written yet.
WriteStatus pending_status(const ReceivedObjects& write) {
  WriteStatus status;
  status.id = write.origin.status_id;
  status.collection = write.collection.alias;
  status.request_timestamp = format_rfc3339_micros(unix_micros());
  status.status = "pending";
  for (const auto& o : write.objects) status.pendings.push_back({o.stix_id, o.version, ""});
  return status;
}

}  // namespace

Result<ReceivedObjects> received_envelope(const Partner& partner, const Collection& collection, std::string_view body,
                                          std::string status_id) {
  // The indicators are read from each object's document as it is checked.
  ParsedImport indicators;
  auto envelope = stix::read_envelope(
      body, [&indicators](const boost::json::value& object, size_t index) { read_stix_object(object, index, indicators); });
  if (!envelope) return envelope.error();
  return received_objects(partner, collection, shared_inputs(std::move(envelope->objects)), std::move(indicators),
                          "taxii-post", std::move(status_id));
}

EnvelopeIntake::EnvelopeIntake(Store& store, IntakeOptions options) : store_(store), options_(std::move(options)) {}

EnvelopeIntake::~EnvelopeIntake() { stop(); }

Status EnvelopeIntake::start(std::function<void()> indicators_changed) {
  indicators_changed_ = std::move(indicators_changed);
  std::error_code ec;
  fs::create_directories(options_.spool_dir, ec);
  if (ec) return Error::unavailable("cannot create " + options_.spool_dir + ": " + ec.message());
  if (auto st = recover(); !st) return st;
  writer_ = std::thread([this] { run(); });
  return {};
}

void EnvelopeIntake::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  ready_.notify_all();
  if (writer_.joinable()) writer_.join();
}

Status EnvelopeIntake::recover() {
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(options_.spool_dir, ec))
    if (entry.path().string().ends_with(kSpoolSuffix)) files.push_back(entry.path());
  if (ec) return Error::unavailable("cannot read " + options_.spool_dir + ": " + ec.message());
  std::sort(files.begin(), files.end());  // named by arrival
  size_t queued = 0;
  for (const auto& file : files) {
    auto text = read_whole_file(file.string());
    if (!text) return text.error();
    auto line_end = text->find('\n');
    json::error_code json_error;
    auto header = json::parse(std::string_view(*text).substr(0, line_end), json_error);
    auto set_aside = [&](std::string why) {
      log::warn("a spooled envelope cannot be written; it is kept aside",
                {{"file", file.filename().string()}, {"why", why}});
      fs::rename(file, file.string() + ".kept", ec);
    };
    if (line_end == std::string::npos || json_error || !header.is_object()) {
      set_aside("its header is unreadable");
      continue;
    }
    auto field = [&](const char* name) -> std::string {
      const auto* value = header.as_object().if_contains(name);
      return value && value->is_string() ? std::string(value->as_string()) : std::string();
    };
    std::string status_id = field("status");
    if (store_.find_write_status(status_id)) {  // committed before the crash; only the file was left
      fs::remove(file, ec);
      continue;
    }
    auto partner = store_.find_partner(field("partner"));
    if (!partner) {
      set_aside(partner.error().message);
      continue;
    }
    auto collection = store_.find_collection(field("collection"));
    if (!collection) {
      set_aside(collection.error().message);
      continue;
    }
    auto write = received_envelope(*partner, *collection, std::string_view(*text).substr(line_end + 1), status_id);
    if (!write) {
      set_aside(write.error().message);
      continue;
    }
    auto entry = std::make_shared<Queued>(Queued{file.string(), std::move(*write), {}});
    std::lock_guard lock(mutex_);
    pending_.emplace(status_id, pending_status(entry->write));
    queued_objects_ += entry->write.objects.size();
    queue_.push_back(std::move(entry));
    ++queued;
  }
  if (queued > 0) log::info("writing envelopes kept in the spool from before", {{"envelopes", queued}});
  return {};
}

void EnvelopeIntake::accept(const Partner& partner, const Collection& collection, std::string body,
                            Callback<WriteStatus> answered) {
  std::string status_id = random_uuid();
  auto write = received_envelope(partner, collection, body, status_id);
  if (!write) return answered(write.error());
  std::string path;
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return answered(Error::unavailable("The server is shutting down; send the envelope again later."));
    if (queued_objects_ > options_.max_queued_objects)
      return answered(Error::unavailable("The server has " + std::to_string(queued_objects_) +
                                         " objects waiting to be written; send the envelope again in a few seconds."));
    last_spooled_micros_ = std::max(last_spooled_micros_ + 1, unix_micros());
    char name[32];
    std::snprintf(name, sizeof name, "%020lld-", static_cast<long long>(last_spooled_micros_));
    path = options_.spool_dir + "/" + name + status_id + std::string(kSpoolSuffix);
  }
  std::string header = json::serialize(json::object{{"status", status_id},
                                                     {"partner", partner.name},
                                                     {"collection", collection.alias},
                                                     {"received", format_rfc3339_micros(unix_micros())}});
  header += '\n';
  if (auto st = write_file_durably(path + ".tmp", path, {header, body}); !st) {
    log::error("cannot spool a partner's envelope", {{"error", st.error().message}});
    return answered(Error::unavailable("The server cannot keep the envelope now; send it again later."));
  }
  auto entry = std::make_shared<Queued>(Queued{path, std::move(*write), {}});
  WriteStatus pending = pending_status(entry->write);
  bool idle;
  {
    std::lock_guard lock(mutex_);
    idle = queue_.empty() && !writing_;
    if (idle) entry->answered = std::move(answered);
    pending_.emplace(status_id, pending);
    queued_objects_ += entry->write.objects.size();
    queue_.push_back(std::move(entry));
  }
  ready_.notify_one();
  if (!idle) answered(std::move(pending));
}

std::optional<WriteStatus> EnvelopeIntake::pending(const std::string& status_id) const {
  std::lock_guard lock(mutex_);
  auto it = pending_.find(status_id);
  if (it == pending_.end()) return std::nullopt;
  return it->second;
}

void EnvelopeIntake::run() {
  for (;;) {
    std::vector<std::shared_ptr<Queued>> batch;
    {
      std::unique_lock lock(mutex_);
      ready_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      size_t objects = 0;
      while (!queue_.empty() &&
             (batch.empty() || objects + queue_.front()->write.objects.size() <= options_.objects_per_commit)) {
        objects += queue_.front()->write.objects.size();
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
      queued_objects_ -= objects;
      writing_ = true;
    }
    write(std::move(batch));
    std::lock_guard lock(mutex_);
    writing_ = false;
  }
}

void EnvelopeIntake::write(std::vector<std::shared_ptr<Queued>> batch) {
  auto writes = std::make_shared<std::vector<ReceivedObjects>>();
  writes->reserve(batch.size());
  bool indicators = false;
  for (auto& entry : batch) {
    indicators = indicators || entry->write.indicators.has_value();
    writes->push_back(std::move(entry->write));
  }
  auto statuses = wait_for<std::vector<WriteStatus>>([&](auto done) { store_.receive_shared_objects(writes, done); });
  if (!statuses) {
    // The spool keeps them: they are written at the next start, and until
    // then their status stays pending.
    log::error("partners' envelopes could not be written; they stay in the spool",
               {{"envelopes", batch.size()}, {"error", statuses.error().message}});
    for (auto& entry : batch)
      if (entry->answered) entry->answered(statuses.error());
    return;
  }
  // The lookup hears of the indicators before any partner hears of its write.
  if (indicators && indicators_changed_) indicators_changed_();
  std::error_code ec;
  for (size_t i = 0; i < batch.size(); ++i) {
    // Committed: a file left by a crash here is recognised by its stored status.
    fs::remove(batch[i]->spool_path, ec);
    {
      std::lock_guard lock(mutex_);
      pending_.erase((*statuses)[i].id);
    }
    if (batch[i]->answered) batch[i]->answered(std::move((*statuses)[i]));
  }
}

}  // namespace jaga::taxii
