// Array memory by the code location that allocated it, like memray's summary:
// per site the allocation count, bytes allocated, bytes still live and the
// site's peak of live bytes; and the same totals over every site. Observes
// the runtime's buffer pool while the profiler runs (buffers are matched by
// address when they come back). Thread safe: buffers may be taken and given
// back on any thread.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "../buffer_pool.hpp"

namespace tessera::prof {

class MemorySites : public BufferObserver {
 public:
  struct Site {
    std::string where;
    std::uint64_t allocations = 0, bytes = 0;
    std::int64_t live = 0, peak = 0;
  };
  struct Totals {
    std::uint64_t allocations = 0, bytes = 0;
    std::int64_t live = 0, peak = 0;
  };

  MemorySites();
  void taken(void* p, std::size_t nbytes) override;
  void given(void* p, std::size_t nbytes) override;

  // The id of a site name (interned); site 0 is "(no Lua line)".
  std::uint32_t site(const std::string& where);
  std::vector<Site> sites() const;
  Totals totals() const;

 protected:
  // The site an allocation on the calling thread belongs to (0: unknown).
  virtual std::uint32_t current_site() { return 0; }

 private:
  mutable std::mutex mu_;
  std::vector<Site> sites_;
  std::unordered_map<std::string, std::uint32_t> ids_;
  struct Buffer {
    std::uint32_t site;
    std::size_t nbytes;
  };
  std::unordered_map<void*, Buffer> live_;
  Totals totals_;
};

}  // namespace tessera::prof
