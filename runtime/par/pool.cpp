#include "pool.hpp"

#include <algorithm>

namespace tessera::par {

std::mutex& Pool::done_mu() {
  static auto* mu = new std::mutex;
  return *mu;
}

std::condition_variable& Pool::done_cv() {
  static auto* cv = new std::condition_variable;
  return *cv;
}

Job::Job(std::int64_t pieces, Schedule schedule, int workers)
    : pieces_(pieces < 0 ? 0 : pieces), schedule_(schedule), workers_(workers < 1 ? 1 : workers) {
  if (schedule_ == Schedule::Static) {
    mine_ = std::make_unique<std::atomic<std::int64_t>[]>(static_cast<std::size_t>(workers_));
    for (int w = 0; w < workers_; ++w) mine_[w].store(0, std::memory_order_relaxed);
  }
}

void Job::fail(std::int64_t item, const char* message) noexcept {
  {
    std::lock_guard<std::mutex> lock(error_mu_);
    if (!failed_) {
      failed_ = true;
      error_item_ = item;
      try {
        error_ = message;
      } catch (...) {
        error_item_ = item;  // the message is lost; failed_ still reports it
      }
    }
  }
  cancelled_.store(true, std::memory_order_release);
}

bool Job::claim(int worker, std::int64_t& piece) {
  if (schedule_ == Schedule::Dynamic) {
    std::int64_t p = next_.fetch_add(1, std::memory_order_relaxed);
    if (p >= pieces_) return false;
    piece = p;
  } else {
    if (worker >= workers_) return false;
    std::int64_t k = mine_[worker].fetch_add(1, std::memory_order_relaxed);
    std::int64_t p = worker + k * workers_;
    if (p >= pieces_) return false;
    piece = p;
  }
  claimed_.fetch_add(1, std::memory_order_relaxed);
  return true;
}

bool Job::has_work_for(int worker) const {
  if (schedule_ == Schedule::Dynamic) return next_.load(std::memory_order_relaxed) < pieces_;
  if (worker >= workers_) return false;
  return worker + mine_[worker].load(std::memory_order_relaxed) * workers_ < pieces_;
}

bool Job::exhausted() const { return claimed_.load(std::memory_order_relaxed) >= pieces_; }

void Job::finish_piece() { done_.fetch_add(1, std::memory_order_acq_rel); }

bool Job::all_done() const { return done_.load(std::memory_order_acquire) >= pieces_; }

Pool::Pool(int workers, std::shared_ptr<Hooks> hooks) : hooks_(std::move(hooks)) {
  if (workers < 1) workers = 1;
  threads_.reserve(static_cast<std::size_t>(workers));
  for (int w = 0; w < workers; ++w) threads_.emplace_back([this, w] { loop(w); });
}

Pool::~Pool() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
    stopping_.store(true);
  }
  work_cv_.notify_all();
  for (auto& t : threads_) t.join();
  for (auto& job : queue_) {
    if (!job->finished()) {
      job->fail(-1, "the worker pool was shut down");
      complete(*job);
    }
  }
}

void Pool::submit(const std::shared_ptr<Job>& job) {
  if (job->pieces() == 0) {
    complete(*job);
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.push_back(job);
  }
  work_cv_.notify_all();
}

std::shared_ptr<Job> Pool::pick(int worker) {
  for (auto it = queue_.begin(); it != queue_.end();) {
    if ((*it)->exhausted()) {
      it = queue_.erase(it);
      continue;
    }
    if ((*it)->has_work_for(worker)) return *it;
    ++it;
  }
  return nullptr;
}

void Pool::complete(Job& job) {
  {
    std::lock_guard<std::mutex> lock(done_mu());
    job.finished_.store(true, std::memory_order_release);
  }
  done_cv().notify_all();
}

void Pool::loop(int worker) {
  void* state = hooks_->start(worker);
  for (;;) {
    std::shared_ptr<Job> job;
    {
      std::unique_lock<std::mutex> lock(mu_);
      work_cv_.wait(lock, [&] { return stop_ || (job = pick(worker)) != nullptr; });
      if (stop_) break;
      ++busy_;
      ++job->inside_;
    }
    std::int64_t piece;
    while (job->claim(worker, piece)) {
      if (!job->cancelled()) hooks_->run(state, *job, piece);
      job->finish_piece();
      if (stopping_.load(std::memory_order_relaxed)) break;
    }
    // A job is complete once its pieces are done and every worker left it
    // (leaving collects the worker's garbage, so what the job made and did
    // not return is freed when the caller sees it complete).
    hooks_->leave(state, *job);
    bool last;
    {
      std::lock_guard<std::mutex> lock(mu_);
      --busy_;
      last = --job->inside_ == 0 && job->all_done();
    }
    if (last) complete(*job);
    job.reset();
    idle_cv_.notify_all();
  }
  hooks_->stop(state);
}

// Waits on done_cv until ready() or the timeout; with an interrupt flag in
// slices of kPollSeconds, giving up when it is requested.
template <class Ready>
static bool wait_until(std::unique_lock<std::mutex>& lock, std::condition_variable& cv,
                       double timeout, const InterruptFlag* interrupt, Ready ready) {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  const std::chrono::duration<double> slice(Pool::kPollSeconds);
  for (;;) {
    if (ready()) return true;
    if (interrupt && interrupt->requested()) return false;
    std::chrono::duration<double> left = std::chrono::duration<double>::max();
    if (timeout >= 0) {
      left = std::chrono::duration<double>(timeout) - (Clock::now() - start);
      if (left.count() <= 0) return false;
    }
    if (interrupt && left > slice) left = slice;
    if (left == std::chrono::duration<double>::max()) cv.wait(lock);
    else cv.wait_for(lock, left);
  }
}

bool Pool::wait(const Job& job, double timeout, const InterruptFlag* interrupt) {
  std::unique_lock<std::mutex> lock(done_mu());
  return wait_until(lock, done_cv(), timeout, interrupt, [&] { return job.finished(); });
}

int Pool::wait_any(const std::vector<const Job*>& jobs, double timeout,
                   const InterruptFlag* interrupt) {
  int found = -1;
  auto any = [&] {
    for (std::size_t i = 0; i < jobs.size(); ++i)
      if (jobs[i]->finished()) {
        found = static_cast<int>(i);
        return true;
      }
    return false;
  };
  std::unique_lock<std::mutex> lock(done_mu());
  wait_until(lock, done_cv(), timeout, interrupt, any);
  return found;
}

void Pool::interrupt(Job& job) {
  if (job.finished()) return;
  job.fail(-1, "interrupted");
  hooks_->interrupt(job);
}

bool Pool::idle() {
  std::unique_lock<std::mutex> lock(mu_);
  bool pending = !std::all_of(queue_.begin(), queue_.end(),
                              [](const std::shared_ptr<Job>& j) { return j->finished(); });
  if (pending) return false;
  // Every job finished: workers still busy are only leaving theirs.
  idle_cv_.wait(lock, [&] { return busy_ == 0; });
  return true;
}

}  // namespace tessera::par
