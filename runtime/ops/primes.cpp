#include "primes.hpp"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <vector>

#include "../../kernels/primes.hpp"
#include "../../kernels/quarter_circle.hpp"
#include "../errors.hpp"
#include "elementwise.hpp"

namespace tessera::ops {

namespace pk = kernels::primes;
using u64 = std::uint64_t;

namespace {
// Elements per task of is_prime: Miller-Rabin costs from nanoseconds (even
// numbers) to microseconds (primes), so tasks stay small for balance.
constexpr std::int64_t kIsPrimeGrain = 256;
// Numbers per task of trial counting (a prime near 1e8 takes 5000 divisors).
constexpr std::int64_t kTrialGrain = 1024;
// Odd divisors per piece of a split search.
constexpr u64 kSplitPiece = u64{1} << 18;
// Points per task of the quarter-circle count (even).
constexpr std::int64_t kPiGrain = std::int64_t{1} << 18;

void check_sieve_range(std::int64_t hi) {
  if (hi > 0 && static_cast<u64>(hi) > pk::kSieveMax)
    throw Error("the sieve reaches up to 2^53 = 9007199254740992 (use is_prime beyond)");
}
}  // namespace

Array is_prime(Context& ctx, const Array& a) {
  if (!is_integer(a.dtype()))
    throw Error(std::string("expected an integer array (uint8, int32, int64), got ") +
                dtype_name(a.dtype()));
  Array in = contiguous(ctx, a);
  Array out = Array::empty(DType::Bool, a.shape(), ctx.account);
  bool* o = out.data_as<bool>();
  visit_dtype(in.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    if constexpr (std::is_same_v<T, std::uint8_t> || std::is_same_v<T, std::int32_t> ||
                  std::is_same_v<T, std::int64_t>) {
      const T* p = in.data_as<T>();
      ctx.parallel.for_range(in.size(), kIsPrimeGrain, [&](std::int64_t b, std::int64_t e) {
        pk::is_prime_many(p + b, o + b, e - b);
      });
    }
  });
  return out;
}

bool is_prime_value(std::int64_t n) { return pk::is_prime_signed(n); }

std::int64_t count_primes_sieve(Context& ctx, std::int64_t lo, std::int64_t hi) {
  check_sieve_range(hi);
  if (hi < 2 || lo > hi) return 0;
  pk::OddSieve sieve(static_cast<u64>(std::max<std::int64_t>(lo, 0)), static_cast<u64>(hi));
  std::atomic<std::int64_t> total{sieve.has_two() ? 1 : 0};
  ctx.parallel.for_range(sieve.segments(), 1, [&](std::int64_t b, std::int64_t e) {
    std::vector<std::uint8_t> flags;
    std::int64_t c = 0;
    for (std::int64_t s = b; s < e; ++s) c += sieve.count_segment(s, flags);
    total += c;
  });
  return total.load();
}

Array primes_between(Context& ctx, std::int64_t lo, std::int64_t hi) {
  check_sieve_range(hi);
  if (hi < 2 || lo > hi) return Array::empty(DType::Int64, Dims{0}, ctx.account);
  pk::OddSieve sieve(static_cast<u64>(std::max<std::int64_t>(lo, 0)), static_cast<u64>(hi));
  std::vector<std::vector<std::int64_t>> parts(static_cast<std::size_t>(sieve.segments()));
  ctx.parallel.for_range(sieve.segments(), 1, [&](std::int64_t b, std::int64_t e) {
    std::vector<std::uint8_t> flags;
    for (std::int64_t s = b; s < e; ++s) sieve.list_segment(s, flags, parts[s]);
  });
  std::int64_t n = sieve.has_two() ? 1 : 0;
  for (const auto& p : parts) n += static_cast<std::int64_t>(p.size());
  Array out = Array::empty(DType::Int64, Dims{n}, ctx.account);
  std::int64_t* o = out.data_as<std::int64_t>();
  if (sieve.has_two()) *o++ = 2;
  for (auto& p : parts) {
    if (!p.empty()) std::memcpy(o, p.data(), p.size() * sizeof(std::int64_t));
    o += p.size();
    std::vector<std::int64_t>().swap(p);
  }
  return out;
}

std::int64_t count_primes_trial(Context& ctx, std::int64_t lo, std::int64_t hi) {
  if (hi > 0 && static_cast<u64>(hi) > pk::kTrialMax)
    throw Error("trial division reaches up to 2^42 = 4398046511104 (use the sieve)");
  lo = std::max<std::int64_t>(lo, 0);
  if (hi < 2 || lo > hi) return 0;
  pk::TrialTable table(pk::isqrt(static_cast<u64>(hi)));
  std::atomic<std::int64_t> total{0};
  ctx.parallel.for_range(hi - lo + 1, kTrialGrain, [&](std::int64_t b, std::int64_t e) {
    total += table.count_range(static_cast<u64>(lo + b), static_cast<u64>(lo + e - 1));
  });
  return total.load();
}

u64 smallest_factor(Context& ctx, u64 n) {
  if (n < 2) return 0;
  if (n % 2 == 0) return 2;
  u64 root = pk::isqrt(n);
  if (root < 3) return n;
  u64 odds = (root - 3) / 2 + 1;  // divisors 3, 5, ..., root
  auto pieces = static_cast<std::int64_t>((odds + kSplitPiece - 1) / kSplitPiece);
  std::atomic<u64> found{0};
  ctx.parallel.for_range(pieces, 1, [&](std::int64_t b, std::int64_t e) {
    for (std::int64_t p = b; p < e; ++p) {
      u64 from = 3 + 2 * static_cast<u64>(p) * kSplitPiece;
      u64 to = std::min(root, from + 2 * (kSplitPiece - 1));
      u64 known = found.load(std::memory_order_relaxed);
      if (known != 0 && known < from) return;
      pk::smallest_odd_factor(n, from, to, found);
    }
  });
  u64 f = found.load();
  return f ? f : n;
}

std::int64_t quarter_circle_hits(Context& ctx, random::Generator& g, std::int64_t n) {
  if (n <= 0) return 0;
  u64 first = g.take(static_cast<u64>(n / 2 + n % 2));
  const kernels::philox::Stream& s = g.stream();
  std::int64_t tasks = (n + kPiGrain - 1) / kPiGrain;
  std::atomic<std::int64_t> total{0};
  ctx.parallel.for_range(tasks, 1, [&](std::int64_t b, std::int64_t e) {
    std::int64_t p0 = b * kPiGrain, p1 = std::min(n, e * kPiGrain);
    total += kernels::quarter_circle_hits(s, first, p0, p1 - p0);
  });
  return total.load();
}

}  // namespace tessera::ops
