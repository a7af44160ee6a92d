// The BLAS and LAPACK routines ts.linalg uses, as one traits struct per
// element type (float -> s..., double -> d..., complex<float> -> c...,
// complex<double> -> z...), so the dispatch code is one template. The
// complex structs give the same interface (orgqr is ungqr, syevd is heevd)
// and allocate the real workspaces (rwork) the complex routines add; singular
// values and Hermitian eigenvalues are Real. geev differs (complex
// eigenvalues in one array) and is used under if constexpr. Declarations come from Debian's
// lapack.h (hidden Fortran string lengths included); the symbols are OpenBLAS's. All LAPACK
// matrices are column-major.
#pragma once

#include <cblas.h>

#include <algorithm>
#include <complex>
#include <vector>

#define lapack_complex_float std::complex<float>
#define lapack_complex_double std::complex<double>
#include <lapack.h>

namespace tessera::linalg {

using lint = lapack_int;

template <class T>
struct Lapack;

// The same calls for both real types; `p` is the routine prefix (s or d).
#define TS_REAL_LAPACK(T, p)                                                                       \
  template <>                                                                                      \
  struct Lapack<T> {                                                                               \
    using Real = T;                                                                                \
    static void gemm(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, lint m, lint n, lint k, const T* a,   \
                     lint lda, const T* b, lint ldb, T* c, lint ldc) {                             \
      cblas_##p##gemm(CblasRowMajor, ta, tb, m, n, k, 1, a, lda, b, ldb, 0, c, ldc);               \
    }                                                                                              \
    static void gesv(lint n, lint nrhs, T* a, lint lda, lint* ipiv, T* b, lint ldb, lint& info) {  \
      LAPACK_##p##gesv(&n, &nrhs, a, &lda, ipiv, b, &ldb, &info);                                  \
    }                                                                                              \
    static void getrs(lint n, lint nrhs, const T* a, lint lda, const lint* ipiv, T* b, lint ldb,   \
                      lint& info) {                                                                \
      char no = 'N';                                                                               \
      LAPACK_##p##getrs(&no, &n, &nrhs, a, &lda, ipiv, b, &ldb, &info);                            \
    }                                                                                              \
    static void laswp(lint n, T* a, lint lda, lint k1, lint k2, const lint* ipiv) {                \
      lint inc = 1;                                                                                \
      LAPACK_##p##laswp(&n, a, &lda, &k1, &k2, ipiv, &inc);                                        \
    }                                                                                              \
    /* b = L^-1 b, L unit lower (m x m); column-major */                                           \
    static void trsm_lower_unit(lint m, lint n, const T* a, lint lda, T* b, lint ldb) {            \
      cblas_##p##trsm(CblasColMajor, CblasLeft, CblasLower, CblasNoTrans, CblasUnit, m, n, 1, a,   \
                      lda, b, ldb);                                                                \
    }                                                                                              \
    /* c -= a b, column-major */                                                                   \
    static void gemm_sub(lint m, lint n, lint k, const T* a, lint lda, const T* b, lint ldb, T* c, \
                         lint ldc) {                                                               \
      cblas_##p##gemm(CblasColMajor, CblasNoTrans, CblasNoTrans, m, n, k, -1, a, lda, b, ldb, 1,   \
                      c, ldc);                                                                     \
    }                                                                                              \
    static void getrf(lint m, lint n, T* a, lint lda, lint* ipiv, lint& info) {                    \
      LAPACK_##p##getrf(&m, &n, a, &lda, ipiv, &info);                                             \
    }                                                                                              \
    static void potrf(char uplo, lint n, T* a, lint lda, lint& info) {                             \
      LAPACK_##p##potrf(&uplo, &n, a, &lda, &info);                                                \
    }                                                                                              \
    static void geqrf(lint m, lint n, T* a, lint lda, T* tau, T* work, lint lwork, lint& info) {   \
      LAPACK_##p##geqrf(&m, &n, a, &lda, tau, work, &lwork, &info);                                \
    }                                                                                              \
    static void orgqr(lint m, lint n, lint k, T* a, lint lda, const T* tau, T* work, lint lwork,   \
                      lint& info) {                                                                \
      LAPACK_##p##orgqr(&m, &n, &k, a, &lda, tau, work, &lwork, &info);                            \
    }                                                                                              \
    static void syevd(char jobz, char uplo, lint n, T* a, lint lda, T* w, T* work, lint lwork,     \
                      lint* iwork, lint liwork, lint& info) {                                      \
      LAPACK_##p##syevd(&jobz, &uplo, &n, a, &lda, w, work, &lwork, iwork, &liwork, &info);        \
    }                                                                                              \
    static void geev(char jobvr, lint n, T* a, lint lda, T* wr, T* wi, T* vr, lint ldvr, T* work,  \
                     lint lwork, lint& info) {                                                     \
      char no = 'N';                                                                               \
      lint one = 1;                                                                                \
      LAPACK_##p##geev(&no, &jobvr, &n, a, &lda, wr, wi, nullptr, &one, vr, &ldvr, work, &lwork,   \
                       &info);                                                                     \
    }                                                                                              \
    static void gesdd(char jobz, lint m, lint n, T* a, lint lda, T* s, T* u, lint ldu, T* vt,      \
                      lint ldvt, T* work, lint lwork, lint* iwork, lint& info) {                   \
      LAPACK_##p##gesdd(&jobz, &m, &n, a, &lda, s, u, &ldu, vt, &ldvt, work, &lwork, iwork,        \
                        &info);                                                                    \
    }                                                                                              \
    static void gelsd(lint m, lint n, lint nrhs, T* a, lint lda, T* b, lint ldb, T* s, T rcond,    \
                      lint& rank, T* work, lint lwork, lint* iwork, lint& info) {                  \
      LAPACK_##p##gelsd(&m, &n, &nrhs, a, &lda, b, &ldb, s, &rcond, &rank, work, &lwork, iwork,    \
                        &info);                                                                    \
    }                                                                                              \
  };

TS_REAL_LAPACK(float, s)
TS_REAL_LAPACK(double, d)
#undef TS_REAL_LAPACK

// The complex calls; `p` is the prefix (c or z), R the real part type.
#define TS_COMPLEX_LAPACK(R, p)                                                                    \
  template <>                                                                                      \
  struct Lapack<std::complex<R>> {                                                                 \
    using T = std::complex<R>;                                                                     \
    using Real = R;                                                                                \
    static void gemm(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, lint m, lint n, lint k, const T* a,   \
                     lint lda, const T* b, lint ldb, T* c, lint ldc) {                             \
      const T one = 1, zero = 0;                                                                   \
      cblas_##p##gemm(CblasRowMajor, ta, tb, m, n, k, &one, a, lda, b, ldb, &zero, c, ldc);        \
    }                                                                                              \
    static void gesv(lint n, lint nrhs, T* a, lint lda, lint* ipiv, T* b, lint ldb, lint& info) {  \
      LAPACK_##p##gesv(&n, &nrhs, a, &lda, ipiv, b, &ldb, &info);                                  \
    }                                                                                              \
    static void getrs(lint n, lint nrhs, const T* a, lint lda, const lint* ipiv, T* b, lint ldb,   \
                      lint& info) {                                                                \
      char no = 'N';                                                                               \
      LAPACK_##p##getrs(&no, &n, &nrhs, a, &lda, ipiv, b, &ldb, &info);                            \
    }                                                                                              \
    static void laswp(lint n, T* a, lint lda, lint k1, lint k2, const lint* ipiv) {                \
      lint inc = 1;                                                                                \
      LAPACK_##p##laswp(&n, a, &lda, &k1, &k2, ipiv, &inc);                                        \
    }                                                                                              \
    /* b = L^-1 b, L unit lower (m x m); column-major */                                           \
    static void trsm_lower_unit(lint m, lint n, const T* a, lint lda, T* b, lint ldb) {            \
      const T one = 1;                                                                             \
      cblas_##p##trsm(CblasColMajor, CblasLeft, CblasLower, CblasNoTrans, CblasUnit, m, n, &one,   \
                      a, lda, b, ldb);                                                             \
    }                                                                                              \
    /* c -= a b, column-major */                                                                   \
    static void gemm_sub(lint m, lint n, lint k, const T* a, lint lda, const T* b, lint ldb, T* c, \
                         lint ldc) {                                                               \
      const T one = 1, minus = -1;                                                                 \
      cblas_##p##gemm(CblasColMajor, CblasNoTrans, CblasNoTrans, m, n, k, &minus, a, lda, b, ldb,  \
                      &one, c, ldc);                                                               \
    }                                                                                              \
    static void getrf(lint m, lint n, T* a, lint lda, lint* ipiv, lint& info) {                    \
      LAPACK_##p##getrf(&m, &n, a, &lda, ipiv, &info);                                             \
    }                                                                                              \
    static void potrf(char uplo, lint n, T* a, lint lda, lint& info) {                             \
      LAPACK_##p##potrf(&uplo, &n, a, &lda, &info);                                                \
    }                                                                                              \
    static void geqrf(lint m, lint n, T* a, lint lda, T* tau, T* work, lint lwork, lint& info) {   \
      LAPACK_##p##geqrf(&m, &n, a, &lda, tau, work, &lwork, &info);                                \
    }                                                                                              \
    static void orgqr(lint m, lint n, lint k, T* a, lint lda, const T* tau, T* work, lint lwork,   \
                      lint& info) {                                                                \
      LAPACK_##p##ungqr(&m, &n, &k, a, &lda, tau, work, &lwork, &info);                            \
    }                                                                                              \
    static void syevd(char jobz, char uplo, lint n, T* a, lint lda, R* w, T* work, lint lwork,     \
                      lint* iwork, lint liwork, lint& info) {                                      \
      std::vector<R> rwork(jobz == 'V' ? 1 + 5 * std::size_t(n) * (1 + n) : std::size_t(n) + 1);   \
      const lint lrwork = static_cast<lint>(rwork.size());                                         \
      LAPACK_##p##heevd(&jobz, &uplo, &n, a, &lda, w, work, &lwork, rwork.data(), &lrwork, iwork,  \
                        &liwork, &info);                                                           \
    }                                                                                              \
    static void geev(char jobvr, lint n, T* a, lint lda, T* w, T* vr, lint ldvr, T* work,          \
                     lint lwork, lint& info) {                                                     \
      char no = 'N';                                                                               \
      lint one = 1;                                                                                \
      std::vector<R> rwork(2 * (n > 1 ? n : 1));                                                   \
      LAPACK_##p##geev(&no, &jobvr, &n, a, &lda, w, nullptr, &one, vr, &ldvr, work, &lwork,        \
                       rwork.data(), &info);                                                       \
    }                                                                                              \
    static void gesdd(char jobz, lint m, lint n, T* a, lint lda, R* s, T* u, lint ldu, T* vt,      \
                      lint ldvt, T* work, lint lwork, lint* iwork, lint& info) {                   \
      const std::size_t mn = static_cast<std::size_t>(m < n ? m : n);                              \
      const std::size_t mx = static_cast<std::size_t>(m < n ? n : m);                              \
      std::vector<R> rwork(                                                                        \
          jobz == 'N' ? 7 * mn + 1                                                                 \
                      : std::max(5 * mn * mn + 5 * mn, 2 * mx * mn + 2 * mn * mn + mn) + 1);       \
      LAPACK_##p##gesdd(&jobz, &m, &n, a, &lda, s, u, &ldu, vt, &ldvt, work, &lwork, rwork.data(), \
                        iwork, &info);                                                             \
    }                                                                                              \
    static void gelsd(lint m, lint n, lint nrhs, T* a, lint lda, T* b, lint ldb, R* s, R rcond,    \
                      lint& rank, T* work, lint lwork, lint* iwork, lint& info) {                  \
      R rsize = 1;                                                                                 \
      T wq = 0;                                                                                    \
      lint query = -1, iq = 0;                                                                     \
      LAPACK_##p##gelsd(&m, &n, &nrhs, a, &lda, b, &ldb, s, &rcond, &rank, &wq, &query, &rsize,    \
                        &iq, &info);                                                               \
      std::vector<R> rwork(static_cast<std::size_t>(rsize) + 1);                                   \
      LAPACK_##p##gelsd(&m, &n, &nrhs, a, &lda, b, &ldb, s, &rcond, &rank, work, &lwork,           \
                        rwork.data(), iwork, &info);                                               \
    }                                                                                              \
  };

TS_COMPLEX_LAPACK(float, c)
TS_COMPLEX_LAPACK(double, z)
#undef TS_COMPLEX_LAPACK

}  // namespace tessera::linalg
