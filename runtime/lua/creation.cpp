// Array creation: ts.array, zeros, ones, full, empty, arange, linspace, eye
// and the *_like forms.
#include <cmath>
#include <cstdint>

#include "../ops/elementwise.hpp"
#include "binding.hpp"
#include "registry.hpp"

namespace tessera::lua {
namespace {

// ---- ts.array(nested table [, dtype]) -------------------------------------

struct NestedInfo {
  Dims shape;
  ScalarKind kind = ScalarKind::Bool;
  bool any_value = false;
  int leaf_depth = -1;  // depth of the tables holding numbers, once one was seen
};

// NumPy's inference: bool < integer < float (np.array([True, 2]) is int64).
void join_kind(NestedInfo& info, ScalarKind k) {
  if (!info.any_value || static_cast<int>(k) > static_cast<int>(info.kind)) info.kind = k;
  info.any_value = true;
}

// Walks the table at idx (depth d), checking it is rectangular and that its
// leaves are numbers or booleans.
void scan(lua_State* L, int idx, int depth, NestedInfo& info) {
  luaL_checkstack(L, 8, "nested table");  // one slot per level, and room to raise
  lua_Integer n = static_cast<lua_Integer>(lua_rawlen(L, idx));
  if (depth == info.shape.n) {
    if (depth >= kMaxDims) raise(L, "array", "nested tables deeper than %d", kMaxDims);
    if (info.leaf_depth >= 0 && depth > info.leaf_depth)
      raise(L, "array", "ragged nested table: a table where a number was expected at depth %d",
            depth + 1);
    info.shape.push(n);
  } else if (info.shape[depth] != n) {
    raise(L, "array", "ragged nested table: expected %lld elements at depth %d, got %lld",
          static_cast<long long>(info.shape[depth]), depth + 1, static_cast<long long>(n));
  }
  for (lua_Integer i = 1; i <= n; ++i) {
    int t = lua_rawgeti(L, idx, i);
    if (t == LUA_TTABLE) {
      if (info.leaf_depth >= 0 && depth + 1 > info.leaf_depth)
        raise(L, "array", "ragged nested table: a table where a number was expected at depth %d",
              depth + 2);
      scan(L, lua_gettop(L), depth + 1, info);
    } else if (t == LUA_TNUMBER || t == LUA_TBOOLEAN || to_complex(L, -1)) {
      if (depth + 1 != info.shape.n)
        raise(L, "array", "ragged nested table: a number where a table was expected at depth %d",
              depth + 2);
      info.leaf_depth = depth;
      join_kind(info, t == LUA_TBOOLEAN      ? ScalarKind::Bool
                      : t == LUA_TUSERDATA   ? ScalarKind::Complex
                      : lua_isinteger(L, -1) ? ScalarKind::Integer
                                             : ScalarKind::Float);
    } else {
      raise(L, "array", "expected numbers, booleans or complex values in nested table, got %s",
            luaL_typename(L, -1));
    }
    lua_pop(L, 1);
  }
}

// Copies the (already checked) leaves into dst in row-major order.
void fill_from(lua_State* L, int idx, int depth, const Array& dst, char*& out) {
  luaL_checkstack(L, 8, "nested table");
  lua_Integer n = static_cast<lua_Integer>(lua_rawlen(L, idx));
  for (lua_Integer i = 1; i <= n; ++i) {
    lua_rawgeti(L, idx, i);
    if (depth + 1 < dst.ndim()) {
      fill_from(L, lua_gettop(L), depth + 1, dst, out);
    } else {
      Scalar v = to_scalar(L, -1);
      check_fits(L, v, dst.dtype(), "array");
      v.store(dst.dtype(), out);
      out += dst.itemsize();
    }
    lua_pop(L, 1);
  }
}

int l_array(lua_State* L) {
  if (Array* src = to_array(L, 1)) {
    check_array(L, 1, "array");
    DType t = check_dtype(L, 2, "array", src->dtype());
    return push_new_array(L, "array", [&] { return ops::astype(context(L), *src, t); });
  }
  if (is_scalar_value(L, 1)) {
    Scalar s = to_scalar(L, 1);
    DType t = check_dtype(L, 2, "array", default_dtype(s.kind));
    check_fits(L, s, t, "array");
    return push_new_array(L, "array", [&] {
      Array r = Array::empty(t, Dims(), context(L).account);
      s.store(t, r.data());
      return r;
    });
  }
  if (lua_type(L, 1) != LUA_TTABLE)
    raise(L, "array", "expected a table, number or array at argument 1, got %s",
          luaL_typename(L, 1));
  NestedInfo info;
  lua_settop(L, 2);
  scan(L, 1, 0, info);
  DType t = check_dtype(L, 2, "array", info.any_value ? default_dtype(info.kind) : DType::Float64);
  Array* slot = push_array_slot(L);
  guarded(L, "array", [&] {
    *slot = Array::empty(t, info.shape, context(L).account);
    return 0;
  });
  char* out = static_cast<char*>(slot->data());
  if (slot->size() > 0) fill_from(L, 1, 0, *slot, out);
  return 1;
}

// ---- shapes and fills -------------------------------------------------------

// Shape from argument 1 (table or numbers); dtype is the first string after it.
int dtype_arg_after_shape(lua_State* L) {
  if (lua_type(L, 1) == LUA_TTABLE) return 2;
  int i = 1;
  while (lua_type(L, i) == LUA_TNUMBER) ++i;
  return i;
}

int make_filled(lua_State* L, const char* fname, bool zero, const Scalar* value, bool init) {
  Dims shape = check_shape(L, 1, fname);
  DType fallback = value ? default_dtype(value->kind) : DType::Float64;
  DType t = check_dtype(L, dtype_arg_after_shape(L) + (value ? 1 : 0), fname, fallback);
  Scalar v = value ? *value : Scalar::integer(zero ? 0 : 1);
  return push_new_array(L, fname, [&] {
    if (zero) return Array::zeros(t, shape, context(L).account);
    Array r = Array::empty(t, shape, context(L).account);
    if (init) ops::fill(r, v);
    return r;
  });
}

int l_zeros(lua_State* L) { return make_filled(L, "zeros", true, nullptr, true); }
int l_ones(lua_State* L) { return make_filled(L, "ones", false, nullptr, true); }
int l_empty(lua_State* L) { return make_filled(L, "empty", false, nullptr, false); }

int l_full(lua_State* L) {
  if (lua_type(L, 1) != LUA_TTABLE && lua_type(L, 1) != LUA_TNUMBER)
    raise(L, "full", "expected a shape table at argument 1, got %s", luaL_typename(L, 1));
  int vidx = dtype_arg_after_shape(L);
  if (lua_type(L, 1) == LUA_TNUMBER) vidx = 2;  // ts.full(n, value)
  if (!is_scalar_value(L, vidx))
    raise(L, "full", "expected a fill value at argument %d, got %s", vidx, luaL_typename(L, vidx));
  Scalar v = to_scalar(L, vidx);
  Dims shape;
  if (lua_type(L, 1) == LUA_TTABLE) shape = check_shape(L, 1, "full");
  else shape.push(check_integer(L, 1, "full", "dimension"));
  if (shape.n == 1 && shape[0] < 0)
    raise(L, "full", "negative dimension %lld", static_cast<long long>(shape[0]));
  DType t = check_dtype(L, vidx + 1, "full", default_dtype(v.kind));
  check_fits(L, v, t, "full");
  return push_new_array(L, "full", [&] {
    Array r = Array::empty(t, shape, context(L).account);
    ops::fill(r, v);
    return r;
  });
}

int make_like(lua_State* L, const char* fname, int kind) {  // 0 zeros, 1 ones, 2 full
  Array& a = check_array(L, 1, fname);
  int didx = kind == 2 ? 3 : 2;
  Scalar v = Scalar::integer(kind == 1 ? 1 : 0);
  if (kind == 2) {
    if (!is_scalar_value(L, 2))
      raise(L, fname, "expected a fill value at argument 2, got %s", luaL_typename(L, 2));
    v = to_scalar(L, 2);
  }
  DType t = check_dtype(L, didx, fname, a.dtype());
  check_fits(L, v, t, fname);
  return push_new_array(L, fname, [&] {
    Array r = Array::empty(t, a.shape(), context(L).account);
    ops::fill(r, v);
    return r;
  });
}

int l_zeros_like(lua_State* L) { return make_like(L, "zeros_like", 0); }
int l_ones_like(lua_State* L) { return make_like(L, "ones_like", 1); }
int l_full_like(lua_State* L) { return make_like(L, "full_like", 2); }

// ---- ranges -------------------------------------------------------------------

double number_arg(lua_State* L, int idx, const char* fname, const char* what) {
  if (lua_type(L, idx) != LUA_TNUMBER)
    raise(L, fname, "expected a number for %s, got %s", what, luaL_typename(L, idx));
  return lua_tonumber(L, idx);
}

// ts.arange(n) is 1..n; ts.arange(first, last [, step]) is Lua's numeric for
// as an array: first, first+step, ... while not past last (inclusive).
int l_arange(lua_State* L) {
  int nargs = 0;
  while (nargs < 3 && lua_type(L, nargs + 1) == LUA_TNUMBER) ++nargs;
  if (nargs == 0)
    raise(L, "arange", "expected numbers (last) or (first, last [, step]), got %s",
          luaL_typename(L, 1));
  bool ints = true;
  for (int i = 1; i <= nargs; ++i) ints = ints && lua_isinteger(L, i);
  double first = nargs == 1 ? 1 : number_arg(L, 1, "arange", "first");
  double last = number_arg(L, nargs == 1 ? 1 : 2, "arange", "last");
  double step = nargs == 3 ? number_arg(L, 3, "arange", "step") : 1;
  if (step == 0) raise(L, "arange", "step must not be zero");
  if (!std::isfinite(first) || !std::isfinite(last) || !std::isfinite(step))
    raise(L, "arange", "bounds and step must be finite");
  DType t = check_dtype(L, nargs + 1, "arange", ints ? DType::Int64 : DType::Float64);
  std::int64_t count = 0;
  // Integer bounds stay integers (a double would round above 2^53); the span
  // is computed in unsigned arithmetic, which cannot overflow.
  std::int64_t ifirst = 1, istep = 1;
  if (ints) {
    lua_Integer l = lua_tointeger(L, nargs == 1 ? 1 : 2);
    if (nargs > 1) ifirst = lua_tointeger(L, 1);
    if (nargs == 3) istep = lua_tointeger(L, 3);
    if (istep > 0 ? ifirst <= l : ifirst >= l) {
      std::uint64_t span = istep > 0 ? std::uint64_t(l) - std::uint64_t(ifirst)
                                     : std::uint64_t(ifirst) - std::uint64_t(l);
      std::uint64_t mag = istep > 0 ? std::uint64_t(istep) : 0 - std::uint64_t(istep);
      std::uint64_t n = span / mag;
      if (n >= std::uint64_t(INT64_MAX)) raise(L, "arange", "too many elements");
      count = static_cast<std::int64_t>(n) + 1;
    }
  } else {
    double span = (last - first) / step;
    if (span >= 0) {
      if (span > 1e15) raise(L, "arange", "too many elements");
      count = static_cast<std::int64_t>(std::floor(span));
      while (step > 0 ? first + (count + 1) * step <= last : first + (count + 1) * step >= last)
        ++count;
      while (count >= 0 && (step > 0 ? first + count * step > last : first + count * step < last))
        --count;
      count += 1;
    }
  }
  return push_new_array(L, "arange", [&] {
    Dims shape{count};
    if (ints) {
      Array ri = Array::empty(DType::Int64, shape, context(L).account);
      std::int64_t* p = ri.data_as<std::int64_t>();
      for (std::int64_t i = 0; i < count; ++i)
        p[i] = static_cast<std::int64_t>(std::uint64_t(ifirst) +
                                         std::uint64_t(i) * std::uint64_t(istep));
      return t == DType::Int64 ? ri : ops::astype(context(L), ri, t);
    }
    Array r = Array::empty(DType::Float64, shape, context(L).account);
    double* p = r.data_as<double>();
    for (std::int64_t i = 0; i < count; ++i) p[i] = first + static_cast<double>(i) * step;
    return t == DType::Float64 ? r : ops::astype(context(L), r, t);
  });
}

int l_linspace(lua_State* L) {
  double first = number_arg(L, 1, "linspace", "start");
  double last = number_arg(L, 2, "linspace", "stop");
  std::int64_t num = lua_isnoneornil(L, 3) ? 50 : check_integer(L, 3, "linspace", "count");
  if (num < 0)
    raise(L, "linspace", "number of samples must be non-negative, got %lld",
          static_cast<long long>(num));
  DType t = check_dtype(L, 4, "linspace", DType::Float64);
  return push_new_array(L, "linspace", [&] {
    Array r = Array::empty(DType::Float64, Dims{num}, context(L).account);
    double* p = r.data_as<double>();
    double step = num > 1 ? (last - first) / static_cast<double>(num - 1) : 0;
    for (std::int64_t i = 0; i < num; ++i) p[i] = first + static_cast<double>(i) * step;
    if (num > 1) p[num - 1] = last;
    return t == DType::Float64 ? r : ops::astype(context(L), r, t);
  });
}

int l_eye(lua_State* L) {
  std::int64_t n = check_integer(L, 1, "eye", "size");
  std::int64_t m = lua_type(L, 2) == LUA_TNUMBER ? check_integer(L, 2, "eye", "size") : n;
  if (n < 0 || m < 0)
    raise(L, "eye", "negative dimension %lld", static_cast<long long>(n < 0 ? n : m));
  DType t = check_dtype(L, lua_type(L, 2) == LUA_TNUMBER ? 3 : 2, "eye", DType::Float64);
  return push_new_array(L, "eye", [&] {
    Array r = Array::zeros(t, Dims{n, m}, context(L).account);
    Scalar one = Scalar::integer(1);
    std::int64_t k = n < m ? n : m;
    for (std::int64_t i = 0; i < k; ++i) {
      std::int64_t idx[2] = {i, i};
      one.store(t, r.element_ptr(idx));
    }
    return r;
  });
}

const Entry entries[] = {
    {"array", l_array, kFunction, "ts.array(values [, dtype])",
     "A new array from a nested table of numbers, booleans or complex values (rectangular), a "
     "number (0-d), or another array (copied). dtype defaults to int64 for Lua integers, float64 "
     "when any value is a float, complex128 when any is complex (ts.complex), bool for "
     "booleans."},
    {"zeros", l_zeros, kFunction, "ts.zeros(shape [, dtype])",
     "A new array of zeros. shape is a table {3, 4} or dimensions 3, 4; dtype defaults to "
     "float64."},
    {"ones", l_ones, kFunction, "ts.ones(shape [, dtype])",
     "A new array of ones (float64 by default)."},
    {"empty", l_empty, kFunction, "ts.empty(shape [, dtype])",
     "A new array whose values are not initialised."},
    {"full", l_full, kFunction, "ts.full(shape, value [, dtype])",
     "A new array filled with value; dtype follows the value (int64 for integers, float64 for "
     "floats, complex128 for complex values, bool for booleans) unless given."},
    {"zeros_like", l_zeros_like, kFunction, "ts.zeros_like(a [, dtype])",
     "Zeros with a's shape and dtype."},
    {"ones_like", l_ones_like, kFunction, "ts.ones_like(a [, dtype])",
     "Ones with a's shape and dtype."},
    {"full_like", l_full_like, kFunction, "ts.full_like(a, value [, dtype])",
     "value repeated in a's shape, with a's dtype."},
    {"arange", l_arange, kFunction, "ts.arange(last) | ts.arange(first, last [, step] [, dtype])",
     "Lua's numeric for as an array: first, first+step, ... up to and including last. "
     "arange(n) is 1..n. int64 when all arguments are integers, else float64."},
    {"linspace", l_linspace, kFunction, "ts.linspace(start, stop [, num=50] [, dtype])",
     "num evenly spaced values from start to stop, both included."},
    {"eye", l_eye, kFunction, "ts.eye(n [, m] [, dtype])",
     "An n-by-m (default n-by-n) array with ones on the diagonal and zeros elsewhere."},
};

const AutoPart part("creation", 10, entries);

}  // namespace
}  // namespace tessera::lua
