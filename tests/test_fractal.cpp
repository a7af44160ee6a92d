// Escape-time kernels: every instruction set's table (those the CPU runs)
// against a scalar loop of the same operations, for both maps, float64 and
// float32, lengths around the vector groups and maxiter edge values.
#include <doctest/doctest.h>

#include <cstdint>
#include <vector>

#include "kernels/fractal.hpp"
#include "kernels/simd.hpp"

using namespace tessera::kernels;

namespace {

template <class T>
std::int32_t reference(T pr, T pi, const EscapeParams& p) {
  const T kr = static_cast<T>(p.k_re), ki = static_cast<T>(p.k_im);
  const bool julia = p.mode == EscapeMode::Julia;
  T zr = julia ? pr : kr, zi = julia ? pi : ki;
  const T cr = julia ? kr : pr, ci = julia ? ki : pi;
  std::int32_t n = 0;
  while (n < p.maxiter) {
    const T r2 = zr * zr, i2 = zi * zi, ri = zr * zi;
    if (!(r2 + i2 < T(4))) break;
    zr = (r2 - i2) + cr;
    zi = (ri + ri) + ci;
    ++n;
  }
  return n;
}

std::vector<const EscapeSimd*> tables() {
  std::vector<const EscapeSimd*> t{&escape_simd_sse42()};
  if (simd_level() >= SimdLevel::Avx2) t.push_back(&escape_simd_avx2());
  if (simd_level() >= SimdLevel::Avx512) t.push_back(&escape_simd_avx512());
  return t;
}

template <class T>
void check_table(const EscapeSimd& table) {
  std::uint64_t seed = 12345;
  auto uniform = [&](double lo, double hi) {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    return lo + (hi - lo) * static_cast<double>(seed >> 11) / 9007199254740992.0;
  };
  for (EscapeMode mode : {EscapeMode::Julia, EscapeMode::Mandelbrot}) {
    for (std::int64_t maxiter : {0, 1, 7, 120}) {
      for (std::int64_t n : {0, 1, 5, 31, 32, 33, 64, 100}) {
        EscapeParams p;
        p.mode = mode;
        p.maxiter = maxiter;
        p.k_re = mode == EscapeMode::Julia ? -0.62772 : 0.0;
        p.k_im = mode == EscapeMode::Julia ? -0.42193 : 0.0;
        std::vector<T> re(static_cast<std::size_t>(n)), im(re.size());
        for (std::size_t i = 0; i < re.size(); ++i) {
          re[i] = static_cast<T>(uniform(-2.1, 1.1));
          im[i] = static_cast<T>(uniform(-1.3, 1.3));
        }
        std::vector<std::int32_t> out(re.size() + 1, -7);
        auto fn = [&] {
          if constexpr (sizeof(T) == 8) return table.f64;
          else return table.f32;
        }();
        fn(re.data(), im.data(), n, p, out.data());
        for (std::size_t i = 0; i < re.size(); ++i) REQUIRE(out[i] == reference(re[i], im[i], p));
        CHECK(out[re.size()] == -7);  // nothing written past the end
      }
    }
  }
}

}  // namespace

TEST_CASE("escape counts: every instruction set agrees with the scalar loop") {
  for (const EscapeSimd* t : tables()) {
    check_table<double>(*t);
    check_table<float>(*t);
  }
}

TEST_CASE("escape counts: the dispatching entry points") {
  const double re[3] = {0.0, 2.0, 1.0}, im[3] = {0.0, 0.0, 0.0};
  EscapeParams p;
  p.mode = EscapeMode::Mandelbrot;
  p.maxiter = 50;
  std::int32_t out[3];
  escape_counts(re, im, 3, p, out);
  CHECK(out[0] == 50);  // c = 0 stays at 0
  CHECK(out[1] == 1);   // c = 2: z1 = 2 fails |z| < 2
  CHECK(out[2] == 2);   // c = 1: z1 = 1, z2 = 2
  const float rf[2] = {0.0f, 3.0f}, imf[2] = {0.0f, 0.0f};
  std::int32_t outf[2];
  escape_counts(rf, imf, 2, p, outf);
  CHECK(outf[0] == 50);
  CHECK(outf[1] == 1);
}
