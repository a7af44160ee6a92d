// Helpers shared by the linalg dispatch files (not a public header).
#pragma once

#include <climits>
#include <complex>
#include <cstdint>
#include <string>

#include "../array.hpp"
#include "../context.hpp"
#include "../errors.hpp"
#include "../ops/elementwise.hpp"
#include "lapack.hpp"

namespace tessera::linalg {

// Calls f(Tag<T>{}) with the element type LAPACK computes in for dtype t
// (already passed through lapack_dtype).
template <class F>
decltype(auto) visit_lapack(DType t, F&& f) {
  switch (t) {
    case DType::Float32: return f(Tag<float>{});
    case DType::Complex64: return f(Tag<std::complex<float>>{});
    case DType::Complex128: return f(Tag<std::complex<double>>{});
    default: return f(Tag<double>{});
  }
}

// |x|^2 for real and complex x.
template <class T>
auto abs2(T x) {
  if constexpr (is_complex_v<T>) return std::norm(x);
  else return x * x;
}

inline lint to_lint(std::int64_t n) {
  if (n > INT_MAX) throw Error("dimension " + std::to_string(n) + " too large for LAPACK");
  return static_cast<lint>(n);
}

inline std::int64_t rows(const Array& a) { return a.dim(a.ndim() - 2); }
inline std::int64_t cols(const Array& a) { return a.dim(a.ndim() - 1); }

// The leading (batch) dimensions of a stack of matrices.
inline Dims batch_of(const Array& a) {
  Dims d = a.shape();
  d.n -= 2;
  return d;
}
inline Dims with_matrix(Dims batch, std::int64_t r, std::int64_t c) {
  batch.push(r);
  batch.push(c);
  return batch;
}

inline void check_matrix(const Array& a, const char* what) {
  if (a.ndim() < 2)
    throw Error(std::string("expected ") + what +
                " of at least 2 dimensions (..., m, n), got shape " + format_shape(a.shape()));
}
inline void check_square(const Array& a) {
  if (a.ndim() < 2 || rows(a) != cols(a))
    throw Error("expected a square matrix or a stack of them (..., n, n), got shape " +
                format_shape(a.shape()));
}

// A new copy whose memory holds each matrix of a column-major (its shape is
// a's with the last two dimensions swapped).
inline Array col_major_copy(Context& ctx, const Array& a, DType t) {
  return ops::astype(ctx, a.transpose(a.ndim() - 2, a.ndim() - 1), t);
}
// The C-contiguous arrays of the matrices a column-major buffer holds.
inline Array from_col_major(Context& ctx, const Array& buf) {
  return ops::copy(ctx, buf.transpose(buf.ndim() - 2, buf.ndim() - 1));
}

// Zeros of shape batch + (n, n) with ones on each matrix's diagonal.
inline Array identity_stack(Context& ctx, DType t, const Dims& batch, std::int64_t n) {
  Array x = Array::zeros(t, with_matrix(batch, n, n), ctx.account);
  const Array diag = x.view_as(Dims{batch.product(), n * n}).slice(1, 0, n, n + 1);
  ops::fill(diag, Scalar::number(1.0));
  return x;
}

// LAPACK's optimal workspace size from a query's work[0].
template <class T>
lint work_size(T w) {
  const auto x = std::real(w);
  return x > 1 ? static_cast<lint>(x) : 1;
}

}  // namespace tessera::linalg
