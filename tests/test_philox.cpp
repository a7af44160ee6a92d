// Philox4x32-10 against Random123's known answers, the SIMD block generator
// against the scalar one, and the distribution kernels' chunking independence
// and statistics.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#include "kernels/philox.hpp"
#include "kernels/simd.hpp"
#include "runtime/context.hpp"
#include "runtime/random/generator.hpp"

namespace ph = tessera::kernels::philox;
using tessera::Array;
using tessera::Context;
using tessera::Dims;
using tessera::DType;
using tessera::random::Generator;

TEST_CASE("philox4x32-10 matches Random123's known-answer vectors") {
  // Random123 tests/kat_vectors: "philox4x32 10" lines (counter, key, expected).
  struct Kat {
    std::uint32_t ctr[4], key[2], out[4];
  };
  const Kat kats[] = {
      {{0, 0, 0, 0}, {0, 0}, {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}},
      {{0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff},
       {0xffffffff, 0xffffffff},
       {0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}},
      {{0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344},
       {0xa4093822, 0x299f31d0},
       {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}},
  };
  for (const Kat& k : kats) {
    ph::Block b = ph::philox4x32_10(k.ctr, k.key);
    for (int i = 0; i < 4; ++i) CHECK(b.w[i] == k.out[i]);
  }
}

TEST_CASE("stream block b is philox4x32_10({b_lo, b_hi, 0, stream}, key)") {
  ph::Stream s{0x299f31d0a4093822ull, 0x03707344u};
  std::uint32_t out[8];
  ph::blocks_scalar(s, 0x85a308d3243f6a88ull, 2, out);
  std::uint32_t ctr[4] = {0x243f6a88, 0x85a308d3, 0, 0x03707344};
  std::uint32_t key[2] = {0xa4093822, 0x299f31d0};
  ph::Block b = ph::philox4x32_10(ctr, key);
  for (int i = 0; i < 4; ++i) CHECK(out[i] == b.w[i]);
  ph::Stream zero{0, 0};
  ph::blocks(zero, 0, 1, out);
  CHECK(out[0] == 0x6627e8d5u);
  CHECK(out[3] == 0x9b00dbd8u);
}

TEST_CASE("vectorized blocks equal the scalar ones, across the low counter word's wrap") {
  using Fn = std::int64_t (*)(const ph::Stream&, std::uint64_t, std::int64_t, std::uint32_t*);
  std::vector<Fn> isas{ph::blocks_sse};
  auto level = tessera::kernels::simd_level();
  if (level >= tessera::kernels::SimdLevel::Avx2) isas.push_back(ph::blocks_avx2);
  if (level >= tessera::kernels::SimdLevel::Avx512) isas.push_back(ph::blocks_avx512);
  ph::Stream s{0x0123456789abcdefull, 7};
  for (std::uint64_t first : {std::uint64_t{0}, std::uint64_t{5}, (std::uint64_t{1} << 32) - 37,
                              ~std::uint64_t{0} - 40}) {
    for (std::int64_t n : {1, 7, 8, 31, 32, 33, 100, 1000}) {
      std::vector<std::uint32_t> a(4 * n), b(4 * n);
      ph::blocks(s, first, n, a.data());
      ph::blocks_scalar(s, first, n, b.data());
      CHECK(a == b);
      for (Fn f : isas) {
        std::vector<std::uint32_t> c(4 * n, 0);
        std::int64_t done = f(s, first, n, c.data());
        CHECK(done <= n);
        CHECK(std::equal(c.begin(), c.begin() + 4 * done, b.begin()));
      }
    }
  }
}

TEST_CASE("uniform float64 values are (x >> 11) * 2^-53 of the block's 64-bit words") {
  ph::Stream s{5, 1};
  std::uint32_t w[8];
  ph::blocks_scalar(s, 3, 2, w);
  double out[4];
  ph::uniform_f64(s, 3, 0, 4, 0.0, 1.0, out);
  for (int i = 0; i < 4; ++i) {
    std::uint64_t x = w[2 * i] | static_cast<std::uint64_t>(w[2 * i + 1]) << 32;
    CHECK(out[i] == static_cast<double>(x >> 11) * 0x1.0p-53);
  }
}

TEST_CASE("fills give the same values whatever the chunks") {
  ph::Stream s{42, 3};
  const std::int64_t n = 1001;
  std::vector<double> whole(n), parts(n);
  ph::uniform_f64(s, 10, 0, n, 0, 1, whole.data());
  for (std::int64_t e = 0; e < n; e += 34)
    ph::uniform_f64(s, 10, e, std::min<std::int64_t>(34, n - e), 0, 1, parts.data() + e);
  CHECK(whole == parts);

  std::vector<std::int64_t> iw(n), ip(n);
  ph::integers(s, 0, 0, n, -3, 10, iw.data());
  for (std::int64_t e = 0; e < n; e += 12)
    ph::integers(s, 0, e, std::min<std::int64_t>(12, n - e), -3, 10, ip.data() + e);
  CHECK(iw == ip);

  ph::normal(s, 0, 0, n, 0, 1, whole.data());
  for (std::int64_t e = 0; e < n; e += 6)
    ph::normal(s, 0, e, std::min<std::int64_t>(6, n - e), 0, 1, parts.data() + e);
  CHECK(whole == parts);

  ph::poisson(s, 0, 0, n, 30.5, iw.data());
  for (std::int64_t e = 0; e < n; e += 7)
    ph::poisson(s, 0, e, std::min<std::int64_t>(7, n - e), 30.5, ip.data() + e);
  CHECK(iw == ip);
}

TEST_CASE("integers stay in range, hit both ends, and cover full 64-bit spans") {
  ph::Stream s{1, 0};
  std::vector<std::int64_t> v(4000);
  ph::integers(s, 0, 0, 4000, 1, 5, v.data());  // 1..6
  bool lo = false, hi = false;
  for (auto x : v) {
    CHECK(x >= 1);
    CHECK(x <= 6);
    lo |= x == 1;
    hi |= x == 6;
  }
  CHECK(lo);
  CHECK(hi);
  ph::integers(s, 0, 0, 4000, INT64_MIN, ~std::uint64_t{0}, v.data());
  int negative = 0;
  for (auto x : v) negative += x < 0;
  CHECK(negative > 1800);
  CHECK(negative < 2200);
}

TEST_CASE("generator fills are identical at 1 and N threads") {
  Context one, many;
  one.parallel.set_threads(1);
  many.parallel.set_threads(2);
  const std::int64_t n = 300001;
  auto same = [&](auto fill, DType t) {
    Generator g1(99, 5), g2(99, 5);
    Array a = Array::empty(t, Dims{n}, one.account);
    Array b = Array::empty(t, Dims{n}, many.account);
    fill(g1, one, a);
    fill(g2, many, b);
    CHECK(std::memcmp(a.data(), b.data(), a.nbytes()) == 0);
    CHECK(g1.position() == g2.position());
  };
  same([](Generator& g, Context& c, const Array& a) { g.uniform(c, a, 0, 1); }, DType::Float64);
  same([](Generator& g, Context& c, const Array& a) { g.uniform(c, a, -1, 1); }, DType::Float32);
  same([](Generator& g, Context& c, const Array& a) { g.integers(c, a, 0, 9); }, DType::Int64);
  same([](Generator& g, Context& c, const Array& a) { g.normal(c, a, 0, 1); }, DType::Float64);
  same([](Generator& g, Context& c, const Array& a) { g.poisson(c, a, 4.0); }, DType::Int64);
  same([](Generator& g, Context& c, const Array& a) { g.binomial(c, a, 1000, 0.3); }, DType::Int64);
}

TEST_CASE("generator statistics: moments with fixed seeds") {
  Context ctx;
  Generator g(2024);
  const std::int64_t n = 1000000;
  Array a = Array::empty(DType::Float64, Dims{n}, ctx.account);
  auto moments = [&](double& mean, double& var) {
    const double* p = a.data_as<double>();
    double s = 0, s2 = 0;
    for (std::int64_t i = 0; i < n; ++i) s += p[i];
    mean = s / n;
    for (std::int64_t i = 0; i < n; ++i) s2 += (p[i] - mean) * (p[i] - mean);
    var = s2 / n;
  };
  double m, v;
  g.uniform(ctx, a, 0, 1);
  moments(m, v);
  CHECK(std::fabs(m - 0.5) < 5 * std::sqrt(1.0 / 12 / n));
  CHECK(std::fabs(v - 1.0 / 12) < 0.002);
  g.normal(ctx, a, 3, 2);
  moments(m, v);
  CHECK(std::fabs(m - 3) < 5 * 2 / std::sqrt(double(n)));
  CHECK(std::fabs(v - 4) < 0.05);
  g.exponential(ctx, a, 2);
  moments(m, v);
  CHECK(std::fabs(m - 2) < 5 * 2 / std::sqrt(double(n)));
  CHECK(std::fabs(v - 4) < 0.1);
}

TEST_CASE("state strings round-trip and spawned children differ") {
  Generator g(7, 9);
  g.take(12345);
  g.spawn(3);
  Generator h = Generator::from_state(g.state());
  CHECK(h.state() == g.state());
  CHECK_THROWS(Generator::from_state("nonsense"));
  auto kids = g.spawn(2);
  CHECK(kids[0].key() != kids[1].key());
  Generator g2(7, 9);
  g2.take(12345);
  auto kids2 = g2.spawn(5);
  CHECK(kids2[3].key() == kids[0].key());  // children depend only on (key, stream, number)
}
