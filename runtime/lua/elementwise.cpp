// Element-wise operations: operators (+ - * / % ^ // unary minus, & | ~ << >>),
// their named functions and methods, comparisons, math functions, where,
// clip, and the in-place methods (name ends in `_`: writes into self).
#include "../ops/elementwise.hpp"
#include "binding.hpp"
#include "registry.hpp"

namespace tessera::lua {
namespace {

using ops::BinaryOp;
using ops::Operand;
using ops::UnaryOp;

// Argument idx as an operand: an array (checked open) or a number/boolean.
Operand check_operand(lua_State* L, int idx, const char* fname) {
  if (Array* a = test_array(L, idx, fname)) return Operand(*a);
  if (!is_scalar_value(L, idx))
    raise(L, fname, "expected an array or a number at argument %d, got %s", idx,
          luaL_typename(L, idx));
  return Operand(to_scalar(L, idx));
}

// Pushes the Lua value of the `out` argument at idx (array or {out = a}).
void push_out_value(lua_State* L, int idx) {
  if (lua_type(L, idx) == LUA_TTABLE) lua_getfield(L, idx, "out");
  else lua_pushvalue(L, idx);
}

// Common tail: result into a new slot, into out, or as a Lua scalar when no
// operand was an array.
template <class Compute>
int finish_call(lua_State* L, const char* fname, Array* out, int out_idx, bool scalar_result,
                Compute&& compute) {
  if (out) {
    push_out_value(L, out_idx);
    return guarded(L, fname, [&] {
      compute(out);
      return 1;
    });
  }
  Array* slot = push_array_slot(L);
  guarded(L, fname, [&] {
    *slot = compute(nullptr);
    return 1;
  });
  if (scalar_result) push_element(L, slot->dtype(), slot->data());
  return 1;
}

int binary_call(lua_State* L, BinaryOp op, bool inplace) {
  const char* fname = kernels::binary_name(op);
  Operand a = check_operand(L, 1, fname);
  Operand b = check_operand(L, 2, fname);
  Array* out = nullptr;
  int out_idx = 3;
  if (inplace) {
    if (!a.array) raise(L, fname, "expected an array at argument 1 for in-place operation");
    out = const_cast<Array*>(a.array);
    out_idx = 1;
  } else {
    out = opt_out(L, 3, fname);
  }
  bool scalars = !a.array && !b.array;
  return finish_call(L, fname, out, out_idx, scalars,
                     [&](Array* o) { return ops::binary(context(L), op, a, b, o); });
}

int unary_call(lua_State* L, UnaryOp op, bool inplace) {
  const char* fname = kernels::unary_name(op);
  Operand a = check_operand(L, 1, fname);
  Array* out = inplace ? const_cast<Array*>(a.array) : opt_out(L, 2, fname);
  if (inplace && !out) raise(L, fname, "expected an array at argument 1 for in-place operation");
  return finish_call(L, fname, out, inplace ? 1 : 2, !a.array, [&](Array* o) {
    if (a.array) return ops::unary(context(L), op, *a.array, o);
    Array zero_d = Array::empty(default_dtype(a.scalar.kind), Dims(), context(L).account);
    ops::fill(zero_d, a.scalar);
    return ops::unary(context(L), op, zero_d, o);
  });
}

// clang-format off
template <BinaryOp Op>
int l_binary(lua_State* L) { return binary_call(L, Op, false); }
template <BinaryOp Op>
int l_binary_inplace(lua_State* L) { return binary_call(L, Op, true); }
template <UnaryOp Op>
int l_unary(lua_State* L) { return unary_call(L, Op, false); }
// Lua calls __unm and __bnot with the operand twice; only the first counts.
template <UnaryOp Op>
int l_unary_meta(lua_State* L) {
  lua_settop(L, 1);
  return unary_call(L, Op, false);
}
template <UnaryOp Op>
int l_unary_inplace(lua_State* L) { return unary_call(L, Op, true); }
// clang-format on

int l_where(lua_State* L) {
  Array& cond = check_array(L, 1, "where");
  Operand a = check_operand(L, 2, "where");
  Operand b = check_operand(L, 3, "where");
  Array* out = opt_out(L, 4, "where");
  return finish_call(L, "where", out, 4, false,
                     [&](Array* o) { return ops::where(context(L), cond, a, b, o); });
}

int l_clip(lua_State* L) {
  Array& a = check_array(L, 1, "clip");
  bool has_lo = !lua_isnil(L, 2), has_hi = !lua_isnil(L, 3);
  Operand lo = has_lo ? check_operand(L, 2, "clip") : Operand(Scalar());
  Operand hi = has_hi ? check_operand(L, 3, "clip") : Operand(Scalar());
  Array* out = opt_out(L, 4, "clip");
  return finish_call(L, "clip", out, 4, false, [&](Array* o) {
    Context& ctx = context(L);
    if (has_lo && has_hi) return ops::clip(ctx, a, lo, hi, o);
    if (has_lo) return ops::binary(ctx, BinaryOp::Maximum, Operand(a), lo, o);
    if (has_hi) return ops::binary(ctx, BinaryOp::Minimum, Operand(a), hi, o);
    return o ? (ops::copy_into(*o, a), *o) : ops::copy(ctx, a);
  });
}

int l_fill_(lua_State* L) {
  Array& a = check_array(L, 1, "fill_");
  if (!is_scalar_value(L, 2))
    raise(L, "fill_", "expected a number, boolean or complex value at argument 2, got %s",
          luaL_typename(L, 2));
  Scalar v = to_scalar(L, 2);
  check_fits(L, v, a.dtype(), "fill_");
  return return_self(L, "fill_", [&] { ops::fill(a, v); });
}

int l_copy_(lua_State* L) {
  Array& a = check_array(L, 1, "copy_");
  Array& src = check_array(L, 2, "copy_");
  return return_self(L, "copy_", [&] { ops::copy_into(a, src); });
}

// clang-format off
#define TS_BIN(fn, method, op, sig, doc)                                             \
  {fn, l_binary<BinaryOp::op>, kFunction, "ts." fn sig, doc},                        \
      {method, l_binary<BinaryOp::op>, kMethod, "a:" method sig, doc}
#define TS_BIN_INPLACE(method, op)                                                   \
  {method "_", l_binary_inplace<BinaryOp::op>, kMethod, "a:" method "_(b)",          \
   "In-place form of a:" method "(b): writes the result into a and returns a."}
#define TS_UN(name, op, doc)                                                         \
  {name, l_unary<UnaryOp::op>, kBoth, "ts." name "(a [, out])", doc},                \
      {name "_", l_unary_inplace<UnaryOp::op>, kMethod, "a:" name "_()",             \
       "In-place form of " name ": writes into a and returns a."}
// clang-format on

const char* const kPromote =
    " Broadcasts like NumPy and promotes dtypes by NumPy's rules (Lua numbers are weak "
    "scalars). Takes an optional out array.";

const Entry entries[] = {
    {"__add", l_binary<BinaryOp::Add>, kMeta, "a + b", ""},
    {"__sub", l_binary<BinaryOp::Sub>, kMeta, "a - b", ""},
    {"__mul", l_binary<BinaryOp::Mul>, kMeta, "a * b", ""},
    {"__div", l_binary<BinaryOp::Div>, kMeta, "a / b", ""},
    {"__idiv", l_binary<BinaryOp::FloorDiv>, kMeta, "a // b", ""},
    {"__mod", l_binary<BinaryOp::Mod>, kMeta, "a % b", ""},
    {"__pow", l_binary<BinaryOp::Pow>, kMeta, "a ^ b", ""},
    {"__unm", l_unary_meta<UnaryOp::Neg>, kMeta, "-a", ""},
    {"__band", l_binary<BinaryOp::BitAnd>, kMeta, "a & b", ""},
    {"__bor", l_binary<BinaryOp::BitOr>, kMeta, "a | b", ""},
    {"__bxor", l_binary<BinaryOp::BitXor>, kMeta, "a ~ b", ""},
    {"__shl", l_binary<BinaryOp::Shl>, kMeta, "a << b", ""},
    {"__shr", l_binary<BinaryOp::Shr>, kMeta, "a >> b", ""},
    {"__bnot", l_unary_meta<UnaryOp::Invert>, kMeta, "~a", ""},
    TS_BIN("add", "add", Add, "(a, b [, out])", "Element-wise a + b (bool: logical or)."),
    TS_BIN("subtract", "sub", Sub, "(a, b [, out])", "Element-wise a - b."),
    TS_BIN("multiply", "mul", Mul, "(a, b [, out])", "Element-wise a * b (bool: logical and)."),
    TS_BIN("divide", "div", Div, "(a, b [, out])",
           "True division a / b; integer inputs give float64."),
    TS_BIN("floor_divide", "idiv", FloorDiv, "(a, b [, out])",
           "Floor division a // b. Integer division by zero gives 0."),
    TS_BIN("mod", "mod", Mod, "(a, b [, out])",
           "Remainder with the sign of the divisor (Lua's and NumPy's %). Integer modulo by zero "
           "gives 0."),
    TS_BIN("power", "pow", Pow, "(a, b [, out])",
           "a ^ b. Integers stay integers; a negative integer exponent gives 0 unless |a| is 1. "
           "Complex: NumPy's power (integer exponents below 100 by repeated multiplication, "
           "otherwise C's cpow; 0 ^ b is 0 for real b > 0, NaN otherwise)."),
    TS_BIN("minimum", "minimum", Minimum, "(a, b [, out])",
           "Element-wise minimum; NaN propagates."),
    TS_BIN("maximum", "maximum", Maximum, "(a, b [, out])",
           "Element-wise maximum; NaN propagates."),
    TS_BIN("arctan2", "arctan2", Atan2, "(y, x [, out])",
           "Element-wise angle of the point (x, y), in radians."),
    TS_BIN("eq", "eq", Eq, "(a, b [, out])", "Element-wise a == b as a bool array."),
    TS_BIN("ne", "ne", Ne, "(a, b [, out])", "Element-wise a ~= b as a bool array."),
    TS_BIN("lt", "lt", Lt, "(a, b [, out])", "Element-wise a < b as a bool array."),
    TS_BIN("le", "le", Le, "(a, b [, out])", "Element-wise a <= b as a bool array."),
    TS_BIN("gt", "gt", Gt, "(a, b [, out])", "Element-wise a > b as a bool array."),
    TS_BIN("ge", "ge", Ge, "(a, b [, out])", "Element-wise a >= b as a bool array."),
    TS_BIN("bitwise_and", "bitwise_and", BitAnd, "(a, b [, out])",
           "Bitwise and of integer arrays, logical and of bool arrays (operator &)."),
    TS_BIN("bitwise_or", "bitwise_or", BitOr, "(a, b [, out])",
           "Bitwise or of integer arrays, logical or of bool arrays (operator |)."),
    TS_BIN("bitwise_xor", "bitwise_xor", BitXor, "(a, b [, out])",
           "Bitwise xor of integer arrays, logical xor of bool arrays (operator ~)."),
    TS_BIN("left_shift", "left_shift", Shl, "(a, b [, out])",
           "a << b for integers; shifting by the width or more gives 0."),
    TS_BIN("right_shift", "right_shift", Shr, "(a, b [, out])",
           "a >> b for integers (arithmetic for signed types)."),
    TS_BIN_INPLACE("add", Add),
    TS_BIN_INPLACE("sub", Sub),
    TS_BIN_INPLACE("mul", Mul),
    TS_BIN_INPLACE("div", Div),
    TS_BIN_INPLACE("idiv", FloorDiv),
    TS_BIN_INPLACE("mod", Mod),
    TS_BIN_INPLACE("pow", Pow),
    TS_BIN_INPLACE("minimum", Minimum),
    TS_BIN_INPLACE("maximum", Maximum),
    TS_UN("negative", Neg, "Element-wise -a."),
    TS_UN("abs", Abs,
          "Element-wise absolute value; for complex values the modulus (hypot of the parts), a "
          "float32 or float64 result."),
    TS_UN("sign", Sign, "-1, 0 or 1 by the sign of each element (NaN stays NaN)."),
    TS_UN("sqrt", Sqrt,
          "Element-wise square root; integers give float64 (uint8, bool: float32). Complex "
          "values: the principal root (C's csqrt, branch cut along the negative reals)."),
    TS_UN("exp", Exp, "Element-wise e^x (complex values too)."),
    TS_UN("log", Log,
          "Element-wise natural logarithm. Complex values: the principal value (C's clog), "
          "imaginary part in [-pi, pi]."),
    TS_UN("log2", Log2, "Element-wise base-2 logarithm."),
    TS_UN("log10", Log10, "Element-wise base-10 logarithm."),
    TS_UN("sin", Sin, "Element-wise sine (radians)."),
    TS_UN("cos", Cos, "Element-wise cosine (radians)."),
    TS_UN("tan", Tan, "Element-wise tangent (radians)."),
    TS_UN("arcsin", Arcsin, "Element-wise inverse sine."),
    TS_UN("arccos", Arccos, "Element-wise inverse cosine."),
    TS_UN("arctan", Arctan, "Element-wise inverse tangent."),
    TS_UN("sinh", Sinh, "Element-wise hyperbolic sine."),
    TS_UN("cosh", Cosh, "Element-wise hyperbolic cosine."),
    TS_UN("tanh", Tanh, "Element-wise hyperbolic tangent."),
    TS_UN("floor", Floor, "Element-wise floor (a float result, as NumPy)."),
    TS_UN("ceil", Ceil, "Element-wise ceiling (a float result, as NumPy)."),
    TS_UN("round", Round, "Round half to even, as NumPy's round (a float result)."),
    TS_UN("conj", Conj,
          "Element-wise complex conjugate (real - imag*j); real arrays give a copy of their "
          "values."),
    {"angle", l_unary<UnaryOp::Angle>, kBoth, "ts.angle(a [, out])",
     "Element-wise angle of complex values in radians, in [-pi, pi] (atan2(imag, real); the sign "
     "of a zero imaginary part picks the side of the cut along the negative reals). Real inputs "
     "give 0 or pi. The result is float32 for complex64, float64 for complex128."},
    {"isnan", l_unary<UnaryOp::IsNan>, kBoth, "ts.isnan(a [, out])", "True where a is NaN."},
    {"isinf", l_unary<UnaryOp::IsInf>, kBoth, "ts.isinf(a [, out])",
     "True where a is +inf or -inf."},
    {"isfinite", l_unary<UnaryOp::IsFinite>, kBoth, "ts.isfinite(a [, out])",
     "True where a is neither infinite nor NaN."},
    {"invert", l_unary<UnaryOp::Invert>, kBoth, "ts.invert(a [, out])",
     "Bitwise not of integers, logical not of bools (operator ~a)."},
    {"where", l_where, kFunction, "ts.where(cond, a, b [, out])",
     "Elements of a where cond is true, else of b; all three broadcast together."},
    {"clip", l_clip, kBoth, "ts.clip(a, lo, hi [, out])",
     "a limited to [lo, hi]; lo or hi may be nil for no bound."},
    {"fill_", l_fill_, kMethod, "a:fill_(value)", "Sets every element to value; returns a."},
    {"copy_", l_copy_, kMethod, "a:copy_(src)",
     "Copies src into a (broadcast and cast to a's dtype); returns a."},
};

const AutoPart part("elementwise", 20, entries);

}  // namespace
}  // namespace tessera::lua
