// Escape-time counts of the quadratic map z -> z*z + c: Julia sets (z0 is
// the point, c is fixed) and the Mandelbrot set (z0 is fixed, usually 0, and
// c is the point). No Lua, no Array: contiguous coordinates in, counts out.
//
// The count of a point is what this Python loop gives (High Performance
// Python, chapter 2), with |z| < 2 tested as re*re + im*im < 4:
//
//     n = 0
//     while re*re + im*im < 4 and n < maxiter:
//         re, im = (re*re - im*im) + c_re, (re*im + im*re) + c_im
//         n += 1
//
// Every operation rounds on its own (no FMA, not even by the compiler's
// contraction: see fractal_simd.hpp), so counts are the same bits as
// Python's complex arithmetic, on every instruction set and with any number
// of threads. NaN coordinates give 0; a lane that has
// escaped stays escaped (its z may overflow to inf or NaN afterwards).
#pragma once

#include <cstdint>

namespace tessera::kernels {

enum class EscapeMode : std::uint8_t {
  Julia,       // z0 = the point, c = (k_re, k_im)
  Mandelbrot,  // z0 = (k_re, k_im), c = the point
};

struct EscapeParams {
  EscapeMode mode = EscapeMode::Julia;
  double k_re = 0, k_im = 0;  // rounded to float for the float kernel
  std::int64_t maxiter = 0;   // 0 <= maxiter <= INT32_MAX
};

// out[i] = the count of the point (re[i], im[i]) for i in [0, n); the
// arrays are contiguous. Runs on the calling thread.
void escape_counts(const double* re, const double* im, std::int64_t n, const EscapeParams& p,
                   std::int32_t* out);
void escape_counts(const float* re, const float* im, std::int64_t n, const EscapeParams& p,
                   std::int32_t* out);

// The per-instruction-set tables (kernels/fractal_<isa>.cpp).
struct EscapeSimd {
  void (*f64)(const double*, const double*, std::int64_t, const EscapeParams&, std::int32_t*);
  void (*f32)(const float*, const float*, std::int64_t, const EscapeParams&, std::int32_t*);
};
const EscapeSimd& escape_simd_sse42();
const EscapeSimd& escape_simd_avx2();
const EscapeSimd& escape_simd_avx512();

}  // namespace tessera::kernels
