// Sketches at the C++ level: the hash against MurmurHash3's published
// verification value, the item-hashing rule, HLL++'s sparse encoding against
// the dense update, order/batch/thread independence of bulk adds, merge ==
// union, serialization round trips and the loader's errors.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "kernels/hash.hpp"
#include "kernels/sketch_ops.hpp"
#include "runtime/context.hpp"
#include "runtime/sketch/bloom.hpp"
#include "runtime/sketch/countmin.hpp"
#include "runtime/sketch/hll.hpp"
#include "runtime/sketch/kmv.hpp"
#include "runtime/sketch/morris.hpp"

using namespace tessera;
using namespace tessera::kernels;

namespace {

std::uint64_t splitmix(std::uint64_t& s) {
  std::uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// An int64 array holding first, first+1, ..., first+n-1.
Array iota(std::int64_t first, std::int64_t n) {
  Array a = Array::empty(DType::Int64, Dims{n});
  auto* p = a.data_as<std::int64_t>();
  for (std::int64_t i = 0; i < n; ++i) p[i] = first + i;
  return a;
}

template <class T>
std::unique_ptr<T> reload(const T& s) {
  std::string text = sketch::serialize(s);
  auto any = sketch::load(text.data(), text.size());
  REQUIRE(any->kind() == s.kind());
  return std::unique_ptr<T>(static_cast<T*>(any.release()));
}

std::string load_error(const std::string& text) {
  try {
    sketch::load(text.data(), text.size());
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("murmur3_x64_128 matches the reference verification value 0x6384BA69") {
  // SMHasher's check: key i is the bytes 0..i-1, hashed with seed 256 - i;
  // the 256 digests, concatenated, are hashed with seed 0; the first 4 bytes
  // of that, little-endian, are the verification value.
  unsigned char key[256];
  unsigned char digests[256 * 16];
  for (int i = 0; i < 256; ++i) {
    key[i] = static_cast<unsigned char>(i);
    Hash128 h = murmur3_x64_128(key, static_cast<std::size_t>(i), static_cast<std::uint32_t>(256 - i));
    for (int b = 0; b < 8; ++b) {
      digests[16 * i + b] = static_cast<unsigned char>(h.h1 >> (8 * b));
      digests[16 * i + 8 + b] = static_cast<unsigned char>(h.h2 >> (8 * b));
    }
  }
  Hash128 f = murmur3_x64_128(digests, sizeof digests, 0);
  CHECK(static_cast<std::uint32_t>(f.h1) == 0x6384BA69u);
  // The empty key with seed 0 hashes to all zeros.
  Hash128 e = murmur3_x64_128("", 0, 0);
  CHECK(e.h1 == 0);
  CHECK(e.h2 == 0);
}

TEST_CASE("the 8-byte fast path equals the general hash") {
  std::uint64_t s = 1;
  for (int i = 0; i < 1000; ++i) {
    std::uint64_t v = splitmix(s);
    std::uint32_t seed = static_cast<std::uint32_t>(splitmix(s));
    unsigned char bytes[8];
    for (int b = 0; b < 8; ++b) bytes[b] = static_cast<unsigned char>(v >> (8 * b));
    Hash128 a = murmur3_x64_128(bytes, 8, seed), b = murmur3_u64(v, seed);
    REQUIRE(a.h1 == b.h1);
    REQUIRE(a.h2 == b.h2);
  }
}

TEST_CASE("item hashing: integral floats are integers, domains are apart") {
  auto eq = [](Hash128 a, Hash128 b) { return a.h1 == b.h1 && a.h2 == b.h2; };
  CHECK(eq(hash_number(3.0), hash_integer(3)));
  CHECK(eq(hash_number(-0.0), hash_integer(0)));
  CHECK(eq(hash_number(-9223372036854775808.0), hash_integer(std::numeric_limits<std::int64_t>::min())));
  CHECK(eq(hash_element<float>(2.0f), hash_integer(2)));
  CHECK(eq(hash_element<float>(1.5f), hash_number(1.5)));
  CHECK(eq(hash_element<bool>(true), hash_integer(1)));
  CHECK(eq(hash_element<std::uint8_t>(200), hash_integer(200)));
  CHECK(eq(hash_element<std::int32_t>(-7), hash_integer(-7)));
  // Every NaN is one item.
  double nan1 = std::numeric_limits<double>::quiet_NaN();
  std::uint64_t bits = 0x7ff0000000000123ULL;
  double nan2;
  std::memcpy(&nan2, &bits, 8);
  CHECK(eq(hash_number(nan1), hash_number(nan2)));
  CHECK(eq(hash_number(-nan1), hash_number(nan1)));
  // 1.5's bits as an integer, 1 and the string of 1's bytes all differ.
  double x = 1.5;
  std::int64_t xbits;
  std::memcpy(&xbits, &x, 8);
  CHECK_FALSE(eq(hash_number(1.5), hash_integer(xbits)));
  const char one[8] = {1, 0, 0, 0, 0, 0, 0, 0};
  CHECK_FALSE(eq(hash_string(one, 8), hash_integer(1)));
  CHECK(eq(hash_string("abc", 3), murmur3_x64_128("abc", 3, 0)));
  // 2^63 is out of int64's range: hashed as a float.
  CHECK(eq(hash_number(9223372036854775808.0),
           murmur3_u64(0x43e0000000000000ULL, kFloatSeed)));
}

TEST_CASE("HLL++ sparse encoding decodes to the dense register update") {
  std::uint64_t s = 7;
  for (int p = kHllMinPrecision; p <= kHllMaxPrecision; ++p) {
    for (int i = 0; i < 20000; ++i) {
      std::uint64_t h = splitmix(s);
      // Force the all-zero cases now and then.
      if (i % 7 == 0) h &= ~((std::uint64_t{1} << (64 - p)) - 1) | (h & 0xff);
      if (i % 11 == 0) h &= ~((std::uint64_t{1} << (64 - p)) - 1);
      HllUpdate d = hll_update(h, p);
      HllUpdate e = hll_sparse_decode(hll_sparse_encode(h, p), p);
      REQUIRE(d.index == e.index);
      REQUIRE(int(d.rank) == int(e.rank));
      REQUIRE(d.rank >= 1);
      REQUIRE(d.rank <= 65 - p);
    }
  }
}

TEST_CASE("HLL state depends only on the set of items") {
  Context one, two;
  one.parallel.set_threads(1);
  two.parallel.set_threads(2);
  for (std::int64_t n : {std::int64_t{50}, std::int64_t{3000}, std::int64_t{300000}}) {
    sketch::HyperLogLog a(12), b(12), c(12), d(12);
    Array items = iota(1, n);
    for (std::int64_t i = n; i >= 1; --i) a.add(hash_integer(i));  // reverse order
    b.add_array(one, items);
    c.add_array(two, items);
    c.add_array(two, iota(1, n / 2));  // duplicates change nothing
    d.add_array(two, iota(1, n / 2));
    sketch::HyperLogLog e(12);
    e.add_array(two, iota(n / 2 + 1, n - n / 2));
    d.merge(e);  // merge of two halves == the whole
    CHECK(a == b);
    CHECK(b == c);
    CHECK(c == d);
    CHECK(a.is_sparse() == (n <= 1000));
    auto r = reload(c);
    CHECK(*r == c);
    CHECK(r->estimate() == c.estimate());
    CHECK(std::fabs(c.estimate() - double(n)) < 0.1 * double(n));
  }
  sketch::HyperLogLog p12(12), p14(14);
  CHECK_THROWS_WITH_AS(p12.merge(p14), doctest::Contains("different precision (12 and 14)"), Error);
  CHECK_THROWS_AS(sketch::HyperLogLog(3), Error);
  CHECK_THROWS_AS(sketch::HyperLogLog(19), Error);
}

TEST_CASE("HLL bias tables are increasing and thresholds sensible") {
  for (int p = kHllMinPrecision; p <= kHllMaxPrecision; ++p) {
    double m = double(1u << p);
    double t = sketch::HyperLogLog::threshold(p);
    CHECK(t > 0.2 * m);
    CHECK(t < 1.5 * m);
    // The raw estimate of an empty sketch is alpha m, far above 0: the bias there is large.
    CHECK(sketch::HyperLogLog::bias(p, hll_alpha(1u << p) * m) > 0.5 * m);
    CHECK(std::fabs(sketch::HyperLogLog::bias(p, 5 * m)) < 0.05 * m);
  }
}

TEST_CASE("Bloom parameters, no false negatives, merge and round trip") {
  sketch::Bloom b(1e6, 0.01);
  CHECK(b.hashes() == 7);
  CHECK(b.nbits() == 9585088);  // ceil(1e6 ln 100 / ln(2)^2) = 9585059, rounded up to 64
  Context ctx;
  ctx.parallel.set_threads(2);
  sketch::Bloom x(20000, 0.01), y(20000, 0.01), z(20000, 0.01);
  x.add_array(ctx, iota(0, 20000));
  for (std::int64_t i = 0; i < 10000; ++i) y.add(hash_integer(i));
  z.add_array(ctx, iota(10000, 10000));
  y.merge(z);
  CHECK(x == y);
  for (std::int64_t i = 0; i < 20000; ++i) REQUIRE(x.contains(hash_integer(i)));
  CHECK(std::fabs(x.estimate() - 20000) < 400);
  auto r = reload(x);
  CHECK(*r == x);
  sketch::Bloom other(20001 * 2, 0.01);
  CHECK_THROWS_WITH_AS(x.merge(other), doctest::Contains("different shape"), Error);
  CHECK_THROWS_AS(sketch::Bloom(0, 0.01), Error);
  CHECK_THROWS_AS(sketch::Bloom(10, 1.0), Error);
  CHECK_THROWS_AS(sketch::Bloom(10, 0.0), Error);
}

TEST_CASE("scalable Bloom: bulk adds equal adds one at a time; it grows") {
  Context ctx;
  ctx.parallel.set_threads(2);
  sketch::ScalableBloom a(100, 0.01, 2, 0.85), b(100, 0.01, 2, 0.85);
  Array items = iota(0, 50000);
  a.add_array(ctx, items);
  a.add_array(ctx, iota(0, 1000));
  for (std::int64_t i = 0; i < 50000; ++i) b.add(hash_integer(i));
  for (std::int64_t i = 0; i < 1000; ++i) b.add(hash_integer(i));
  CHECK(a.filters() == b.filters());
  CHECK(a.count() == b.count());
  CHECK(sketch::serialize(a) == sketch::serialize(b));
  CHECK(a.filters() > 5);
  CHECK(a.current_fp_bound() <= 0.01);
  for (std::int64_t i = 0; i < 50000; ++i) REQUIRE(a.contains(hash_integer(i)));
  auto r = reload(a);
  CHECK(sketch::serialize(*r) == sketch::serialize(a));
}

TEST_CASE("KMV: bulk equals single adds, union and intersection") {
  Context ctx;
  ctx.parallel.set_threads(2);
  sketch::Kmv a(256), b(256), c(256);
  a.add_array(ctx, iota(0, 200000));
  for (std::int64_t i = 199999; i >= 0; --i) b.add(hash_integer(i));
  CHECK(a.values() == b.values());
  c.add_array(ctx, iota(0, 100));
  CHECK(c.estimate() == 100);  // exact below k
  sketch::Kmv lo(256), hi(256);
  lo.add_array(ctx, iota(0, 120000));
  hi.add_array(ctx, iota(80000, 120000));
  lo.merge(hi);
  CHECK(lo.values() == a.values());
  sketch::Kmv left(4096), right(4096);
  left.add_array(ctx, iota(0, 200000));
  right.add_array(ctx, iota(100000, 200000));
  double j = sketch::Kmv::jaccard(left, right);  // truth 1/3
  CHECK(std::fabs(j - 1.0 / 3) < 0.03);
  double inter = sketch::Kmv::intersection(left, right);  // truth 100000
  CHECK(std::fabs(inter - 100000) < 10000);
  auto r = reload(a);
  CHECK(r->values() == a.values());
  sketch::Kmv k2(128);
  CHECK_THROWS_WITH_AS(a.merge(k2), doctest::Contains("different k"), Error);
  CHECK(sketch::Kmv::union_of(a, k2)->k() == 128);
}

TEST_CASE("count-min never undercounts; heavy hitters; merge; round trip") {
  Context ctx;
  ctx.parallel.set_threads(2);
  sketch::CountMin cm(1000, 4, 5), one(1000, 4, 5);
  // Item i appears (i % 10) + 1 times; item 7777 a thousand extra times.
  std::vector<std::int64_t> stream;
  for (std::int64_t i = 0; i < 20000; ++i)
    for (std::int64_t r = 0; r <= i % 10; ++r) stream.push_back(i);
  for (int r = 0; r < 1000; ++r) stream.push_back(7777);
  Array a = Array::empty(DType::Int64, Dims{std::int64_t(stream.size())});
  std::memcpy(a.data(), stream.data(), stream.size() * 8);
  cm.add_array(ctx, a, 1);
  for (std::int64_t v : stream) one.add(sketch::Key::integer(v), hash_integer(v), 1);
  CHECK(cm.counters() == one.counters());
  CHECK(cm.total() == stream.size());
  for (std::int64_t i = 0; i < 20000; ++i) REQUIRE(cm.estimate(hash_integer(i)) >= std::uint64_t(i % 10 + 1));
  auto hh = cm.heavy_hitters(0);
  REQUIRE(!hh.empty());
  CHECK(hh[0].key.type == sketch::Key::Integer);
  CHECK(hh[0].key.i == 7777);
  auto r = reload(cm);
  CHECK(r->counters() == cm.counters());
  CHECK(r->heavy_hitters(0)[0].key.i == 7777);
  sketch::CountMin other(1000, 3, 5);
  CHECK_THROWS_WITH_AS(cm.merge(other), doctest::Contains("different shape"), Error);
}

TEST_CASE("Morris counter: unbiased on average, one-byte counter, merge") {
  double sum = 0;
  const int runs = 2000;
  for (int r = 0; r < runs; ++r) {
    sketch::Morris m(2.0, std::uint64_t(r));
    m.add_events(10000);
    sum += m.estimate();
  }
  // Standard error of the mean: sqrt(n(n-1)/2)/sqrt(runs) ~ 158.
  CHECK(std::fabs(sum / runs - 10000) < 5 * 158);
  sketch::Morris a(2.0, 1), b(2.0, 2);
  a.add_events(1000);
  b.add_events(1000);
  a.merge(b);
  CHECK(a.counter() >= 8);
  auto r = reload(a);
  CHECK(r->estimate() == a.estimate());
  sketch::Morris c(1.5);
  CHECK_THROWS_AS(a.merge(c), Error);
  CHECK_THROWS_AS(sketch::Morris(1.0), Error);
}

TEST_CASE("load rejects bad data with clear messages") {
  sketch::HyperLogLog h(10);
  h.add(hash_integer(1));
  std::string good = sketch::serialize(h);
  CHECK(load_error("hello") == "not a serialized Tessera sketch (bad magic)");
  CHECK(load_error("") == "not a serialized Tessera sketch (bad magic)");
  CHECK(load_error(good.substr(0, good.size() - 3)).find("checksum") != std::string::npos);
  CHECK(load_error(good.substr(0, 10)) == "truncated sketch data");
  std::string v2 = good;
  v2[4] = 2;
  CHECK(load_error(v2) == "unsupported sketch format version 2 (this build reads 1)");
  std::string flipped = good;
  flipped[9] ^= 1;
  CHECK(load_error(flipped) == "corrupt sketch data (checksum mismatch)");
}
