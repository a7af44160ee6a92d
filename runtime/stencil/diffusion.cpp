// The Laplacian and diffusion steps: rows are walked with pointer arithmetic
// (any row stride, even negative; columns must be contiguous, or the grid is
// copied first), each row by the SIMD row kernel, row bands in parallel.
// Every output cell is a fixed expression of the input, so the result does
// not depend on the bands or the thread count.
#include <cstring>
#include <string>

#include "../../kernels/stencil.hpp"
#include "../errors.hpp"
#include "../ops/elementwise.hpp"
#include "stencil.hpp"

namespace tessera::stencil {

using kernels::StencilKind;

namespace {

// A grid's rows: row i starts at data + i * row_bytes, columns contiguous.
struct Plane {
  char* data;
  std::ptrdiff_t row_bytes;
  char* row(std::int64_t i) const { return data + i * row_bytes; }
};

Plane plane_of(const Array& a) {
  return {static_cast<char*>(a.data()), a.stride(0) * static_cast<std::ptrdiff_t>(a.itemsize())};
}

bool columns_contiguous(const Array& a) { return a.dim(1) <= 1 || a.stride(1) == 1; }

// Rows per parallel piece: about 32K cells, so that TBB's overhead stays
// small beside the work of a piece.
std::int64_t row_grain(std::int64_t cols) {
  const std::int64_t g = (std::int64_t{1} << 15) / (cols > 0 ? cols : 1);
  return g > 0 ? g : 1;
}

// One sweep of the stencil over all rows: out = f(in).
void sweep(Context& ctx, StencilKind kind, DType t, Plane in, Plane out, std::int64_t rows,
           std::int64_t cols, double k, Boundary b) {
  const kernels::StencilRowFn fn =
      kernels::stencil_simd().row[static_cast<int>(kind)][kernels::stencil_float_index(t)];
  const bool wrap = b == Boundary::Periodic;
  const std::size_t row_bytes = static_cast<std::size_t>(cols) * dtype_size(t);
  auto body = [&](std::int64_t r0, std::int64_t r1) {
    for (std::int64_t i = r0; i < r1; ++i) {
      if (!wrap && (i == 0 || i == rows - 1)) {  // fixed border rows
        if (kind == StencilKind::Step) std::memcpy(out.row(i), in.row(i), row_bytes);
        else std::memset(out.row(i), 0, row_bytes);
        continue;
      }
      const char* up = in.row(i == 0 ? rows - 1 : i - 1);
      const char* down = in.row(i + 1 == rows ? 0 : i + 1);
      fn(up, in.row(i), down, out.row(i), cols, k, wrap);
    }
  };
  ctx.parallel.for_range(rows, row_grain(cols), body);
}

// grid with contiguous columns (grid itself when it has them).
Array column_contiguous(Context& ctx, const Array& grid) {
  return columns_contiguous(grid) ? grid : ops::copy(ctx, grid);
}

void check_out(const Array& grid, const Array& out) {
  if (out.shape() != grid.shape() || out.dtype() != grid.dtype())
    throw Error("expected out of shape " + format_shape(grid.shape()) + " and dtype " +
                dtype_name(grid.dtype()) + ", got shape " + format_shape(out.shape()) +
                " and dtype " + dtype_name(out.dtype()));
}

// Runs one sweep from grid into out, through a temporary when out cannot be
// written directly (shares memory with grid, or strided columns).
void sweep_into(Context& ctx, StencilKind kind, const Array& grid, const Array& out, double k,
                Boundary b) {
  check_grid(grid, "grid");
  check_out(grid, out);
  if (grid.size() == 0) return;
  const Array in = column_contiguous(ctx, grid);
  const bool direct = columns_contiguous(out) && !out.shares_storage(in);
  const Array dst = direct ? out : Array::empty(grid.dtype(), grid.shape(), ctx.account);
  sweep(ctx, kind, grid.dtype(), plane_of(in), plane_of(dst), grid.dim(0), grid.dim(1), k, b);
  if (!direct) ops::copy_into(out, dst);
}

// ---- temporal blocking --------------------------------------------------------
//
// diffuse runs `depth` steps per sweep over the grid. Each thread advances a
// band of rows [b0, b1) by depth steps, reading the source rows
// [b0 - depth, b1 + depth) once and writing only the last step's rows: main
// memory sees one read and one write per `depth` steps instead of per step.
// The steps in between live in small rings, kRing rows per level, because the
// levels advance together as a wavefront: at wave p, level L (1..depth)
// computes row p - (L - 1), in increasing L. Its inputs, rows g-1..g+1 of
// level L-1, are then done (row g+1 in this very wave), and the ring slot it
// overwrites (row g - kRing of level L) has been read by every row of level
// L+1 that needs it. The rows a level computes shrink by one on each side per
// level, so the band's halo is computed twice (by the neighbouring band too).
// Every cell is the same expression of the same inputs as in step-by-step
// sweeps, so the bits are the same.

constexpr int kRing = 4;
constexpr int kMaxDepth = 8;
constexpr std::int64_t kRingBudget = std::int64_t{1} << 20;  // bytes of rings per thread

struct BandPlan {
  std::int64_t band_rows;
  int depth;
};

BandPlan plan_bands(std::int64_t rows, std::int64_t cols, std::size_t item, std::int64_t steps,
                    int threads) {
  const std::int64_t row_bytes = cols * static_cast<std::int64_t>(item);
  int depth = kMaxDepth;
  while (depth > 1 && (depth - 1) * kRing * row_bytes > kRingBudget) depth /= 2;
  if (steps < depth) depth = static_cast<int>(steps);
  if (depth <= 1) return {rows, 1};
  const std::int64_t bands = threads < rows ? threads : rows;  // one band per thread
  return {(rows + bands - 1) / bands, depth};
}

struct Band {
  kernels::StencilRowFn fn;
  Plane src, dst;
  std::int64_t rows, cols;
  std::size_t row_bytes;
  double k;
  bool wrap;
};

// Advances rows [b0, b1) by depth steps from band.src into band.dst, with
// (depth - 1) rings of kRing rows at scratch.
void band_steps(const Band& band, std::int64_t b0, std::int64_t b1, int depth, char* scratch) {
  const std::size_t ring_bytes = kRing * band.row_bytes;
  auto row_at = [&](int level, std::int64_t g) -> char* {
    if (level == 0) {
      if (band.wrap) g = ((g % band.rows) + band.rows) % band.rows;
      return band.src.row(g);
    }
    if (level == depth) return band.dst.row(g);
    const std::int64_t slot = ((g % kRing) + kRing) % kRing;
    return scratch + (level - 1) * ring_bytes + static_cast<std::size_t>(slot) * band.row_bytes;
  };
  // Rows [lo, hi) of a level.
  auto range = [&](int level, std::int64_t& lo, std::int64_t& hi) {
    lo = b0 - (depth - level);
    hi = b1 + (depth - level);
    if (!band.wrap) {
      if (lo < 0) lo = 0;
      if (hi > band.rows) hi = band.rows;
    }
  };
  std::int64_t first, last, lo, hi;
  range(1, first, hi);
  range(depth, lo, last);
  last += depth - 1;  // the wave in which the last level computes its last row
  for (std::int64_t p = first; p < last; ++p) {
    for (int level = 1; level <= depth; ++level) {
      const std::int64_t g = p - (level - 1);
      range(level, lo, hi);
      if (g < lo || g >= hi) continue;
      char* out = row_at(level, g);
      if (!band.wrap && (g == 0 || g == band.rows - 1)) {  // fixed border rows
        std::memcpy(out, row_at(level - 1, g), band.row_bytes);
        continue;
      }
      band.fn(row_at(level - 1, g - 1), row_at(level - 1, g), row_at(level - 1, g + 1), out,
              band.cols, band.k, band.wrap);
    }
  }
}

// Scratch for blocked_sweep: one slot of rings per thread, allocated (and
// accounted) once per diffuse call.
struct Scratch {
  Array memory;
  std::int64_t slots = 0, slot_bytes = 0;
};

Scratch make_scratch(Context& ctx, std::int64_t rows, std::int64_t cols, std::size_t item,
                     const BandPlan& plan) {
  Scratch s;
  if (plan.depth <= 1) return s;
  s.slots = (rows + plan.band_rows - 1) / plan.band_rows;
  s.slot_bytes = (plan.depth - 1) * kRing * cols * static_cast<std::int64_t>(item);
  s.memory = Array::empty(DType::UInt8, Dims{s.slots * s.slot_bytes}, ctx.account);
  return s;
}

void blocked_sweep(Context& ctx, DType t, Plane in, Plane out, std::int64_t rows, std::int64_t cols,
                   double k, Boundary b, std::int64_t band_rows, int depth,
                   const Scratch& scratch) {
  if (depth <= 1) {
    sweep(ctx, StencilKind::Step, t, in, out, rows, cols, k, b);
    return;
  }
  const Band band{kernels::stencil_simd()
                      .row[static_cast<int>(StencilKind::Step)][kernels::stencil_float_index(t)],
                  in,
                  out,
                  rows,
                  cols,
                  static_cast<std::size_t>(cols) * dtype_size(t),
                  k,
                  b == Boundary::Periodic};
  ctx.parallel.for_range(scratch.slots, 1, [&](std::int64_t i0, std::int64_t i1) {
    for (std::int64_t i = i0; i < i1; ++i) {
      const std::int64_t b0 = i * band_rows;
      const std::int64_t b1 = b0 + band_rows < rows ? b0 + band_rows : rows;
      band_steps(band, b0, b1, depth,
                 static_cast<char*>(scratch.memory.data()) + i * scratch.slot_bytes);
    }
  });
}

}  // namespace

void check_grid(const Array& a, const char* what) {
  if (a.ndim() != 2)
    throw Error(std::string("expected a 2-d ") + what + ", got " + std::to_string(a.ndim()) +
                " dimensions");
  if (!is_float(a.dtype()))
    throw Error(std::string("expected a float32 or float64 ") + what + ", got " +
                dtype_name(a.dtype()));
}

void laplacian(Context& ctx, const Array& grid, const Array& out, Boundary b) {
  sweep_into(ctx, StencilKind::Laplacian, grid, out, 0.0, b);
}

void diffuse_step(Context& ctx, const Array& grid, const Array& out, double D, double dt,
                  Boundary b) {
  sweep_into(ctx, StencilKind::Step, grid, out, D * dt, b);
}

Array diffuse(Context& ctx, const Array& grid, std::int64_t steps, double D, double dt, Boundary b,
              const Array* out) {
  check_grid(grid, "grid");
  if (steps < 0) throw Error("expected a number of steps >= 0, got " + std::to_string(steps));
  if (out) check_out(grid, *out);
  const Array result = out ? *out : Array::empty(grid.dtype(), grid.shape(), ctx.account);
  if (grid.size() == 0) return result;
  if (steps == 0) {
    ops::copy_into(result, grid);
    return result;
  }
  const Array src = column_contiguous(ctx, grid);
  const std::int64_t rows = grid.dim(0), cols = grid.dim(1);
  const BandPlan plan =
      plan_bands(rows, cols, dtype_size(grid.dtype()), steps, ctx.parallel.threads());
  const std::int64_t sweeps = (steps + plan.depth - 1) / plan.depth;
  const Scratch scratch = make_scratch(ctx, rows, cols, dtype_size(grid.dtype()), plan);
  // Sweep s of n writes `last` when n - s is even and `other` otherwise, so
  // that the last sweep lands in `last`; neither may be the source.
  const bool direct = columns_contiguous(result) && !result.shares_storage(src);
  const Array last = direct ? result : Array::empty(grid.dtype(), grid.shape(), ctx.account);
  const Array other = sweeps >= 2 ? Array::empty(grid.dtype(), grid.shape(), ctx.account) : Array();
  const double k = D * dt;
  Plane cur = plane_of(src);
  std::int64_t done = 0;
  for (std::int64_t s = 1; s <= sweeps; ++s) {
    const Plane dst = plane_of((sweeps - s) % 2 == 0 ? last : other);
    const int depth = static_cast<int>(steps - done < plan.depth ? steps - done : plan.depth);
    blocked_sweep(ctx, grid.dtype(), cur, dst, rows, cols, k, b, plan.band_rows, depth, scratch);
    done += depth;
    cur = dst;
  }
  if (!direct) ops::copy_into(result, last);
  return result;
}

}  // namespace tessera::stencil
