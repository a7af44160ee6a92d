// Matrix products on BLAS gemm, for stacks of matrices with any strides.
#include <algorithm>
#include <cstring>

#include "common.hpp"
#include "gemm_panels.hpp"
#include "linalg.hpp"
#include "tiles.hpp"

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

// Where one gemm operand's matrix starts (row-major, read as `l` says).
template <class T>
struct Operand {
  const T* p;
  Layout l;
  const T* row(std::int64_t r) const { return p + r * (l.trans == CblasNoTrans ? l.ld : 1); }
  const T* col(std::int64_t c) const { return p + c * (l.trans == CblasNoTrans ? 1 : l.ld); }
};

// A stack of products (n x k) @ (k x m) into the C-contiguous out; a and b
// are broadcast to the batch (one product when the batch is empty).
template <class T>
struct Products {
  Array a, b;
  Layout la, lb;
  Dims batch;
  std::int64_t n, m, k;
  T* c;

  Operand<T> left(std::int64_t i) const { return {a.data_as<T>() + batch_offset(a, batch, i), la}; }
  Operand<T> right(std::int64_t i) const {
    return {b.data_as<T>() + batch_offset(b, batch, i), lb};
  }
  // Rows [r0, r1) and columns [c0, c1) of product i: one single-threaded
  // gemm. Sizes were checked against INT_MAX before (bodies must not throw).
  void block(std::int64_t i, std::int64_t r0, std::int64_t r1, std::int64_t c0,
             std::int64_t c1) const {
    const Operand<T> x = left(i), y = right(i);
    const std::int64_t ldc = std::max<std::int64_t>(1, m);
    Lapack<T>::gemm(x.l.trans, y.l.trans, lint(r1 - r0), lint(c1 - c0), lint(k), x.row(r0),
                    lint(x.l.ld), y.col(c0), lint(y.l.ld), c + i * n * m + r0 * ldc + c0,
                    lint(ldc));
  }
};

// Runs every product in the panels of gemm_panels: tile t is panel
// t % count of product t / count.
template <class T>
void run_tiles(Context& ctx, const Products<T>& p) {
  for (std::int64_t d : {p.n, p.m, p.k, p.la.ld, p.lb.ld}) to_lint(d);
  const GemmPanels panels = gemm_panels(dtype_of<T>, p.n, p.m, p.k);
  const std::int64_t grain =
      std::max<std::int64_t>(1, std::int64_t(GemmPanels::kMinWork / std::max(1.0, panels.work)));
  for_tiles(ctx, p.batch.product() * panels.count, grain, [&](std::int64_t t) {
    const std::int64_t i = t / panels.count, s = (t % panels.count) * panels.size;
    if (panels.by_rows) p.block(i, s, std::min(p.n, s + panels.size), 0, p.m);
    else p.block(i, 0, p.n, s, std::min(p.m, s + panels.size));
  });
}

template <class T>
void gemm_stack(Context& ctx, const Array& a, const Array& b, const Array& out) {
  const Dims batch = batch_of(out);
  const std::int64_t count = batch.product();
  const std::int64_t n = rows(out), m = cols(out), k = cols(a);
  Layout la, lb;
  const Array ar = readable(ctx, a, la), br = readable(ctx, b, lb);
  T* c = out.data_as<T>();
  // One tall product when b is shared by the whole stack and a's rows follow
  // each other through its batch dimensions.
  if (count > 1 && br.ndim() == 2 && la.trans == CblasNoTrans && batch_of(ar) == batch) {
    const Array flat = ar.view_as(Dims{count * n, k});
    Layout lf;
    if (flat.valid() && blas_layout(flat, lf) && lf.trans == CblasNoTrans) {
      run_tiles<T>(ctx, {flat, br, lf, lb, Dims{}, count * n, m, k, c});
      return;
    }
  }
  run_tiles<T>(ctx, {ar.broadcast_to(with_matrix(batch, n, k)),
                     br.broadcast_to(with_matrix(batch, k, m)), la, lb, batch, n, m, k, c});
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
