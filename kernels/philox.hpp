// Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3",
// SC 2011; the Random123 library) and the distributions built on it, over raw
// pointers. No Lua, no Array.
//
// A stream is a 64-bit key and a 32-bit stream number. Its counter is four
// words: (c0, c1) = the 64-bit block index, c2 = 0 for the main sequence (and
// the retry number of a rejection sampler, see below), c3 = the stream
// number. Block b of the main sequence is philox4x32_10({b_lo, b_hi, 0,
// stream}, {key_lo, key_hi}): four 32-bit words, exactly Random123's output.
//
// Every distribution maps element e of a fill to a fixed set of words of the
// main sequence: value e depends only on (key, stream, first block, e), so a
// fill split into any chunks, on any number of threads, gives the same bits.
// A rejection sampler whose element-owned words are rejected draws more from
// a retry sequence owned by that element (c2 = 1 + retry block, with the
// element's lane in c2's top bits), which no other element touches.
#pragma once

#include <cstddef>
#include <cstdint>

namespace tessera::kernels::philox {

struct Block {
  std::uint32_t w[4];
};

// The bare Random123 function: ten rounds over the counter with the key.
Block philox4x32_10(const std::uint32_t ctr[4], const std::uint32_t key[2]);

struct Stream {
  std::uint64_t key = 0;
  std::uint32_t stream = 0;
};

// Words of main-sequence blocks [first, first + n): out[4 * i + k] is word k
// of block first + i. Runs the widest instruction set the CPU has; the bits
// never depend on it.
void blocks(const Stream& s, std::uint64_t first, std::int64_t n, std::uint32_t* out);
// The same, one block at a time (the reference the SIMD versions match).
void blocks_scalar(const Stream& s, std::uint64_t first, std::int64_t n, std::uint32_t* out);
// One instruction set each (for tests; call only what the CPU has): they
// write the first n rounded down to a multiple of 2 * lanes blocks and
// return that count.
std::int64_t blocks_sse(const Stream& s, std::uint64_t first, std::int64_t n, std::uint32_t* out);
std::int64_t blocks_avx2(const Stream& s, std::uint64_t first, std::int64_t n, std::uint32_t* out);
std::int64_t blocks_avx512(const Stream& s, std::uint64_t first, std::int64_t n,
                           std::uint32_t* out);

// Elements per block of each distribution: fills advance a generator by
// ceil(n / per_block) blocks.
enum class Dist { Uniform32, Uniform64, Int32Range, Int64Range, Normal, Exponential, Poisson, Binomial };
int per_block(Dist d);

// Each fill writes elements [e0, e0 + n) of a fill whose element 0 is at
// block `first`. Callers split a fill into chunks at multiples of
// per_block(d) elements (any chunking gives the same values).

// Uniform on [lo, hi): 53 random bits per float64, 24 per float32.
void uniform_f64(const Stream& s, std::uint64_t first, std::int64_t e0, std::int64_t n,
                 double lo, double hi, double* out);
void uniform_f32(const Stream& s, std::uint64_t first, std::int64_t e0, std::int64_t n,
                 float lo, float hi, float* out);

// Integers lo..hi inclusive, without modulo bias (Lemire's multiply-and-reject).
// span = hi - lo as an unsigned 64-bit number; span < 2^32 uses one word per
// element (Dist::Int32Range), larger spans two (Dist::Int64Range).
Dist integer_dist(std::uint64_t span);
void integers(const Stream& s, std::uint64_t first, std::int64_t e0, std::int64_t n,
              std::int64_t lo, std::uint64_t span, std::int64_t* out);

// Normal(mean, std) by the ziggurat (256 layers, as NumPy's); one 64-bit
// word pair per element, then its retry sequence for the 1% rejected.
void normal(const Stream& s, std::uint64_t first, std::int64_t e0, std::int64_t n, double mean,
            double std, double* out);
// Exponential with the given scale (1 / rate).
void exponential(const Stream& s, std::uint64_t first, std::int64_t e0, std::int64_t n,
                 double scale, double* out);
// Poisson(lam): inversion below lam = 10, Hormann's PTRS above. One block per element.
void poisson(const Stream& s, std::uint64_t first, std::int64_t e0, std::int64_t n, double lam,
             std::int64_t* out);
// Binomial(trials, p): inversion when trials * min(p, 1-p) < 10, else Hormann's BTRS.
void binomial(const Stream& s, std::uint64_t first, std::int64_t e0, std::int64_t n,
              std::int64_t trials, double p, std::int64_t* out);

// Fisher-Yates over n items: element k (0 <= k < n - 1) is k plus a uniform
// integer in [0, n - 1 - k], in the Int32Range layout (Int64Range when
// n > 2^32). Applying the swaps k <-> out[k] in order gives a uniform
// permutation; the draws themselves can be made in parallel.
Dist swap_dist(std::int64_t n);
void swap_targets(const Stream& s, std::uint64_t first, std::int64_t e0, std::int64_t count,
                  std::int64_t n, std::int64_t* out);

// Hashing a parent stream into a child key (rng:spawn): Philox itself as a
// keyed hash over (child number, parent stream) in a counter domain (c2 =
// 0xffffffff) that fills never reach.
std::uint64_t child_key(const Stream& parent, std::uint64_t child);

}  // namespace tessera::kernels::philox
