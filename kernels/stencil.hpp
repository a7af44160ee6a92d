// Stencil kernels over raw pointers: one row of the 5-point Laplacian or of
// the fused diffusion step, and the multiply-add line of small correlations.
// The float loops are explicit xsimd loops compiled per instruction set
// (kernels/stencil_<isa>.cpp); stencil_simd() picks the table for the CPU.
//
// Every output cell is one fixed expression of its inputs, evaluated in the
// order of the NumPy reference (High Performance Python, ch. 6, the in-place
// roll-add version), with no fused multiply-add on any instruction set:
//   lap  = ((((-4*c + up) + down) + left) + right)
//   step = lap*k + c      (k = D*dt)
// so that the vector body, the scalar edges, every instruction set and every
// split into row bands give the same bits.
#pragma once

#include <cstddef>
#include <cstdint>

#include "../runtime/dtype.hpp"

namespace tessera::kernels {

enum class StencilKind : std::uint8_t { Laplacian, Step };

// One output row from three input rows of n contiguous elements each (up and
// down may alias mid: they are the neighbouring rows after the caller's row
// boundary rule). Columns wrap when wrap_cols; otherwise the two border
// columns are fixed: the step copies mid there and the Laplacian writes 0.
// k is used by the step only. out must not overlap the inputs.
using StencilRowFn = void (*)(const void* up, const void* mid, const void* down, void* out,
                              std::int64_t n, double k, bool wrap_cols);

// out[i] += w * x[i] for i in [0, n) (contiguous; no fused multiply-add).
using AxpyFn = void (*)(void* out, const void* x, double w, std::int64_t n);

struct StencilSimd {
  // [kind][0 float32, 1 float64]
  StencilRowFn row[2][2];
  AxpyFn axpy[2];
};

const StencilSimd& stencil_simd();
const StencilSimd& stencil_simd_sse42();
const StencilSimd& stencil_simd_avx2();
const StencilSimd& stencil_simd_avx512();

// Index of a float dtype in the tables (float32 -> 0, float64 -> 1).
inline int stencil_float_index(DType t) { return t == DType::Float64 ? 1 : 0; }

// Correlation of contiguous x[0, n) with w[0, m) for any dtype, one output
// per shift: out[i] = sum_j w[j] * x[i + first + j] over the j with
// 0 <= i + first + j < n, summed in increasing j, for i in [0, count).
// Integers wrap (as NumPy's do), bool is OR of ANDs; float dtypes use the
// SIMD multiply-add line. With accumulate the sums are added to out's values
// instead of to 0. out is contiguous and does not overlap x or w. Throws for
// dtypes without a loop (complex).
void correlate_line(DType t, const void* x, std::int64_t n, const void* w, std::int64_t m,
                    std::int64_t first, void* out, std::int64_t count, bool accumulate = false);

}  // namespace tessera::kernels
