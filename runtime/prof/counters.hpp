// Hardware and software event counters through perf_event_open(2), for the
// whole process: one counter per event per thread that exists when counting
// starts (the Lua thread, TBB's workers, ts.par's workers, the I/O thread),
// each inherited by threads those create later; the counts are summed, and
// scaled when the kernel multiplexed a counter. Hardware events count user
// space only (exclude_kernel, what perf_event_paranoid = 2 allows); software
// events (page faults, task clock) include the kernel when it allows that.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tessera::prof {

struct EventSpec {
  const char* name;  // "cycles", "instructions", "cache_misses", ...
  std::uint32_t type;
  std::uint64_t config;
};
// The events counters() knows, by name.
const std::vector<EventSpec>& known_events();
const EventSpec* find_event(const std::string& name);

class Counters {
 public:
  struct Result {
    std::string name;
    bool available = false;
    std::uint64_t value = 0;
    std::string reason;  // why not available
  };

  explicit Counters(std::vector<const EventSpec*> events);
  ~Counters();
  Counters(const Counters&) = delete;
  Counters& operator=(const Counters&) = delete;

  void start();  // opens and enables the counters
  std::vector<Result> stop();

 private:
  struct Open {
    std::size_t event;
    int fd;
  };
  std::vector<const EventSpec*> events_;
  std::vector<Open> open_;
  std::vector<std::string> errors_;  // per event: the first open error
  std::vector<int> opened_;          // per event: counters opened
  void close_all();
};

// A one-line reading of the kernel's setting, for messages.
std::string paranoid_setting();

}  // namespace tessera::prof
