// Per native function (by the name its binding reports errors under): calls,
// time inside the C++ body, and bytes of the array operands and results.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace tessera::prof {

struct NativeStat {
  std::string name;
  std::uint64_t calls = 0;
  std::int64_t ns = 0;
  std::uint64_t bytes = 0;
};

class NativeStats {
 public:
  void add(const char* name, std::int64_t ns, std::uint64_t bytes);
  const std::vector<NativeStat>& all() const { return stats_; }

 private:
  std::vector<NativeStat> stats_;
  std::unordered_map<std::string, std::size_t> index_;
};

}  // namespace tessera::prof
