// A small pool of threads for blocking or CPU-heavy work (Argon2id, fsync of
// attachments, libmagic, extraction from large files), so the I/O threads never
// wait on it. The queue is bounded: post() returns false when it is full, and
// the caller answers 503 instead of letting memory grow.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace jaga {

class WorkerPool {
 public:
  WorkerPool(size_t threads, size_t capacity);
  ~WorkerPool();  // finishes queued work, then joins
  bool post(std::function<void()> job);

 private:
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> jobs_;  // GUARDED_BY(mutex_)
  bool stopping_ = false;                   // GUARDED_BY(mutex_)
  size_t capacity_;
  std::vector<std::thread> threads_;
};

}  // namespace jaga
