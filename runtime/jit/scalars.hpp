// Scalar arithmetic for a program's uniforms (values computed once per call
// from constants and number arguments): Lua's operators on numbers, and the
// core's functions applied to numbers (which compute in a 0-d array of the
// default dtype and return a Lua value).
#pragma once

#include "../../kernels/elementwise.hpp"
#include "../ops/scalar.hpp"

namespace tessera::jit {

using kernels::BinaryOp;
using kernels::UnaryOp;

// The kind of a Lua operator's result, or throws Error as Lua would
// (arithmetic on a boolean).
ScalarKind lua_binary_kind(BinaryOp op, ScalarKind a, ScalarKind b);
ScalarKind lua_unary_kind(UnaryOp op, ScalarKind a);
// Lua's a op b (op: Add, Sub, Mul, Div, FloorDiv, Mod, Pow, BitAnd, BitOr,
// BitXor, Shl, Shr) and unary minus (Neg) / bitwise not (Invert). Throws
// Error with Lua's message for integer division by zero and for floats with
// no integer representation in bitwise operations.
Scalar lua_binary(BinaryOp op, const Scalar& a, const Scalar& b);
Scalar lua_unary(UnaryOp op, const Scalar& a);

// ts.<op>(a, b) and ts.<op>(a) on numbers, as the core computes them.
ScalarKind core_binary_kind(BinaryOp op, ScalarKind a, ScalarKind b);
ScalarKind core_unary_kind(UnaryOp op, ScalarKind a);
Scalar core_binary(BinaryOp op, const Scalar& a, const Scalar& b);
Scalar core_unary(UnaryOp op, const Scalar& a);

// The element at p, of dtype t, as a Lua-like scalar.
Scalar scalar_at(DType t, const void* p);
ScalarKind kind_of(DType t);

}  // namespace tessera::jit
