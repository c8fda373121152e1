// The TAXII 2.1 client: one sync with a partner's server pulls what its
// collection added since the last cursor into a local collection (with the
// partner as provenance, into the transfer log, and indicators into the
// store of indicators), then pushes what the local collection added that
// the agreement lets leave, checking the status resource.
//
// Servers in the field differ within what the specification allows, and
// this copes with each: no page size (everything at once), `more` without
// `next` (paging on by added_after and X-TAXII-Date-Added-Last), `next`
// tokens that expire (paging on from the last page's date), errors as HTML
// (read for their title), statuses that complete later (polled), and
// failures that pass (retried with back-off).
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <optional>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "store/store.h"
#include "taxii/transport.h"

namespace jaga::taxii {

struct SyncOptions {
  size_t page_size = 10000;  // asked of the server when pulling (it may give fewer); objects per push
  int attempts = 4;          // per request, the first included
  std::chrono::milliseconds first_retry_delay{500};  // doubles with each attempt
  int status_polls = 40;     // how often a pending status is asked again
  std::chrono::milliseconds status_poll_delay{250};
  size_t max_pages = 1000000;
  size_t write_objects = 50000;  // pulled objects gathered into one write
  int timeout_seconds = 120;
};

struct SyncReport {
  int64_t pulled = 0, pushed = 0;  // objects
  int64_t pull_pages = 0, push_batches = 0;
  int64_t indicators = 0;          // received indicators taken into the store
  int64_t conflicts = 0;           // received objects that clashed with held ones
  std::vector<std::string> notes;  // how the server was coped with
  std::string error;               // empty: it all went through
  bool ok() const { return error.empty(); }
};

class PartnerSync {
 public:
  // The store's writes of one batch of pulled pages, which finish on its writer thread.
  struct PageWrites {
    int64_t objects = 0, indicators = 0, conflicts = 0;
    std::string cursor;  // where the next sync starts once this batch is in
    std::shared_ptr<std::vector<ReceivedObjects>> writes;  // freed here, not on the store's writer
    void fail(Error e) { std::lock_guard lock(mutex); if (!error) error = std::move(e); }
    void arrive() { { std::lock_guard lock(mutex); arrived = true; } done.notify_all(); }
    Status wait() {
      std::unique_lock lock(mutex);
      done.wait(lock, [this] { return arrived; });
      if (error) return *error;
      return {};
    }
    std::mutex mutex;
    std::condition_variable done;
    bool arrived = false;  // the write of the objects with their indicators is over
    std::optional<Error> error;
  };

  PartnerSync(Store& store, Transport& transport, SyncOptions options = {});
  // Runs a pull and a push for `remote`, moves its cursors and counts as far
  // as what was committed, and records the outcome in the store.
  SyncReport run(PartnerRemote& remote);

 private:
  Result<HttpAnswer> send(HttpRequest request, SyncReport& report);
  Status pull(PartnerRemote& remote, SyncReport& report);
  Status push(PartnerRemote& remote, SyncReport& report);
  // Waits for the batch the store is writing and counts it in.
  Status settle(std::shared_ptr<PageWrites>& written, PartnerRemote& remote, SyncReport& report);
  // Notes come from the thread that fetches ahead too.
  void note(SyncReport& report, std::string text, bool once = false);

  Store& store_;
  Transport& transport_;
  SyncOptions options_;
  std::mutex notes_mutex_;
};

// What an error answer says, for a person: the TAXII error object's title
// and description, an HTML page's title, or the start of the text.
std::string describe_answer(const HttpAnswer& answer);

// The URL of a collection's resource on a server: the API root (with or
// without its trailing slash) and the rest of the path.
std::string resource_url(std::string api_root, std::string_view rest);

}  // namespace jaga::taxii
