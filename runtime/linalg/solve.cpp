// Linear systems and LU: solve, inv, det, slogdet; least squares (lstsq).
#include <cmath>
#include <limits>
#include <vector>

#include "blas_threads.hpp"
#include "common.hpp"
#include "gemm_panels.hpp"
#include "linalg.hpp"
#include "lu.hpp"
#include "tiles.hpp"

namespace tessera::linalg {
namespace {

[[noreturn]] void singular() { throw Error("singular matrix"); }

// Right-hand sides per getrs call: about a quarter of k on multiples of 64,
// each panel at least 4M multiply-adds (n^2 per column); all of k below.
std::int64_t rhs_panel(std::int64_t n, std::int64_t k) {
  const std::int64_t size = std::max<std::int64_t>(64, ((k + 3) / 4 + 63) / 64 * 64);
  if (double(size) * double(n) * double(n) < GemmPanels::kMinWork)
    return std::max<std::int64_t>(1, k);
  return std::min(size, k);
}

// Solves in place: each a_i (n x n) and b_i (n x k) column-major in the
// contiguous stacks a and b; b_i becomes x_i. The LU is blocked_getrf (its
// trailing updates on the runtime's threads) from kLuMinBlocked on, getrf on
// one thread below; the right-hand sides are solved in panels of columns
// fixed by n and k (getrs), on the runtime's threads.
template <class T>
void gesv_stack(Context& ctx, const Array& a, const Array& b, std::int64_t n, std::int64_t k) {
  const std::int64_t count = a.size() / std::max<std::int64_t>(1, n * n);
  if (n == 0 || k == 0 || a.size() == 0) return;
  std::vector<lint> ipiv(n);
  const lint ln = to_lint(n);
  to_lint(k);
  const std::int64_t size = rhs_panel(n, k), panels = (k + size - 1) / size;
  for (std::int64_t i = 0; i < count; ++i) {
    const T* lu = a.data_as<T>() + i * n * n;
    T* x = b.data_as<T>() + i * n * k;
    lint info = 0;
    if (n >= kLuMinBlocked) {
      info = blocked_getrf(ctx, n, a.data_as<T>() + i * n * n, ipiv.data());
    } else {
      one_blas_thread();
      Lapack<T>::getrf(ln, ln, a.data_as<T>() + i * n * n, ln, ipiv.data(), info);
    }
    if (info > 0) singular();
    for_tiles(ctx, panels, 1, [&](std::int64_t p) {
      const std::int64_t c0 = p * size, c1 = std::min(k, c0 + size);
      lint pinfo = 0;
      Lapack<T>::getrs(ln, lint(c1 - c0), lu, ln, ipiv.data(), x + c0 * n, ln, pinfo);
    });
  }
}

// Runs LU on each matrix of a and calls f(i, lu, ipiv) with the
// column-major factors of matrix i.
template <class T, class F>
void lu_each(Context& ctx, const Array& a, F&& f) {
  const std::int64_t n = rows(a);
  const Array lu = col_major_copy(ctx, a, dtype_of<T>);
  const std::int64_t count = batch_of(a).product();
  std::vector<lint> ipiv(std::max<std::int64_t>(1, n));
  one_blas_thread();
  for (std::int64_t i = 0; i < count; ++i) {
    T* p = lu.data_as<T>() + i * n * n;
    lint info = 0;
    if (n > 0) Lapack<T>::getrf(to_lint(n), to_lint(n), p, to_lint(n), ipiv.data(), info);
    f(i, p, ipiv.data());
  }
}

// The sign of the permutation of LAPACK's pivots (1-based row swaps).
double pivot_sign(const lint* ipiv, std::int64_t n) {
  double s = 1;
  for (std::int64_t j = 0; j < n; ++j)
    if (ipiv[j] != j + 1) s = -s;
  return s;
}

}  // namespace

Array solve(Context& ctx, const Array& a, const Array& b) {
  check_square(a);
  const std::int64_t n = rows(a);
  const bool vector = b.ndim() == 1;
  if (vector ? b.dim(0) != n : (b.ndim() < 2 || rows(b) != n))
    throw Error("expected b of shape (" + std::to_string(n) + ") or (..., " + std::to_string(n) +
                ", k) for a of shape " + format_shape(a.shape()) + ", got shape " +
                format_shape(b.shape()));
  const Array b2 = vector ? b.unsqueeze(1) : b;
  const std::int64_t k = cols(b2);
  const Dims batch = broadcast_shapes(batch_of(a), batch_of(b2));
  const DType t = lapack_dtype(promote(a.dtype(), b.dtype()));
  const Array lu = col_major_copy(ctx, a.broadcast_to(with_matrix(batch, n, n)), t);
  const Array x = col_major_copy(ctx, b2.broadcast_to(with_matrix(batch, n, k)), t);
  visit_lapack(t, [&](auto tag) { gesv_stack<typename decltype(tag)::type>(ctx, lu, x, n, k); });
  Array r = from_col_major(ctx, x);
  return vector ? r.squeeze(r.ndim() - 1) : r;
}

Array inv(Context& ctx, const Array& a) {
  check_square(a);
  const std::int64_t n = rows(a);
  const DType t = lapack_dtype(a.dtype());
  const Array lu = col_major_copy(ctx, a, t);
  const Array x = identity_stack(ctx, t, batch_of(a), n);
  visit_lapack(t, [&](auto tag) { gesv_stack<typename decltype(tag)::type>(ctx, lu, x, n, n); });
  return from_col_major(ctx, x);
}

Array det(Context& ctx, const Array& a) {
  check_square(a);
  const std::int64_t n = rows(a);
  const DType t = lapack_dtype(a.dtype());
  Array out = Array::empty(t, batch_of(a), ctx.account);
  visit_lapack(t, [&](auto tag) {
    using T = typename decltype(tag)::type;
    T* d = out.data_as<T>();
    lu_each<T>(ctx, a, [&](std::int64_t i, const T* lu, const lint* ipiv) {
      T p = static_cast<T>(pivot_sign(ipiv, n));
      for (std::int64_t j = 0; j < n; ++j) p *= lu[j * n + j];
      d[i] = p;
    });
  });
  return out;
}

SignLogDet slogdet(Context& ctx, const Array& a) {
  check_square(a);
  const std::int64_t n = rows(a);
  const DType t = lapack_dtype(a.dtype());
  SignLogDet r{Array::empty(t, batch_of(a), ctx.account),
               Array::empty(real_dtype(t), batch_of(a), ctx.account)};
  visit_lapack(t, [&](auto tag) {
    using T = typename decltype(tag)::type;
    using R = typename Lapack<T>::Real;
    lu_each<T>(ctx, a, [&](std::int64_t i, const T* lu, const lint* ipiv) {
      T sign = static_cast<T>(pivot_sign(ipiv, n));
      R logabs = 0;
      for (std::int64_t j = 0; j < n; ++j) {
        const T u = lu[j * n + j];
        const R au = std::abs(u);
        if (au != 0) sign *= u / au;  // the sign of a real u, u / |u| for a complex one
        logabs += std::log(au);
      }
      if (logabs == -std::numeric_limits<R>::infinity()) sign = 0;
      r.sign.data_as<T>()[i] = sign;
      r.logabsdet.data_as<R>()[i] = logabs;
    });
  });
  return r;
}

namespace {

template <class T>
void lstsq_typed(Context& ctx, const Array& a, const Array& b2, std::optional<double> rcond,
                 Lstsq& r) {
  const std::int64_t m = rows(a), n = cols(a), k = cols(b2),
                     ldb = std::max({m, n, std::int64_t{1}});
  using R = typename Lapack<T>::Real;
  const DType t = dtype_of<T>;
  const Array ac = col_major_copy(ctx, a, t);
  // b column-major in ldb rows (the solution comes back in its first n rows)
  Array bc = Array::zeros(t, Dims{k, ldb}, ctx.account);
  ops::copy_into(bc.narrow(1, 0, m), b2.transpose(0, 1));
  r.s = Array::empty(dtype_of<R>, Dims{std::min(m, n)}, ctx.account);
  if (m > 0 && n > 0 && k > 0) {
    const R rc = rcond ? static_cast<R>(*rcond)
                       : std::numeric_limits<R>::epsilon() * static_cast<R>(std::max(m, n));
    lint rank = 0, info = 0, iwork_size = 1;
    T query = 0;
    one_blas_thread();
    Lapack<T>::gelsd(to_lint(m), to_lint(n), to_lint(k), ac.data_as<T>(), to_lint(m),
                     bc.data_as<T>(), to_lint(ldb), r.s.data_as<R>(), rc, rank, &query, -1,
                     &iwork_size, info);
    std::vector<T> work(work_size(query));
    std::vector<lint> iwork(std::max<lint>(1, iwork_size));
    Lapack<T>::gelsd(to_lint(m), to_lint(n), to_lint(k), ac.data_as<T>(), to_lint(m),
                     bc.data_as<T>(), to_lint(ldb), r.s.data_as<R>(), rc, rank, work.data(),
                     static_cast<lint>(work.size()), iwork.data(), info);
    if (info > 0) throw Error("SVD did not converge in Linear Least Squares");
    r.rank = rank;
  }
  r.x = from_col_major(ctx, bc.narrow(1, 0, n));
  const bool residuals = r.rank == n && m > n;
  r.residuals = Array::zeros(dtype_of<R>, Dims{residuals ? k : 0}, ctx.account);
  if (residuals)
    for (std::int64_t j = 0; j < k; ++j) {
      const T* col = bc.data_as<T>() + j * ldb;
      R ss = 0;
      for (std::int64_t i = n; i < m; ++i) ss += abs2(col[i]);
      r.residuals.data_as<R>()[j] = ss;
    }
}

}  // namespace

Lstsq lstsq(Context& ctx, const Array& a, const Array& b, std::optional<double> rcond) {
  if (a.ndim() != 2)
    throw Error("expected a 2-d matrix a (m, n), got shape " + format_shape(a.shape()));
  const bool vector = b.ndim() == 1;
  if ((b.ndim() != 1 && b.ndim() != 2) || b.dim(0) != rows(a))
    throw Error("expected b of shape (" + std::to_string(rows(a)) + ") or (" +
                std::to_string(rows(a)) + ", k) for a of shape " + format_shape(a.shape()) +
                ", got shape " + format_shape(b.shape()));
  const DType t = lapack_dtype(promote(a.dtype(), b.dtype()));
  Lstsq r;
  visit_lapack(t, [&](auto tag) {
    lstsq_typed<typename decltype(tag)::type>(ctx, a, vector ? b.unsqueeze(1) : b, rcond, r);
  });
  if (vector) r.x = r.x.squeeze(1);
  return r;
}

}  // namespace tessera::linalg
