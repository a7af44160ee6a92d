// Helpers for the Lua bindings, and the boundary discipline they follow:
//
//  1. Check and convert Lua arguments first, into plain values (Array*,
//     numbers, Dims, const char*). Failures raise Lua errors here, while no
//     C++ object with a destructor is alive.
//  2. Push any result userdata slot (push_array_slot) before C++ work starts,
//     so no Lua allocation can fail inside it.
//  3. Run the C++ body inside guarded(): exceptions become a message, and the
//     Lua error is raised only after the try scope has closed.
//
// push_new_array (a function returning one new array) and return_self (an
// in-place method) do steps 2 and 3 for the common cases.
//
// Every C function gets the module's Context userdata as upvalue 1.
#pragma once

#include <lua.hpp>

#include <complex>
#include <cstdint>
#include <cstdio>
#include <exception>

#include "../array.hpp"
#include "../context.hpp"
#include "../ops/scalar.hpp"
#include "native_probe.hpp"

namespace tessera::lua {

inline constexpr const char* kArrayMeta = "tessera.Array";

Context& context(lua_State* L);

// Raises "fname: <formatted message>", prefixed by the calling script's position.
[[noreturn]] void raise(lua_State* L, const char* fname, const char* fmt, ...);

// Records the array metatable (at stack index meta) for to_array.
void remember_array_meta(lua_State* L, int meta);

// The Array at idx, or nullptr when it is not an array.
Array* to_array(lua_State* L, int idx);
// The Array at idx, or nullptr when it is not an array; raises
// "fname: array has been closed" for a closed one.
Array* test_array(lua_State* L, int idx, const char* fname);
// The Array at idx; raises "fname: expected an array at argument N, got T"
// or "fname: array has been closed".
Array& check_array(lua_State* L, int idx, const char* fname);
bool is_number_or_bool(lua_State* L, int idx);
// A number, a boolean or a complex scalar (ts.complex): what can take part
// in array arithmetic or be stored into an array.
bool is_scalar_value(lua_State* L, int idx);
Scalar to_scalar(lua_State* L, int idx);  // idx holds a number, boolean or complex
// Raises "fname: Lua integer V is out of range for T" when an integer scalar
// is to be stored into an integer dtype that cannot hold it (NumPy 2 raises
// OverflowError instead of wrapping), and "fname: cannot store a complex
// value in a T array" for a complex scalar and a real dtype (NumPy raises
// TypeError).
void check_fits(lua_State* L, const Scalar& s, DType t, const char* fname);

// Complex scalars: a userdata holding std::complex<double>, with arithmetic
// metamethods, .real and .imag (runtime/lua/complex.cpp).
inline constexpr const char* kComplexMeta = "tessera.Complex";
void push_complex(lua_State* L, double re, double im);
// The complex scalar at idx, or nullptr.
const std::complex<double>* to_complex(lua_State* L, int idx);

// Runs a collector step or a full collection when the native allocation
// since the last one calls for it (see Context::collection_due).
void pace_collector(lua_State* L);

// Pushes a new array userdata holding an empty Array and returns it; the
// caller assigns the result inside guarded(). Runs a full collection first
// when the runtime's native allocation since the last one asks for it.
Array* push_array_slot(lua_State* L);
// Convenience: push a copy of an existing Array (a view) as a new handle.
void push_array(lua_State* L, const Array& a);

// dtype name at idx (or default when idx is none/nil).
DType check_dtype(lua_State* L, int idx, const char* fname, DType fallback);
// A shape given as a table {3, 4} or as numbers from idx to the top.
Dims check_shape(lua_State* L, int idx, const char* fname);
std::int64_t check_integer(lua_State* L, int idx, const char* fname, const char* what);
// Lua index (1-based, negative from the end) into a 0-based one, or raises
// "fname: index I out of range for dimension D of size N".
std::int64_t check_index(lua_State* L, std::int64_t index, std::int64_t size, int dim,
                         const char* fname);
// Axis at idx (1-based, negative from the end) as 0-based.
int check_axis(lua_State* L, int idx, int ndim, const char* fname);
// The optional `out` array: a table argument's `out` field or an array at idx.
Array* opt_out(lua_State* L, int idx, const char* fname);

template <class Body>
int guarded(lua_State* L, const char* fname, Body&& body) {
  if (native_profiling()) return profiled_call(L, fname, body);  // ts.prof is running
  char message[512];
  try {
    return body();
  } catch (const std::exception& e) {
    std::snprintf(message, sizeof message, "%s", e.what());
  } catch (...) {
    std::snprintf(message, sizeof message, "unexpected C++ exception");
  }
  raise(L, fname, "%s", message);
}

// Steps 2 and 3 for a function that returns one new array: pushes the slot,
// then runs make() inside guarded() and stores the Array it returns there.
// Returns 1 (the new array is on the top of the stack).
template <class Make>
int push_new_array(lua_State* L, const char* fname, Make&& make) {
  Array* slot = push_array_slot(L);
  return guarded(L, fname, [&] {
    *slot = make();
    return 1;
  });
}

// For in-place methods: runs body() inside guarded() and returns argument 1
// (self). The arguments stay on the stack, and so alive, while body() runs.
template <class Body>
int return_self(lua_State* L, const char* fname, Body&& body) {
  lua_pushvalue(L, 1);
  return guarded(L, fname, [&] {
    body();
    return 1;
  });
}

}  // namespace tessera::lua

namespace tessera::lua {

// Pushes the element at p (of dtype t) as a Lua value: integer, float,
// boolean or complex scalar.
void push_element(lua_State* L, DType t, const void* p);

// A Lua index range for one dimension, already normalised to 0-based
// start/count/step; `drop` when a plain number selected a single index.
struct DimRange {
  std::int64_t start = 0, count = 0, step = 1;
  bool drop = false;
};
struct SliceSpec {
  int n = 0;
  DimRange dims[kMaxDims];
};
// Reads one range argument for dimension `dim` of extent `size`: a number
// (selects), a table {first, last [, step]} (inclusive, negative from the
// end, clamped like string.sub), {} or ":" (everything).
DimRange check_range(lua_State* L, int idx, std::int64_t size, int dim, const char* fname);
// Applies a spec to a (views only). Does not raise Lua errors.
Array apply_slices(const Array& a, const SliceSpec& spec);

}  // namespace tessera::lua
