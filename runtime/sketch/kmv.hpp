// K minimum values (Bar-Yossef et al., 2002; Beyer et al., 2007): the k
// smallest distinct 64-bit item hashes. With v_k the k-th smallest as a
// fraction of 2^64, (k - 1) / v_k estimates the distinct count without bias,
// with relative standard error about 1/sqrt(k - 2); below k distinct items the
// count is exact. Sketches over the same hash combine: the union keeps the k
// smallest of both, and the share of the union's k values present in both
// estimates the Jaccard index, hence the intersection.
#pragma once

#include "sketch.hpp"

namespace tessera::sketch {

class Kmv : public Sketch {
 public:
  explicit Kmv(std::int64_t k);  // throws Error unless 2 <= k <= 2^24

  Kind kind() const override { return Kind::Kmv; }
  std::size_t bytes() const override;
  std::string describe() const override;
  void save(Writer& w) const override;
  static std::unique_ptr<Kmv> read(Reader& r);

  std::int64_t k() const { return k_; }
  void add(Hash128 h);
  void add_array(Context& ctx, const Array& a);
  void merge(const Kmv& o);  // in-place union; throws Error unless k agrees
  double estimate() const;
  // The relative standard error of estimate(): 1/sqrt(k - 2) (0 while exact).
  double relative_error() const;
  const std::vector<std::uint64_t>& values() const;

  // A new sketch of the union, with the smaller k.
  static std::unique_ptr<Kmv> union_of(const Kmv& a, const Kmv& b);
  static double jaccard(const Kmv& a, const Kmv& b);
  static double intersection(const Kmv& a, const Kmv& b);

 private:
  void flush() const;
  std::int64_t k_;
  mutable std::vector<std::uint64_t> values_;   // sorted, distinct, at most k
  mutable std::vector<std::uint64_t> pending_;  // candidates not yet merged
};

}  // namespace tessera::sketch
