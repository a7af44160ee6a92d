#include "primes.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "simd.hpp"

namespace tessera::kernels::primes {

using u64 = std::uint64_t;
using u128 = unsigned __int128;

u64 mulmod(u64 a, u64 b, u64 m) { return static_cast<u64>(static_cast<u128>(a) * b % m); }

u64 powmod(u64 a, u64 e, u64 m) {
  u64 r = 1 % m;
  a %= m;
  for (; e; e >>= 1) {
    if (e & 1) r = mulmod(r, a, m);
    a = mulmod(a, a, m);
  }
  return r;
}

Montgomery::Montgomery(u64 odd_n) : n_(odd_n) {
  // n^-1 mod 2^64 by Newton's iteration: 3n xor 2 is right to 5 bits, each
  // step doubles the correct bits.
  u64 x = (3 * odd_n) ^ 2;
  for (int i = 0; i < 4; ++i) x *= 2 - odd_n * x;
  inv_ = x;
  one_ = static_cast<u64>((static_cast<u128>(1) << 64) % odd_n);
}

// t / 2^64 mod n for t < n * 2^64: with m = lo(t) * n^-1, t - m n is a
// multiple of 2^64 whose quotient hi(t) - hi(m n) lies in (-n, n).
u64 Montgomery::reduce(u128 t) const {
  u64 m = static_cast<u64>(t) * inv_;
  u64 mn_hi = static_cast<u64>((static_cast<u128>(m) * n_) >> 64);
  u64 t_hi = static_cast<u64>(t >> 64);
  return t_hi >= mn_hi ? t_hi - mn_hi : t_hi - mn_hi + n_;
}

u64 Montgomery::to(u64 a) const { return static_cast<u64>((static_cast<u128>(a % n_) << 64) % n_); }
u64 Montgomery::from(u64 x) const { return reduce(x); }
u64 Montgomery::mul(u64 x, u64 y) const { return reduce(static_cast<u128>(x) * y); }

bool strong_probable_prime(const Montgomery& m, u64 a) {
  u64 n = m.modulus();
  a %= n;
  if (a == 0) return true;  // a multiple of n says nothing
  u64 d = n - 1;
  int s = __builtin_ctzll(d);
  d >>= s;
  u64 one = m.one(), minus_one = n - one;  // Montgomery forms of 1 and n - 1
  u64 base = m.to(a), x = one;
  for (u64 e = d; e; e >>= 1) {
    if (e & 1) x = m.mul(x, base);
    base = m.mul(base, base);
  }
  if (x == one || x == minus_one) return true;
  for (int r = 1; r < s; ++r) {
    x = m.mul(x, x);
    if (x == minus_one) return true;
    if (x == one) return false;
  }
  return false;
}

namespace {
constexpr std::uint32_t kSmallPrimes[] = {3,  5,  7,  11, 13, 17, 19, 23, 29, 31, 37, 41,
                                          43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97};
constexpr u64 kBases[] = {2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37};
// How many of the bases prove primality below a bound: the smallest strong
// pseudoprimes to the first 4, 7 and 9 prime bases are 3215031751,
// 341550071728321 and 3825123056546413051 (Jaeschke 1993; Jiang and Deng 2014).
int bases_needed(u64 n) {
  if (n < 3215031751ULL) return 4;
  if (n < 341550071728321ULL) return 7;
  if (n < 3825123056546413051ULL) return 9;
  return 12;
}
}  // namespace

bool is_prime(u64 n) {
  if (n < 2) return false;
  if (n % 2 == 0) return n == 2;
  for (std::uint32_t p : kSmallPrimes) {
    if (n % p == 0) return n == p;
  }
  if (n < 101 * 101) return true;  // no factor up to 100
  Montgomery m(n);
  for (int i = 0, k = bases_needed(n); i < k; ++i) {
    if (!strong_probable_prime(m, kBases[i])) return false;
  }
  return true;
}

template <class T>
void is_prime_many(const T* in, bool* out, std::int64_t n) {
  for (std::int64_t i = 0; i < n; ++i) {
    T v = in[i];
    out[i] = v > 1 && is_prime(static_cast<u64>(v));
  }
}
template void is_prime_many<std::uint8_t>(const std::uint8_t*, bool*, std::int64_t);
template void is_prime_many<std::int32_t>(const std::int32_t*, bool*, std::int64_t);
template void is_prime_many<std::int64_t>(const std::int64_t*, bool*, std::int64_t);

u64 isqrt(u64 n) {
  u64 r = static_cast<u64>(std::sqrt(static_cast<double>(n)));
  while (r > 0 && (r > 0xFFFFFFFFull || r * r > n)) --r;
  while (r < 0xFFFFFFFFull && (r + 1) * (r + 1) <= n) ++r;
  return r;
}

// --- Segmented sieve ---------------------------------------------------------

std::vector<std::uint32_t> odd_primes_upto(u64 limit) {
  std::vector<std::uint32_t> out;
  if (limit < 3) return out;
  // flag[j] for the odd number 2 j + 1
  std::vector<std::uint8_t> flag(limit / 2 + 1, 1);
  flag[0] = 0;
  for (u64 p = 3; p * p <= limit; p += 2) {
    if (!flag[p / 2]) continue;
    for (u64 m = p * p; m <= limit; m += 2 * p) flag[m / 2] = 0;
  }
  for (u64 j = 1; 2 * j + 1 <= limit; ++j) {
    if (flag[j]) out.push_back(static_cast<std::uint32_t>(2 * j + 1));
  }
  return out;
}

OddSieve::OddSieve(u64 lo, u64 hi) {
  if (hi > kSieveMax) hi = kSieveMax;
  has_two_ = lo <= 2 && hi >= 2;
  u64 first = std::max<u64>(lo, 3) | 1;
  u64 last = hi % 2 ? hi : hi - 1;
  if (hi < 3 || first > last) return;
  start_ = first;
  odds_ = static_cast<std::int64_t>((last - first) / 2 + 1);
  segments_ = (odds_ + kSegmentOdds - 1) / kSegmentOdds;
  base_ = odd_primes_upto(isqrt(last));
}

namespace {
// The odd numbers' flags with the multiples of 3, 5, 7, 11 and 13 cleared:
// pattern()[i] is the flag of 2 i + 1, periodic in i with period 15015, so a
// segment starts as a copy instead of five crossing-off loops (38% of the
// writes of a sieve).
constexpr u64 kPresievePeriod = 3 * 5 * 7 * 11 * 13;
constexpr std::uint32_t kPresieved = 13;  // the largest pre-sieved prime
const std::vector<std::uint8_t>& pattern() {
  static const std::vector<std::uint8_t> p = [] {
    std::vector<std::uint8_t> v(kPresievePeriod);
    for (u64 i = 0; i < kPresievePeriod; ++i) {
      u64 o = 2 * i + 1;
      v[i] = o % 3 && o % 5 && o % 7 && o % 11 && o % 13;
    }
    return v;
  }();
  return p;
}
}  // namespace

void OddSieve::sieve(std::int64_t s, std::vector<std::uint8_t>& flags) const {
  std::int64_t len = std::min(kSegmentOdds, odds_ - s * kSegmentOdds);
  flags.resize(static_cast<std::size_t>(len));
  u64 lo = first_odd(s);
  u64 hi = lo + 2 * static_cast<u64>(len - 1);
  std::uint8_t* f = flags.data();
  const std::uint8_t* pat = pattern().data();
  for (u64 j = 0, i = (lo / 2) % kPresievePeriod; j < static_cast<u64>(len);) {
    u64 n = std::min<u64>(kPresievePeriod - i, static_cast<u64>(len) - j);
    std::memcpy(f + j, pat + i, n);
    j += n;
    i = 0;
  }
  for (u64 p = 3; p <= kPresieved && p <= hi; p += 2) {
    if (p >= lo && is_prime(p)) f[(p - lo) / 2] = 1;  // the pre-sieved primes themselves
  }
  for (std::uint32_t p32 : base_) {
    u64 p = p32;
    if (p <= kPresieved) continue;
    if (p * p > hi) break;
    // first odd multiple of p in the segment, not below p^2
    u64 m = std::max(p * p, (lo + p - 1) / p * p);
    if (m % 2 == 0) m += p;
    for (u64 j = (m - lo) / 2; j < static_cast<u64>(len); j += p) f[j] = 0;
  }
}

std::int64_t OddSieve::count_segment(std::int64_t s, std::vector<std::uint8_t>& flags) const {
  sieve(s, flags);
  std::int64_t c = 0;
  const std::uint8_t* f = flags.data();
  std::size_t n = flags.size();
  for (std::size_t j = 0; j < n; ++j) c += f[j];
  return c;
}

void OddSieve::list_segment(std::int64_t s, std::vector<std::uint8_t>& flags,
                            std::vector<std::int64_t>& out) const {
  sieve(s, flags);
  u64 lo = first_odd(s);
  for (std::size_t j = 0; j < flags.size(); ++j) {
    if (flags[j]) out.push_back(static_cast<std::int64_t>(lo + 2 * j));
  }
}

// --- Trial division -----------------------------------------------------------

namespace {
constexpr std::int64_t kTrialBlock = 32;  // divisors per early-exit check
constexpr u64 kExactDouble = u64{1} << 52;
// Pads the table: a divisor larger than any n tested, so it divides nothing.
constexpr double kNoDivisor = 9007199254740992.0 * 2;
}  // namespace

std::int64_t first_divisor_scalar(double n, const double* d, const double* inv,
                                  std::int64_t count) {
  for (std::int64_t k = 0; k < count; ++k) {
    double q = std::nearbyint(n * inv[k]);
    if (std::fma(q, d[k], -n) == 0) return k;
  }
  return -1;
}

std::int64_t first_divisor(double n, const double* d, const double* inv, std::int64_t count) {
  static const FirstDivisorFn fn = [] {
    switch (simd_level()) {
      case SimdLevel::Avx512: return &first_divisor_avx512;
      case SimdLevel::Avx2: return &first_divisor_avx2;
      case SimdLevel::Sse42: break;
    }
    return &first_divisor_scalar;
  }();
  return fn(n, d, inv, count);
}

TrialTable::TrialTable(u64 limit) : limit_(limit) {
  std::int64_t count = limit >= 3 ? static_cast<std::int64_t>((limit - 3) / 2 + 1) : 0;
  std::int64_t padded = (count + kTrialBlock - 1) / kTrialBlock * kTrialBlock;
  d_.assign(static_cast<std::size_t>(padded), kNoDivisor);
  inv_.assign(static_cast<std::size_t>(padded), 1 / kNoDivisor);
  for (std::int64_t k = 0; k < count; ++k) {
    d_[k] = static_cast<double>(3 + 2 * k);
    inv_[k] = 1 / d_[k];
  }
}

bool TrialTable::is_prime(u64 n) const {
  if (n < 2) return false;
  if (n % 2 == 0) return n == 2;
  u64 root = isqrt(n);
  if (root < 3) return true;
  if (n < kExactDouble && root <= limit_) {
    // divisors 3 .. root are table entries 0 .. (root - 3) / 2; the whole
    // blocks beyond them hold divisors above root, which divide n only when
    // the quotient is below root (so a smaller divisor exists too)
    std::int64_t used = static_cast<std::int64_t>((root - 3) / 2 + 1);
    std::int64_t blocks = (used + kTrialBlock - 1) / kTrialBlock * kTrialBlock;
    std::int64_t k = first_divisor(static_cast<double>(n), d_.data(), inv_.data(), blocks);
    return k < 0 || k >= used;
  }
  for (u64 d = 3; d <= root; d += 2) {
    if (n % d == 0) return false;
  }
  return true;
}

std::int64_t TrialTable::count_range(u64 lo, u64 hi) const {
  std::int64_t c = 0;
  for (u64 n = lo; n <= hi; ++n) {
    c += is_prime(n);
    if (n == hi) break;  // hi may be the largest u64
  }
  return c;
}

// --- One number, split across workers ------------------------------------------

u64 first_factor_scalar(u64 n, u64 from, u64 to) {
  for (u64 d = from; d <= to; d += 2) {
    if (n % d == 0) return d;
  }
  return 0;
}

u64 first_factor(u64 n, u64 from, u64 to) {
  if (simd_level() == SimdLevel::Avx512) return first_factor_avx512(n, from, to);
  return first_factor_scalar(n, from, to);
}

u64 smallest_odd_factor(u64 n, u64 from, u64 to, std::atomic<u64>& found) {
  constexpr u64 kCheckEvery = 4096;
  for (u64 start = from; start <= to; start += 2 * kCheckEvery) {
    u64 other = found.load(std::memory_order_relaxed);
    if (other != 0 && other < start) return 0;
    u64 end = std::min(to, start + 2 * (kCheckEvery - 1));
    if (u64 d = first_factor(n, start, end)) {
      u64 cur = found.load(std::memory_order_relaxed);
      while ((cur == 0 || d < cur) &&
             !found.compare_exchange_weak(cur, d, std::memory_order_relaxed)) {}
      return d;
    }
    if (end == to) break;
  }
  return 0;
}

}  // namespace tessera::kernels::primes
