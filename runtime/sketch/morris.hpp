// Morris's approximate counter (1978) in one byte: the counter c goes up by
// one with probability base^-c, and (base^c - 1) / (base - 1) estimates the
// number of events, without bias, with variance (base - 1) n (n - 1) / 2
// (relative standard error about sqrt((base - 1) / 2): 71% for base 2). The
// coin flips come from a splitmix64 stream with a settable seed, so runs are
// reproducible. Adding many events at once skips ahead by geometric draws
// (the same distribution as one at a time).
#pragma once

#include "sketch.hpp"

namespace tessera::sketch {

class Morris : public Sketch {
 public:
  // Throws Error unless 1 < base <= 16.
  explicit Morris(double base = 2.0, std::uint64_t seed = 0);

  Kind kind() const override { return Kind::Morris; }
  std::size_t bytes() const override { return sizeof *this; }
  std::string describe() const override;
  void save(Writer& w) const override;
  static std::unique_ptr<Morris> read(Reader& r);

  void add_events(std::uint64_t n);
  // Adds an estimate of the other counter's events (the unbiased merge:
  // E[result] = n1 + n2); throws Error when the bases differ.
  void merge(const Morris& o);
  double estimate() const;
  int counter() const { return c_; }
  double base() const { return base_; }
  // Relative standard error for large counts.
  double relative_error() const;

 private:
  double uniform();  // (0, 1)
  double base_;
  std::uint8_t c_ = 0;
  std::uint64_t rng_;
};

}  // namespace tessera::sketch
