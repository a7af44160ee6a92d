// Prime-number kernels over plain integers and raw pointers. No Lua, no Array.
//
// * Deterministic Miller-Rabin for every 64-bit value: the bases 2, 3, 5, ...,
//   37 (the first twelve primes) are a proof of primality below 3.3e24
//   (Sorenson and Webster, 2015); below the smallest strong pseudoprime to the
//   first 4, 7 or 9 of them, those suffice. Products mod n are Montgomery products on
//   unsigned __int128; mulmod() is the plain 128-bit reference.
// * A segmented sieve of Eratosthenes over odd numbers: one byte per odd
//   number, cache-sized segments, each segment sieved on its own (so segments
//   can run on any thread in any order).
// * Trial division by the odd numbers 3, 5, 7, ... up to sqrt(n), as in High
//   Performance Python's check_prime: for n < 2^52 the divisibility test is
//   exact in double precision (q = round(n * (1/d)); d | n iff q * d - n == 0
//   with one fused multiply-add), so it runs 8 divisors per AVX-512
//   instruction (4 with AVX2); larger n use integer remainders.
#pragma once

#include <atomic>
#include <cstdint>
#include <vector>

namespace tessera::kernels::primes {

// (a * b) mod m through unsigned __int128; needs m > 0.
std::uint64_t mulmod(std::uint64_t a, std::uint64_t b, std::uint64_t m);
// (a ^ e) mod m by squaring, with mulmod.
std::uint64_t powmod(std::uint64_t a, std::uint64_t e, std::uint64_t m);

// Arithmetic mod an odd n in Montgomery form (x * 2^64 mod n).
class Montgomery {
 public:
  explicit Montgomery(std::uint64_t odd_n);
  std::uint64_t to(std::uint64_t a) const;    // a mod n into Montgomery form
  std::uint64_t from(std::uint64_t x) const;  // back to a mod n
  std::uint64_t mul(std::uint64_t x, std::uint64_t y) const;
  std::uint64_t one() const { return one_; }
  std::uint64_t modulus() const { return n_; }

 private:
  std::uint64_t reduce(unsigned __int128 t) const;
  std::uint64_t n_, inv_, one_;
};

// Miller-Rabin's strong-probable-prime test of odd n > 2 to base a.
bool strong_probable_prime(const Montgomery& m, std::uint64_t a);
// Exact primality of a 64-bit value (small primes by trial, then Miller-Rabin).
bool is_prime(std::uint64_t n);
// Signed values: negatives are not prime.
inline bool is_prime_signed(std::int64_t n) {
  return n > 1 && is_prime(static_cast<std::uint64_t>(n));
}

// out[i] = is_prime(in[i]) for contiguous inputs (T = uint8, int32, int64).
template <class T>
void is_prime_many(const T* in, bool* out, std::int64_t n);

// floor(sqrt(n)), exact for every 64-bit n.
std::uint64_t isqrt(std::uint64_t n);

// --- Segmented sieve --------------------------------------------------------

// Odd numbers per segment: one byte each, 128 KiB of flags (fits L2).
inline constexpr std::int64_t kSegmentOdds = std::int64_t{1} << 17;
// Sieving ranges reach up to this bound (the base primes stay below 2^27).
inline constexpr std::uint64_t kSieveMax = std::uint64_t{1} << 53;

// The odd primes up to `limit` (simple sieve).
std::vector<std::uint32_t> odd_primes_upto(std::uint64_t limit);

// The odd numbers of an inclusive range [lo, hi] (hi <= kSieveMax), cut into
// segments of kSegmentOdds; 2 is counted separately by the callers.
class OddSieve {
 public:
  OddSieve(std::uint64_t lo, std::uint64_t hi);
  std::int64_t segments() const { return segments_; }
  bool has_two() const { return has_two_; }
  // Sieves segment s into flags (resized to the segment's length):
  // flags[j] = 1 when first_odd(s) + 2 j is prime.
  void sieve(std::int64_t s, std::vector<std::uint8_t>& flags) const;
  std::uint64_t first_odd(std::int64_t s) const {
    return start_ + 2 * static_cast<std::uint64_t>(s) * kSegmentOdds;
  }
  std::int64_t count_segment(std::int64_t s, std::vector<std::uint8_t>& flags) const;
  // Appends the primes of segment s to out, in increasing order.
  void list_segment(std::int64_t s, std::vector<std::uint8_t>& flags,
                    std::vector<std::int64_t>& out) const;

 private:
  std::uint64_t start_ = 3;  // first odd number >= max(lo, 3)
  std::int64_t odds_ = 0;    // odd numbers in the range (from start_)
  std::int64_t segments_ = 0;
  bool has_two_ = false;
  std::vector<std::uint32_t> base_;  // odd primes up to isqrt(hi)
};

// --- Trial division ----------------------------------------------------------

// Trial division is offered for ranges up to this bound (the divisor table
// up to sqrt(hi) then stays under 17 MiB).
inline constexpr std::uint64_t kTrialMax = std::uint64_t{1} << 42;

// The odd divisors 3, 5, 7, ... up to `limit` as doubles with their
// reciprocals (padded to a multiple of 32 with values that divide nothing).
class TrialTable {
 public:
  explicit TrialTable(std::uint64_t limit);
  // Primality of n by trial division (n <= limit^2 and n < 2^52 use the
  // table; other n use integer remainders).
  bool is_prime(std::uint64_t n) const;
  std::int64_t count_range(std::uint64_t lo, std::uint64_t hi) const;  // inclusive

 private:
  std::uint64_t limit_;
  std::vector<double> d_, inv_;
};

// Index of the first k in [0, count) with d[k] | n, or -1 (n < 2^52, count
// a multiple of 32). One per instruction set; first_divisor picks the widest.
using FirstDivisorFn = std::int64_t (*)(double n, const double* d, const double* inv,
                                        std::int64_t count);
std::int64_t first_divisor(double n, const double* d, const double* inv, std::int64_t count);
std::int64_t first_divisor_scalar(double n, const double* d, const double* inv, std::int64_t count);
std::int64_t first_divisor_avx2(double n, const double* d, const double* inv, std::int64_t count);
std::int64_t first_divisor_avx512(double n, const double* d, const double* inv, std::int64_t count);

// The first odd d in [from, to] (from odd, to < 2^32) dividing n, or 0; one
// per instruction set (AVX-512DQ's 64-bit multiplies, 8 divisors a step, or
// integer remainders); first_factor picks the widest.
std::uint64_t first_factor(std::uint64_t n, std::uint64_t from, std::uint64_t to);
std::uint64_t first_factor_scalar(std::uint64_t n, std::uint64_t from, std::uint64_t to);
std::uint64_t first_factor_avx512(std::uint64_t n, std::uint64_t from, std::uint64_t to);

// The smallest odd factor f of n with from <= f <= to (from odd), or 0 when
// there is none or when `found` holds a factor smaller than from (another
// worker's earlier find). Checks `found` every few thousand divisors and
// stores its own find there (atomic minimum), so workers stop early.
std::uint64_t smallest_odd_factor(std::uint64_t n, std::uint64_t from, std::uint64_t to,
                                  std::atomic<std::uint64_t>& found);

}  // namespace tessera::kernels::primes
