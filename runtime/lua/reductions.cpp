// Reductions (sum, prod, mean, var, std, min, max, argmin, argmax, any, all),
// scans (cumsum, cumprod) and products (dot, matmul, norm). Axes are 1-based
// and negative from the end; argmin and argmax return 1-based indices.
#include <cstring>

#include "../ops/reduce.hpp"
#include "binding.hpp"
#include "registry.hpp"

namespace tessera::lua {
namespace {

using ops::ReduceArgs;
using ops::ReduceOp;
using ops::ScanOp;

// Options a function accepts besides `axis`.
enum Allow : unsigned { kKeepdims = 1, kDdof = 2, kDtype = 4 };

bool known_option(const char* key, unsigned allow) {
  return std::strcmp(key, "axis") == 0 ||
         ((allow & kKeepdims) && std::strcmp(key, "keepdims") == 0) ||
         ((allow & kDdof) && std::strcmp(key, "ddof") == 0) ||
         ((allow & kDtype) && std::strcmp(key, "dtype") == 0);
}

void check_option_names(lua_State* L, int idx, const char* fname, unsigned allow) {
  lua_pushnil(L);
  while (lua_next(L, idx) != 0) {
    lua_pop(L, 1);
    if (lua_type(L, -1) != LUA_TSTRING)
      raise(L, fname, "expected option names as keys, got a %s key", luaL_typename(L, -1));
    const char* key = lua_tostring(L, -1);
    if (!known_option(key, allow)) raise(L, fname, "unknown option '%s'", key);
  }
}

// Reads the options table at idx ({axis=, keepdims=, ddof=, dtype=}) into args.
void check_options(lua_State* L, int idx, const Array& a, const char* fname, unsigned allow,
                   ReduceArgs& args) {
  check_option_names(L, idx, fname, allow);
  if (lua_getfield(L, idx, "axis") != LUA_TNIL) {
    if (args.axis) raise(L, fname, "axis given twice");
    args.axis = check_axis(L, lua_gettop(L), a.ndim(), fname);
  }
  if (lua_getfield(L, idx, "keepdims") != LUA_TNIL) {
    if (!lua_isboolean(L, -1))
      raise(L, fname, "expected a boolean for keepdims, got %s", luaL_typename(L, -1));
    args.keepdims = lua_toboolean(L, -1);
  }
  if (lua_getfield(L, idx, "ddof") != LUA_TNIL)
    args.ddof = check_integer(L, lua_gettop(L), fname, "ddof");
  if (lua_getfield(L, idx, "dtype") != LUA_TNIL)
    args.dtype = check_dtype(L, lua_gettop(L), fname, a.dtype());
  lua_pop(L, 4);
}

// (a [, axis] [, options]) or (a, options).
ReduceArgs check_reduce_args(lua_State* L, const Array& a, const char* fname, unsigned allow) {
  ReduceArgs args;
  int type = lua_type(L, 2);
  if (type == LUA_TNUMBER) {
    args.axis = check_axis(L, 2, a.ndim(), fname);
  } else if (type == LUA_TTABLE) {
    check_options(L, 2, a, fname, allow, args);
    if (!lua_isnoneornil(L, 3))
      raise(L, fname, "unexpected argument 3 (%s) after an options table", luaL_typename(L, 3));
    return args;
  } else if (type != LUA_TNIL && type != LUA_TNONE) {
    raise(L, fname, "expected an axis or an options table at argument 2, got %s",
          luaL_typename(L, 2));
  }
  if (lua_type(L, 3) == LUA_TTABLE) check_options(L, 3, a, fname, allow, args);
  else if (!lua_isnoneornil(L, 3))
    raise(L, fname, "expected an options table at argument 3, got %s", luaL_typename(L, 3));
  return args;
}

void push_scalar(lua_State* L, const Scalar& v) {
  if (v.kind == ScalarKind::Bool) lua_pushboolean(L, v.i != 0);
  else if (v.kind == ScalarKind::Integer) lua_pushinteger(L, v.i);
  else if (v.kind == ScalarKind::Complex) push_complex(L, v.f, v.im);
  else lua_pushnumber(L, v.f);
}

// Pushes compute()'s result: a Lua value when `scalar` (a 0-d result), else
// a new array.
template <class Compute>
int push_result(lua_State* L, const char* fname, bool scalar, Compute&& compute) {
  if (scalar) {
    Scalar v;
    guarded(L, fname, [&] {
      v = ops::scalar_of(compute());
      return 0;
    });
    push_scalar(L, v);
    return 1;
  }
  return push_new_array(L, fname, compute);
}

template <ReduceOp Op, unsigned Allow>
int l_reduce(lua_State* L) {
  const char* fname = kernels::reduce_name(Op);
  Array& a = check_array(L, 1, fname);
  ReduceArgs args = check_reduce_args(L, a, fname, Allow);
  args.base = 1;  // Lua indices
  bool scalar = !args.axis && !args.keepdims;
  return push_result(L, fname, scalar, [&] { return ops::reduce(context(L), Op, a, args); });
}

template <ScanOp Op>
int l_scan(lua_State* L) {
  const char* fname = kernels::scan_name(Op);
  Array& a = check_array(L, 1, fname);
  ReduceArgs args = check_reduce_args(L, a, fname, kDtype);
  return push_result(L, fname, false,
                     [&] { return ops::scan(context(L), Op, a, args.axis, args.dtype); });
}

int l_dot(lua_State* L) {
  Array& a = check_array(L, 1, "dot");
  Array& b = check_array(L, 2, "dot");
  bool scalar = a.ndim() == b.ndim() && a.ndim() <= 1;
  return push_result(L, "dot", scalar, [&] { return ops::dot(context(L), a, b); });
}

int l_matmul(lua_State* L) {
  Array& a = check_array(L, 1, "matmul");
  Array& b = check_array(L, 2, "matmul");
  if (a.ndim() == 0 || b.ndim() == 0)
    raise(L, "matmul", "expected arrays of at least 1 dimension, got a 0-d array at argument %d",
          a.ndim() == 0 ? 1 : 2);
  bool scalar = a.ndim() == 1 && b.ndim() == 1;
  return push_result(L, "matmul", scalar, [&] { return ops::matmul(context(L), a, b); });
}

int l_norm(lua_State* L) {
  Array& a = check_array(L, 1, "norm");
  bool has_ord = false;
  double ord = 0;
  if (lua_type(L, 2) == LUA_TNUMBER) {
    has_ord = true;
    ord = lua_tonumber(L, 2);
  } else if (lua_type(L, 2) == LUA_TSTRING) {
    if (std::strcmp(lua_tostring(L, 2), "fro") != 0)
      raise(L, "norm", "expected a number or 'fro' for ord, got '%s'", lua_tostring(L, 2));
  } else if (!lua_isnoneornil(L, 2)) {
    raise(L, "norm", "expected a number or 'fro' for ord, got %s", luaL_typename(L, 2));
  }
  double result = 0;
  guarded(L, "norm", [&] {
    result = has_ord ? ops::norm(context(L), a, ord) : ops::norm(context(L), a);
    return 0;
  });
  lua_pushnumber(L, result);
  return 1;
}

constexpr unsigned kSumOpts = kKeepdims | kDtype;
constexpr unsigned kVarOpts = kKeepdims | kDdof | kDtype;

#define TS_AXIS_DOC                                                                        \
  " Without an axis, reduces over all elements and returns a Lua value; with an axis "     \
  "(1-based, negative from the end) returns an array without that axis, or with extent 1 " \
  "when keepdims is true."
// clang-format off
#define TS_REDUCE(name, op, allow, sig, doc) \
  {name, l_reduce<ReduceOp::op, allow>, kBoth, "ts." name sig, doc TS_AXIS_DOC}
// clang-format on

const Entry entries[] = {
    TS_REDUCE("sum", Sum, kSumOpts, "(a [, axis] [, {axis=, keepdims=, dtype=}])",
              "Sum of the elements. bool and integers give int64 (wrapping on overflow); floats "
              "keep their dtype but are added in float64 by pairwise summation. An empty sum "
              "is 0. Complex values: the real and imaginary parts summed pairwise as floats. Also "
              "takes the axis and options as one table: a:sum{axis=2, keepdims=true}."),
    TS_REDUCE("prod", Prod, kSumOpts, "(a [, axis] [, {axis=, keepdims=, dtype=}])",
              "Product of the elements; dtypes as sum (floats multiplied in float64; complex "
              "values one multiplication at a time, in order). An empty product is 1."),
    TS_REDUCE("mean", Mean, kSumOpts, "(a [, axis] [, {axis=, keepdims=, dtype=}])",
              "Arithmetic mean (pairwise sum in float64). float32 gives float32, complex keeps its "
              "dtype, other dtypes float64. The mean of nothing is NaN."),
    TS_REDUCE("var", Var, kVarOpts, "(a [, axis] [, {axis=, keepdims=, ddof=, dtype=}])",
              "Variance, sum((x - mean)^2) / (n - ddof), by a two-pass algorithm; ddof "
              "defaults to 0 (use 1 for the sample variance). Dtypes as mean."),
    TS_REDUCE("std", Std, kVarOpts, "(a [, axis] [, {axis=, keepdims=, ddof=, dtype=}])",
              "Standard deviation: the square root of var with the same options."),
    TS_REDUCE("min", Min, kKeepdims, "(a [, axis] [, {axis=, keepdims=}])",
              "Smallest element, in a's dtype. NaN propagates. Raises an error for an empty "
              "array."),
    TS_REDUCE("max", Max, kKeepdims, "(a [, axis] [, {axis=, keepdims=}])",
              "Largest element, in a's dtype. NaN propagates. Raises an error for an empty "
              "array."),
    TS_REDUCE("argmin", ArgMin, kKeepdims, "(a [, axis] [, {axis=, keepdims=}])",
              "1-based index of the first smallest element (the first NaN if any): the "
              "row-major flat index over all elements, or an int64 array of indices along an "
              "axis."),
    TS_REDUCE("argmax", ArgMax, kKeepdims, "(a [, axis] [, {axis=, keepdims=}])",
              "1-based index of the first largest element (the first NaN if any): the "
              "row-major flat index over all elements, or an int64 array of indices along an "
              "axis."),
    TS_REDUCE("any", Any, kKeepdims, "(a [, axis] [, {axis=, keepdims=}])",
              "True when some element is nonzero (NaN counts as nonzero); false for an empty "
              "array."),
    TS_REDUCE("all", All, kKeepdims, "(a [, axis] [, {axis=, keepdims=}])",
              "True when every element is nonzero; true for an empty array."),
    {"cumsum", l_scan<ScanOp::CumSum>, kBoth, "ts.cumsum(a [, axis] [, {axis=, dtype=}])",
     "Running sums along axis, or over the elements in row-major order as a 1-d array when "
     "no axis is given. Dtypes as sum (floats accumulate in float64)."},
    {"cumprod", l_scan<ScanOp::CumProd>, kBoth, "ts.cumprod(a [, axis] [, {axis=, dtype=}])",
     "Running products along axis, or over the flattened array when no axis is given. Dtypes "
     "as prod."},
    {"dot", l_dot, kBoth, "ts.dot(a, b)",
     "Dot product: a Lua value for two 1-d arrays; the matrix product for 2-d arrays; in "
     "general sums over a's last axis and b's second-to-last (its only axis when 1-d). 0-d "
     "operands multiply element-wise. Dtype promote(a, b)."},
    {"matmul", l_matmul, kBoth, "ts.matmul(a, b)",
     "Matrix product with NumPy's rules: a 1-d operand is a row (a) or column (b) vector whose "
     "added dimension is dropped from the result (two 1-d arrays give a Lua value), and "
     "leading dimensions are batches that broadcast. Dtype promote(a, b); bool is logical."},
    {"norm", l_norm, kBoth, "ts.norm(a [, ord])",
     "Norm as a Lua number, computed in float64. Without ord (or 'fro'): the 2-norm of all "
     "elements (Frobenius for matrices), safe from overflow. For 1-d arrays ord may be 1, 2, "
     "math.huge (largest |x|) or -math.huge (smallest |x|); for 2-d arrays 1 (largest column "
     "sum of |x|) or math.huge (largest row sum)."},
};

const AutoPart part("reductions", 40, entries);

}  // namespace
}  // namespace tessera::lua
