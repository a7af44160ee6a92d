// The prime kernels: 128-bit mulmod and Montgomery products against values
// computed with Python's pow, Miller-Rabin against strong pseudoprimes and the
// primes just below 2^32 and 2^64, every trial-division instruction set
// against the scalar loop, the sieve's segments against Miller-Rabin, and the
// split search's early exit.
#include <doctest/doctest.h>

#include <atomic>
#include <cstdint>
#include <vector>

#include "kernels/philox.hpp"
#include "kernels/primes.hpp"
#include "kernels/quarter_circle.hpp"
#include "kernels/simd.hpp"

namespace pk = tessera::kernels::primes;
using u64 = std::uint64_t;

namespace {
// A 64-bit LCG (Knuth's MMIX constants), so the random checks reproduce.
struct Lcg {
  u64 s;
  u64 next() { return s = s * 6364136223846793005ULL + 1442695040888963407ULL; }
};
}  // namespace

TEST_CASE("mulmod and powmod match Python's big integers") {
  const u64 m = 18446744073709551557ULL;               // 2^64 - 59, the largest 64-bit prime
  CHECK(pk::mulmod(~u64{0}, ~u64{0} - 1, m) == 3306);  // 58 * 57
  CHECK(pk::powmod(123456789123456789ULL, 987654321987654321ULL, m) == 4744659168844874103ULL);
  CHECK(pk::powmod(2, 10, 1000) == 24);
  CHECK(pk::powmod(5, 0, 1) == 0);
  CHECK(pk::powmod(3, m - 1, m) == 1);  // Fermat
}

TEST_CASE("Montgomery products equal mulmod for odd moduli up to 2^64") {
  Lcg r{12345};
  const u64 moduli[] = {
      3, 101, 4294967291, (u64{1} << 61) - 1, (u64{1} << 63) + 1, 18446744073709551557ULL, ~u64{0}};
  for (u64 n : moduli) {
    pk::Montgomery mont(n);
    for (int i = 0; i < 2000; ++i) {
      u64 a = r.next() % n, b = r.next() % n;
      u64 got = mont.from(mont.mul(mont.to(a), mont.to(b)));
      REQUIRE(got == pk::mulmod(a, b, n));
    }
    CHECK(mont.from(mont.one()) == 1 % n);
  }
}

TEST_CASE("strong probable prime tests fail exactly where known") {
  // 2047 = 23 * 89 passes base 2; 1373653 passes 2 and 3; 3215031751 passes 2, 3, 5, 7.
  pk::Montgomery a(2047), b(1373653), c(3215031751ULL);
  CHECK(pk::strong_probable_prime(a, 2));
  CHECK_FALSE(pk::strong_probable_prime(a, 3));
  CHECK(pk::strong_probable_prime(b, 2));
  CHECK(pk::strong_probable_prime(b, 3));
  CHECK_FALSE(pk::strong_probable_prime(b, 5));
  for (u64 base : {u64{2}, u64{3}, u64{5}, u64{7}}) CHECK(pk::strong_probable_prime(c, base));
  CHECK_FALSE(pk::strong_probable_prime(c, 11));
  // 341550071728321 passes the prime bases up to 17 (the bound below which 7 bases suffice).
  pk::Montgomery e(341550071728321ULL);
  for (int base : {2, 3, 5, 7, 11, 13, 17})
    CHECK(pk::strong_probable_prime(e, static_cast<u64>(base)));
  CHECK_FALSE(pk::is_prime(341550071728321ULL));
  CHECK_FALSE(pk::is_prime(3215031751ULL));
  // 3825123056546413051 passes every prime base up to 23; the full set rejects it.
  pk::Montgomery d(3825123056546413051ULL);
  for (int base : {2, 3, 5, 7, 11, 13, 17, 19, 23})
    CHECK(pk::strong_probable_prime(d, static_cast<u64>(base)));
  CHECK_FALSE(pk::is_prime(3825123056546413051ULL));
}

TEST_CASE("is_prime finds exactly the primes just below 2^32 and 2^64") {
  // The table of primes just less than a power of two: 2^32 - k, 2^64 - k.
  const u64 k32[] = {5, 17, 65, 99, 107, 135, 153, 185, 209, 267};
  const u64 k64[] = {59, 83, 95, 179, 189, 257, 279, 323, 353, 363};
  for (u64 k = 1; k <= 267; ++k) {
    bool expected = false;
    for (u64 q : k32) expected = expected || q == k;
    CHECK_MESSAGE(pk::is_prime((u64{1} << 32) - k) == expected, "2^32 - " << k);
  }
  for (u64 k = 1; k <= 363; ++k) {
    bool expected = false;
    for (u64 q : k64) expected = expected || q == k;
    CHECK_MESSAGE(pk::is_prime(u64{0} - k) == expected, "2^64 - " << k);
  }
  CHECK(pk::is_prime((u64{1} << 61) - 1));
  CHECK_FALSE(pk::is_prime(0));
  CHECK_FALSE(pk::is_prime(1));
  CHECK(pk::is_prime(2));
  CHECK_FALSE(pk::is_prime_signed(-3));
  CHECK(pk::is_prime(10007 * u64{1}));
  CHECK_FALSE(pk::is_prime(u64{10007} * 10009));  // above the small-prime cut-off
}

TEST_CASE("isqrt is exact at perfect squares and their neighbours") {
  for (u64 r : {u64{0}, u64{1}, u64{3}, u64{94906265}, u64{3037000499}, u64{4294967295}}) {
    CHECK(pk::isqrt(r * r) == r);
    if (r) CHECK(pk::isqrt(r * r - 1) == r - 1);
  }
  CHECK(pk::isqrt(~u64{0}) == 4294967295u);
}

TEST_CASE("every trial-division instruction set finds the first divisor") {
  pk::TrialTable table(20000);  // for the reference
  std::vector<double> d(256), inv(256);
  for (int k = 0; k < 256; ++k) {
    d[k] = 3 + 2 * k;
    inv[k] = 1 / d[k];
  }
  auto level = tessera::kernels::simd_level();
  Lcg r{7};
  for (int i = 0; i < 3000; ++i) {
    // odd n < 2^52, some with a factor among the table, some without
    u64 n = (r.next() >> 12) | 1;
    if (i % 3 == 0) n = (n % 100000) * (3 + 2 * (r.next() % 256));
    double x = static_cast<double>(n);
    std::int64_t expected = -1;
    for (int k = 0; k < 256; ++k) {
      if (n % static_cast<u64>(d[k]) == 0) {
        expected = k;
        break;
      }
    }
    REQUIRE(pk::first_divisor_scalar(x, d.data(), inv.data(), 256) == expected);
    if (level >= tessera::kernels::SimdLevel::Avx2)
      REQUIRE(pk::first_divisor_avx2(x, d.data(), inv.data(), 256) == expected);
    if (level >= tessera::kernels::SimdLevel::Avx512)
      REQUIRE(pk::first_divisor_avx512(x, d.data(), inv.data(), 256) == expected);
  }
  // near 2^52, where the double test is still exact
  u64 big = (u64{1} << 52) - 1;  // 3 * 5 * 17 * 257 * 641 * 65537 * 6700417
  CHECK(pk::first_divisor(static_cast<double>(big), d.data(), inv.data(), 256) == 0);
  CHECK(table.count_range(1, 20000) == 2262);  // pi(20000)
}

TEST_CASE("trial division agrees with Miller-Rabin") {
  pk::TrialTable table(pk::isqrt(u64{1} << 40));
  for (u64 n = 0; n < 30000; ++n) REQUIRE(table.is_prime(n) == pk::is_prime(n));
  for (u64 n = (u64{1} << 40) - 3000; n < (u64{1} << 40); ++n)
    REQUIRE(table.is_prime(n) == pk::is_prime(n));
  // beyond the table (n > limit^2): integer remainders
  pk::TrialTable small(100);
  for (u64 n = 20000; n < 21000; ++n) REQUIRE(small.is_prime(n) == pk::is_prime(n));
}

TEST_CASE("sieve segments list exactly the primes of the range") {
  u64 lo = 999000, hi = 999000 + 4 * pk::kSegmentOdds + 777;  // three segments of odds
  pk::OddSieve sieve(lo, hi);
  CHECK(sieve.segments() == 3);
  CHECK_FALSE(sieve.has_two());
  std::vector<std::int64_t> got;
  std::vector<std::uint8_t> flags;
  std::int64_t counted = 0;
  for (std::int64_t s = 0; s < sieve.segments(); ++s) {
    sieve.list_segment(s, flags, got);
    counted += sieve.count_segment(s, flags);
  }
  std::vector<std::int64_t> expected;
  for (u64 n = lo; n <= hi; ++n)
    if (pk::is_prime(n)) expected.push_back(static_cast<std::int64_t>(n));
  CHECK(got == expected);
  CHECK(counted == static_cast<std::int64_t>(expected.size()));
  CHECK(pk::OddSieve(0, 2).has_two());
  CHECK(pk::OddSieve(0, 2).segments() == 0);
  CHECK(pk::odd_primes_upto(30) == std::vector<std::uint32_t>{3, 5, 7, 11, 13, 17, 19, 23, 29});
}

TEST_CASE("split searches stop at a smaller known factor and keep the minimum") {
  const u64 n = u64{1000003} * 1000033;
  std::atomic<u64> found{0};
  CHECK(pk::smallest_odd_factor(n, 3, 999999, found) == 0);  // none below 1e6
  CHECK(found.load() == 0);
  CHECK(pk::smallest_odd_factor(n, 1000001, 1000033, found) == 1000003);
  CHECK(found.load() == 1000003);
  // a piece starting above the known factor gives up at once
  CHECK(pk::smallest_odd_factor(n, 1000005, 1000033, found) == 0);
  // a later find of a larger factor does not replace the smaller one
  std::atomic<u64> other{1000003};
  CHECK(pk::smallest_odd_factor(u64{1000003} * 1000033 * 3, 3, 9, other) == 3);
  CHECK(other.load() == 3);
}

TEST_CASE("quarter-circle counts agree across instruction sets and chunkings") {
  namespace k = tessera::kernels;
  const k::philox::Stream s{42, 7};
  std::vector<std::uint32_t> words(4 * 1001);
  k::philox::blocks(s, 5, 1001, words.data());
  std::int64_t expected = k::count_inside_scalar(words.data(), 2001);
  auto level = k::simd_level();
  if (level >= k::SimdLevel::Avx2) CHECK(k::count_inside_avx2(words.data(), 2001) == expected);
  if (level >= k::SimdLevel::Avx512) CHECK(k::count_inside_avx512(words.data(), 2001) == expected);
  // points [0, 2001) of a draw at block 5, whole or in even-sized pieces
  CHECK(k::quarter_circle_hits(s, 5, 0, 2001) == expected);
  CHECK(k::quarter_circle_hits(s, 5, 0, 1000) + k::quarter_circle_hits(s, 5, 1000, 1001) ==
        expected);
  // the boundary itself: x = 2^31 - 1 with y = 0 is inside, the corner is not
  const std::uint32_t edge[] = {0xFFFFFFFFu, 0u, 0xFFFFFFFFu, 0xFFFFFFFFu};
  CHECK(k::count_inside_scalar(edge, 2) == 1);
}

TEST_CASE("the 64-bit factor search of every instruction set finds the first factor") {
  if (tessera::kernels::simd_level() < tessera::kernels::SimdLevel::Avx512) return;
  Lcg r{99};
  for (int i = 0; i < 400; ++i) {
    // n anywhere up to 2^64, ranges of odd divisors up to 2^32 (some near it)
    u64 n = r.next();
    u64 from = (i % 2 ? r.next() % 100000 : (u64{1} << 32) - 20000 - r.next() % 100000) | 1;
    u64 to = from + r.next() % 5000;
    if (i % 4 == 0) n = from + 2 * (r.next() % 2000);  // some d in range divides ...
    if (i % 4 == 0) n *= (u64{1} << 63) / n;           // ... a large multiple of it
    REQUIRE(pk::first_factor_avx512(n, from, to) == pk::first_factor_scalar(n, from, to));
  }
  // both factors near 2^32: 4294967291 * 4294967279, the largest semiprime of two 32-bit primes
  const u64 big = u64{4294967291} * 4294967279;
  CHECK(pk::first_factor_avx512(big, 4294967001, 4294967291) == 4294967279);
  CHECK(pk::first_factor_avx512(18014398777917439ULL, 3, 134217727) == 0);  // the book's prime
  CHECK(pk::first_factor_avx512(~u64{0}, 3, 1001) == 3);  // 2^64 - 1 = 3 * 5 * ...
}
