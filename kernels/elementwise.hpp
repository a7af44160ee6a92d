// Element-wise kernels as an opcode table (in the manner of numexpr's
// interpreter): for each operation and dtype there is one tight line function
// over raw pointers. The dispatch layer drives it line by line through
// nd_loop.hpp. A null entry means the operation has no loop for that dtype.
#pragma once

#include <cstddef>
#include <cstdint>

#include "../runtime/dtype.hpp"

namespace tessera::kernels {

// Runs one line of n elements; ptrs[k] and byte strides[k] per operand,
// inputs first, output last.
using LineFn = void (*)(char* const* ptrs, const std::ptrdiff_t* strides, std::int64_t n);

// Binary operations: inputs and output share the dtype, except the
// comparisons, whose output is bool.
enum class BinaryOp : std::uint8_t {
  Add, Sub, Mul, Div, FloorDiv, Mod, Pow, Minimum, Maximum, Atan2,
  Eq, Ne, Lt, Le, Gt, Ge,
  BitAnd, BitOr, BitXor, Shl, Shr,
  Count
};
const char* binary_name(BinaryOp op);
bool is_comparison(BinaryOp op);
LineFn binary_line(BinaryOp op, DType t);
// Relative cost per element (1 for memory-bound operations), used to choose
// how finely work is split across threads.
int binary_cost(BinaryOp op);

// Unary operations: output dtype equals input dtype except IsNan, IsInf,
// IsFinite (bool) and Abs, Angle of complex input (the parts' float dtype).
// Float functions have loops for float (and most for complex) dtypes only;
// the dispatch layer casts other inputs first.
enum class UnaryOp : std::uint8_t {
  Neg, Abs, Sign, Sqrt, Exp, Log, Log2, Log10, Sin, Cos, Tan, Arcsin, Arccos, Arctan,
  Sinh, Cosh, Tanh, Floor, Ceil, Round, IsNan, IsInf, IsFinite, Invert, Square, Conj, Angle,
  Count
};
const char* unary_name(UnaryOp op);
bool unary_yields_bool(UnaryOp op);
bool unary_needs_float(UnaryOp op);
// The dtype of op's result for an input of dtype t (already float when the
// op needs a float).
DType unary_result(UnaryOp op, DType t);
LineFn unary_line(UnaryOp op, DType t);
int unary_cost(UnaryOp op);

// Conversion between any two dtypes (NaN to integer gives 0, out-of-range
// floats saturate; anything to bool is "!= 0"; complex to real keeps the
// real part).
LineFn cast_line(DType from, DType to);

// where: ptrs = {cond (bool), a, b, out}, all but cond of dtype t.
LineFn where_line(DType t);

}  // namespace tessera::kernels
