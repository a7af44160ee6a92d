// Reduction, scan and matrix-product dispatch: result dtypes, axes, keepdims,
// strided and broadcast inputs (walked in place, never copied, except for
// the matrix products, which multiply contiguous copies).
#pragma once

#include <cstdint>
#include <optional>

#include "../../kernels/reduce.hpp"
#include "../array.hpp"
#include "../context.hpp"
#include "scalar.hpp"

namespace tessera::ops {

using kernels::ReduceOp;
using kernels::ScanOp;

struct ReduceArgs {
  std::optional<int> axis;     // 0-based; none reduces over all elements
  bool keepdims = false;       // keep reduced axes with extent 1
  std::int64_t ddof = 0;       // Var, Std: divide by n - ddof
  std::optional<DType> dtype;  // Sum, Prod, Mean, Var, Std: compute in and return this dtype
  std::int64_t base = 0;       // ArgMin, ArgMax: added to every index (Lua bindings pass 1)
};

// The dtype reduce() returns for an input of dtype t.
DType reduce_dtype(ReduceOp op, DType t, const ReduceArgs& args = {});

// op over one axis, or over all elements (a 0-d result, or all extents 1
// with keepdims). Min, Max and the Arg* ops throw on an empty reduction.
Array reduce(Context& ctx, ReduceOp op, const Array& a, const ReduceArgs& args = {});
// op over all elements as a scalar (args.axis and keepdims are ignored).
Scalar reduce_scalar(Context& ctx, ReduceOp op, const Array& a, const ReduceArgs& args = {});

// Running sums or products along axis, or over the flattened array (a 1-d
// result) when axis is none.
Array scan(Context& ctx, ScanOp op, const Array& a, std::optional<int> axis,
           std::optional<DType> dtype = std::nullopt);

// NumPy's matmul: 1-d operands are promoted to matrices (and the added
// dimension removed from the result), leading dimensions broadcast.
Array matmul(Context& ctx, const Array& a, const Array& b);
// NumPy's dot: contracts a's last axis with b's only (1-d) or second-to-last
// axis; 0-d operands multiply element-wise. 1-d with 1-d gives a 0-d array.
Array dot(Context& ctx, const Array& a, const Array& b);

// Vector or matrix norm in float64. No ord: the 2-norm of all elements
// (Frobenius), safe from overflow and underflow. For 1-d arrays ord is 1, 2,
// inf or -inf; for 2-d arrays 1 (largest column sum of |x|) or inf (largest
// row sum).
double norm(Context& ctx, const Array& a, std::optional<double> ord = std::nullopt);

// The only element of a size-1 array.
Scalar scalar_of(const Array& a);

}  // namespace tessera::ops
