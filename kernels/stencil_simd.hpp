// The stencil loops of one instruction set (see stencil.hpp). Each
// stencil_<isa>.cpp defines TESSERA_KERNEL_ARCH and includes this file once,
// after `#pragma GCC optimize("fp-contract=off")`: GCC would otherwise fuse
// the multiply and add of the step (even of intrinsics) where FMA exists, and
// the instruction sets would disagree in the last bit.
#pragma once

#include <cstdint>
#include <xsimd/xsimd.hpp>

#include "stencil.hpp"

namespace tessera::kernels {
// Each instruction set's copies get their own symbols (see reduce_simd.hpp).
inline namespace TESSERA_KERNEL_ARCH {
namespace stencil_impl {

template <class T>
inline T cell(T up, T c, T down, T left, T right) {
  T lap = T(-4) * c;
  lap = lap + up;
  lap = lap + down;
  lap = lap + left;
  return lap + right;
}

template <StencilKind K, class T>
inline T finish(T lap, T c, T k) {
  if constexpr (K == StencilKind::Step) return lap * k + c;
  else return lap;
}

// Output column j of a row whose left and right neighbours are given.
template <StencilKind K, class T>
inline T scalar_cell(const T* up, const T* mid, const T* down, std::int64_t j, T left, T right,
                     T k) {
  return finish<K>(cell(up[j], mid[j], down[j], left, right), mid[j], k);
}

template <class A, StencilKind K, class T>
void row(const void* up_, const void* mid_, const void* down_, void* out_, std::int64_t n,
         double k_, bool wrap_cols) {
  using B = xsimd::batch<T, A>;
  constexpr std::int64_t W = static_cast<std::int64_t>(B::size);
  const T* up = static_cast<const T*>(up_);
  const T* mid = static_cast<const T*>(mid_);
  const T* down = static_cast<const T*>(down_);
  T* out = static_cast<T*>(out_);
  const T k = static_cast<T>(k_);
  if (n <= 0) return;
  if (!wrap_cols) {  // fixed border columns
    const T edge0 = K == StencilKind::Step ? mid[0] : T(0);
    const T edge1 = K == StencilKind::Step ? mid[n - 1] : T(0);
    out[0] = edge0;
    out[n - 1] = edge1;
    if (n <= 2) return;
  } else if (n <= 2) {  // every neighbour wraps
    for (std::int64_t j = 0; j < n; ++j)
      out[j] = scalar_cell<K>(up, mid, down, j, mid[(j + n - 1) % n], mid[(j + 1) % n], k);
    return;
  } else {
    out[0] = scalar_cell<K>(up, mid, down, 0, mid[n - 1], mid[1], k);
    out[n - 1] = scalar_cell<K>(up, mid, down, n - 1, mid[n - 2], mid[0], k);
  }
  // Interior columns [1, n - 1): scalar up to the first column whose output
  // is vector-aligned (an unaligned AVX-512 access crosses a cache line every
  // time), then whole vectors, then a scalar tail.
  const B four(T(-4)), kb(k);
  std::int64_t j = 1;
  constexpr std::uintptr_t kVectorBytes = W * sizeof(T);
  const std::uintptr_t misalign = reinterpret_cast<std::uintptr_t>(out + 1) % kVectorBytes;
  std::int64_t head =
      1 + static_cast<std::int64_t>((kVectorBytes - misalign) % kVectorBytes / sizeof(T));
  if (head > n - 1) head = n - 1;
  for (; j < head; ++j) out[j] = scalar_cell<K>(up, mid, down, j, mid[j - 1], mid[j + 1], k);
  for (; j + W <= n - 1; j += W) {
    const B c = B::load_unaligned(mid + j);
    B lap = four * c;
    lap = lap + B::load_unaligned(up + j);
    lap = lap + B::load_unaligned(down + j);
    lap = lap + B::load_unaligned(mid + j - 1);
    lap = lap + B::load_unaligned(mid + j + 1);
    if constexpr (K == StencilKind::Step) lap = lap * kb + c;
    lap.store_unaligned(out + j);
  }
  for (; j < n - 1; ++j) out[j] = scalar_cell<K>(up, mid, down, j, mid[j - 1], mid[j + 1], k);
}

template <class A, class T>
void axpy(void* out_, const void* x_, double w_, std::int64_t n) {
  using B = xsimd::batch<T, A>;
  constexpr std::int64_t W = static_cast<std::int64_t>(B::size);
  T* out = static_cast<T*>(out_);
  const T* x = static_cast<const T*>(x_);
  const T w = static_cast<T>(w_);
  const B wb(w);
  std::int64_t i = 0;
  for (; i + W <= n; i += W) {
    B o = B::load_unaligned(out + i);
    o = o + wb * B::load_unaligned(x + i);
    o.store_unaligned(out + i);
  }
  for (; i < n; ++i) out[i] = out[i] + w * x[i];
}

template <class A>
StencilSimd make_table() {
  StencilSimd t{};
  t.row[0][0] = row<A, StencilKind::Laplacian, float>;
  t.row[0][1] = row<A, StencilKind::Laplacian, double>;
  t.row[1][0] = row<A, StencilKind::Step, float>;
  t.row[1][1] = row<A, StencilKind::Step, double>;
  t.axpy[0] = axpy<A, float>;
  t.axpy[1] = axpy<A, double>;
  return t;
}

}  // namespace stencil_impl
}  // namespace TESSERA_KERNEL_ARCH
}  // namespace tessera::kernels
