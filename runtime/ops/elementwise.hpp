// Element-wise dispatch: type promotion, broadcasting, casting of inputs,
// `out` handling and overlap, then the kernels' line functions driven over
// the N-d layout.
#pragma once

#include "../../kernels/elementwise.hpp"
#include "../array.hpp"
#include "../context.hpp"
#include "scalar.hpp"

namespace tessera::ops {

using kernels::BinaryOp;
using kernels::UnaryOp;

// One side of a binary operation: an array, or a Lua scalar.
struct Operand {
  const Array* array = nullptr;
  Scalar scalar;
  Operand(const Array& a) : array(&a) {}
  Operand(Scalar s) : scalar(s) {}
};

// The dtype an operation computes in and the dtype of its result.
struct Signature {
  DType compute;
  DType result;
};
Signature binary_signature(BinaryOp op, const Operand& a, const Operand& b);

// Result of a op b, broadcast. With out, writes there (its shape must be the
// broadcast shape; the result must cast to its dtype by NumPy's same_kind
// rule) and returns it.
Array binary(Context& ctx, BinaryOp op, const Operand& a, const Operand& b,
             const Array* out = nullptr);
Array unary(Context& ctx, UnaryOp op, const Array& a, const Array* out = nullptr);
Array where(Context& ctx, const Array& cond, const Operand& a, const Operand& b,
            const Array* out = nullptr);
Array clip(Context& ctx, const Array& a, const Operand& lo, const Operand& hi,
           const Array* out = nullptr);

// Copies src into dst, broadcasting src to dst's shape and casting.
void copy_into(const Array& dst, const Array& src);
void fill(const Array& dst, const Scalar& value);
Array astype(Context& ctx, const Array& a, DType t);
Array copy(Context& ctx, const Array& a);  // C-contiguous copy
// a itself when already C-contiguous with dtype t, else a contiguous copy.
Array contiguous(Context& ctx, const Array& a, DType t);
Array contiguous(Context& ctx, const Array& a);
// A view with the new shape when possible, else a copy (NumPy's reshape).
Array reshape(Context& ctx, const Array& a, const Dims& shape);

bool can_cast_same_kind(DType from, DType to);

}  // namespace tessera::ops
