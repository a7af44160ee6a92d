// The profiler's clock: monotonic nanoseconds (a vDSO call, ~20 ns).
#pragma once

#include <time.h>

#include <cstdint>

namespace tessera::prof {

inline std::int64_t now_ns() {
  timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return std::int64_t{t.tv_sec} * 1000000000 + t.tv_nsec;
}

}  // namespace tessera::prof
