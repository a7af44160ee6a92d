// Single-pass statistics over data that arrives in blocks (Welford's method,
// with Chan et al.'s formula to merge partial results, so blocks and the
// parallel pieces of one block combine exactly as a single pass would):
// count, mean, variance, min, max and a fixed-range histogram. No Lua.
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

#include "../array.hpp"
#include "../context.hpp"

namespace tessera::ops {

struct Moments {
  std::int64_t count = 0;
  double mean = 0, m2 = 0;  // m2: sum of squared deviations from the mean
  double min = std::numeric_limits<double>::infinity();
  double max = -std::numeric_limits<double>::infinity();
  bool nan = false;  // a NaN was seen: mean, var, min and max are NaN
  void merge(const Moments& o);
};

class OnlineStats {
 public:
  OnlineStats() = default;
  // A histogram of `bins` equal bins over [lo, hi] (the last bin closed), as
  // NumPy's histogram(range=(lo, hi)): values outside it and NaN are not
  // counted in the bins (below()/above() count the outside values).
  OnlineStats(std::int64_t bins, double lo, double hi);

  // Adds every element of a (any dtype and layout); runs in parallel for
  // large blocks.
  void update(Context& ctx, const Array& a);
  void update(double x);
  void merge(const OnlineStats& other);  // histograms must have the same bins

  std::int64_t count() const { return m_.count; }
  double mean() const;
  double var(std::int64_t ddof = 0) const;  // NaN when count <= ddof
  double min() const;                       // NaN when empty
  double max() const;
  bool has_histogram() const { return !hist_.empty(); }
  const std::vector<std::int64_t>& histogram() const { return hist_; }
  double lo() const { return lo_; }
  double hi() const { return hi_; }
  std::int64_t below() const { return below_; }
  std::int64_t above() const { return above_; }
  std::vector<double> edges() const;

 private:
  struct Part;
  void add_part(const Part& p);
  Moments m_;
  std::vector<std::int64_t> hist_;
  double lo_ = 0, hi_ = 0;
  std::int64_t below_ = 0, above_ = 0;
};

}  // namespace tessera::ops
