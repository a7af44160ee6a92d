#include "native_stats.hpp"

namespace tessera::prof {

void NativeStats::add(const char* name, std::int64_t ns, std::uint64_t bytes) {
  std::string key(name);
  auto it = index_.find(key);
  if (it == index_.end()) {
    it = index_.emplace(key, stats_.size()).first;
    stats_.push_back(NativeStat{key});
  }
  NativeStat& s = stats_[it->second];
  ++s.calls;
  s.ns += ns;
  s.bytes += bytes;
}

}  // namespace tessera::prof
