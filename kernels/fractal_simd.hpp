// The escape-time loops of one instruction set (see kernels/fractal.hpp).
// Each fractal_<isa>.cpp defines TESSERA_KERNEL_ARCH and TESSERA_FRACTAL_IMPL
// and builds one table with its own compiler flags.
//
// K vectors of W points run side by side (their dependency chains overlap);
// each lane keeps an "active" mask that only ever turns off, and a group
// stops when every lane has escaped or maxiter is reached. Counts are kept
// in the floating type (exact below 2^24 even in float) and moved to int64
// totals every kFlush iterations.
#pragma once

#include "fractal.hpp"

#ifdef TESSERA_FRACTAL_IMPL

#include <xsimd/xsimd.hpp>

namespace tessera::kernels {
// Each instruction set's copies of these templates get their own symbols.
inline namespace TESSERA_KERNEL_ARCH {
namespace fractal_impl {

constexpr std::int64_t kFlush = std::int64_t{1} << 20;

// GCC contracts a * b + c into an FMA in C++ whatever the -std (its ISO-mode
// -ffp-contract=off applies to C only), and the avx2/avx512 files are built
// with -mfma. Passing each product through an empty asm makes it an opaque
// value, so it is rounded on its own as Python rounds it (no instruction is
// emitted).
template <class B>
inline B rounded(const B& v) {
  typename B::register_type r = v;
  asm("" : "+v"(r));
  return B(r);
}

// Exactly K * W points from re and im.
template <class A, class T, int K, EscapeMode M>
void group(const T* re, const T* im, const EscapeParams& p, std::int32_t* out) {
  using B = xsimd::batch<T, A>;
  using BB = typename B::batch_bool_type;
  constexpr int W = static_cast<int>(B::size);
  const T kr = static_cast<T>(p.k_re), ki = static_cast<T>(p.k_im);
  B zr[K], zi[K], cr[K], ci[K], count[K];
  BB active[K];
  for (int k = 0; k < K; ++k) {
    const B pr = B::load_unaligned(re + k * W), pi = B::load_unaligned(im + k * W);
    if constexpr (M == EscapeMode::Julia) {
      zr[k] = pr, zi[k] = pi, cr[k] = B(kr), ci[k] = B(ki);
    } else {
      zr[k] = B(kr), zi[k] = B(ki), cr[k] = pr, ci[k] = pi;
    }
    count[k] = B(T(0));
    active[k] = BB(true);
  }
  const B four(T(4)), one(T(1)), zero(T(0));
  std::int64_t totals[K * W] = {};
  bool running = true;
  for (std::int64_t done = 0; running && done < p.maxiter; done += kFlush) {
    const std::int64_t steps = p.maxiter - done < kFlush ? p.maxiter - done : kFlush;
    for (std::int64_t s = 0; s < steps; ++s) {
      BB any = BB(false);
#pragma GCC unroll 8
      for (int k = 0; k < K; ++k) {
        const B r2 = rounded(zr[k] * zr[k]), i2 = rounded(zi[k] * zi[k]);
        const B ri = rounded(zr[k] * zi[k]);
        active[k] = active[k] & (r2 + i2 < four);
        any = any | active[k];
        count[k] = count[k] + xsimd::select(active[k], one, zero);
        zr[k] = (r2 - i2) + cr[k];
        zi[k] = (ri + ri) + ci[k];
      }
      if (!xsimd::any(any)) {
        running = false;
        break;
      }
    }
    alignas(64) T c[K * W];
    for (int k = 0; k < K; ++k) {
      count[k].store_aligned(c + k * W);
      count[k] = zero;
    }
    for (int j = 0; j < K * W; ++j) totals[j] += static_cast<std::int64_t>(c[j]);
  }
  for (int j = 0; j < K * W; ++j) out[j] = static_cast<std::int32_t>(totals[j]);
}

template <class A, class T, int K, EscapeMode M>
void run(const T* re, const T* im, std::int64_t n, const EscapeParams& p, std::int32_t* out) {
  constexpr int G = K * static_cast<int>(xsimd::batch<T, A>::size);
  std::int64_t i = 0;
  for (; i + G <= n; i += G) group<A, T, K, M>(re + i, im + i, p, out + i);
  if (i == n) return;
  // The tail, padded with copies of the last point (similar cost, no waste
  // on points that never escape).
  T tr[G], ti[G];
  std::int32_t to[G];
  for (int j = 0; j < G; ++j) {
    const std::int64_t src = i + j < n ? i + j : n - 1;
    tr[j] = re[src], ti[j] = im[src];
  }
  group<A, T, K, M>(tr, ti, p, to);
  for (std::int64_t j = 0; i + j < n; ++j) out[i + j] = to[j];
}

template <class A, class T, int K>
void counts(const T* re, const T* im, std::int64_t n, const EscapeParams& p, std::int32_t* out) {
  if (p.mode == EscapeMode::Julia) run<A, T, K, EscapeMode::Julia>(re, im, n, p, out);
  else run<A, T, K, EscapeMode::Mandelbrot>(re, im, n, p, out);
}

template <class A, int K>
EscapeSimd make_table() {
  return EscapeSimd{counts<A, double, K>, counts<A, float, K>};
}

}  // namespace fractal_impl
}  // namespace TESSERA_KERNEL_ARCH
}  // namespace tessera::kernels

#endif  // TESSERA_FRACTAL_IMPL
