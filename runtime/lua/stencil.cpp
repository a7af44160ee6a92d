// Stencils: ts.kernels.laplacian, diffuse_step and diffuse (the numeric part
// is runtime/stencil/), ts.roll, ts.convolve, ts.correlate, ts.convolve2d and
// ts.correlate2d.
#include <cstring>

#include "../stencil/stencil.hpp"
#include "binding.hpp"
#include "registry.hpp"
#include "subtable.hpp"

namespace tessera::lua {
namespace {

using stencil::Boundary;
using stencil::ConvMode;
using stencil::Pad;

double check_number(lua_State* L, int idx, const char* fname, const char* what) {
  if (lua_type(L, idx) != LUA_TNUMBER)
    raise(L, fname, "expected a number for %s at argument %d, got %s", what, idx,
          luaL_typename(L, idx));
  return lua_tonumber(L, idx);
}

// Options at idx: nothing, an out array, or a table {out = a, boundary = ...}.
struct GridOptions {
  Array* out = nullptr;
  Boundary boundary = Boundary::Periodic;
};

GridOptions check_grid_options(lua_State* L, int idx, const char* fname) {
  GridOptions o;
  if (!lua_isnoneornil(L, idx) && lua_type(L, idx) != LUA_TTABLE && !to_array(L, idx))
    raise(L, fname,
          "expected an options table {out = a, boundary = 'periodic'|'fixed'} at "
          "argument %d, got %s",
          idx, luaL_typename(L, idx));
  o.out = opt_out(L, idx, fname);
  if (lua_type(L, idx) == LUA_TTABLE) {
    if (lua_getfield(L, idx, "boundary") != LUA_TNIL) {
      const char* b = lua_tostring(L, -1);
      if (lua_type(L, -1) == LUA_TSTRING && std::strcmp(b, "periodic") == 0)
        o.boundary = Boundary::Periodic;
      else if (lua_type(L, -1) == LUA_TSTRING && std::strcmp(b, "fixed") == 0)
        o.boundary = Boundary::Fixed;
      else
        raise(L, fname, "expected boundary 'periodic' or 'fixed', got %s",
              lua_type(L, -1) == LUA_TSTRING ? b : luaL_typename(L, -1));
    }
    lua_pop(L, 1);
  }
  return o;
}

// Pushes the Lua value of the out array given at idx (array or {out = a}).
void push_out_value(lua_State* L, int idx) {
  if (lua_type(L, idx) == LUA_TTABLE) lua_getfield(L, idx, "out");
  else lua_pushvalue(L, idx);
}

// Pushes the result: out's own Lua value when given, else a new array from
// compute(nullptr). compute runs inside guarded().
template <class Compute>
int result_or_out(lua_State* L, const char* fname, Array* out, int out_idx, Compute&& compute) {
  if (out) {
    push_out_value(L, out_idx);
    return guarded(L, fname, [&] {
      compute(out);
      return 1;
    });
  }
  return push_new_array(L, fname, [&] { return compute(nullptr); });
}

void check_grid_arg(lua_State* L, const Array& a, const char* fname) {
  if (a.ndim() != 2)
    raise(L, fname, "expected a 2-d grid at argument 1, got %d dimensions", a.ndim());
  if (!is_float(a.dtype()))
    raise(L, fname, "expected a float32 or float64 grid at argument 1, got %s",
          dtype_name(a.dtype()));
}

int l_laplacian(lua_State* L) {
  const char* fname = "kernels.laplacian";
  Array& grid = check_array(L, 1, fname);
  check_grid_arg(L, grid, fname);
  GridOptions o = check_grid_options(L, 2, fname);
  return result_or_out(L, fname, o.out, 2, [&](Array* out) {
    Context& ctx = context(L);
    const Array r = out ? *out : Array::empty(grid.dtype(), grid.shape(), ctx.account);
    stencil::laplacian(ctx, grid, r, o.boundary);
    return r;
  });
}

int l_diffuse_step(lua_State* L) {
  const char* fname = "kernels.diffuse_step";
  Array& grid = check_array(L, 1, fname);
  check_grid_arg(L, grid, fname);
  const double D = check_number(L, 2, fname, "D");
  const double dt = check_number(L, 3, fname, "dt");
  GridOptions o = check_grid_options(L, 4, fname);
  return result_or_out(L, fname, o.out, 4, [&](Array* out) {
    Context& ctx = context(L);
    const Array r = out ? *out : Array::empty(grid.dtype(), grid.shape(), ctx.account);
    stencil::diffuse_step(ctx, grid, r, D, dt, o.boundary);
    return r;
  });
}

int l_diffuse(lua_State* L) {
  const char* fname = "kernels.diffuse";
  Array& grid = check_array(L, 1, fname);
  check_grid_arg(L, grid, fname);
  const std::int64_t steps = check_integer(L, 2, fname, "steps");
  if (steps < 0) raise(L, fname, "expected steps >= 0, got %lld", static_cast<long long>(steps));
  const double D = check_number(L, 3, fname, "D");
  const double dt = check_number(L, 4, fname, "dt");
  GridOptions o = check_grid_options(L, 5, fname);
  return result_or_out(L, fname, o.out, 5, [&](Array* out) {
    return stencil::diffuse(context(L), grid, steps, D, dt, o.boundary, out);
  });
}

// ---- ts.roll -------------------------------------------------------------------

// A list of integers at idx into v (at most kMaxDims); returns the count.
int check_int_list(lua_State* L, int idx, const char* fname, const char* what, std::int64_t* v) {
  const lua_Unsigned n = lua_rawlen(L, idx);
  if (n == 0 || n > static_cast<lua_Unsigned>(kMaxDims))
    raise(L, fname, "expected 1 to %d %s, got %d", kMaxDims, what, static_cast<int>(n));
  for (lua_Unsigned i = 0; i < n; ++i) {
    lua_rawgeti(L, idx, static_cast<lua_Integer>(i + 1));
    if (!lua_isinteger(L, -1))
      raise(L, fname, "expected integer %s, got %s at position %d", what, luaL_typename(L, -1),
            static_cast<int>(i + 1));
    v[i] = lua_tointeger(L, -1);
    lua_pop(L, 1);
  }
  return static_cast<int>(n);
}

// A table that lists values (has [1]), as opposed to an options table.
bool is_list(lua_State* L, int idx) {
  if (lua_type(L, idx) != LUA_TTABLE) return false;
  const bool list = lua_rawgeti(L, idx, 1) != LUA_TNIL;
  lua_pop(L, 1);
  return list;
}

int l_roll(lua_State* L) {
  const char* fname = "roll";
  Array& a = check_array(L, 1, fname);
  std::int64_t shifts[kMaxDims], axes64[kMaxDims];
  int axes[kMaxDims];
  int nshift = 1, naxes = 0;
  if (lua_isinteger(L, 2)) shifts[0] = lua_tointeger(L, 2);
  else if (is_list(L, 2)) nshift = check_int_list(L, 2, fname, "shifts", shifts);
  else
    raise(L, fname, "expected an integer shift or a list of shifts at argument 2, got %s",
          luaL_typename(L, 2));
  int opt_idx = 3;
  if (lua_isinteger(L, 3)) {
    axes64[0] = lua_tointeger(L, 3);
    naxes = 1;
    opt_idx = 4;
  } else if (is_list(L, 3)) {
    naxes = check_int_list(L, 3, fname, "axes", axes64);
    opt_idx = 4;
  } else if (!lua_isnoneornil(L, 3) && lua_type(L, 3) != LUA_TTABLE) {
    raise(L, fname, "expected an integer axis, a list of axes or {out = a} at argument 3, got %s",
          luaL_typename(L, 3));
  } else if (lua_isnil(L, 3) && !lua_isnone(L, 4)) {
    opt_idx = 4;  // roll(a, shift, nil, {out = b})
  }
  if (naxes == 0 && nshift != 1)
    raise(L, fname, "a list of %d shifts needs a list of as many axes", nshift);
  if (naxes > 0 && nshift != naxes && nshift != 1)
    raise(L, fname, "expected as many shifts as axes, got %d shifts and %d axes", nshift, naxes);
  for (int i = 0; i < naxes; ++i) {
    const std::int64_t ax = axes64[i];
    const std::int64_t z = ax < 0 ? a.ndim() + ax : ax - 1;
    if (ax == 0 || z < 0 || z >= a.ndim())
      raise(L, fname, "axis %lld out of range for %d-d array", static_cast<long long>(ax),
            a.ndim());
    axes[i] = static_cast<int>(z);
    if (nshift == 1) shifts[i] = shifts[0];
  }
  if (!lua_isnoneornil(L, opt_idx) && lua_type(L, opt_idx) != LUA_TTABLE)
    raise(L, fname, "expected an options table {out = a} at argument %d, got %s", opt_idx,
          luaL_typename(L, opt_idx));
  Array* out = opt_out(L, opt_idx, fname);
  return result_or_out(L, fname, out, opt_idx, [&](Array* o) {
    Context& ctx = context(L);
    if (naxes == 0) return stencil::roll_flat(ctx, a, shifts[0], o);
    return stencil::roll(ctx, a, shifts, axes, naxes, o);
  });
}

// ---- convolution and correlation ---------------------------------------------

ConvMode check_mode(lua_State* L, int idx, const char* fname, ConvMode fallback) {
  if (lua_isnoneornil(L, idx)) return fallback;
  const char* m = lua_type(L, idx) == LUA_TSTRING ? lua_tostring(L, idx) : nullptr;
  if (m && std::strcmp(m, "full") == 0) return ConvMode::Full;
  if (m && std::strcmp(m, "same") == 0) return ConvMode::Same;
  if (m && std::strcmp(m, "valid") == 0) return ConvMode::Valid;
  raise(L, fname, "expected mode 'full', 'same' or 'valid' at argument %d, got %s", idx,
        m ? m : luaL_typename(L, idx));
}

Pad check_pad(lua_State* L, int idx, const char* fname) {
  if (lua_isnoneornil(L, idx)) return Pad::Fill;
  const char* b = lua_type(L, idx) == LUA_TSTRING ? lua_tostring(L, idx) : nullptr;
  if (b && std::strcmp(b, "fill") == 0) return Pad::Fill;
  if (b && std::strcmp(b, "wrap") == 0) return Pad::Wrap;
  if (b && std::strcmp(b, "symm") == 0) return Pad::Symm;
  raise(L, fname, "expected boundary 'fill', 'wrap' or 'symm' at argument %d, got %s", idx,
        b ? b : luaL_typename(L, idx));
}

int correlate_call(lua_State* L, const char* fname, bool convolve) {
  Array& a = check_array(L, 1, fname);
  Array& v = check_array(L, 2, fname);
  const ConvMode mode = check_mode(L, 3, fname, convolve ? ConvMode::Full : ConvMode::Valid);
  return push_new_array(L, fname,
                        [&] { return stencil::correlate(context(L), a, v, mode, convolve); });
}

int l_convolve(lua_State* L) { return correlate_call(L, "convolve", true); }
int l_correlate(lua_State* L) { return correlate_call(L, "correlate", false); }

int correlate2d_call(lua_State* L, const char* fname, bool convolve) {
  Array& in = check_array(L, 1, fname);
  Array& k = check_array(L, 2, fname);
  const ConvMode mode = check_mode(L, 3, fname, ConvMode::Full);
  const Pad pad = check_pad(L, 4, fname);
  const double fill = lua_isnoneornil(L, 5) ? 0.0 : check_number(L, 5, fname, "fillvalue");
  return push_new_array(
      L, fname, [&] { return stencil::correlate2d(context(L), in, k, mode, pad, fill, convolve); });
}

int l_convolve2d(lua_State* L) { return correlate2d_call(L, "convolve2d", true); }
int l_correlate2d(lua_State* L) { return correlate2d_call(L, "correlate2d", false); }

const Entry kernel_entries[] = {
    {"laplacian", l_laplacian, kFunction,
     "ts.kernels.laplacian(grid [, {out = a, boundary = 'periodic'|'fixed'}])",
     "The 5-point Laplacian of a 2-d float32/float64 grid: up + down + left + right - 4*grid, "
     "evaluated as ((((-4*grid + up) + down) + left) + right) like the in-place NumPy roll-add "
     "version. boundary 'periodic' (default) wraps like np.roll; 'fixed' makes the border "
     "cells Dirichlet cells whose Laplacian is 0. Writes into out (grid's shape and dtype) "
     "when given and returns it."},
    {"diffuse_step", l_diffuse_step, kFunction,
     "ts.kernels.diffuse_step(grid, D, dt [, out | {out = a, boundary = 'periodic'|'fixed'}])",
     "One explicit diffusion step: laplacian(grid)*(D*dt) + grid (NumPy's `out *= D*dt; "
     "out += grid`), fused into one pass. With 'fixed' boundaries the border cells keep their "
     "values. out may be grid itself (a temporary is used then)."},
    {"diffuse", l_diffuse, kFunction,
     "ts.kernels.diffuse(grid, steps, D, dt [, {boundary = 'periodic'|'fixed', out = a}])",
     "steps diffusion steps in native code, bit for bit the same as steps calls of "
     "diffuse_step: two grid buffers swapped, no allocation per step, cache-blocked (each pass "
     "over memory advances 8 steps through row rings in L2), one band of rows per thread, the "
     "same bits at any thread count. Returns the final grid: out when given (it may be grid "
     "itself), else a new array; grid is left unchanged otherwise."},
};

const Entry entries[] = {
    {"roll", l_roll, kBoth, "ts.roll(a, shift [, axis] [, {out = b}])",
     "np.roll: elements shifted by shift along axis (1-based, negative from the end), those "
     "that leave one end coming back at the other; shift may be negative or larger than the "
     "axis. Without axis the flattened array rolls and the shape is kept. A list of shifts "
     "with a list of axes rolls along each (repeated axes add up; one shift applies to every "
     "listed axis). Any dtype. With out (a's shape and dtype, not sharing a's memory) nothing "
     "is allocated."},
    {"convolve", l_convolve, kFunction, "ts.convolve(a, v [, mode])",
     "np.convolve of two non-empty 1-d arrays: mode 'full' (default, length n+m-1), 'same' "
     "(length max(n, m)) or 'valid' (length max(n, m) - min(n, m) + 1). Computed in the "
     "promotion of their dtypes (integers stay integers and wrap like NumPy's; bool is OR of "
     "ANDs); sums run over the kernel's taps in order."},
    {"correlate", l_correlate, kFunction, "ts.correlate(a, v [, mode])",
     "np.correlate of two non-empty 1-d arrays: c[k] = sum_n a[n+k]*v[n], mode 'valid' "
     "(default), 'same' or 'full', NumPy's output positions (also when v is longer than a). "
     "dtypes as for ts.convolve."},
    {"convolve2d", l_convolve2d, kFunction,
     "ts.convolve2d(a, k [, mode [, boundary [, fillvalue]]])",
     "scipy.signal.convolve2d of 2-d arrays (k is meant to be small): mode 'full' (default), "
     "'same' (a's shape, centred as SciPy centres it) or 'valid' (k must fit inside a); "
     "boundary 'fill' (default; fillvalue, default 0), 'wrap' (periodic) or 'symm' (mirrored, "
     "edge repeated). Computed in the promotion of the two dtypes."},
    {"correlate2d", l_correlate2d, kFunction,
     "ts.correlate2d(a, k [, mode [, boundary [, fillvalue]]])",
     "scipy.signal.correlate2d: out[i, j] = sum_pq a[i+p, j+q]*k[p, q] over the padded a; "
     "modes and boundaries as for ts.convolve2d ('same' starts at k's shape // 2 of the full "
     "correlation, as SciPy's does)."},
};

void setup(lua_State* L, const Tables& t) {
  int kernels = module_subtable(L, t, "kernels");
  install_entries(L, t, kernels, kernel_entries, "kernels.");
  lua_pop(L, 1);
}

const AutoPart part("stencil", 60, entries, setup);

}  // namespace
}  // namespace tessera::lua
