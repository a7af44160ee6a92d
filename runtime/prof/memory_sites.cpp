#include "memory_sites.hpp"

#include <algorithm>

namespace tessera::prof {

MemorySites::MemorySites() { site("(no Lua line)"); }

std::uint32_t MemorySites::site(const std::string& where) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = ids_.find(where);
  if (it != ids_.end()) return it->second;
  auto id = static_cast<std::uint32_t>(sites_.size());
  sites_.push_back(Site{where});
  ids_.emplace(where, id);
  return id;
}

void MemorySites::taken(void* p, std::size_t nbytes) {
  std::uint32_t id = current_site();
  auto n = static_cast<std::int64_t>(nbytes);
  std::lock_guard<std::mutex> lock(mu_);
  Site& s = sites_[id];
  ++s.allocations;
  s.bytes += nbytes;
  s.live += n;
  s.peak = std::max(s.peak, s.live);
  ++totals_.allocations;
  totals_.bytes += nbytes;
  totals_.live += n;
  totals_.peak = std::max(totals_.peak, totals_.live);
  live_[p] = Buffer{id, nbytes};
}

void MemorySites::given(void* p, std::size_t) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = live_.find(p);
  if (it == live_.end()) return;  // taken before profiling started
  auto n = static_cast<std::int64_t>(it->second.nbytes);
  sites_[it->second.site].live -= n;
  totals_.live -= n;
  live_.erase(it);
}

std::vector<MemorySites::Site> MemorySites::sites() const {
  std::lock_guard<std::mutex> lock(mu_);
  return sites_;
}

MemorySites::Totals MemorySites::totals() const {
  std::lock_guard<std::mutex> lock(mu_);
  return totals_;
}

}  // namespace tessera::prof
