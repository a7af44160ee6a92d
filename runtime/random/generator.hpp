// Generator: a Philox4x32-10 stream (kernels/philox.hpp) and the position of
// its next unused block. Every draw takes whole blocks from the position, so
// a fill's values depend only on (key, stream, position, element index): the
// same bits on 1 or N threads. Fills split their blocks with
// ctx.parallel.for_range. No Lua.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "../../kernels/philox.hpp"
#include "../array.hpp"
#include "../context.hpp"

namespace tessera::random {

class Generator {
 public:
  Generator() = default;
  explicit Generator(std::uint64_t seed, std::uint32_t stream = 0);
  // A generator seeded from the operating system's entropy.
  static Generator from_entropy();

  std::uint64_t key() const { return s_.key; }
  std::uint32_t stream_id() const { return s_.stream; }
  std::uint64_t position() const { return position_; }
  std::uint64_t spawned() const { return spawned_; }
  const kernels::philox::Stream& stream() const { return s_; }

  // Reserves `blocks` blocks and returns the first.
  std::uint64_t take(std::uint64_t blocks);
  // Moves the position forward (jumps over blocks nobody will draw).
  void advance(std::uint64_t blocks) { take(blocks); }

  // n independent children; child i's key hashes (key, stream, number of
  // children spawned before + i), as NumPy's SeedSequence.spawn.
  std::vector<Generator> spawn(std::int64_t n);
  Generator spawn_one();

  // "philox4x32-10 key=... stream=... position=... spawned=..." and back.
  std::string state() const;
  // Throws tessera::Error on a malformed string.
  static Generator from_state(const std::string& s);

  // Array fills. `out` may have any layout; dtypes: uniform float32/float64,
  // the others any numeric dtype (values are converted).
  void uniform(Context& ctx, const Array& out, double lo, double hi);
  void integers(Context& ctx, const Array& out, std::int64_t lo, std::int64_t hi);  // inclusive
  void normal(Context& ctx, const Array& out, double mean, double std);
  void exponential(Context& ctx, const Array& out, double scale);
  void poisson(Context& ctx, const Array& out, double lam);
  void binomial(Context& ctx, const Array& out, std::int64_t trials, double p);
  // Raw 32-bit words of the next blocks (4 per block) into an int64 array.
  void raw(Context& ctx, const Array& out);

  // 0-based permutation of 0..n-1 (int64).
  Array permutation(Context& ctx, std::int64_t n);
  // Shuffles a in place along its first dimension.
  void shuffle(Context& ctx, const Array& a);
  // 0-based indices into n items, of the given shape: with or without
  // replacement, optionally weighted by p (n non-negative weights, scaled to
  // sum to one). Throws tessera::Error on invalid arguments.
  Array choice(Context& ctx, std::int64_t n, const Dims& shape, bool replace,
               const double* p = nullptr);

  // Single values (each takes one block).
  double uniform1(double lo, double hi);
  std::int64_t integer1(std::int64_t lo, std::int64_t hi);
  double normal1(double mean, double std);
  double exponential1(double scale);
  std::int64_t poisson1(double lam);
  std::int64_t binomial1(std::int64_t trials, double p);

 private:
  kernels::philox::Stream s_;
  std::uint64_t position_ = 0;
  std::uint64_t spawned_ = 0;
};

}  // namespace tessera::random
