#include "taxii/sync.h"

#include <boost/json.hpp>
#include <algorithm>
#include <future>
#include <thread>

#include "model/exchange.h"
#include "stix/object.h"
#include "taxii/protocol.h"
#include "taxii/received.h"
#include "util/time.h"

namespace jaga::taxii {

namespace json = boost::json;

namespace {

std::string query_escape(std::string_view text) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

bool worth_retrying(int status) { return status == 429 || status == 502 || status == 503 || status == 504 || status == 500; }


std::string strip_tags(std::string_view html) {
  std::string out;
  bool in_tag = false;
  for (char c : html) {
    if (c == '<') in_tag = true;
    else if (c == '>') { in_tag = false; out += ' '; }
    else if (!in_tag) out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  }
  std::string squeezed;
  for (char c : out)
    if (!(c == ' ' && (squeezed.empty() || squeezed.back() == ' '))) squeezed += c;
  while (!squeezed.empty() && squeezed.back() == ' ') squeezed.pop_back();
  return squeezed;
}

}  // namespace

std::string resource_url(std::string api_root, std::string_view rest) {
  if (api_root.empty() || api_root.back() != '/') api_root += '/';
  return api_root + std::string(rest);
}

std::string describe_answer(const HttpAnswer& answer) {
  std::string out = "HTTP " + std::to_string(answer.status);
  json::error_code ec;
  auto parsed = json::parse(answer.body, ec);
  if (!ec && parsed.is_object()) {
    const auto& o = parsed.get_object();
    for (const char* field : {"title", "description", "detail"})
      if (auto* v = o.if_contains(field); v && v->is_string() && !v->get_string().empty())
        out += ": " + std::string(v->get_string());
    return out;
  }
  std::string_view body = answer.body;
  auto open = body.find("<title>");
  if (open == std::string_view::npos) open = body.find("<TITLE>");
  if (open != std::string_view::npos) {
    auto close = body.find("</", open);
    auto title = strip_tags(body.substr(open + 7, close == std::string_view::npos ? 200 : close - open - 7));
    if (!title.empty()) return out + ": " + title;
  }
  auto text = strip_tags(body.substr(0, 2000));
  if (text.size() > 200) text = text.substr(0, 200) + "...";
  return text.empty() ? out : out + ": " + text;
}

PartnerSync::PartnerSync(Store& store, Transport& transport, SyncOptions options)
    : store_(store), transport_(transport), options_(options) {}

Result<HttpAnswer> PartnerSync::send(HttpRequest request, SyncReport& report) {
  request.timeout_seconds = options_.timeout_seconds;
  auto delay = options_.first_retry_delay;
  Result<HttpAnswer> answer = Error::unavailable("not sent");
  for (int attempt = 1; attempt <= options_.attempts; ++attempt) {
    answer = transport_.send(request);
    if (answer && !worth_retrying(answer->status)) return answer;
    if (attempt == options_.attempts) break;
    note(report, "retried " + request.method + " " + request.url + " after " +
                     (answer ? describe_answer(*answer) : answer.error().message));
    std::this_thread::sleep_for(delay);
    delay *= 2;
  }
  if (!answer) return answer.error();
  return Error::unavailable(request.method + " " + request.url + ": " + describe_answer(*answer));
}

Status PartnerSync::pull(PartnerRemote& remote, SyncReport& report) {
  auto collection = store_.find_collection(remote.pull_into);
  if (!collection) return collection.error();
  auto partner = store_.find_partner(remote.partner);
  if (!partner) return partner.error();
  const std::string objects_url = resource_url(remote.api_root, "collections/" + remote.remote_collection + "/objects/");
  struct Page {
    std::string added_after, next;
  };
  // The next page is asked for while this one is written: the server's
  // work and ours overlap.
  auto fetch = [&](Page page) {
    HttpRequest request;
    request.url = objects_url + "?limit=" + std::to_string(options_.page_size);
    if (!page.added_after.empty()) request.url += "&added_after=" + query_escape(page.added_after);
    if (!page.next.empty()) request.url += "&next=" + query_escape(page.next);
    request.headers = {{"Accept", std::string(kTaxiiMediaType)}};
    request.username = remote.username;
    request.password = remote.password;
    return std::async(std::launch::async, [this, request = std::move(request), &report] { return send(request, report); });
  };
  Page current{remote.pull_cursor, ""};
  auto in_flight = fetch(current);
  // Pages are gathered and written together, one batch while the next is
  // read: the writes of a batch touch each page of the collection's indexes
  // once, so a few large commits cost far less than many small ones once
  // those indexes are large. The cursor moves only past what was committed.
  std::shared_ptr<PageWrites> written;  // the batch the store is writing
  std::vector<SharedObjectInput> gathered;
  ParsedImport gathered_indicators;  // read from the objects' documents as they were checked
  std::string gathered_cursor;  // X-TAXII-Date-Added-Last of the last page gathered
  auto write_gathered = [&]() -> Status {
    if (auto st = settle(written, remote, report); !st) return st;
    if (gathered.empty()) {
      if (!gathered_cursor.empty()) remote.pull_cursor = std::exchange(gathered_cursor, "");
      return {};
    }
    ReceivedObjects write = received_objects(*partner, *collection, std::exchange(gathered, {}),
                                             std::exchange(gathered_indicators, {}), "pull", "");
    written = std::make_shared<PageWrites>();
    written->objects = static_cast<int64_t>(write.objects.size());
    written->indicators = write.indicators ? static_cast<int64_t>(write.indicators->indicators.size()) : 0;
    written->cursor = std::exchange(gathered_cursor, "");
    written->writes = std::make_shared<std::vector<ReceivedObjects>>();
    written->writes->push_back(std::move(write));
    auto batch_writes = written;
    // The objects and their indicators in one commit.
    store_.receive_shared_objects(written->writes, [batch_writes](Result<std::vector<WriteStatus>> done) {
      if (!done) batch_writes->fail(done.error());
      else batch_writes->conflicts = static_cast<int64_t>(done->front().failures.size());
      batch_writes->arrive();
    });
    return {};
  };
  // What was read before a failure is still written.
  auto write_all = [&]() -> Status {
    Status outcome = write_gathered();
    Status settled = settle(written, remote, report);
    return outcome ? settled : outcome;
  };
  bool next_failed_once = false;
  int empty_pages = 0;
  for (size_t count = 0; count < options_.max_pages; ++count) {
    auto answer = in_flight.get();
    if (!answer) {
      (void)write_all();
      return answer.error();
    }
    if (answer->status >= 400 && !current.next.empty() && answer->status < 500 && answer->status != 401 &&
        answer->status != 403 && !next_failed_once) {
      // An expired `next`: the pages before it are read, so page on from the
      // last date they carried.
      note(report, "the server refused its own next token (" + describe_answer(*answer) +
                       "); paging on from added_after " + current.added_after);
      current.next.clear();
      next_failed_once = true;
      in_flight = fetch(current);
      continue;
    }
    if (answer->status != 200) {
      (void)write_all();
      return Error::unavailable("GET " + objects_url + ": " + describe_answer(*answer));
    }
    next_failed_once = false;
    auto envelope = stix::read_envelope(answer->body, [&](const boost::json::value& object, size_t index) {
      read_stix_object(object, index, gathered_indicators);
    });
    if (!envelope) return Error::invalid("the envelope from " + objects_url + " is malformed: " + envelope.error().message);
    ++report.pull_pages;
    // Where the next page starts: the server's own text goes back to it
    // (some compare timestamps as text).
    Page following = current;
    auto last = answer->header("x-taxii-date-added-last");
    auto last_time = stix::normal_timestamp(last);
    bool moved = last_time && (current.added_after.empty() ||
                               *last_time > stix::normal_timestamp(current.added_after).value_or(""));
    if (moved) following.added_after = last;
    bool more = envelope->more;
    if (more && envelope->objects.empty() && ++empty_pages >= 3) {
      note(report, "the server kept saying more with empty pages; stopped");
      more = false;
    } else if (!envelope->objects.empty()) {
      empty_pages = 0;
    }
    if (more) {
      if (!envelope->next.empty()) {
        following.next = envelope->next;
      } else if (last.empty()) {
        return Error::unavailable("the server says there is more but gives neither next nor X-TAXII-Date-Added-Last");
      } else if (!moved) {
        return Error::unavailable("the server says there is more but its X-TAXII-Date-Added-Last does not move on");
      } else {
        following.next.clear();
        note(report, "paging by added_after: the server gives more without next", true);
      }
      in_flight = fetch(following);
    }
    auto page = shared_inputs(std::move(envelope->objects));
    gathered.insert(gathered.end(), std::make_move_iterator(page.begin()), std::make_move_iterator(page.end()));
    if (moved) gathered_cursor = last;
    if (gathered.size() >= options_.write_objects || !more)
      if (auto st = write_gathered(); !st) return st;
    if (!more) return write_all();
    current = following;
  }
  return write_all();
}

Status PartnerSync::settle(std::shared_ptr<PageWrites>& written, PartnerRemote& remote, SyncReport& report) {
  if (!written) return {};
  auto page = std::exchange(written, nullptr);
  Status outcome = page->wait();
  page->writes.reset();  // on this thread
  if (!outcome) return outcome;
  report.pulled += page->objects;
  remote.pulled += page->objects;
  report.conflicts += page->conflicts;
  report.indicators += page->indicators;
  if (!page->cursor.empty()) remote.pull_cursor = page->cursor;  // committed: the next sync starts after it
  return {};
}

void PartnerSync::note(SyncReport& report, std::string text, bool once) {
  std::lock_guard lock(notes_mutex_);
  if (once && std::find(report.notes.begin(), report.notes.end(), text) != report.notes.end()) return;
  report.notes.push_back(std::move(text));
}

Status PartnerSync::push(PartnerRemote& remote, SyncReport& report) {
  if (remote.push_from.empty()) return {};
  auto collection = store_.find_collection(remote.push_from);
  if (!collection) return collection.error();
  auto partner = store_.find_partner(remote.partner);
  if (!partner) return partner.error();
  const std::string objects_url = resource_url(remote.api_root, "collections/" + remote.remote_collection + "/objects/");
  for (;;) {
    ObjectQuery query;
    query.collection_id = collection->id;
    query.added_after = remote.push_cursor;
    query.version_match = VersionMatch::all;
    query.limit = options_.page_size;
    query.max_tlp = highest_tlp_leaving(partner->agreement, *collection);
    query.personal_data = partner->agreement.personal_data;
    auto page = store_.list_shared_objects(query);
    if (!page) return page.error();
    if (page->objects.empty()) return {};
    std::string envelope = "{\"objects\":[";
    Transfer transfer = transfer_entry(*partner, collection->alias, "sent", "push");
    for (const auto& o : page->objects) {
      if (o.origin == remote.partner) continue;  // what they sent does not go back to them
      if (!transfer.objects.empty()) envelope += ',';
      envelope += o.json;
      transfer.objects.emplace_back(o.stix_id, o.version);
    }
    envelope += "]}";
    std::string last_added = page->objects.back().date_added;
    if (!transfer.objects.empty()) {
      HttpRequest request;
      request.method = "POST";
      request.url = objects_url;
      request.headers = {{"Accept", std::string(kTaxiiMediaType)}, {"Content-Type", std::string(kTaxiiMediaType)}};
      request.username = remote.username;
      request.password = remote.password;
      request.body = std::move(envelope);
      auto answer = send(request, report);
      if (!answer) return answer.error();
      if (answer->status != 202 && answer->status != 200)
        return Error::unavailable("POST " + objects_url + ": " + describe_answer(*answer));
      size_t count = transfer.objects.size();
      auto logged = wait_for<int64_t>([&](auto done) { store_.log_transfer(std::move(transfer), done); });
      if (!logged) return logged.error();
      // The status may complete later: ask again until it does.
      json::error_code ec;
      auto status = json::parse(answer->body, ec);
      for (int poll = 0; !ec && status.is_object() && poll < options_.status_polls; ++poll) {
        auto* state = status.get_object().if_contains("status");
        if (!state || !state->is_string() || state->get_string() != "pending") break;
        auto* id = status.get_object().if_contains("id");
        if (!id || !id->is_string()) break;
        if (poll == 0) note(report, "the server completes writes later; polled its status");
        std::this_thread::sleep_for(options_.status_poll_delay);
        HttpRequest ask;
        ask.url = resource_url(remote.api_root, "status/" + std::string(id->get_string()) + "/");
        ask.headers = {{"Accept", std::string(kTaxiiMediaType)}};
        ask.username = remote.username;
        ask.password = remote.password;
        auto again = send(ask, report);
        if (!again) return again.error();
        if (again->status != 200) return Error::unavailable("GET " + ask.url + ": " + describe_answer(*again));
        status = json::parse(again->body, ec);
      }
      if (!ec && status.is_object()) {
        const auto& s = status.get_object();
        if (auto* state = s.if_contains("status"); state && state->is_string() && state->get_string() == "pending")
          return Error::unavailable("the server's status " + objects_url + " stayed pending");
        if (auto* failures = s.if_contains("failure_count"); failures && failures->is_int64() && failures->get_int64() > 0)
          note(report, std::to_string(failures->get_int64()) + " pushed objects were refused by the server");
      }
      report.pushed += static_cast<int64_t>(count);
      remote.pushed += static_cast<int64_t>(count);
      ++report.push_batches;
    }
    remote.push_cursor = last_added;
    if (!page->more) return {};
  }
}

SyncReport PartnerSync::run(PartnerRemote& remote) {
  SyncReport report;
  remote.last_attempt = now_rfc3339();
  Status outcome = pull(remote, report);
  if (outcome) outcome = push(remote, report);
  if (outcome) {
    remote.last_success = remote.last_attempt;
    remote.last_error.clear();
    remote.failures = 0;
  } else {
    report.error = outcome.error().message;
    remote.last_error = report.error;
    ++remote.failures;
  }
  auto recorded = wait_for<bool>([&](auto done) { store_.record_sync(remote, done); });
  if (!recorded && report.error.empty()) report.error = recorded.error().message;
  return report;
}

}  // namespace jaga::taxii
