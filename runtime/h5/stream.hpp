// Streaming a dataset in blocks of rows, with the next block read ahead on
// the one I/O thread while the caller computes on the current one. No Lua.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <thread>

#include "dataset.hpp"

namespace tessera::h5 {

// The process's single HDF5 I/O thread (started on first use). Jobs run in
// submission order.
class IoThread {
 public:
  static IoThread& instance();
  ~IoThread();
  void submit(std::function<void()> job);

 private:
  IoThread() = default;
  void loop();
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> jobs_;
  bool stop_ = false;
  std::thread thread_;
};

class BlockReader {
 public:
  // rows <= 0 picks a block of whole chunks near 8 MiB.
  BlockReader(std::shared_ptr<MemoryAccount> account, std::shared_ptr<Object> dataset,
              std::int64_t rows, bool prefetch);
  ~BlockReader();
  BlockReader(const BlockReader&) = delete;
  BlockReader& operator=(const BlockReader&) = delete;

  // The next block and its rows (0-based first row, count); false at the end.
  bool next(Array& block, std::int64_t& first, std::int64_t& count);
  // Waits for a read in flight and stops. Idempotent.
  void close();
  std::int64_t rows_per_block() const { return rows_; }

 private:
  Array read_block(std::int64_t first, std::int64_t count) const;
  void start(std::int64_t first);

  std::shared_ptr<MemoryAccount> account_;
  std::shared_ptr<Object> dataset_;
  std::int64_t rows_ = 0, total_ = 0, next_ = 0;
  bool prefetch_ = true, closed_ = false;
  std::future<Array> pending_;
  std::int64_t pending_first_ = -1;
};

}  // namespace tessera::h5
