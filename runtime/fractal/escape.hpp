// Escape-time counts of Julia and Mandelbrot sets over arrays of points or a
// rectangular grid (the kernel and its exact semantics: kernels/fractal.hpp).
// No Lua.
//
// Work is split into pieces of at most kSegment points of one row (the last
// dimension) and handed out dynamically (TBB's work stealing over pieces), so
// rows near the set, which cost many times more than rows far from it, do not
// leave a thread idle. Each count depends on its point alone, so results are
// the same with any number of threads.
#pragma once

#include <cstdint>

#include "../../kernels/fractal.hpp"
#include "../array.hpp"
#include "../context.hpp"

namespace tessera::fractal {

using kernels::EscapeMode;
using kernels::EscapeParams;

inline constexpr std::int64_t kSegment = 512;
inline constexpr std::int64_t kMaxIter = 2147483647;  // counts are int32

// The counts of the points re + i*im (any real dtypes, broadcast together):
// an int32 array of the broadcast shape. Computes in float32 when both are
// float32, else in float64. Throws Error for shapes that do not broadcast,
// non-real dtypes or maxiter outside [0, kMaxIter].
Array escape_counts(Context& ctx, const Array& re, const Array& im, const EscapeParams& p);
// The counts of the points of a complex array (complex64 computes in float32,
// complex128 in float64): an int32 array of z's shape.
Array escape_counts(Context& ctx, const Array& z, const EscapeParams& p);

// A width x height grid: x_j = xmin + j*(xmax - xmin)/width for j in
// [0, width), y_i = ymax + i*(ymin - ymax)/height for i in [0, height), so
// that row 0 is the top of a picture (ymax) and the right and bottom edges
// are left out, as in High Performance Python's grid. With accumulate, the
// coordinates are running sums (x += step), exactly as the book's loops
// build them.
struct Grid {
  std::int64_t width = 0, height = 0;
  double xmin = 0, xmax = 0, ymin = 0, ymax = 0;
  bool accumulate = false;
};
// The grid's x coordinates (width of them) and y coordinates (height).
void grid_axes(const Grid& g, double* xs, double* ys);
// Counts over the grid: an int32 array of shape (height, width).
Array escape_counts(Context& ctx, const Grid& g, const EscapeParams& p);

}  // namespace tessera::fractal
