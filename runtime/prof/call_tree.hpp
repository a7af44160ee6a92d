// The profiler's call tree: one node per distinct call path, with the
// function's name interned in a FunctionTable. The exact mode adds calls and
// nanoseconds (total = self + the children's totals); the sampling mode adds
// sample counts along each sampled path. No Lua here.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <unordered_map>
#include <vector>

namespace tessera::prof {

// Display names of functions ("g (script.lua:5)", "[native] add"), by id.
class FunctionTable {
 public:
  std::uint32_t intern(const std::string& name);
  const std::string& name(std::uint32_t id) const { return names_[id]; }
  std::size_t size() const { return names_.size(); }

 private:
  std::vector<std::string> names_;
  std::unordered_map<std::string, std::uint32_t> ids_;
};

class CallTree {
 public:
  static constexpr std::uint32_t kRoot = 0;
  struct Node {
    std::uint32_t parent = kRoot;
    std::uint32_t func = 0;  // unused for the root
    std::uint64_t calls = 0;
    std::int64_t self = 0;   // ns (exact) or samples
    std::int64_t total = 0;  // self plus the children's totals
  };

  CallTree() : nodes_(1) {}
  // The child of parent for func, created on first use.
  std::uint32_t child(std::uint32_t parent, std::uint32_t func);
  // Adds weight to the leaf's self and to every total on the path; funcs are
  // listed from the outermost frame to the innermost.
  void add_sample(const std::uint32_t* funcs, std::size_t n, std::int64_t weight);

  Node& node(std::uint32_t id) { return nodes_[id]; }
  const std::vector<Node>& nodes() const { return nodes_; }
  std::size_t depth(std::uint32_t id) const;

 private:
  std::vector<Node> nodes_;
  std::unordered_map<std::uint64_t, std::uint32_t> children_;  // parent << 32 | func
};

// Per-function totals over the tree: calls and self add up over every node of
// the function; total counts a node only when no ancestor is the same
// function, so recursion is not counted twice.
struct FunctionStat {
  std::uint32_t func = 0;
  std::uint64_t calls = 0;
  std::int64_t self = 0, total = 0;
};
std::vector<FunctionStat> function_stats(const CallTree& tree, std::size_t nfuncs);

// Brendan Gregg's collapsed stacks: "outer;inner;leaf weight" per node with
// self > 0, weight = round(self * scale); lines of weight 0 are left out.
// Returns false when writing failed.
bool write_collapsed(const CallTree& tree, const FunctionTable& funcs, double scale,
                     std::FILE* out);

}  // namespace tessera::prof
