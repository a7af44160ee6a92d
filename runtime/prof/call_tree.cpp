#include "call_tree.hpp"

#include <cmath>

namespace tessera::prof {

std::uint32_t FunctionTable::intern(const std::string& name) {
  auto it = ids_.find(name);
  if (it != ids_.end()) return it->second;
  auto id = static_cast<std::uint32_t>(names_.size());
  names_.push_back(name);
  ids_.emplace(name, id);
  return id;
}

std::uint32_t CallTree::child(std::uint32_t parent, std::uint32_t func) {
  std::uint64_t key = std::uint64_t{parent} << 32 | func;
  auto it = children_.find(key);
  if (it != children_.end()) return it->second;
  auto id = static_cast<std::uint32_t>(nodes_.size());
  Node n;
  n.parent = parent;
  n.func = func;
  nodes_.push_back(n);
  children_.emplace(key, id);
  return id;
}

void CallTree::add_sample(const std::uint32_t* funcs, std::size_t n, std::int64_t weight) {
  std::uint32_t at = kRoot;
  nodes_[kRoot].total += weight;
  for (std::size_t i = 0; i < n; ++i) {
    at = child(at, funcs[i]);
    nodes_[at].total += weight;
  }
  nodes_[at].self += weight;
}

std::size_t CallTree::depth(std::uint32_t id) const {
  std::size_t d = 0;
  for (; id != kRoot; id = nodes_[id].parent) ++d;
  return d;
}

namespace {

bool has_ancestor(const std::vector<CallTree::Node>& nodes, std::uint32_t id) {
  std::uint32_t func = nodes[id].func;
  for (std::uint32_t p = nodes[id].parent; p != CallTree::kRoot; p = nodes[p].parent)
    if (nodes[p].func == func) return true;
  return false;
}

}  // namespace

std::vector<FunctionStat> function_stats(const CallTree& tree, std::size_t nfuncs) {
  std::vector<FunctionStat> by_func(nfuncs);
  std::vector<bool> seen(nfuncs, false);
  const auto& nodes = tree.nodes();
  for (std::uint32_t id = 1; id < nodes.size(); ++id) {
    const CallTree::Node& n = nodes[id];
    FunctionStat& s = by_func[n.func];
    s.func = n.func;
    seen[n.func] = true;
    s.calls += n.calls;
    s.self += n.self;
    if (!has_ancestor(nodes, id)) s.total += n.total;
  }
  std::vector<FunctionStat> out;
  for (std::size_t f = 0; f < nfuncs; ++f)
    if (seen[f]) out.push_back(by_func[f]);
  return out;
}

bool write_collapsed(const CallTree& tree, const FunctionTable& funcs, double scale,
                     std::FILE* out) {
  const auto& nodes = tree.nodes();
  std::vector<std::uint32_t> path;
  std::string line;
  for (std::uint32_t id = 1; id < nodes.size(); ++id) {
    auto weight = static_cast<long long>(std::llround(double(nodes[id].self) * scale));
    if (weight <= 0) continue;
    path.clear();
    for (std::uint32_t p = id; p != CallTree::kRoot; p = nodes[p].parent) path.push_back(p);
    line.clear();
    for (auto it = path.rbegin(); it != path.rend(); ++it) {
      if (!line.empty()) line += ';';
      for (char c : funcs.name(nodes[*it].func)) line += (c == ';' || c == '\n') ? ':' : c;
    }
    if (std::fprintf(out, "%s %lld\n", line.c_str(), weight) < 0) return false;
  }
  return true;
}

}  // namespace tessera::prof
