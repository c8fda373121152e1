#include "notify/delivery.h"

#include "util/log.h"
#include "util/time.h"

namespace jaga::notify {

MailMessage mail_for(const OutboxMessage& message, const DeliveryOptions& options) {
  MailMessage mail;
  mail.from_address = options.from_address;
  mail.from_name = options.from_name;
  mail.to_address = message.recipient;
  mail.to_name = message.recipient_name;
  mail.subject = message.subject;
  mail.body = message.body;
  // Stable across attempts, so that a message sent twice (a crash between
  // sending and recording it) is recognisably the same one.
  std::string created;
  for (char c : message.created_at)
    if (c >= '0' && c <= '9') created += c;
  mail.message_id = "outbox-" + std::to_string(message.id) + "." + created + "@" + options.message_id_domain;
  mail.date = Clock::now();
  if (!message.incident.empty()) mail.headers.emplace_back("X-Jaga-Reference", message.incident);
  // RFC 3834: automatic replies (out of office) should not answer it.
  mail.headers.emplace_back("Auto-Submitted", "auto-generated");
  return mail;
}

DeliveryWorker::DeliveryWorker(Store& store, DeliveryOptions options, std::unique_ptr<MailSender> sender)
    : store_(store), options_(std::move(options)), sender_(std::move(sender)) {}

DeliveryWorker::~DeliveryWorker() { stop(); }

void DeliveryWorker::start() {
  thread_ = std::thread([this] { loop(); });
}

void DeliveryWorker::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void DeliveryWorker::loop() {
  while (true) {
    run_once();
    std::unique_lock lock(mutex_);
    if (wake_.wait_for(lock, options_.poll, [&] { return stopping_; })) return;
  }
}

int DeliveryWorker::run_once() {
  auto now = std::chrono::steady_clock::now();
  if (now >= next_reminder_scan_) {
    next_reminder_scan_ = now + options_.reminder_interval;
    auto due_before = format_rfc3339(Clock::now() + options_.reminder_lead);
    auto queued = wait_for<int>([&](auto done) { store_.queue_sla_reminders(due_before, done); });
    if (!queued) log::warn("SLA reminders not queued", {{"error", queued.error().message}});
    else if (*queued > 0) log::info("SLA reminders queued", {{"messages", *queued}});
  }
  if (!sender_) return 0;
  int attempts = 0;
  // A batch at a time, so that stopping is never far away.
  while (true) {
    auto due = store_.due_messages(now_rfc3339(), 20);
    if (!due) {
      log::warn("outbox not readable", {{"error", due.error().message}});
      return attempts;
    }
    for (const auto& message : *due) {
      deliver(message);
      ++attempts;
    }
    std::lock_guard lock(mutex_);
    if (due->size() < 20 || stopping_) return attempts;
  }
}

void DeliveryWorker::deliver(const OutboxMessage& message) {
  DeliveryOutcome outcome;
  SendResult result;
  if (!plausible_mail_address(message.recipient)) {
    result.permanent = true;
    result.error = "'" + message.recipient + "' is not an email address a mail server would accept";
  } else {
    result = sender_->send(options_.from_address, message.recipient, format_mail(mail_for(message, options_)));
  }
  outcome.at = now_rfc3339();
  outcome.sent = result.sent;
  if (!result.sent) {
    outcome.error = result.error;
    auto delay = result.permanent ? std::nullopt : retry_delay(options_.retry, message.attempts + 1);
    if (delay) outcome.next_attempt_at = format_rfc3339(Clock::now() + *delay);
  }
  auto recorded = wait_for<bool>([&](auto done) { store_.record_delivery(message.id, outcome, done); });
  if (!recorded) log::error("delivery not recorded", {{"message", static_cast<long long>(message.id)}, {"error", recorded.error().message}});
  // No addresses in the log: a reporter's is personal data.
  if (result.sent) {
    log::info("notification sent", {{"message", static_cast<long long>(message.id)}, {"incident", message.incident}});
  } else {
    log::warn(outcome.next_attempt_at.empty() ? "notification failed" : "notification will be retried",
              {{"message", static_cast<long long>(message.id)}, {"incident", message.incident}, {"smtp_code", result.smtp_code},
               {"attempt", message.attempts + 1}});
  }
}

}  // namespace jaga::notify
