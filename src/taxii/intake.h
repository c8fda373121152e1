// Partners' POSTed envelopes, taken in faster than a commit each would
// allow. Once a collection's indexes hold a million objects, a commit costs
// about as much for 100,000 objects as for 10,000 (it rewrites most of their
// leaf pages either way), so envelopes that wait are written together.
//
// Each envelope is read and checked, then kept in a spool file (fsynced)
// before its POST is answered. When the intake is idle the POST waits for
// its commit and answers the complete status, as a synchronous server
// would; when it is busy the POST answers `pending` at once, and the status
// resource says when the objects are in (TAXII 2.1, 5.4). A thread of its
// own writes what waits, up to objects_per_commit at a time.
//
// The indicators among the objects follow: they cost the writer as much as
// the objects do, so they are read from the spool file and written when no
// objects wait (or when too many envelopes wait for them), and the file is
// removed after that commit. The store remembers, with the objects, which
// envelopes still wait for their indicators. At start, the files of
// envelopes whose status the store does not hold (a crash came between) are
// written first, and those still waiting for their indicators follow.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>

#include "store/store.h"

namespace jaga::taxii {

struct IntakeOptions {
  std::string spool_dir;               // created if absent
  size_t objects_per_commit = 200000;  // unless a single envelope holds more
  size_t max_queued_objects = 1000000;  // beyond this a POST is refused (503), to be sent again
  // Indicators are written once no objects have waited for this long, or
  // at once when the envelopes waiting for them hold more objects than
  // max_following_objects; those of up to indicator_objects_per_commit
  // objects at a time, so that objects arriving meanwhile wait for one
  // short commit, not for all the indicators.
  std::chrono::milliseconds quiet{1000};
  size_t max_following_objects = 1000000;
  size_t indicator_objects_per_commit = 200000;
};

// What waits, for /metrics.
struct IntakeCounts {
  size_t queued_objects = 0;     // taken in, not written yet
  size_t following_objects = 0;  // written; their envelopes' indicators not yet
};

// The write of one envelope `partner` POSTed into `collection`: its
// objects and the transfer log entry; the indicators follow when any object
// is an indicator.
Result<ReceivedObjects> received_envelope(const Partner& partner, const Collection& collection, std::string_view body,
                                          std::string status_id);

class EnvelopeIntake {
 public:
  EnvelopeIntake(Store& store, IntakeOptions options);
  ~EnvelopeIntake();
  EnvelopeIntake(const EnvelopeIntake&) = delete;
  EnvelopeIntake& operator=(const EnvelopeIntake&) = delete;

  // Queues what the spool kept from before, then starts writing.
  // `indicators_changed` is called after a commit that took in indicators,
  // `counted` whenever what waits changes.
  Status start(std::function<void()> indicators_changed, std::function<void(const IntakeCounts&)> counted = {});
  // Finishes the commit under way; what still waits stays in the spool.
  void stop();

  // Reads and checks `body`, spools and queues it; `answered` gets its
  // status (or why it was refused), on this thread or the intake's.
  void accept(const Partner& partner, const Collection& collection, std::string body, Callback<WriteStatus> answered);
  // The status of an envelope taken in and not yet written.
  std::optional<WriteStatus> pending(const std::string& status_id) const;

 private:
  struct Queued {
    std::string spool_path;
    ReceivedObjects write;
    Callback<WriteStatus> answered;  // empty once answered
  };
  // A written envelope whose indicators are still to be read from its file.
  struct Following {
    std::string spool_path;
    std::string status_id;
    std::string partner;
    Tlp unmarked;
    size_t objects;
  };
  void run();
  void write(std::vector<std::shared_ptr<Queued>> batch);
  void follow(std::vector<Following> batch);
  Status recover();
  void report_counts();  // with mutex_ held

  Store& store_;
  IntakeOptions options_;
  std::function<void()> indicators_changed_;
  std::function<void(const IntakeCounts&)> counted_;
  std::thread writer_;
  mutable std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::shared_ptr<Queued>> queue_;                    // GUARDED_BY(mutex_)
  std::deque<Following> following_;                              // GUARDED_BY(mutex_)
  size_t following_objects_ = 0;                                 // GUARDED_BY(mutex_)
  std::unordered_map<std::string, WriteStatus> pending_;         // GUARDED_BY(mutex_), by status id
  size_t queued_objects_ = 0;                                    // GUARDED_BY(mutex_)
  bool writing_objects_ = false;                                 // GUARDED_BY(mutex_)
  bool stopping_ = false;                                        // GUARDED_BY(mutex_)
  int64_t last_spooled_micros_ = 0;                              // GUARDED_BY(mutex_): file names in arrival order
};

}  // namespace jaga::taxii
