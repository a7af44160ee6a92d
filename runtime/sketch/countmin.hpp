// Count-min sketch (Cormode and Muthukrishnan, 2005): depth rows of width
// 64-bit counters; an item adds its weight to one counter per row (chosen by
// double hashing of its 128-bit hash) and its point estimate is the smallest
// of its counters. The estimate never falls below the true count, and with
// width = ceil(e / epsilon) and depth = ceil(ln(1 / delta)) it exceeds it by
// more than epsilon * N (N the total weight) with probability at most delta.
//
// Heavy hitters: up to `topk` candidate items are remembered by value, those
// with the largest estimates among the items added (re-estimated whenever
// asked). A bulk add keeps the topk items with the largest estimates among
// the old candidates and the array's items, independent of thread count.
#pragma once

#include "sketch.hpp"

namespace tessera::sketch {

class CountMin : public Sketch {
 public:
  // Throws Error unless 1 <= width <= 2^28, 1 <= depth <= 64, 0 <= topk <= 10000
  // and width * depth <= 2^30.
  CountMin(std::int64_t width, std::int64_t depth, std::int64_t topk);

  Kind kind() const override { return Kind::CountMin; }
  std::size_t bytes() const override;
  std::string describe() const override;
  void save(Writer& w) const override;
  static std::unique_ptr<CountMin> read(Reader& r);

  std::uint64_t width() const { return width_; }
  int depth() const { return depth_; }
  std::uint64_t total() const { return total_; }
  std::int64_t topk() const { return topk_; }
  double epsilon() const;  // e / width
  double delta() const;    // exp(-depth)

  void add(const Key& key, Hash128 h, std::uint64_t weight);
  void add_array(Context& ctx, const Array& a, std::uint64_t weight);
  std::uint64_t estimate(Hash128 h) const;
  // out gets a's size; a must be C-contiguous.
  void estimate_array(Context& ctx, const Array& a, std::int64_t* out) const;
  void merge(const CountMin& o);  // throws Error unless width and depth agree

  struct Candidate {
    Key key;
    Hash128 hash;
    std::uint64_t count;
  };
  // The candidates whose estimate is at least min_count, largest first.
  std::vector<Candidate> heavy_hitters(std::uint64_t min_count) const;
  const std::vector<std::uint64_t>& counters() const { return counters_; }

 private:
  CountMin() = default;
  void offer(Candidate c);  // one item into the candidate list
  void refresh() const;     // re-estimates the candidates
  std::uint64_t width_ = 0;
  int depth_ = 0;
  std::int64_t topk_ = 0;
  std::uint64_t total_ = 0;
  std::vector<std::uint64_t> counters_;  // row-major, depth x width
  mutable std::vector<Candidate> candidates_;
};

}  // namespace tessera::sketch
