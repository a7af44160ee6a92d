#include "escape.hpp"

#include <complex>
#include <string>
#include <type_traits>

#include "../errors.hpp"

namespace tessera::fractal {

namespace {

// Part 0 (the value, or a complex number's real part) or 1 (the imaginary part).
template <class S>
struct Parts {
  static S get(const S& s, int) { return s; }
};
template <class F>
struct Parts<std::complex<F>> {
  static F get(const std::complex<F>& s, int part) { return part ? s.imag() : s.real(); }
};
template <class S>
constexpr bool is_complex_element = !std::is_arithmetic_v<S>;

bool has_complex_elements(DType t) {
  return visit_dtype(t, [](auto tag) { return is_complex_element<typename decltype(tag)::type>; });
}

// Points [j0, j0 + m) of row `row` of a (broadcast to the output's shape),
// their `part`, as contiguous T: a pointer into a itself when it already is,
// else copied (and converted) into buf.
template <class T>
const T* line(const Array& a, int part, std::int64_t row, std::int64_t j0, std::int64_t m, T* buf) {
  const int nd = a.ndim();
  std::int64_t offset = 0;
  for (int d = nd - 2; d >= 0; --d) {
    offset += (row % a.dim(d)) * a.stride(d);
    row /= a.dim(d);
  }
  const std::int64_t step = nd ? a.stride(nd - 1) : 0;
  offset += j0 * step;
  if (a.dtype() == dtype_of<T> && (step == 1 || m == 1)) return a.data_as<T>() + offset;
  visit_dtype(a.dtype(), [&](auto tag) {
    using S = typename decltype(tag)::type;
    const S* p = a.data_as<S>() + offset;
    for (std::int64_t j = 0; j < m; ++j) buf[j] = static_cast<T>(Parts<S>::get(p[j * step], part));
  });
  return buf;
}

// Counts of the points (re's part re_part) + i*(im's part im_part), both
// broadcast to out's shape.
template <class T>
void fill_counts(Context& ctx, const Array& re, int re_part, const Array& im, int im_part,
                 const Array& out, const EscapeParams& p) {
  const int nd = out.ndim();
  const std::int64_t len = nd ? out.dim(nd - 1) : 1;
  if (out.size() == 0) return;
  const std::int64_t rows = out.size() / len;
  const std::int64_t segments = (len + kSegment - 1) / kSegment;
  std::int32_t* counts = out.data_as<std::int32_t>();
  ctx.parallel.for_range(rows * segments, 1, [&](std::int64_t b, std::int64_t e) {
    alignas(64) T buf_re[kSegment], buf_im[kSegment];
    for (std::int64_t t = b; t < e; ++t) {
      const std::int64_t row = t / segments, j0 = (t % segments) * kSegment;
      const std::int64_t m = len - j0 < kSegment ? len - j0 : kSegment;
      const T* r = line<T>(re, re_part, row, j0, m, buf_re);
      const T* i = line<T>(im, im_part, row, j0, m, buf_im);
      kernels::escape_counts(r, i, m, p, counts + row * len + j0);
    }
  });
}

void check_real(const Array& a, const char* which) {
  if (has_complex_elements(a.dtype()))
    throw Error(std::string("expected a real array for the ") + which + " parts, got " +
                dtype_name(a.dtype()));
}

void check_maxiter(std::int64_t maxiter) {
  if (maxiter < 0 || maxiter > kMaxIter)
    throw Error("maxiter must be in [0, " + std::to_string(kMaxIter) + "], got " +
                std::to_string(maxiter));
}

}  // namespace

Array escape_counts(Context& ctx, const Array& re, const Array& im, const EscapeParams& p) {
  check_real(re, "real");
  check_real(im, "imaginary");
  check_maxiter(p.maxiter);
  const Dims shape = broadcast_shapes(re.shape(), im.shape());
  Array out = Array::empty(DType::Int32, shape, ctx.account);
  const Array r = re.broadcast_to(shape), i = im.broadcast_to(shape);
  if (re.dtype() == DType::Float32 && im.dtype() == DType::Float32)
    fill_counts<float>(ctx, r, 0, i, 0, out, p);
  else fill_counts<double>(ctx, r, 0, i, 0, out, p);
  return out;
}

Array escape_counts(Context& ctx, const Array& z, const EscapeParams& p) {
  if (!has_complex_elements(z.dtype()))
    throw Error(std::string("expected a complex array (or arrays of real and imaginary parts), "
                            "got ") +
                dtype_name(z.dtype()));
  check_maxiter(p.maxiter);
  Array out = Array::empty(DType::Int32, z.shape(), ctx.account);
  if (z.itemsize() == 2 * sizeof(float)) fill_counts<float>(ctx, z, 0, z, 1, out, p);
  else fill_counts<double>(ctx, z, 0, z, 1, out, p);
  return out;
}

void grid_axes(const Grid& g, double* xs, double* ys) {
  const double dx = (g.xmax - g.xmin) / static_cast<double>(g.width);
  const double dy = (g.ymin - g.ymax) / static_cast<double>(g.height);
  double x = g.xmin, y = g.ymax;
  for (std::int64_t j = 0; j < g.width; ++j, x += dx)
    xs[j] = g.accumulate ? x : g.xmin + static_cast<double>(j) * dx;
  for (std::int64_t i = 0; i < g.height; ++i, y += dy)
    ys[i] = g.accumulate ? y : g.ymax + static_cast<double>(i) * dy;
}

Array escape_counts(Context& ctx, const Grid& g, const EscapeParams& p) {
  if (g.width < 0 || g.height < 0)
    throw Error("grid width and height must not be negative, got " + std::to_string(g.width) +
                " x " + std::to_string(g.height));
  Array xs = Array::empty(DType::Float64, Dims{1, g.width}, ctx.account);
  Array ys = Array::empty(DType::Float64, Dims{g.height, 1}, ctx.account);
  grid_axes(g, xs.data_as<double>(), ys.data_as<double>());
  return escape_counts(ctx, xs, ys, p);
}

}  // namespace tessera::fractal
