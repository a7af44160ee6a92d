// Prime numbers and Monte Carlo pi over the runtime's threads: dispatch for
// kernels/primes.hpp and kernels/quarter_circle.hpp. Every result is exact
// and the same at any thread count (counts are integer sums; lists are
// concatenated in segment order; a split search returns the smallest factor).
// No Lua.
#pragma once

#include <cstdint>

#include "../array.hpp"
#include "../context.hpp"
#include "../random/generator.hpp"

namespace tessera::ops {

// Bool array of a's shape: which elements are prime (Miller-Rabin with the
// twelve prime bases up to 37). a must have an integer dtype (uint8, int32,
// int64); any layout. Throws tessera::Error otherwise.
Array is_prime(Context& ctx, const Array& a);

// Whether one integer is prime (negatives, 0 and 1 are not).
bool is_prime_value(std::int64_t n);

// Primes in the inclusive range [lo, hi] by a segmented sieve (hi up to
// kernels::primes::kSieveMax): their count, or their list as int64.
std::int64_t count_primes_sieve(Context& ctx, std::int64_t lo, std::int64_t hi);
Array primes_between(Context& ctx, std::int64_t lo, std::int64_t hi);
// The same count by trial division of each number (hi up to kTrialMax).
std::int64_t count_primes_trial(Context& ctx, std::int64_t lo, std::int64_t hi);

// Trial division of one number n > 0 with the odd factor range [3, sqrt(n)]
// split in pieces across the threads, which stop once a factor below their
// piece is known. Returns the smallest factor > 1 (n itself when n is prime;
// 0 for n = 1).
std::uint64_t smallest_factor(Context& ctx, std::uint64_t n);

// Monte Carlo pi: points of the unit square inside the quarter circle among
// n drawn from g (g advances by ceil(n / 2) blocks).
std::int64_t quarter_circle_hits(Context& ctx, random::Generator& g, std::int64_t n);

}  // namespace tessera::ops
