// Pool: a fixed set of worker threads, each owning one state made by the
// Hooks (a Lua state, for ts.par), and a queue of Jobs. A Job is divided into
// pieces that workers claim: any worker takes the next piece (dynamic
// schedule) or piece k goes to worker k mod workers (static schedule, also
// how a job runs once on every worker). A failed piece cancels the job: the
// pieces not started are skipped. No Lua here.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "../interrupt.hpp"

namespace tessera::par {

class Job {
 public:
  enum class Schedule { Dynamic, Static };
  Job(std::int64_t pieces, Schedule schedule, int workers);
  virtual ~Job() = default;
  Job(const Job&) = delete;
  Job& operator=(const Job&) = delete;

  std::int64_t pieces() const { return pieces_; }
  // Records the first failure (later ones are dropped) and cancels the rest.
  void fail(std::int64_t item, const char* message) noexcept;
  bool cancelled() const { return cancelled_.load(std::memory_order_acquire); }
  bool finished() const { return finished_.load(std::memory_order_acquire); }
  bool failed() const { return failed_; }              // after finished()
  const std::string& error() const { return error_; }  // after finished()
  std::int64_t error_item() const { return error_item_; }

 private:
  friend class Pool;
  bool claim(int worker, std::int64_t& piece);
  bool has_work_for(int worker) const;
  bool exhausted() const;
  void finish_piece();
  bool all_done() const;

  std::int64_t pieces_;
  Schedule schedule_;
  int workers_;
  // The counters every claim touches, each on its own cache line.
  alignas(64) std::atomic<std::int64_t> next_{0};  // dynamic
  alignas(64) std::atomic<std::int64_t> claimed_{0};
  alignas(64) std::atomic<std::int64_t> done_{0};
  std::unique_ptr<std::atomic<std::int64_t>[]> mine_;  // static: pieces claimed per worker
  int inside_ = 0;  // workers working on it (guarded by the pool's mutex)
  std::atomic<bool> cancelled_{false};
  std::atomic<bool> finished_{false};
  std::mutex error_mu_;
  bool failed_ = false;
  std::string error_;
  std::int64_t error_item_ = -1;
};

// What the pool's threads run. start and stop run on the worker's own thread.
class Hooks {
 public:
  virtual ~Hooks() = default;
  virtual void* start(int worker) = 0;
  virtual void run(void* state, Job& job, std::int64_t piece) = 0;
  // After the worker found nothing more to do in job.
  virtual void leave(void* state, Job& job) = 0;
  virtual void stop(void* state) = 0;
  // Any thread: stop the pieces of job that workers are running now.
  virtual void interrupt(Job& /*job*/) {}
};

class Pool {
 public:
  Pool(int workers, std::shared_ptr<Hooks> hooks);
  // Stops the workers after their current piece; jobs still queued fail.
  ~Pool();
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  int workers() const { return static_cast<int>(threads_.size()); }
  void submit(const std::shared_ptr<Job>& job);
  // Waits until job finished; timeout < 0 waits without limit. True when
  // finished. With an interrupt flag, also returns (false) once it is
  // requested, seen within kPollSeconds.
  bool wait(const Job& job, double timeout_seconds = -1, const InterruptFlag* interrupt = nullptr);
  // Waits until one of jobs finished; returns its index, or -1 on timeout
  // (or interrupt).
  int wait_any(const std::vector<const Job*>& jobs, double timeout_seconds = -1,
               const InterruptFlag* interrupt = nullptr);
  // Cancels job (its error: "interrupted") and asks the hooks to stop the
  // pieces running now; the job finishes soon after (wait for it).
  void interrupt(Job& job);
  static constexpr double kPollSeconds = 0.01;
  // True when every submitted job has finished (then waits for the workers
  // to finish leaving them); false while a job is pending.
  bool idle();

 private:
  void loop(int worker);
  std::shared_ptr<Job> pick(int worker);  // with mu_ held
  void complete(Job& job);

  std::shared_ptr<Hooks> hooks_;
  std::vector<std::thread> threads_;
  std::mutex mu_;
  std::condition_variable work_cv_;
  std::condition_variable idle_cv_;
  std::deque<std::shared_ptr<Job>> queue_;
  int busy_ = 0;
  bool stop_ = false;
  std::atomic<bool> stopping_{false};
  // Completions are announced process-wide, so that waiting for futures of
  // different pools (before and after a resize) sees every one.
  // (Never destroyed: pools may close during static destruction.)
  static std::mutex& done_mu();
  static std::condition_variable& done_cv();
};

}  // namespace tessera::par
