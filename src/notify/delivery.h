// The delivery worker: a thread that sends what the outbox holds, records
// each attempt (sent, retry later, failed for good), and queues the SLA
// reminders that come due. Messages are claimed from the store, never held
// only in memory, so a crash loses none: what was not recorded as sent is
// sent again after a restart (recipients can tell by the Message-ID).
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "model/notification.h"
#include "notify/mail.h"
#include "notify/smtp.h"
#include "store/store.h"

namespace jaga::notify {

struct DeliveryOptions {
  std::string from_address;      // envelope and header sender
  std::string from_name;         // the desk's name
  std::string message_id_domain; // right of the @ in Message-IDs
  RetryPolicy retry;
  std::chrono::milliseconds poll{1000};
  std::chrono::seconds reminder_interval{300};
  std::chrono::hours reminder_lead{24};  // remind this long before the resolution is due
};

// The message for one outbox entry.
MailMessage mail_for(const OutboxMessage& message, const DeliveryOptions& options);

class DeliveryWorker {
 public:
  // Without a sender (no mail server configured) messages stay queued and
  // reminders are still queued.
  DeliveryWorker(Store& store, DeliveryOptions options, std::unique_ptr<MailSender> sender);
  ~DeliveryWorker();
  DeliveryWorker(const DeliveryWorker&) = delete;
  DeliveryWorker& operator=(const DeliveryWorker&) = delete;

  void start();
  void stop();
  // One pass: queue due reminders (at most once per reminder_interval), then
  // send every message that is due. Answers how many attempts were made.
  int run_once();

 private:
  void loop();
  void deliver(const OutboxMessage& message);

  Store& store_;
  DeliveryOptions options_;
  std::unique_ptr<MailSender> sender_;
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;  // GUARDED_BY(mutex_)
  std::chrono::steady_clock::time_point next_reminder_scan_{};
};

}  // namespace jaga::notify
