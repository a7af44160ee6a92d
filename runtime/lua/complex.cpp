// Complex numbers on the Lua side: the complex scalar (ts.complex, ts.j), a
// userdata holding std::complex<double> with arithmetic metamethods, and the
// array functions real, imag (views of complex arrays).
//
// Scalar-with-scalar arithmetic runs the element-wise kernels on one element
// (so a scalar result is bit for bit what an array operation gives); when
// either operand is an array the array's own metamethod does the work.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "../ops/complex.hpp"
#include "../ops/elementwise.hpp"
#include "binding.hpp"
#include "registry.hpp"

namespace tessera::lua {
namespace {

using ops::BinaryOp;
using ops::Operand;

// ---- formatting as Python's repr(complex) -------------------------------------

// Shortest digits that read back as x, laid out as Python's repr of a float
// without a forced ".0" (as in complex repr): fixed notation for decimal
// exponents in [-4, 16), else d.ddde+XX.
std::string format_part(double x) {
  if (std::isnan(x)) return "nan";
  if (std::isinf(x)) return x < 0 ? "-inf" : "inf";
  char buf[40];
  int prec = 1;
  for (; prec < 17; ++prec) {
    std::snprintf(buf, sizeof buf, "%.*e", prec - 1, x);
    if (std::strtod(buf, nullptr) == x) break;
  }
  std::snprintf(buf, sizeof buf, "%.*e", prec - 1, x);
  // buf: [-]d[.ddd]e[+-]XX
  std::string s(buf);
  const std::size_t e = s.find('e');
  const int exp10 = std::atoi(s.c_str() + e + 1);
  const bool neg = s[0] == '-';
  std::string digits;
  for (std::size_t i = neg ? 1 : 0; i < e; ++i)
    if (s[i] != '.') digits += s[i];
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  std::string out = neg ? "-" : "";
  const int n = static_cast<int>(digits.size());
  if (exp10 >= -4 && exp10 < 16) {
    if (exp10 < 0) {
      out += "0." + std::string(-exp10 - 1, '0') + digits;
    } else if (exp10 + 1 >= n) {
      out += digits + std::string(exp10 + 1 - n, '0');
    } else {
      out += digits.substr(0, exp10 + 1) + "." + digits.substr(exp10 + 1);
    }
    return out;
  }
  out += digits.substr(0, 1);
  if (n > 1) out += "." + digits.substr(1);
  char tail[16];
  std::snprintf(tail, sizeof tail, "e%c%02d", exp10 < 0 ? '-' : '+', exp10 < 0 ? -exp10 : exp10);
  return out + tail;
}

std::string repr(std::complex<double> z) {
  const std::string im = format_part(z.imag()) + "j";
  if (z.real() == 0 && !std::signbit(z.real())) return im;
  const bool minus = !std::isnan(z.imag()) && std::signbit(z.imag());
  return "(" + format_part(z.real()) + (minus ? "" : "+") + im + ")";
}

// ---- the scalar's metamethods ---------------------------------------------------

int l_tostring(lua_State* L) {
  const std::complex<double>* z = to_complex(L, 1);
  if (!z) raise(L, "tostring", "expected a complex value");
  const std::string s = repr(*z);
  lua_pushlstring(L, s.data(), s.size());
  return 1;
}

int l_index(lua_State* L) {
  const std::complex<double>* z = to_complex(L, 1);
  const char* k = lua_tostring(L, 2);
  if (z && k && std::strcmp(k, "real") == 0) lua_pushnumber(L, z->real());
  else if (z && k && std::strcmp(k, "imag") == 0) lua_pushnumber(L, z->imag());
  else lua_pushnil(L);
  return 1;
}

// Both operands scalars: the operation on one element, through the kernel
// table; otherwise the array operand's metamethod.
int arith(lua_State* L, BinaryOp op, const char* event) {
  lua_settop(L, 2);
  const int array_at = to_array(L, 1) ? 1 : to_array(L, 2) ? 2 : 0;
  if (array_at) {
    lua_getmetatable(L, array_at);
    lua_getfield(L, -1, event);
    lua_pushvalue(L, 1);
    lua_pushvalue(L, 2);
    lua_call(L, 2, 1);
    return 1;
  }
  const char* fname = kernels::binary_name(op);
  for (int i = 1; i <= 2; ++i) {  // another type's metamethod (a traced value of ts.jit)
    const int type = lua_type(L, i);
    if (is_scalar_value(L, i) || (type != LUA_TTABLE && type != LUA_TUSERDATA) ||
        luaL_getmetafield(L, i, event) == LUA_TNIL)
      continue;
    lua_pushvalue(L, 1);
    lua_pushvalue(L, 2);
    lua_call(L, 2, 1);
    return 1;
  }
  for (int i = 1; i <= 2; ++i)
    if (!is_scalar_value(L, i))
      raise(L, fname, "expected a number or complex value at argument %d, got %s", i,
            luaL_typename(L, i));
  const Scalar a = to_scalar(L, 1), b = to_scalar(L, 2);
  alignas(16) unsigned char x[16], y[16], r[16];
  ops::Signature sig{};
  guarded(L, fname, [&] {
    sig = ops::binary_signature(op, Operand(a), Operand(b));
    return 0;
  });
  a.store(sig.compute, x);
  b.store(sig.compute, y);
  char* p[3] = {reinterpret_cast<char*>(x), reinterpret_cast<char*>(y), reinterpret_cast<char*>(r)};
  const std::ptrdiff_t s[3] = {0, 0, 0};
  kernels::binary_line(op, sig.compute)(p, s, 1);
  push_element(L, sig.result, r);
  return 1;
}

template <BinaryOp Op>
int l_arith(lua_State* L);
#define TS_ARITH(Op, event)                  \
  template <>                                \
  int l_arith<BinaryOp::Op>(lua_State * L) { \
    return arith(L, BinaryOp::Op, event);    \
  }
TS_ARITH(Add, "__add")
TS_ARITH(Sub, "__sub")
TS_ARITH(Mul, "__mul")
TS_ARITH(Div, "__div")
TS_ARITH(Pow, "__pow")
TS_ARITH(FloorDiv, "__idiv")
TS_ARITH(Mod, "__mod")
#undef TS_ARITH

int l_unm(lua_State* L) {
  const std::complex<double>* z = to_complex(L, 1);
  if (!z) raise(L, "negative", "expected a complex value");
  push_complex(L, -z->real(), -z->imag());
  return 1;
}

// Lua calls __eq only for two userdata (or two tables): a complex scalar is
// never equal to a Lua number under ==; compare with ts.eq or .real/.imag.
int l_eq(lua_State* L) {
  const std::complex<double>* a = to_complex(L, 1);
  const std::complex<double>* b = to_complex(L, 2);
  lua_pushboolean(L, a && b && *a == *b);
  return 1;
}

int l_order(lua_State* L) { raise(L, "compare", "complex values have no ordering (<, <=, >, >=)"); }

const luaL_Reg scalar_meta[] = {
    {"__tostring", l_tostring},
    {"__index", l_index},
    {"__add", l_arith<BinaryOp::Add>},
    {"__sub", l_arith<BinaryOp::Sub>},
    {"__mul", l_arith<BinaryOp::Mul>},
    {"__div", l_arith<BinaryOp::Div>},
    {"__pow", l_arith<BinaryOp::Pow>},
    {"__idiv", l_arith<BinaryOp::FloorDiv>},
    {"__mod", l_arith<BinaryOp::Mod>},
    {"__unm", l_unm},
    {"__eq", l_eq},
    {"__lt", l_order},
    {"__le", l_order},
    {nullptr, nullptr},
};

// ---- ts.complex, real, imag -------------------------------------------------------

double real_arg(lua_State* L, int idx, const char* what) {
  if (lua_type(L, idx) != LUA_TNUMBER)
    raise(L, "complex", "expected a number for the %s part at argument %d, got %s", what, idx,
          luaL_typename(L, idx));
  return lua_tonumber(L, idx);
}

// ts.complex(re [, im]) for numbers; for arrays (or an array and a number)
// a new complex array of their broadcast shape.
int l_complex(lua_State* L) {
  Array* re = test_array(L, 1, "complex");
  Array* im = lua_isnoneornil(L, 2) ? nullptr : test_array(L, 2, "complex");
  if (!re && !im) {
    if (const std::complex<double>* z = to_complex(L, 1); z && lua_isnoneornil(L, 2)) {
      push_complex(L, z->real(), z->imag());
      return 1;
    }
    const double r = real_arg(L, 1, "real");
    const double i = lua_isnoneornil(L, 2) ? 0.0 : real_arg(L, 2, "imaginary");
    push_complex(L, r, i);
    return 1;
  }
  for (Array* a : {re, im})
    if (a && is_complex(a->dtype()))
      raise(L, "complex", "expected real arrays for the parts, got %s", dtype_name(a->dtype()));
  const bool has_im = !lua_isnoneornil(L, 2);
  Scalar sre = re ? Scalar() : Scalar::number(real_arg(L, 1, "real"));
  Scalar sim = im || !has_im ? Scalar::number(0) : Scalar::number(real_arg(L, 2, "imaginary"));
  return push_new_array(L, "complex", [&] {
    Context& ctx = context(L);
    auto part_dtype = [](const Array* a) { return a ? float_result(a->dtype()) : DType::Float32; };
    const DType ft = promote(part_dtype(re), part_dtype(im));
    const Dims shape = broadcast_shapes(re ? re->shape() : Dims(), im ? im->shape() : Dims());
    auto part = [&](const Array* a, const Scalar& s) {
      if (a) return a->broadcast_to(shape);
      Array r = Array::empty(ft, Dims(), ctx.account);
      ops::fill(r, s);
      return r.broadcast_to(shape);
    };
    return ops::make_complex(ctx, complex_dtype(ft), part(re, sre), part(im, sim));
  });
}

int l_real(lua_State* L) {
  if (Array* a = test_array(L, 1, "real"))
    return push_new_array(L, "real", [&] { return ops::real_part(*a); });
  if (const std::complex<double>* z = to_complex(L, 1)) {
    lua_pushnumber(L, z->real());
    return 1;
  }
  if (!is_number_or_bool(L, 1))
    raise(L, "real", "expected an array or a number at argument 1, got %s", luaL_typename(L, 1));
  lua_pushvalue(L, 1);
  return 1;
}

int l_imag(lua_State* L) {
  if (Array* a = test_array(L, 1, "imag"))
    return push_new_array(L, "imag", [&] { return ops::imag_part(context(L), *a); });
  if (const std::complex<double>* z = to_complex(L, 1)) {
    lua_pushnumber(L, z->imag());
    return 1;
  }
  if (lua_isinteger(L, 1)) lua_pushinteger(L, 0);
  else if (lua_type(L, 1) == LUA_TNUMBER) lua_pushnumber(L, 0.0);
  else if (lua_type(L, 1) == LUA_TBOOLEAN) lua_pushboolean(L, false);
  else raise(L, "imag", "expected an array or a number at argument 1, got %s", luaL_typename(L, 1));
  return 1;
}

int l_iscomplex(lua_State* L) {
  if (Array* a = test_array(L, 1, "iscomplex")) lua_pushboolean(L, is_complex(a->dtype()));
  else lua_pushboolean(L, to_complex(L, 1) != nullptr);
  return 1;
}

const Entry entries[] = {
    {"complex", l_complex, kFunction, "ts.complex(re [, im])",
     "A complex scalar re + im*j from numbers (im defaults to 0), with .real and .imag, the "
     "arithmetic operators with numbers, complex scalars and arrays, == between complex "
     "scalars (never equal to a Lua number: Lua compares mixed types as different), and "
     "tostring like Python's repr, \"(1+2j)\". With arrays (or an array and a number) it makes "
     "a complex array of their broadcast shape: complex64 when the parts are float32 (or "
     "bool/uint8), else complex128. ts.j is the imaginary unit: 3 + 4 * ts.j."},
    {"real", l_real, kBoth, "ts.real(a)",
     "The real part. For a complex array a float view sharing its memory (writing into it "
     "changes a); for a real array a view of a itself; for a number the number."},
    {"imag", l_imag, kBoth, "ts.imag(a)",
     "The imaginary part. For a complex array a float view sharing its memory (writing into it "
     "changes a); for a real array a new array of zeros of its dtype; for a number 0."},
    {"iscomplex", l_iscomplex, kFunction, "ts.iscomplex(x)",
     "True for a complex array (complex64, complex128) or a complex scalar, false otherwise "
     "(NumPy's iscomplexobj)."},
};

void setup(lua_State* L, const Tables& t) {
  luaL_newmetatable(L, kComplexMeta);
  luaL_setfuncs(L, scalar_meta, 0);
  lua_pop(L, 1);
  push_complex(L, 0.0, 1.0);
  lua_setfield(L, t.module, "j");
}

const AutoPart part("complex", 15, entries, setup);

}  // namespace
}  // namespace tessera::lua
