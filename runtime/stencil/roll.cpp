// np.roll as block copies: along each rolled axis the result is two pieces
// (dst[s:] = src[:n-s], dst[:s] = src[n-s:]), so k rolled axes make at most
// 2^k strided copies with the dtype-generic copy loop, and nothing else.
#include <string>

#include "../errors.hpp"
#include "../ops/elementwise.hpp"
#include "stencil.hpp"

namespace tessera::stencil {

namespace {

std::int64_t positive_mod(std::int64_t s, std::int64_t n) {
  const std::int64_t r = s % n;
  return r < 0 ? r + n : r;
}

void check_roll_out(const Array& a, const Array& out) {
  if (out.shape() != a.shape() || out.dtype() != a.dtype())
    throw Error("expected out of shape " + format_shape(a.shape()) + " and dtype " +
                dtype_name(a.dtype()) + ", got shape " + format_shape(out.shape()) + " and dtype " +
                dtype_name(out.dtype()));
}

// Copies the pieces for axes [d, ndim) of src into dst, given the shift of
// every axis (0 for axes that do not roll).
void copy_pieces(const Array& src, const Array& dst, const std::int64_t* shift, int d) {
  if (src.size() == 0) return;
  while (d < src.ndim() && shift[d] == 0) ++d;
  if (d == src.ndim()) {
    ops::copy_into(dst, src);
    return;
  }
  const std::int64_t n = src.dim(d), s = shift[d];
  copy_pieces(src.narrow(d, 0, n - s), dst.narrow(d, s, n - s), shift, d + 1);
  copy_pieces(src.narrow(d, n - s, s), dst.narrow(d, 0, s), shift, d + 1);
}

// The input to roll from: a copy when it shares memory with out.
Array source_for(Context& ctx, const Array& a, const Array* out) {
  return out && out->shares_storage(a) ? ops::copy(ctx, a) : a;
}

}  // namespace

Array roll(Context& ctx, const Array& a, const std::int64_t* shifts, const int* axes, int count,
           const Array* out) {
  if (out) check_roll_out(a, *out);
  std::int64_t shift[kMaxDims] = {};
  for (int i = 0; i < count; ++i) {
    if (axes[i] < 0 || axes[i] >= a.ndim())
      throw Error("axis " + std::to_string(axes[i] + 1) + " is out of range for " +
                  std::to_string(a.ndim()) + " dimensions");
    shift[axes[i]] += shifts[i] % (a.dim(axes[i]) > 0 ? a.dim(axes[i]) : 1);
  }
  for (int d = 0; d < a.ndim(); ++d) shift[d] = a.dim(d) > 0 ? positive_mod(shift[d], a.dim(d)) : 0;
  const Array src = source_for(ctx, a, out);
  const Array result = out ? *out : Array::empty(a.dtype(), a.shape(), ctx.account);
  copy_pieces(src, result, shift, 0);
  return result;
}

Array roll_flat(Context& ctx, const Array& a, std::int64_t shift, const Array* out) {
  if (out) check_roll_out(a, *out);
  const std::int64_t n = a.size();
  const Dims flat{n};
  const Array src = source_for(ctx, a, out);
  const Array src_flat = ops::reshape(ctx, src, flat);
  const Array result = out ? *out : Array::empty(a.dtype(), a.shape(), ctx.account);
  Array dst_flat = result.view_as(flat);
  const bool direct = dst_flat.valid();
  if (!direct) dst_flat = Array::empty(a.dtype(), flat, ctx.account);
  const std::int64_t s = n > 0 ? positive_mod(shift, n) : 0;
  copy_pieces(src_flat, dst_flat, &s, 0);
  if (!direct) ops::copy_into(result, dst_flat.view_as(a.shape()));
  return result;
}

}  // namespace tessera::stencil
