#include "philox.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "philox_simd.hpp"
#include "simd.hpp"

namespace tessera::kernels::philox {

namespace {

inline std::uint32_t mulhilo(std::uint32_t a, std::uint32_t b, std::uint32_t& hi) {
  std::uint64_t p = static_cast<std::uint64_t>(a) * b;
  hi = static_cast<std::uint32_t>(p >> 32);
  return static_cast<std::uint32_t>(p);
}

inline Block run(std::uint32_t c0, std::uint32_t c1, std::uint32_t c2, std::uint32_t c3,
                 std::uint32_t k0, std::uint32_t k1) {
  for (int r = 0; r < 10; ++r) {
    std::uint32_t hi0, hi1;
    std::uint32_t lo0 = mulhilo(kM0, c0, hi0);
    std::uint32_t lo1 = mulhilo(kM1, c2, hi1);
    std::uint32_t n0 = hi1 ^ c1 ^ k0, n2 = hi0 ^ c3 ^ k1;
    c0 = n0;
    c1 = lo1;
    c2 = n2;
    c3 = lo0;
    k0 += kW0;
    k1 += kW1;
  }
  return Block{{c0, c1, c2, c3}};
}

inline Block at(const Stream& s, std::uint64_t block, std::uint32_t c2) {
  return run(static_cast<std::uint32_t>(block), static_cast<std::uint32_t>(block >> 32), c2,
             s.stream, static_cast<std::uint32_t>(s.key), static_cast<std::uint32_t>(s.key >> 32));
}

struct Sse {
  using type = __m128i;
  static constexpr int lanes = 4;
  static type set1(std::uint32_t v) { return _mm_set1_epi32(static_cast<int>(v)); }
  static type load(const std::uint32_t* p) {
    return _mm_load_si128(reinterpret_cast<const __m128i*>(p));
  }
  static void store(std::uint32_t* p, type v) { _mm_store_si128(reinterpret_cast<__m128i*>(p), v); }
  static type xor3(type a, type b, type c) { return _mm_xor_si128(_mm_xor_si128(a, b), c); }
  static type add(type a, type b) { return _mm_add_epi32(a, b); }
  static type iota() { return _mm_setr_epi32(0, 1, 2, 3); }
  static void store_blocks(std::uint32_t* out, type a, type b, type c, type d) {
    type t0 = _mm_unpacklo_epi32(a, b), t1 = _mm_unpackhi_epi32(a, b);
    type t2 = _mm_unpacklo_epi32(c, d), t3 = _mm_unpackhi_epi32(c, d);
    auto* o = reinterpret_cast<__m128i*>(out);
    _mm_storeu_si128(o + 0, _mm_unpacklo_epi64(t0, t2));
    _mm_storeu_si128(o + 1, _mm_unpackhi_epi64(t0, t2));
    _mm_storeu_si128(o + 2, _mm_unpacklo_epi64(t1, t3));
    _mm_storeu_si128(o + 3, _mm_unpackhi_epi64(t1, t3));
  }
  static void mulhilo(type a, type m, type& hi, type& lo) {
    type pe = _mm_mul_epu32(a, m);
    type po = _mm_mul_epu32(_mm_srli_epi64(a, 32), m);
    lo = _mm_blend_epi16(pe, _mm_slli_epi64(po, 32), 0xCC);
    hi = _mm_blend_epi16(_mm_srli_epi64(pe, 32), po, 0xCC);
  }
};

using BlocksFn = std::int64_t (*)(const Stream&, std::uint64_t, std::int64_t, std::uint32_t*);

BlocksFn pick() {
  switch (simd_level()) {
    case SimdLevel::Avx512: return blocks_avx512;
    case SimdLevel::Avx2: return blocks_avx2;
    case SimdLevel::Sse42: break;
  }
  return blocks_sse;
}

// The words a rejection sampler's element may use: its own words of the
// main sequence first, then its retry sequence.
struct Draws {
  const Stream& s;
  std::uint64_t block;  // the element's main block
  std::uint32_t lane;   // the element's place in that block
  const std::uint32_t* own;
  int own_n;
  int pos = 0;
  std::uint32_t retry = 0;
  int rpos = 4;
  Block rb{};

  std::uint32_t next32() {
    if (pos < own_n) return own[pos++];
    if (rpos == 4) {
      rb = at(s, block, ((lane + 1) << 28) | (retry++ & 0x0fffffffu));
      rpos = 0;
    }
    return rb.w[rpos++];
  }
  std::uint64_t next64() {
    std::uint64_t lo = next32();
    return lo | static_cast<std::uint64_t>(next32()) << 32;
  }
  double next_double();
};

inline std::uint64_t u64(const std::uint32_t* w) {
  return w[0] | static_cast<std::uint64_t>(w[1]) << 32;
}
// (x >> 11) * 2^-53 exactly, with integer and float operations that
// vectorize at the baseline instruction set (no 64-bit integer conversion):
// 1 + (x >> 12) * 2^-52 by its bits, minus 1, plus bit 11 times 2^-53.
inline double unit(std::uint64_t x) {
  double d;
  std::uint64_t bits = (x >> 12) | 0x3ff0000000000000ull;
  std::memcpy(&d, &bits, sizeof d);
  return (d - 1.0) + static_cast<double>(static_cast<std::int32_t>((x >> 11) & 1)) * 0x1.0p-53;
}

double Draws::next_double() { return unit(next64()); }

// Calls f(e, words) for each element e of [e0, e0 + n), where words points at
// the 4 / PB words element e owns in the main sequence, generating the blocks
// in batches.
template <int PB, class F>
void each(const Stream& s, std::uint64_t first, std::int64_t e0, std::int64_t n, F&& f) {
  constexpr std::int64_t kBatch = 256;
  alignas(64) std::uint32_t buf[4 * kBatch];
  std::int64_t e = e0;
  const std::int64_t end = e0 + n;
  while (e < end) {
    std::int64_t b = e / PB;
    std::int64_t bend = std::min(b + kBatch, (end + PB - 1) / PB);
    blocks(s, first + static_cast<std::uint64_t>(b), bend - b, buf);
    std::int64_t eend = std::min(end, bend * PB);
    const std::uint32_t* base = buf - 4 * b;
    for (; e < eend; ++e) f(e, base + e * (4 / PB));  // = 4 * (e / PB) + (e % PB) * (4 / PB)
  }
}

inline std::uint32_t lemire32(Draws& d, std::uint32_t x, std::uint64_t m) {
  std::uint64_t prod = static_cast<std::uint64_t>(x) * m;
  std::uint32_t l = static_cast<std::uint32_t>(prod);
  if (l < m) {
    std::uint32_t t = static_cast<std::uint32_t>((std::uint64_t{1} << 32) - m) %
                      static_cast<std::uint32_t>(m);
    while (l < t) {
      prod = static_cast<std::uint64_t>(d.next32()) * m;
      l = static_cast<std::uint32_t>(prod);
    }
  }
  return static_cast<std::uint32_t>(prod >> 32);
}

inline std::uint64_t lemire64(Draws& d, std::uint64_t x, std::uint64_t m) {
  unsigned __int128 prod = static_cast<unsigned __int128>(x) * m;
  std::uint64_t l = static_cast<std::uint64_t>(prod);
  if (l < m) {
    std::uint64_t t = (0 - m) % m;
    while (l < t) {
      prod = static_cast<unsigned __int128>(d.next64()) * m;
      l = static_cast<std::uint64_t>(prod);
    }
  }
  return static_cast<std::uint64_t>(prod >> 64);
}

// A value in [0, span] for an element whose first draw is x (32 or 64 bits).
inline std::uint64_t in_span(Draws& d, std::uint64_t span, bool wide) {
  if (!wide) {
    std::uint32_t x = d.next32();
    if (span == 0xffffffffu) return x;
    return lemire32(d, x, span + 1);
  }
  std::uint64_t x = d.next64();
  if (span == ~std::uint64_t{0}) return x;
  return lemire64(d, x, span + 1);
}

double log_gamma(double x) {
  int sign;
  return lgamma_r(x, &sign);
}

// Hormann (1993), "The transformed rejection method for generating Poisson
// random variables" (PTRS), as NumPy's random_poisson_ptrs.
std::int64_t poisson_ptrs(Draws& d, double lam) {
  const double slam = std::sqrt(lam), loglam = std::log(lam);
  const double b = 0.931 + 2.53 * slam;
  const double a = -0.059 + 0.02483 * b;
  const double invalpha = 1.1239 + 1.1328 / (b - 3.4);
  const double vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    double u = d.next_double() - 0.5;
    double v = d.next_double();
    double us = 0.5 - std::fabs(u);
    auto k = static_cast<std::int64_t>(std::floor((2 * a / us + b) * u + lam + 0.43));
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (std::log(v) + std::log(invalpha) - std::log(a / (us * us) + b) <=
        -lam + static_cast<double>(k) * loglam - log_gamma(static_cast<double>(k) + 1))
      return k;
  }
}

std::int64_t poisson_one(Draws& d, double lam) {
  if (lam <= 0) return 0;
  if (lam >= 10) return poisson_ptrs(d, lam);
  double u = d.next_double();
  double p = std::exp(-lam), cdf = p;
  std::int64_t k = 0;
  while (u > cdf && k < 1000) {
    ++k;
    p *= lam / static_cast<double>(k);
    cdf += p;
  }
  return k;
}

// Hormann (1993), "The generation of binomial random variates" (BTRS), for
// p <= 0.5 and n * p >= 10.
std::int64_t binomial_btrs(Draws& d, std::int64_t n, double p) {
  const double dn = static_cast<double>(n), q = 1 - p;
  const double spq = std::sqrt(dn * p * q);
  const double b = 1.15 + 2.53 * spq;
  const double a = -0.0873 + 0.0248 * b + 0.01 * p;
  const double c = dn * p + 0.5;
  const double vr = 0.92 - 4.2 / b;
  const double alpha = (2.83 + 5.1 / b) * spq;
  const double lpq = std::log(p / q);
  const double m = std::floor((dn + 1) * p);
  const double h = log_gamma(m + 1) + log_gamma(dn - m + 1);
  for (;;) {
    double u = d.next_double() - 0.5;
    double v = d.next_double();
    double us = 0.5 - std::fabs(u);
    double k = std::floor((2 * a / us + b) * u + c);
    if (us >= 0.07 && v <= vr) return static_cast<std::int64_t>(k);
    if (k < 0 || k > dn) continue;
    v = std::log(v * alpha / (a / (us * us) + b));
    double bound = h - log_gamma(k + 1) - log_gamma(dn - k + 1) + (k - m) * lpq;
    if (v <= bound) return static_cast<std::int64_t>(k);
  }
}

// Inversion (NumPy's random_binomial_inversion) for p <= 0.5, small n * p.
std::int64_t binomial_inversion(Draws& d, std::int64_t n, double p) {
  const double dn = static_cast<double>(n), q = 1 - p;
  const double qn = std::exp(dn * std::log(q));
  const double np = dn * p;
  const double bound = std::min(dn, np + 10 * std::sqrt(np * q + 1));
  std::int64_t x = 0;
  double px = qn, u = d.next_double();
  while (u > px) {
    ++x;
    if (static_cast<double>(x) > bound) {
      x = 0;
      px = qn;
      u = d.next_double();
    } else {
      u -= px;
      px = (static_cast<double>(n - x + 1) * p * px) / (static_cast<double>(x) * q);
    }
  }
  return x;
}

std::int64_t binomial_one(Draws& d, std::int64_t n, double p) {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  bool flip = p > 0.5;
  double pp = flip ? 1 - p : p;
  std::int64_t k = static_cast<double>(n) * pp < 10 ? binomial_inversion(d, n, pp)
                                                     : binomial_btrs(d, n, pp);
  return flip ? n - k : k;
}

// Marsaglia and Tsang's ziggurat (2000) with 256 layers and 52-bit
// uniforms, as NumPy's standard_normal: one 64-bit draw gives the layer (8
// bits), the sign (1) and the position (52); 99% of draws return at once.
constexpr double kZigR = 3.6541528853610088;  // start of the tail
constexpr double kZigV = 0.00492867323399;    // area of each layer

struct Ziggurat {
  std::uint64_t ki[256];
  double wi[256], fi[256];
};

const Ziggurat& ziggurat() {
  static const Ziggurat z = [] {
    Ziggurat t{};
    const double m1 = 4503599627370496.0;  // 2^52
    double dn = kZigR, tn = dn;
    const double q = kZigV / std::exp(-0.5 * dn * dn);
    t.ki[0] = static_cast<std::uint64_t>((dn / q) * m1);
    t.ki[1] = 0;
    t.wi[0] = q / m1;
    t.wi[255] = dn / m1;
    t.fi[0] = 1.0;
    t.fi[255] = std::exp(-0.5 * dn * dn);
    for (int i = 254; i >= 1; --i) {
      dn = std::sqrt(-2.0 * std::log(kZigV / dn + std::exp(-0.5 * dn * dn)));
      t.ki[i + 1] = static_cast<std::uint64_t>((dn / tn) * m1);
      tn = dn;
      t.fi[i] = std::exp(-0.5 * dn * dn);
      t.wi[i] = dn / m1;
    }
    return t;
  }();
  return z;
}

double normal_one(Draws& d, const Ziggurat& z) {
  for (;;) {
    std::uint64_t r = d.next64();
    const int idx = static_cast<int>(r & 0xff);
    r >>= 8;
    const bool negative = r & 1;
    const std::uint64_t rabs = (r >> 1) & 0x000fffffffffffffull;
    double x = static_cast<double>(static_cast<std::int64_t>(rabs)) * z.wi[idx];
    if (negative) x = -x;
    if (rabs < z.ki[idx]) return x;
    if (idx == 0) {  // the tail beyond kZigR
      for (;;) {
        const double xx = -std::log1p(-d.next_double()) / kZigR;
        const double yy = -std::log1p(-d.next_double());
        if (yy + yy > xx * xx) return ((rabs >> 8) & 1) ? -(kZigR + xx) : kZigR + xx;
      }
    }
    if ((z.fi[idx - 1] - z.fi[idx]) * d.next_double() + z.fi[idx] < std::exp(-0.5 * x * x))
      return x;
  }
}

}  // namespace

std::int64_t blocks_sse(const Stream& s, std::uint64_t first, std::int64_t n, std::uint32_t* out) {
  std::int64_t done = n / (2 * Sse::lanes) * (2 * Sse::lanes);
  blocks_vec<Sse>(s, first, done, out);
  return done;
}

Block philox4x32_10(const std::uint32_t ctr[4], const std::uint32_t key[2]) {
  return run(ctr[0], ctr[1], ctr[2], ctr[3], key[0], key[1]);
}

void blocks_scalar(const Stream& s, std::uint64_t first, std::int64_t n, std::uint32_t* out) {
  for (std::int64_t i = 0; i < n; ++i) {
    Block b = at(s, first + static_cast<std::uint64_t>(i), 0);
    out[4 * i + 0] = b.w[0];
    out[4 * i + 1] = b.w[1];
    out[4 * i + 2] = b.w[2];
    out[4 * i + 3] = b.w[3];
  }
}

void blocks(const Stream& s, std::uint64_t first, std::int64_t n, std::uint32_t* out) {
  static const BlocksFn vec = pick();
  std::int64_t done = n >= 8 ? vec(s, first, n, out) : 0;
  blocks_scalar(s, first + static_cast<std::uint64_t>(done), n - done, out + 4 * done);
}

int per_block(Dist d) {
  switch (d) {
    case Dist::Uniform32:
    case Dist::Int32Range: return 4;
    case Dist::Uniform64:
    case Dist::Int64Range:
    case Dist::Normal:
    case Dist::Exponential: return 2;
    case Dist::Poisson:
    case Dist::Binomial: break;
  }
  return 1;
}

void uniform_f64(const Stream& s, std::uint64_t first, std::int64_t e0, std::int64_t n,
                 double lo, double hi, double* out) {
  const double width = hi - lo;
  each<2>(s, first, e0, n,
          [&](std::int64_t e, const std::uint32_t* w) { out[e - e0] = lo + width * unit(u64(w)); });
}

void uniform_f32(const Stream& s, std::uint64_t first, std::int64_t e0, std::int64_t n, float lo,
                 float hi, float* out) {
  const float width = hi - lo;
  each<4>(s, first, e0, n, [&](std::int64_t e, const std::uint32_t* w) {
    out[e - e0] = lo + width * (static_cast<float>(w[0] >> 8) * 0x1.0p-24f);
  });
}

Dist integer_dist(std::uint64_t span) {
  return span <= 0xffffffffu ? Dist::Int32Range : Dist::Int64Range;
}

void integers(const Stream& s, std::uint64_t first, std::int64_t e0, std::int64_t n,
              std::int64_t lo, std::uint64_t span, std::int64_t* out) {
  const auto ulo = static_cast<std::uint64_t>(lo);
  if (integer_dist(span) == Dist::Int32Range) {
    each<4>(s, first, e0, n, [&](std::int64_t e, const std::uint32_t* w) {
      Draws d{s, first + static_cast<std::uint64_t>(e / 4), static_cast<std::uint32_t>(e % 4), w, 1};
      out[e - e0] = static_cast<std::int64_t>(ulo + in_span(d, span, false));
    });
  } else {
    each<2>(s, first, e0, n, [&](std::int64_t e, const std::uint32_t* w) {
      Draws d{s, first + static_cast<std::uint64_t>(e / 2), static_cast<std::uint32_t>(e % 2), w, 2};
      out[e - e0] = static_cast<std::int64_t>(ulo + in_span(d, span, true));
    });
  }
}

Dist swap_dist(std::int64_t n) {
  return integer_dist(n > 0 ? static_cast<std::uint64_t>(n - 1) : 0);
}

void swap_targets(const Stream& s, std::uint64_t first, std::int64_t e0, std::int64_t count,
                  std::int64_t n, std::int64_t* out) {
  auto span = [n](std::int64_t e) { return static_cast<std::uint64_t>(n - 1 - e); };
  if (swap_dist(n) == Dist::Int32Range) {
    each<4>(s, first, e0, count, [&](std::int64_t e, const std::uint32_t* w) {
      Draws d{s, first + static_cast<std::uint64_t>(e / 4), static_cast<std::uint32_t>(e % 4), w, 1};
      out[e - e0] = e + static_cast<std::int64_t>(in_span(d, span(e), false));
    });
  } else {
    each<2>(s, first, e0, count, [&](std::int64_t e, const std::uint32_t* w) {
      Draws d{s, first + static_cast<std::uint64_t>(e / 2), static_cast<std::uint32_t>(e % 2), w, 2};
      out[e - e0] = e + static_cast<std::int64_t>(in_span(d, span(e), true));
    });
  }
}

void normal(const Stream& s, std::uint64_t first, std::int64_t e0, std::int64_t n, double mean,
            double std, double* out) {
  const Ziggurat& z = ziggurat();
  each<2>(s, first, e0, n, [&](std::int64_t e, const std::uint32_t* w) {
    Draws d{s, first + static_cast<std::uint64_t>(e / 2), static_cast<std::uint32_t>(e % 2), w, 2};
    out[e - e0] = mean + std * normal_one(d, z);
  });
}

void exponential(const Stream& s, std::uint64_t first, std::int64_t e0, std::int64_t n,
                 double scale, double* out) {
  each<2>(s, first, e0, n, [&](std::int64_t e, const std::uint32_t* w) {
    out[e - e0] = -std::log1p(-unit(u64(w))) * scale;
  });
}

void poisson(const Stream& s, std::uint64_t first, std::int64_t e0, std::int64_t n, double lam,
             std::int64_t* out) {
  each<1>(s, first, e0, n, [&](std::int64_t e, const std::uint32_t* w) {
    Draws d{s, first + static_cast<std::uint64_t>(e), 0, w, 4};
    out[e - e0] = poisson_one(d, lam);
  });
}

void binomial(const Stream& s, std::uint64_t first, std::int64_t e0, std::int64_t n,
              std::int64_t trials, double p, std::int64_t* out) {
  each<1>(s, first, e0, n, [&](std::int64_t e, const std::uint32_t* w) {
    Draws d{s, first + static_cast<std::uint64_t>(e), 0, w, 4};
    out[e - e0] = binomial_one(d, trials, p);
  });
}

std::uint64_t child_key(const Stream& parent, std::uint64_t child) {
  Block b = at(parent, child, 0xffffffffu);
  return u64(b.w);
}

}  // namespace tessera::kernels::philox
