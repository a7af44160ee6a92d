// ts.kernels.julia and ts.kernels.mandelbrot: escape-time counts (the
// numeric part is runtime/fractal/escape.hpp).
#include <cmath>
#include <complex>

#include "../fractal/escape.hpp"
#include "binding.hpp"
#include "registry.hpp"
#include "subtable.hpp"

namespace tessera::lua {
namespace {

// A complex constant at idx: a number (real), a table {re, im} or a complex
// scalar (ts.complex).
void check_complex(lua_State* L, int idx, const char* fname, const char* what, double& re,
                   double& im) {
  if (const std::complex<double>* z = to_complex(L, idx)) {
    re = z->real();
    im = z->imag();
    return;
  }
  if (lua_type(L, idx) == LUA_TNUMBER) {
    re = lua_tonumber(L, idx);
    im = 0;
    return;
  }
  if (lua_type(L, idx) == LUA_TTABLE) {
    lua_rawgeti(L, idx, 1);
    lua_rawgeti(L, idx, 2);
    const bool ok =
        lua_type(L, -2) == LUA_TNUMBER && lua_type(L, -1) == LUA_TNUMBER && lua_rawlen(L, idx) == 2;
    re = lua_tonumber(L, -2);
    im = lua_tonumber(L, -1);
    lua_pop(L, 2);
    if (ok) return;
  }
  raise(L, fname, "expected %s as a number, a complex or a table {re, im} of two numbers, got %s",
        what, lua_type(L, idx) == LUA_TTABLE ? "another table" : luaL_typename(L, idx));
}

std::int64_t check_maxiter(lua_State* L, int idx, const char* fname) {
  if (lua_isnoneornil(L, idx)) raise(L, fname, "expected maxiter (an integer), got nothing");
  const std::int64_t n = check_integer(L, idx, fname, "maxiter");
  if (n < 0 || n > fractal::kMaxIter)
    raise(L, fname, "maxiter must be in [0, %lld], got %lld",
          static_cast<long long>(fractal::kMaxIter), static_cast<long long>(n));
  return n;
}

double number_field(lua_State* L, int spec, const char* key, const char* fname) {
  if (lua_getfield(L, spec, key) != LUA_TNUMBER)
    raise(L, fname, "expected a number for grid field '%s', got %s", key, luaL_typename(L, -1));
  const double v = lua_tonumber(L, -1);
  if (!std::isfinite(v)) raise(L, fname, "grid field '%s' must be finite, got %f", key, v);
  lua_pop(L, 1);
  return v;
}

std::int64_t extent_field(lua_State* L, int spec, const char* key, const char* fname,
                          const char* fallback) {
  if (lua_getfield(L, spec, key) == LUA_TNIL && fallback) {
    lua_pop(L, 1);
    lua_getfield(L, spec, fallback);
  }
  if (!lua_isinteger(L, -1))
    raise(L, fname, "expected an integer for grid field '%s', got %s", key,
          lua_type(L, -1) == LUA_TNUMBER ? "a non-integer number" : luaL_typename(L, -1));
  const std::int64_t v = lua_tointeger(L, -1);
  if (v < 0)
    raise(L, fname, "grid field '%s' must not be negative, got %lld", key,
          static_cast<long long>(v));
  lua_pop(L, 1);
  return v;
}

// {width =, height =, xmin =, xmax =, ymin =, ymax =, maxiter = [, accumulate =]} at idx.
// maxiter is read when the pointer is given.
fractal::Grid check_grid(lua_State* L, int idx, const char* fname, std::int64_t* maxiter) {
  if (lua_type(L, idx) != LUA_TTABLE)
    raise(L, fname, "expected a grid table {width =, height =, xmin =, ...}, got %s",
          luaL_typename(L, idx));
  fractal::Grid g;
  g.width = extent_field(L, idx, "width", fname, nullptr);
  g.height = extent_field(L, idx, "height", fname, "width");
  g.xmin = number_field(L, idx, "xmin", fname);
  g.xmax = number_field(L, idx, "xmax", fname);
  g.ymin = number_field(L, idx, "ymin", fname);
  g.ymax = number_field(L, idx, "ymax", fname);
  if (maxiter) {
    lua_getfield(L, idx, "maxiter");
    *maxiter = check_maxiter(L, lua_gettop(L), fname);
    lua_pop(L, 1);
  }
  g.accumulate = lua_getfield(L, idx, "accumulate") != LUA_TNIL && lua_toboolean(L, -1);
  lua_pop(L, 1);
  return g;
}

// Every form: (re, im, <constant>, maxiter), (z, <constant>, maxiter) or
// (<constant>, grid) for Julia; (re, im, maxiter [, z0]), (c, maxiter [, z0])
// or (grid [, z0]) for Mandelbrot.
int escape(lua_State* L, kernels::EscapeMode mode, const char* fname) {
  const bool julia = mode == kernels::EscapeMode::Julia;
  kernels::EscapeParams p;
  p.mode = mode;
  const char* constant = julia ? "c" : "z0";
  if (Array* points = test_array(L, 1, fname)) {
    Array* im = test_array(L, 2, fname);  // null: points is a complex array
    int next = im ? 3 : 2;
    if (julia) check_complex(L, next++, fname, constant, p.k_re, p.k_im);
    p.maxiter = check_maxiter(L, next++, fname);
    if (!julia && !lua_isnoneornil(L, next))
      check_complex(L, next, fname, constant, p.k_re, p.k_im);
    return push_new_array(L, fname, [&] {
      return im ? fractal::escape_counts(context(L), *points, *im, p)
                : fractal::escape_counts(context(L), *points, p);
    });
  }
  const int grid_at = julia ? 2 : 1;
  if (julia) check_complex(L, 1, fname, constant, p.k_re, p.k_im);
  const fractal::Grid g = check_grid(L, grid_at, fname, &p.maxiter);
  if (!julia && !lua_isnoneornil(L, 2)) check_complex(L, 2, fname, constant, p.k_re, p.k_im);
  return push_new_array(L, fname, [&] { return fractal::escape_counts(context(L), g, p); });
}

int l_julia(lua_State* L) { return escape(L, kernels::EscapeMode::Julia, "kernels.julia"); }
int l_mandelbrot(lua_State* L) {
  return escape(L, kernels::EscapeMode::Mandelbrot, "kernels.mandelbrot");
}

int l_grid(lua_State* L) {
  lua_settop(L, 1);
  const fractal::Grid g = check_grid(L, 1, "kernels.grid", nullptr);
  Array* xs = push_array_slot(L);
  Array* ys = push_array_slot(L);
  return guarded(L, "kernels.grid", [&] {
    *xs = Array::empty(DType::Float64, Dims{g.width}, context(L).account);
    *ys = Array::empty(DType::Float64, Dims{g.height}, context(L).account);
    fractal::grid_axes(g, xs->data_as<double>(), ys->data_as<double>());
    return 2;
  });
}

const Entry entries[] = {
    {"julia", l_julia, kFunction,
     "ts.kernels.julia(re, im, c, maxiter) | ts.kernels.julia(z, c, maxiter) | "
     "ts.kernels.julia(c, {width =, height =, xmin =, xmax =, ymin =, ymax =, maxiter = [, "
     "accumulate = true]})",
     "Escape-time counts of the Julia set of z -> z*z + c: for each point z0 = re + i*im (real "
     "arrays of any dtypes and layouts, broadcast together, e.g. xs:reshape(1, w) and "
     "ys:reshape(h, 1)) the number of steps taken while |z| < 2 (tested as re^2 + im^2 < 4), at "
     "most maxiter, as an int32 array of the broadcast shape; or the points of a complex array z "
     "(complex64 computes in float32). c is a number, a complex or {re, im}. "
     "Arithmetic as Python's complex z*z + c, no FMA, so counts equal High Performance Python's "
     "(its 1000 x 1000 grid at c = {-0.62772, -0.42193}, 300 steps, sums to 33219980). "
     "float32 when both arrays are float32, else float64. The grid form takes row 1 at ymax "
     "(see ts.kernels.grid). Vectorized over points, rows spread dynamically over the "
     "threads; the result does not depend on the thread count."},
    {"mandelbrot", l_mandelbrot, kFunction,
     "ts.kernels.mandelbrot(re, im, maxiter [, z0]) | ts.kernels.mandelbrot(c, maxiter [, z0]) "
     "| ts.kernels.mandelbrot({width =, height =, xmin =, xmax =, ymin =, ymax =, maxiter = [, "
     "accumulate = true]} [, z0])",
     "Escape-time counts of the Mandelbrot set: like ts.kernels.julia, but c = re + i*im is the "
     "point (re + i*im, or the complex array c) and z starts at z0 (a number, a complex or {re, "
     "im}; default 0). A point in the set counts "
     "maxiter; c = 2 counts 1 (z1 = 2 already fails |z| < 2)."},
    {"grid", l_grid, kFunction,
     "ts.kernels.grid{width =, height =, xmin =, xmax =, ymin =, ymax = [, accumulate = true]}",
     "The coordinates of the julia/mandelbrot grid form, xs (width) and ys (height) as float64 "
     "arrays: xs[j] = xmin + (j-1)*(xmax - xmin)/width, ys[i] = ymax + (i-1)*(ymin - "
     "ymax)/height (right and bottom edges left out; ys descend, so row 1 is the top of a "
     "picture). height defaults to width. With accumulate the coordinates are running sums "
     "(x = x + step), as High Performance Python's while loops build them."},
};

void setup(lua_State* L, const Tables& t) {
  int k = module_subtable(L, t, "kernels");
  install_entries(L, t, k, entries, "kernels.");
  lua_pop(L, 1);
}

const bool registered = (register_part(Part{"fractal", 88, nullptr, 0, setup}), true);

}  // namespace
}  // namespace tessera::lua
