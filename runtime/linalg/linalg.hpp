// Linear algebra on OpenBLAS and LAPACK (ts.linalg, and ts.matmul / ts.dot
// for float dtypes): dtype, layout and batch dispatch; no Lua.
//
// NumPy's conventions: matrices are the last two dimensions, leading ones are
// a stack (batch) of matrices; bool and integer inputs compute in float64,
// float and complex dtypes stay (singular values, Hermitian eigenvalues,
// residuals and log|det| are real). Results are new C-contiguous arrays charged to
// ctx.account. Failures throw Error with NumPy's LinAlgError wording
// ("singular matrix", "matrix is not positive definite", ...). BLAS threads:
// see blas_threads.hpp.
#pragma once

#include <cstdint>
#include <optional>

#include "../array.hpp"
#include "../context.hpp"

namespace tessera::linalg {

// The dtypes gemm computes in (the others keep the generic matmul kernel).
bool has_gemm(DType t);
// The dtype LAPACK routines compute in for an input of dtype t.
DType lapack_dtype(DType t);

// out = a @ b for stacks: a is (..., n, k), b (..., k, m), both of out's
// dtype (has_gemm) with any strides; out is C-contiguous (batch..., n, m)
// where batch is the broadcast of a's and b's leading dimensions. Operands
// that BLAS can read as they are (unit stride along one of the last two
// dimensions) are not copied.
void matmul_into(Context& ctx, const Array& a, const Array& b, const Array& out);

// x with a @ x = b: a (..., n, n); b (n) or (..., n, k) (a 1-d b is a vector,
// as in NumPy 2); batch dimensions broadcast.
Array solve(Context& ctx, const Array& a, const Array& b);
Array inv(Context& ctx, const Array& a);
// Determinants of (..., n, n): an array of the batch shape (0-d for one matrix).
Array det(Context& ctx, const Array& a);
struct SignLogDet {
  Array sign, logabsdet;  // det = sign * exp(logabsdet); sign 0, logabsdet -inf when singular
};
SignLogDet slogdet(Context& ctx, const Array& a);

// Lower-triangular L with a = L L^H (a Hermitian positive definite, only its
// lower triangle is read).
Array cholesky(Context& ctx, const Array& a);

enum class QrMode { Reduced, Complete, R };
struct Qr {
  Array q, r;  // q is invalid for QrMode::R
};
Qr qr(Context& ctx, const Array& a, QrMode mode);

struct Svd {
  Array u, s, vh;  // u and vh invalid without compute_uv; s descending
};
Svd svd(Context& ctx, const Array& a, bool full_matrices, bool compute_uv);

struct Eig {
  Array w, v;  // v's columns are the eigenvectors; v invalid without vectors
};
// Symmetric (Hermitian) eigenproblem: real eigenvalues ascending; reads the
// lower (or upper) triangle only.
Eig eigh(Context& ctx, const Array& a, bool lower, bool vectors);
// General eigenproblem (eigenvalues in LAPACK's order, vectors of unit norm).
// For a real matrix, real results when every eigenvalue is real and complex
// ones otherwise, as NumPy.
Eig eig(Context& ctx, const Array& a, bool vectors);

struct Lstsq {
  Array x, residuals, s;
  std::int64_t rank = 0;
};
// Least squares for one matrix a (m, n) and b (m) or (m, k); singular values
// below rcond * s_max count as zero (default rcond: eps * max(m, n), NumPy 2).
// residuals: squared 2-norms of b - a x per column when rank == n < m,
// else empty.
Lstsq lstsq(Context& ctx, const Array& a, const Array& b, std::optional<double> rcond);

}  // namespace tessera::linalg
