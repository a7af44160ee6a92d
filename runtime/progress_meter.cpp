#include "progress_meter.hpp"

#include <unistd.h>

#include <cstdio>

namespace tessera {
namespace {

constexpr std::int64_t kRedrawUs = 100000;

void format_count(char* out, std::size_t size, double v) {
  const char* units[] = {"", "k", "M", "G", "T", "P"};
  int u = 0;
  while (v >= 1000 && u < 5) {
    v /= 1000;
    ++u;
  }
  std::snprintf(out, size, u ? "%.2f%s" : "%.0f%s", v, units[u]);
}

void format_clock(char* out, std::size_t size, double seconds) {
  const long s = static_cast<long>(seconds + 0.5);
  std::snprintf(out, size, "%02ld:%02ld", s / 60, s % 60);
}

}  // namespace

bool ProgressMeter::terminal() { return isatty(STDERR_FILENO) == 1; }

ProgressMeter::ProgressMeter(std::int64_t total) : total_(total) {}

ProgressMeter::~ProgressMeter() {
  if (!drawn_.load()) return;
  std::lock_guard<std::mutex> lock(drawing_);
  const char clear[] = "\r\033[K";
  [[maybe_unused]] ssize_t w = ::write(STDERR_FILENO, clear, sizeof clear - 1);
}

void ProgressMeter::advance(std::int64_t n) noexcept {
  const std::int64_t done = done_.fetch_add(n, std::memory_order_relaxed) + n;
  const auto us =
      std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start_).count();
  std::int64_t next = next_draw_us_.load(std::memory_order_relaxed);
  if (us < next || !next_draw_us_.compare_exchange_strong(next, us + kRedrawUs)) return;
  std::unique_lock<std::mutex> lock(drawing_, std::try_to_lock);
  if (lock.owns_lock()) draw(done, us * 1e-6);
}

// " 45%|#########           | 1.21G/2.70G [00:03<00:04, 352.00M/s]"
void ProgressMeter::draw(std::int64_t done, double elapsed) noexcept {
  constexpr int kWidth = 20;
  const double fraction = total_ > 0 ? static_cast<double>(done) / total_ : 1.0;
  const int cells = static_cast<int>(fraction * kWidth);
  char bar[kWidth + 1];
  for (int i = 0; i < kWidth; ++i) bar[i] = i < cells ? '#' : ' ';
  bar[kWidth] = 0;
  const double rate = elapsed > 0 ? done / elapsed : 0;
  char sdone[24], stotal[24], srate[24], sel[48], seta[48];
  format_count(sdone, sizeof sdone, static_cast<double>(done));
  format_count(stotal, sizeof stotal, static_cast<double>(total_));
  format_count(srate, sizeof srate, rate);
  format_clock(sel, sizeof sel, elapsed);
  format_clock(seta, sizeof seta, rate > 0 ? (total_ - done) / rate : 0);
  char line[256];
  int len = std::snprintf(line, sizeof line, "\r%3d%%|%s| %s/%s [%s<%s, %s/s]\033[K",
                          static_cast<int>(fraction * 100), bar, sdone, stotal, sel, seta, srate);
  if (len <= 0) return;
  if (len >= static_cast<int>(sizeof line)) len = sizeof line - 1;
  [[maybe_unused]] ssize_t w = ::write(STDERR_FILENO, line, static_cast<std::size_t>(len));
  drawn_.store(true);
}

}  // namespace tessera
