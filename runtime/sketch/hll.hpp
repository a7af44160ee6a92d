// HyperLogLog++ (Heule, Nunkesser and Hall, 2013): 2^p one-byte registers
// (p from 4 to 18) over the 64-bit item hash, a sparse representation at
// p' = 25 while few registers are set, and an empirical bias correction of
// the raw estimate up to 5m (tables from scripts/gen_hll_bias.cpp).
//
// The state is a function of the set of hashes added, never of their order,
// of how they were batched or of the thread count: the sparse list holds, per
// 25-bit index, the largest encoded value (kernels/sketch_ops.hpp) and turns
// dense exactly when it holds more than m/4 indices (when it would take more
// memory than the m registers); dense registers from the list equal those
// from adding the hashes directly.
#pragma once

#include "sketch.hpp"

namespace tessera::sketch {

class HyperLogLog : public Sketch {
 public:
  explicit HyperLogLog(int precision);  // throws Error unless 4 <= p <= 18

  Kind kind() const override { return Kind::HyperLogLog; }
  std::size_t bytes() const override;
  std::string describe() const override;
  void save(Writer& w) const override;
  static std::unique_ptr<HyperLogLog> read(Reader& r);

  int precision() const { return p_; }
  std::uint32_t registers() const { return std::uint32_t{1} << p_; }
  bool is_sparse() const;

  void add(Hash128 h);
  // Adds every element of a (any dtype, any layout), hashing in parallel.
  void add_array(Context& ctx, const Array& a);
  // In-place union; throws Error when the precisions differ.
  void merge(const HyperLogLog& other);

  double estimate() const;      // HLL++'s estimate
  double raw_estimate() const;  // alpha m^2 / sum 2^-M (dense registers)
  // The dense registers (converting a sparse sketch's list, without changing it).
  std::vector<std::uint8_t> dense_registers() const;
  bool operator==(const HyperLogLog& o) const;

  static double bias(int p, double raw);  // interpolated empirical bias
  static double threshold(int p);         // linear-counting cut-over

 private:
  void flush() const;  // merges pending_ into sparse_, maybe turning dense
  void to_dense() const;
  std::size_t sparse_limit() const { return registers() / 4; }

  int p_;
  mutable bool dense_ = false;
  mutable std::vector<std::uint32_t> sparse_;   // sorted, one entry per idx'
  mutable std::vector<std::uint32_t> pending_;  // unsorted, not yet merged
  mutable std::vector<std::uint8_t> regs_;      // 2^p registers once dense
};

}  // namespace tessera::sketch
