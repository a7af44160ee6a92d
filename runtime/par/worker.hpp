// The Lua side of the worker pool: jobs that carry Lua values (as Messages)
// and the Hooks that give each pool thread its own lua_State with the
// tessera module, run pieces of jobs there, and send results back.
//
// A worker state shares its caller's MemoryAccount (ts.memory anywhere
// reports every array; arrays made in a worker count towards the shared
// collection threshold) and its caller's TBB arena (kernels called from all
// workers together use at most the caller's threads). Each state collects its
// own garbage: when its allocations cross the threshold, and fully at the end
// of each job in which arrays were allocated.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "../parallel.hpp"
#include "../storage.hpp"
#include "pool.hpp"
#include "transfer.hpp"

namespace tessera::par {

// One value: nil, booleans and numbers inline, anything else encoded.
struct Slot {
  enum Kind : unsigned char { Nil, False, True, Int, Num, Encoded };
  Kind kind = Nil;
  union {
    std::int64_t i;
    double d;
  };
  std::unique_ptr<Message> msg;
  Slot() : i(0) {}
};

// Stores the value at idx into slot (raises Lua errors like encode; slot
// should be owned by something Lua frees, or by a job).
void capture(lua_State* L, int idx, Slot& slot, const char* fname, const char* what);
void push(lua_State* L, const Slot& slot);

class TaskJob : public Job {
 public:
  enum class Kind { Map, Call, Init };
  TaskJob(Kind kind, std::int64_t pieces, Schedule schedule, int workers);

  const Kind kind;
  const std::uint64_t serial;  // unique per process
  Message function;            // the function (Call: followed by its arguments)
  // Map: items 1..n (range) or items[0..n), chunk items per piece.
  std::int64_t n = 0, chunk = 1;
  bool range = true;
  std::vector<Slot> items;
  std::vector<Slot> results;
  bool ordered = true;
  std::vector<std::int64_t> order;  // unordered: item indices in completion order
  std::atomic<std::int64_t> order_pos{0};
  // Call: every value the function returned.
  Message result;
};

struct WorkerSetup {
  std::shared_ptr<MemoryAccount> account;
  int threads = 1;
  std::shared_ptr<Parallel::Arena> arena;  // null with one thread
  std::string path, cpath;                 // the caller's package.path and cpath
};

std::shared_ptr<Hooks> make_lua_hooks(WorkerSetup setup);

// Registry key set (to the worker number, from 1) in worker states.
inline constexpr const char* kWorkerKey = "tessera.par.worker";

}  // namespace tessera::par
