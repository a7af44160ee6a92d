// Convolution and correlation of small kernels, as sums over taps: for each
// tap the kernels' multiply-add line runs over a whole output row
// (kernels::correlate_line), so every output is summed in tap order whatever
// the vector width or thread count.
//
// 1-D follows NumPy's _pyarray_correlate: the longer array slides under the
// shorter one; np.correlate reverses the result when it swapped them;
// np.convolve swaps first and reverses the kernel. 2-D follows
// scipy.signal.correlate2d / convolve2d: the input is padded by the boundary
// rule and 'same' keeps the input's shape, starting at kernel//2 of the full
// correlation, (kernel-1)//2 of the full convolution.
#include <cstring>
#include <string>
#include <utility>

#include "../../kernels/stencil.hpp"
#include "../errors.hpp"
#include "../ops/elementwise.hpp"
#include "../ops/scalar.hpp"
#include "stencil.hpp"

namespace tessera::stencil {

namespace {

bool is_real_dtype(DType t) { return is_bool(t) || is_integer(t) || is_float(t); }

DType compute_dtype(const Array& a, const Array& v) {
  const DType t = promote(a.dtype(), v.dtype());
  if (!is_real_dtype(t))
    throw Error(std::string("expected arrays of a real dtype, got ") + dtype_name(t));
  return t;
}

Array reversed(Context& ctx, const Array& a, DType t) {
  Array r = a;
  for (int d = 0; d < a.ndim(); ++d) r = r.slice(d, a.dim(d) - 1, a.dim(d), -1);
  return ops::astype(ctx, r, t);
}

std::int64_t positive_mod(std::int64_t s, std::int64_t n) {
  const std::int64_t r = s % n;
  return r < 0 ? r + n : r;
}

// Index s of an axis of extent n under the boundary rule, or -1 for the fill.
std::int64_t boundary_index(std::int64_t s, std::int64_t n, Pad pad) {
  if (s >= 0 && s < n) return s;
  if (pad == Pad::Fill) return -1;
  if (pad == Pad::Wrap) return positive_mod(s, n);
  const std::int64_t m = positive_mod(s, 2 * n);  // Symm: period 2n, mirror image
  return m < n ? m : 2 * n - 1 - m;
}

// x (contiguous, M1 x N1) extended by kr - 1 rows and kc - 1 columns on
// each side by the boundary rule.
Array pad_input(Context& ctx, const Array& x, std::int64_t kr, std::int64_t kc, Pad pad,
                const unsigned char* fill) {
  const std::int64_t m1 = x.dim(0), n1 = x.dim(1);
  const std::int64_t pr = m1 + 2 * (kr - 1), pc = n1 + 2 * (kc - 1);
  Array p = Array::empty(x.dtype(), Dims{pr, pc}, ctx.account);
  const std::size_t item = x.itemsize();
  const char* src = static_cast<const char*>(x.data());
  char* dst = static_cast<char*>(p.data());
  for (std::int64_t r = 0; r < pr; ++r) {
    char* prow = dst + static_cast<std::size_t>(r * pc) * item;
    const std::int64_t sr = boundary_index(r - (kr - 1), m1, pad);
    const char* xrow = sr >= 0 ? src + static_cast<std::size_t>(sr * n1) * item : nullptr;
    for (std::int64_t c = 0; c < pc; ++c) {
      const std::int64_t sc = c - (kc - 1);
      if (xrow && sc == 0) {  // the input row itself, in one copy
        std::memcpy(prow + static_cast<std::size_t>(c) * item, xrow,
                    static_cast<std::size_t>(n1) * item);
        c += n1 - 1;
        continue;
      }
      const std::int64_t mc = xrow ? boundary_index(sc, n1, pad) : -1;
      const void* from = mc >= 0 ? static_cast<const void*>(xrow + mc * item) : fill;
      std::memcpy(prow + static_cast<std::size_t>(c) * item, from, item);
    }
  }
  return p;
}

}  // namespace

Array correlate(Context& ctx, const Array& a, const Array& v, ConvMode mode, bool convolve) {
  if (a.ndim() != 1 || v.ndim() != 1)
    throw Error("expected two 1-d arrays, got shapes " + format_shape(a.shape()) + " and " +
                format_shape(v.shape()));
  if (a.size() == 0) throw Error("a cannot be empty");
  if (v.size() == 0) throw Error("v cannot be empty");
  const DType t = compute_dtype(a, v);
  Array x = ops::contiguous(ctx, a, t), w = ops::contiguous(ctx, v, t);
  if (convolve) {
    if (w.size() > x.size()) std::swap(x, w);
    w = reversed(ctx, w, t);
  }
  const bool inverted = x.size() < w.size();
  if (inverted) std::swap(x, w);
  const std::int64_t n1 = x.size(), n2 = w.size();
  std::int64_t length = n1 + n2 - 1, left = n2 - 1;  // Full
  if (mode == ConvMode::Valid) length = n1 - n2 + 1, left = 0;
  else if (mode == ConvMode::Same) length = n1, left = n2 / 2;
  Array r = Array::empty(t, Dims{length}, ctx.account);
  kernels::correlate_line(t, x.data(), n1, w.data(), n2, -left, r.data(), length);
  if (inverted) r = reversed(ctx, r, t);  // np.correlate only: convolve never swaps here
  return r;
}

Array correlate2d(Context& ctx, const Array& in, const Array& kernel, ConvMode mode, Pad pad,
                  double fillvalue, bool convolve) {
  if (in.ndim() != 2 || kernel.ndim() != 2)
    throw Error("expected two 2-d arrays, got shapes " + format_shape(in.shape()) + " and " +
                format_shape(kernel.shape()));
  const DType t = compute_dtype(in, kernel);
  const std::int64_t m1 = in.dim(0), n1 = in.dim(1), m2 = kernel.dim(0), n2 = kernel.dim(1);
  if (m1 == 0 || n1 == 0) throw Error("the input cannot be empty");
  if (m2 == 0 || n2 == 0) throw Error("the kernel cannot be empty");
  if (mode == ConvMode::Valid && (m2 > m1 || n2 > n1))
    throw Error("mode 'valid' needs a kernel no larger than the input in every dimension, got " +
                format_shape(kernel.shape()) + " and " + format_shape(in.shape()));
  // Output shape and its first cell in the full correlation's coordinates.
  std::int64_t rows = m1 + m2 - 1, cols = n1 + n2 - 1, si = 0, sj = 0;
  if (mode == ConvMode::Valid) rows = m1 - m2 + 1, cols = n1 - n2 + 1, si = m2 - 1, sj = n2 - 1;
  else if (mode == ConvMode::Same) {
    rows = m1, cols = n1;
    si = convolve ? (m2 - 1) / 2 : m2 / 2;
    sj = convolve ? (n2 - 1) / 2 : n2 / 2;
  }
  Array r = Array::empty(t, Dims{rows, cols}, ctx.account);
  if (r.size() == 0) return r;
  const Array w = convolve ? reversed(ctx, kernel, t) : ops::contiguous(ctx, kernel, t);
  alignas(16) unsigned char fill[16];
  Scalar::number(fillvalue).store(t, fill);
  const Array p = pad_input(ctx, ops::contiguous(ctx, in, t), m2, n2, pad, fill);
  const std::size_t item = dtype_size(t);
  const char* pdata = static_cast<const char*>(p.data());
  const char* wdata = static_cast<const char*>(w.data());
  char* rdata = static_cast<char*>(r.data());
  const std::int64_t pc = p.dim(1);
  auto body = [&](std::int64_t i0, std::int64_t i1) {
    for (std::int64_t i = i0; i < i1; ++i)
      for (std::int64_t q = 0; q < m2; ++q)
        kernels::correlate_line(t, pdata + static_cast<std::size_t>((i + si + q) * pc + sj) * item,
                                cols + n2 - 1, wdata + static_cast<std::size_t>(q * n2) * item, n2,
                                0, rdata + static_cast<std::size_t>(i * cols) * item, cols, q > 0);
  };
  const std::int64_t work = cols * m2 * n2;
  ctx.parallel.for_range(rows, (std::int64_t{1} << 15) / (work > 0 ? work : 1) + 1, body);
  return r;
}

}  // namespace tessera::stencil
