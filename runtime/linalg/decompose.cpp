// Factorizations: cholesky, qr, svd, eigh, eig. Each copies the matrices of
// a stack column-major (as NumPy does, so results match its signs and
// rounding), runs LAPACK on each in place and copies the results out.
#include <algorithm>
#include <vector>

#include "blas_threads.hpp"
#include "common.hpp"
#include "linalg.hpp"

namespace tessera::linalg {
namespace {

std::int64_t count_of(const Array& a) { return batch_of(a).product(); }

// Calls f(Tag<T>{}) for the LAPACK dtype of a.
template <class F>
void with_type(const Array& a, F&& f) {
  visit_lapack(lapack_dtype(a.dtype()), std::forward<F>(f));
}

// gesdd on each column-major matrix of f (m x n); u and vh receive the
// column-major factors (m x u_cols, vh_rows x n) when compute_uv.
void gesdd_stack(const Array& f, const Array& u, const Array& vh, const Array& s,
                 bool full_matrices, bool compute_uv) {
  const std::int64_t n = rows(f), m = cols(f), k = std::min(m, n), count = count_of(f);
  const std::int64_t vh_rows = full_matrices ? n : k, u_cols = full_matrices ? m : k;
  const char jobz = compute_uv ? (full_matrices ? 'A' : 'S') : 'N';
  with_type(f, [&](auto tag) {
    using T = typename decltype(tag)::type;
    using R = typename Lapack<T>::Real;
    const lint lm = to_lint(m), ldu = compute_uv ? lm : 1;
    const lint ldvt = compute_uv ? to_lint(vh_rows) : 1;
    std::vector<lint> iwork(8 * k);
    T query = 0, none = 0;
    lint info = 0;
    auto at = [&](const Array& x, std::int64_t b, std::int64_t size) {
      return compute_uv ? x.data_as<T>() + b * size : &none;
    };
    one_blas_thread();
    Lapack<T>::gesdd(jobz, lm, to_lint(n), f.data_as<T>(), lm, s.data_as<R>(), at(u, 0, 0), ldu,
                     at(vh, 0, 0), ldvt, &query, -1, iwork.data(), info);
    std::vector<T> work(work_size(query));
    for (std::int64_t b = 0; b < count; ++b) {
      Lapack<T>::gesdd(jobz, lm, to_lint(n), f.data_as<T>() + b * m * n, lm, s.data_as<R>() + b * k,
                       at(u, b, m * u_cols), ldu, at(vh, b, vh_rows * n), ldvt, work.data(),
                       static_cast<lint>(work.size()), iwork.data(), info);
      if (info > 0) throw Error("SVD did not converge");
    }
  });
}

}  // namespace

Array cholesky(Context& ctx, const Array& a) {
  check_square(a);
  const std::int64_t n = rows(a), count = count_of(a);
  const Array l = col_major_copy(ctx, a, lapack_dtype(a.dtype()));
  with_type(a, [&](auto tag) {
    using T = typename decltype(tag)::type;
    one_blas_thread();
    for (std::int64_t b = 0; b < count && n > 0; ++b) {
      T* p = l.data_as<T>() + b * n * n;
      lint info = 0;
      Lapack<T>::potrf('L', to_lint(n), p, to_lint(n), info);
      if (info > 0) throw Error("matrix is not positive definite");
      for (std::int64_t j = 1; j < n; ++j)  // clear the upper triangle
        for (std::int64_t i = 0; i < j; ++i) p[j * n + i] = 0;
    }
  });
  return from_col_major(ctx, l);
}

Qr qr(Context& ctx, const Array& a, QrMode mode) {
  check_matrix(a, "a matrix");
  const std::int64_t m = rows(a), n = cols(a), k = std::min(m, n), count = count_of(a);
  const std::int64_t r_rows = mode == QrMode::Complete ? m : k;
  const std::int64_t q_cols = mode == QrMode::Complete ? m : k;
  const DType t = lapack_dtype(a.dtype());
  const Dims batch = batch_of(a);
  const Array f = col_major_copy(ctx, a, t);  // each matrix m x n, leading dimension m
  Qr out;
  out.r = Array::zeros(t, with_matrix(batch, r_rows, n), ctx.account);
  Array qc;  // q column-major: (batch, q_cols, m)
  if (mode != QrMode::R) qc = Array::zeros(t, with_matrix(batch, q_cols, m), ctx.account);
  if (m > 0 && count > 0)
    with_type(a, [&](auto tag) {
      using T = typename decltype(tag)::type;
      const lint lm = to_lint(std::max<std::int64_t>(1, m));
      std::vector<T> tau(std::max<std::int64_t>(1, k));
      T query = 0;
      lint info = 0;
      one_blas_thread();
      Lapack<T>::geqrf(to_lint(m), to_lint(n), f.data_as<T>(), lm, tau.data(), &query, -1, info);
      std::vector<T> work(work_size(query));
      if (mode != QrMode::R) {
        Lapack<T>::orgqr(to_lint(m), to_lint(q_cols), to_lint(k), qc.data_as<T>(), lm, tau.data(),
                         &query, -1, info);
        work.resize(std::max<std::size_t>(work.size(), work_size(query)));
      }
      for (std::int64_t b = 0; b < count; ++b) {
        T* p = f.data_as<T>() + b * m * n;
        if (k > 0)
          Lapack<T>::geqrf(to_lint(m), to_lint(n), p, lm, tau.data(), work.data(),
                           static_cast<lint>(work.size()), info);
        T* r = out.r.data_as<T>() + b * r_rows * n;
        for (std::int64_t i = 0; i < std::min(r_rows, m); ++i)
          for (std::int64_t j = i; j < n; ++j) r[i * n + j] = p[j * m + i];
        if (mode == QrMode::R) continue;
        T* q = qc.data_as<T>() + b * q_cols * m;
        std::copy(p, p + k * m, q);  // the reflectors
        Lapack<T>::orgqr(to_lint(m), to_lint(q_cols), to_lint(k), q, lm, tau.data(), work.data(),
                         static_cast<lint>(work.size()), info);
      }
    });
  if (mode != QrMode::R) out.q = from_col_major(ctx, qc);
  return out;
}

Svd svd(Context& ctx, const Array& a, bool full_matrices, bool compute_uv) {
  check_matrix(a, "a matrix");
  const std::int64_t m = rows(a), n = cols(a), k = std::min(m, n), count = count_of(a);
  const DType t = lapack_dtype(a.dtype());
  const Dims batch = batch_of(a);
  const Array f = col_major_copy(ctx, a, t);
  const std::int64_t vh_rows = full_matrices ? n : k, u_cols = full_matrices ? m : k;
  Svd out;
  Dims s_shape = batch;
  s_shape.push(k);
  out.s = Array::empty(real_dtype(t), s_shape, ctx.account);
  Array uc, vhc;  // column-major: (batch, u_cols, m) and (batch, n, vh_rows)
  if (compute_uv) {
    uc = k == 0 && full_matrices ? identity_stack(ctx, t, batch, m)
                                 : Array::empty(t, with_matrix(batch, u_cols, m), ctx.account);
    vhc = k == 0 && full_matrices ? identity_stack(ctx, t, batch, n)
                                  : Array::empty(t, with_matrix(batch, n, vh_rows), ctx.account);
  }
  if (k > 0 && count > 0) gesdd_stack(f, uc, vhc, out.s, full_matrices, compute_uv);
  if (compute_uv) {
    out.u = from_col_major(ctx, uc);
    out.vh = from_col_major(ctx, vhc);
  }
  return out;
}

// Eigenvalues ascending (syevd); only one triangle is read.
Eig eigh(Context& ctx, const Array& a, bool lower, bool vectors) {
  check_square(a);
  const std::int64_t n = rows(a), count = count_of(a);
  const DType t = lapack_dtype(a.dtype());
  Dims wshape = batch_of(a);
  wshape.push(n);
  const Array f = col_major_copy(ctx, a, t);
  Eig out;
  out.w = Array::empty(real_dtype(t), wshape, ctx.account);
  if (n > 0 && count > 0)
    with_type(a, [&](auto tag) {
      using T = typename decltype(tag)::type;
      using R = typename Lapack<T>::Real;
      const char jobz = vectors ? 'V' : 'N', uplo = lower ? 'L' : 'U';
      const lint ln = to_lint(std::max<std::int64_t>(1, n));
      T query = 0;
      lint iquery = 0, info = 0;
      one_blas_thread();
      Lapack<T>::syevd(jobz, uplo, to_lint(n), f.data_as<T>(), ln, out.w.data_as<R>(), &query, -1,
                       &iquery, -1, info);
      std::vector<T> work(work_size(query));
      std::vector<lint> iwork(std::max<lint>(1, iquery));
      for (std::int64_t b = 0; b < count; ++b) {
        Lapack<T>::syevd(jobz, uplo, to_lint(n), f.data_as<T>() + b * n * n, ln,
                         out.w.data_as<R>() + b * n, work.data(), static_cast<lint>(work.size()),
                         iwork.data(), static_cast<lint>(iwork.size()), info);
        if (info > 0) throw Error("Eigenvalues did not converge");
      }
    });
  if (vectors) out.v = from_col_major(ctx, f);
  return out;
}

namespace {

// geev on each column-major matrix of f (overwritten): eigenvalues and the
// column-major right eigenvectors, both complex.
template <class T>
Eig geev_complex(Context& ctx, const Array& f, bool vectors) {
  const std::int64_t n = rows(f), count = count_of(f);
  Dims wshape = batch_of(f);
  wshape.push(n);
  Eig out{Array::empty(f.dtype(), wshape, ctx.account),
          vectors ? Array::empty(f.dtype(), f.shape(), ctx.account) : Array()};
  if (n == 0 || count == 0) return out;
  const lint ln = to_lint(n), ldvr = vectors ? ln : 1;
  T query = 0, none = 0;
  lint info = 0;
  auto vr = [&](std::int64_t b) { return vectors ? out.v.data_as<T>() + b * n * n : &none; };
  one_blas_thread();
  Lapack<T>::geev(vectors ? 'V' : 'N', ln, f.data_as<T>(), ln, out.w.data_as<T>(), vr(0), ldvr,
                  &query, -1, info);
  std::vector<T> work(work_size(query));
  for (std::int64_t b = 0; b < count; ++b) {
    Lapack<T>::geev(vectors ? 'V' : 'N', ln, f.data_as<T>() + b * n * n, ln,
                    out.w.data_as<T>() + b * n, vr(b), ldvr, work.data(),
                    static_cast<lint>(work.size()), info);
    if (info > 0) throw Error("Eigenvalues did not converge");
  }
  return out;
}

// The real case: LAPACK returns a complex pair w, conj(w) as wr +- i wi with
// the vector's real and imaginary parts in two adjacent columns.
template <class T>
Eig geev_real(Context& ctx, const Array& f, bool vectors) {
  using C = std::complex<T>;
  const std::int64_t n = rows(f), count = count_of(f);
  Dims wshape = batch_of(f);
  wshape.push(n);
  Eig out{Array::empty(f.dtype(), wshape, ctx.account),
          vectors ? Array::empty(f.dtype(), f.shape(), ctx.account) : Array()};
  if (n == 0 || count == 0) return out;
  std::vector<T> wi(static_cast<std::size_t>(count * n));
  const lint ln = to_lint(n), ldvr = vectors ? ln : 1;
  T query = 0, none = 0;
  lint info = 0;
  auto vr = [&](std::int64_t b) { return vectors ? out.v.data_as<T>() + b * n * n : &none; };
  {
    one_blas_thread();
    Lapack<T>::geev(vectors ? 'V' : 'N', ln, f.data_as<T>(), ln, out.w.data_as<T>(), wi.data(),
                    vr(0), ldvr, &query, -1, info);
    std::vector<T> work(work_size(query));
    for (std::int64_t b = 0; b < count; ++b) {
      Lapack<T>::geev(vectors ? 'V' : 'N', ln, f.data_as<T>() + b * n * n, ln,
                      out.w.data_as<T>() + b * n, wi.data() + b * n, vr(b), ldvr, work.data(),
                      static_cast<lint>(work.size()), info);
      if (info > 0) throw Error("Eigenvalues did not converge");
    }
  }
  if (std::all_of(wi.begin(), wi.end(), [](T x) { return x == 0; })) return out;
  const DType ct = complex_dtype(f.dtype());
  Eig c{Array::empty(ct, wshape, ctx.account),
        vectors ? Array::empty(ct, f.shape(), ctx.account) : Array()};
  for (std::int64_t i = 0; i < count * n; ++i)
    c.w.data_as<C>()[i] = C(out.w.data_as<T>()[i], wi[i]);
  for (std::int64_t b = 0; b < count && vectors; ++b) {
    const T* re = out.v.data_as<T>() + b * n * n;
    C* v = c.v.data_as<C>() + b * n * n;
    for (std::int64_t j = 0; j < n; ++j) {
      const T* col = re + j * n;
      if (wi[b * n + j] == 0 || j + 1 == n) {
        for (std::int64_t i = 0; i < n; ++i) v[j * n + i] = col[i];
        continue;
      }
      for (std::int64_t i = 0; i < n; ++i) {  // the pair j, j + 1
        v[j * n + i] = C(col[i], col[n + i]);
        v[(j + 1) * n + i] = C(col[i], -col[n + i]);
      }
      ++j;
    }
  }
  return c;
}

}  // namespace

// geev: right eigenvectors only, as NumPy; real results for a real matrix
// whose eigenvalues are all real, complex ones otherwise (as NumPy).
Eig eig(Context& ctx, const Array& a, bool vectors) {
  check_square(a);
  const Array f = col_major_copy(ctx, a, lapack_dtype(a.dtype()));
  Eig out;
  with_type(a, [&](auto tag) {
    using T = typename decltype(tag)::type;
    if constexpr (is_complex_v<T>) out = geev_complex<T>(ctx, f, vectors);
    else out = geev_real<T>(ctx, f, vectors);
  });
  if (vectors) out.v = from_col_major(ctx, out.v);
  return out;
}

}  // namespace tessera::linalg
