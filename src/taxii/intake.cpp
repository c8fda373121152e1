#include "taxii/intake.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <system_error>
#include <unordered_set>
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
  auto envelope = stix::read_envelope(body);
  if (!envelope) return envelope.error();
  bool indicators = std::any_of(envelope->objects.begin(), envelope->objects.end(),
                                [](const stix::Object& o) { return o.type == "indicator"; });
  auto write = received_objects(partner, collection, shared_inputs(std::move(envelope->objects)), {}, "taxii-post",
                                std::move(status_id));
  write.indicators_follow = indicators;
  return write;
}

EnvelopeIntake::EnvelopeIntake(Store& store, IntakeOptions options) : store_(store), options_(std::move(options)) {}

EnvelopeIntake::~EnvelopeIntake() { stop(); }

Status EnvelopeIntake::start(std::function<void()> indicators_changed,
                             std::function<void(const IntakeCounts&)> counted) {
  indicators_changed_ = std::move(indicators_changed);
  counted_ = std::move(counted);
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
  auto waiting_ids = store_.list_waiting_indicators();
  if (!waiting_ids) return waiting_ids.error();
  std::unordered_set<std::string> waiting(waiting_ids->begin(), waiting_ids->end());
  size_t queued = 0, following = 0;
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
    bool written = static_cast<bool>(store_.find_write_status(status_id));
    if (written && !waiting.contains(status_id)) {  // committed before the crash; only the file was left
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
    if (written) {  // its indicators follow
      auto texts = envelope_object_texts(std::string_view(*text).substr(line_end + 1));
      size_t objects = texts ? texts->size() : 0;
      std::lock_guard lock(mutex_);
      following_objects_ += objects;
      following_.push_back({file.string(), status_id, partner->name, collection->max_tlp, objects});
      ++following;
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
  if (following > 0)
    log::info("reading the indicators of envelopes written before", {{"envelopes", following}});
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
    // Indicators being written do not make it busy: the POST waits for them
    // and then for its own commit, as after any other commit.
    idle = queue_.empty() && !writing_objects_;
    if (idle) entry->answered = std::move(answered);
    pending_.emplace(status_id, pending);
    queued_objects_ += entry->write.objects.size();
    queue_.push_back(std::move(entry));
    report_counts();
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

void EnvelopeIntake::report_counts() {
  if (counted_) counted_(IntakeCounts{queued_objects_, following_objects_});
}

void EnvelopeIntake::run() {
  for (;;) {
    std::vector<std::shared_ptr<Queued>> batch;
    std::vector<Following> indicators;
    {
      std::unique_lock lock(mutex_);
      ready_.wait(lock, [&] { return stopping_ || !queue_.empty() || !following_.empty(); });
      if (stopping_) return;
      // Objects first: the indicators wait for a quiet moment, unless too
      // many have waited.
      bool follow = following_objects_ > options_.max_following_objects;
      if (!follow && queue_.empty()) {
        ready_.wait_for(lock, options_.quiet, [&] { return stopping_ || !queue_.empty(); });
        if (stopping_) return;
        follow = queue_.empty();
      }
      size_t objects = 0;
      if (follow) {
        while (!following_.empty() &&
               (indicators.empty() || objects + following_.front().objects <= options_.indicator_objects_per_commit)) {
          objects += following_.front().objects;
          indicators.push_back(std::move(following_.front()));
          following_.pop_front();
        }
      } else {
        while (!queue_.empty() &&
               (batch.empty() || objects + queue_.front()->write.objects.size() <= options_.objects_per_commit)) {
          objects += queue_.front()->write.objects.size();
          batch.push_back(std::move(queue_.front()));
          queue_.pop_front();
        }
        queued_objects_ -= objects;
      }
      writing_objects_ = !batch.empty();
    }
    if (!indicators.empty()) follow(std::move(indicators));
    if (!batch.empty()) write(std::move(batch));
    std::lock_guard lock(mutex_);
    writing_objects_ = false;
    report_counts();
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
    const auto& written = (*writes)[i];
    {
      std::lock_guard lock(mutex_);
      pending_.erase((*statuses)[i].id);
      if (written.indicators_follow) {
        following_objects_ += written.objects.size();
        following_.push_back({batch[i]->spool_path, written.origin.status_id, written.origin.partner,
                              written.collection.max_tlp, written.objects.size()});
      }
    }
    // Committed: a file left by a crash here is recognised by its stored status.
    if (!written.indicators_follow) fs::remove(batch[i]->spool_path, ec);
    if (batch[i]->answered) batch[i]->answered(std::move((*statuses)[i]));
  }
}

void EnvelopeIntake::follow(std::vector<Following> batch) {
  auto imports = std::make_shared<std::vector<IndicatorImport>>();
  std::vector<std::string> status_ids;
  size_t objects = 0;
  for (const auto& envelope : batch) {
    objects += envelope.objects;
    status_ids.push_back(envelope.status_id);
    auto text = read_whole_file(envelope.spool_path);
    auto line_end = text ? text->find('\n') : std::string::npos;
    if (line_end == std::string::npos) {
      // Its objects are in; its indicators cannot be read again.
      log::error("the indicators of a written envelope cannot be read; its objects are kept without them",
                 {{"file", fs::path(envelope.spool_path).filename().string()},
                  {"why", text ? "its header is unreadable" : text.error().message}});
      continue;
    }
    auto indicators =
        indicators_of_envelope(std::string_view(*text).substr(line_end + 1), envelope.partner, envelope.unmarked);
    if (indicators) imports->push_back(std::move(*indicators));
  }
  auto written =
      wait_for<int64_t>([&](auto done) { store_.receive_following_indicators(imports, status_ids, done); });
  {
    std::lock_guard lock(mutex_);
    following_objects_ -= objects;
  }
  if (!written) {
    // They stay in the spool and waiting in the store: read again at the next start.
    log::error("the indicators of partners' envelopes could not be written; they are read again at the next start",
               {{"envelopes", batch.size()}, {"error", written.error().message}});
    return;
  }
  if (!imports->empty() && indicators_changed_) indicators_changed_();
  std::error_code ec;
  for (const auto& envelope : batch) fs::remove(envelope.spool_path, ec);
}

}  // namespace jaga::taxii
