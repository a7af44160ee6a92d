// Matrix products on BLAS gemm, for stacks of matrices with any strides.
#include <algorithm>
#include <cstring>

#include "blas_threads.hpp"
#include "common.hpp"
#include "linalg.hpp"

namespace tessera::linalg {
namespace {

// How gemm reads the last two dimensions of x as a row-major matrix.
struct Layout {
  CBLAS_TRANSPOSE trans = CblasNoTrans;
  std::int64_t ld = 1;
};

// True when BLAS can read x's matrices in place: unit stride along one of the
// last two dimensions and a leading dimension that covers the other.
bool blas_layout(const Array& x, Layout& l) {
  const int nd = x.ndim();
  const std::int64_t r = x.dim(nd - 2), c = x.dim(nd - 1);
  const std::int64_t sr = x.stride(nd - 2), sc = x.stride(nd - 1);
  if ((sc == 1 || c <= 1) && (r <= 1 || sr >= std::max<std::int64_t>(1, c))) {
    l = {CblasNoTrans, r <= 1 ? std::max<std::int64_t>(1, c) : sr};
  } else if ((sr == 1 || r <= 1) && (c <= 1 || sc >= std::max<std::int64_t>(1, r))) {
    l = {CblasTrans, c <= 1 ? std::max<std::int64_t>(1, r) : sc};
  } else {
    return false;
  }
  return l.ld <= INT_MAX;
}

// x itself when BLAS reads it in place, else a contiguous copy.
Array readable(Context& ctx, const Array& x, Layout& l) {
  if (blas_layout(x, l)) return x;
  Array c = ops::copy(ctx, x);
  blas_layout(c, l);
  return c;
}

// Element offset of batch item i (row-major over batch) in x.
std::int64_t batch_offset(const Array& x, const Dims& batch, std::int64_t i) {
  std::int64_t off = 0;
  for (int d = batch.n - 1; d >= 0; --d) {
    off += (i % batch[d]) * x.stride(d);
    i /= batch[d];
  }
  return off;
}

template <class T>
void gemm_stack(Context& ctx, const Array& a, const Array& b, const Array& out) {
  const Dims batch = batch_of(out);
  const std::int64_t count = batch.product();
  const std::int64_t n = rows(out), m = cols(out), k = cols(a);
  Layout la, lb;
  const Array ar = readable(ctx, a, la), br = readable(ctx, b, lb);
  const lint ldc = to_lint(std::max<std::int64_t>(1, m));
  BlasCall threads(ctx);
  T* c = out.data_as<T>();
  // One tall product when b is shared by the whole stack and a's rows follow
  // each other through its batch dimensions.
  if (count > 1 && br.ndim() == 2 && la.trans == CblasNoTrans && batch_of(ar) == batch) {
    const Array flat = ar.view_as(Dims{count * n, k});
    Layout lf;
    if (flat.valid() && blas_layout(flat, lf) && lf.trans == CblasNoTrans) {
      Lapack<T>::gemm(CblasNoTrans, lb.trans, to_lint(count * n), to_lint(m), to_lint(k),
                      flat.data_as<T>(), to_lint(lf.ld), br.data_as<T>(), to_lint(lb.ld), c, ldc);
      return;
    }
  }
  const Array ab = ar.broadcast_to(with_matrix(batch, n, k));
  const Array bb = br.broadcast_to(with_matrix(batch, k, m));
  const T* pa = ab.data_as<T>();
  const T* pb = bb.data_as<T>();
  for (std::int64_t i = 0; i < count; ++i)
    Lapack<T>::gemm(la.trans, lb.trans, to_lint(n), to_lint(m), to_lint(k),
                    pa + batch_offset(ab, batch, i), to_lint(la.ld),
                    pb + batch_offset(bb, batch, i), to_lint(lb.ld), c + i * n * m, ldc);
}

}  // namespace

bool has_gemm(DType t) { return is_inexact(t); }

DType lapack_dtype(DType t) { return is_inexact(t) ? t : DType::Float64; }

void matmul_into(Context& ctx, const Array& a, const Array& b, const Array& out) {
  if (out.size() == 0) return;
  if (cols(a) == 0) {  // empty sums
    std::memset(out.data(), 0, out.nbytes());
    return;
  }
  visit_lapack(out.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    gemm_stack<T>(ctx, a, b, out);
  });
}

}  // namespace tessera::linalg
