// Bloom filters. Bloom: m bits and k probes derived from a capacity n and a
// target false-positive rate p as m = ceil(-n ln p / (ln 2)^2) (rounded up to
// whole 64-bit words) and k = max(1, round(m/n ln 2)) (from the unrounded m),
// probes by double hashing of the 128-bit item hash. ScalableBloom (Almeida et
// al., 2007): a chain of Bloom filters, the i-th (from 0) with capacity
// n0 * growth^i and rate p (1 - ratio) ratio^i, so the rates sum to at most p;
// an item not already present goes into the last filter, and a new filter is
// chained when the last one is at capacity.
#pragma once

#include "sketch.hpp"

namespace tessera::sketch {

class Bloom : public Sketch {
 public:
  // Throws Error unless capacity >= 1 and 0 < fp_rate < 1.
  Bloom(double capacity, double fp_rate);

  Kind kind() const override { return Kind::Bloom; }
  std::size_t bytes() const override { return sizeof *this + 8 * words_.size(); }
  std::string describe() const override;
  void save(Writer& w) const override;
  static std::unique_ptr<Bloom> read(Reader& r);

  std::uint64_t nbits() const { return nbits_; }
  int hashes() const { return k_; }
  std::uint64_t capacity() const { return capacity_; }
  double fp_rate() const { return fp_; }

  void add(Hash128 h);
  bool contains(Hash128 h) const;
  void add_array(Context& ctx, const Array& a);
  // out gets a's size; a must be C-contiguous.
  void contains_array(Context& ctx, const Array& a, bool* out) const;
  void merge(const Bloom& o);  // bitwise OR; throws Error unless m and k agree

  std::uint64_t bits_set() const;
  double fill() const { return double(bits_set()) / double(nbits_); }
  // Items added, estimated from the fill: -m/k ln(1 - X/m) (Swamidass and Baldi).
  double estimate() const;
  // The false-positive rate now: fill^k.
  double current_fp_rate() const;
  const std::vector<std::uint64_t>& words() const { return words_; }
  bool operator==(const Bloom& o) const {
    return nbits_ == o.nbits_ && k_ == o.k_ && words_ == o.words_;
  }

 private:
  Bloom() = default;
  std::uint64_t nbits_ = 0;
  int k_ = 0;
  std::uint64_t capacity_ = 0;
  double fp_ = 0;
  std::vector<std::uint64_t> words_;
};

class ScalableBloom : public Sketch {
 public:
  // Throws Error unless capacity >= 1, 0 < fp_rate < 1, growth >= 1 and
  // 0 < ratio < 1.
  ScalableBloom(double initial_capacity, double fp_rate, double growth, double ratio);

  Kind kind() const override { return Kind::ScalableBloom; }
  std::size_t bytes() const override;
  std::string describe() const override;
  void save(Writer& w) const override;
  static std::unique_ptr<ScalableBloom> read(Reader& r);

  // Adds the item unless some filter already holds it; returns whether added.
  bool add(Hash128 h);
  bool contains(Hash128 h) const;
  // Same result as adding the elements one at a time in order; hashing and
  // the checks against the filters that cannot change run in parallel.
  void add_array(Context& ctx, const Array& a);
  void contains_array(Context& ctx, const Array& a, bool* out) const;

  std::size_t filters() const { return filters_.size(); }
  std::uint64_t count() const;  // items added (each counted once)
  double fp_rate() const { return fp_; }
  // The bound on the false-positive rate of the current chain: 1 - prod(1 - p_i).
  double current_fp_bound() const;

 private:
  ScalableBloom() = default;
  void grow();  // chains the next filter
  double capacity0_ = 0, fp_ = 0, growth_ = 2, ratio_ = 0.5;
  std::vector<std::unique_ptr<Bloom>> filters_;
  std::vector<std::uint64_t> counts_;
};

}  // namespace tessera::sketch
