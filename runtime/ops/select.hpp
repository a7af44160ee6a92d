// Copying and selection: joining arrays (concatenate, stack), gathering into
// a new array (masked, take) and writing through a mask (masked_fill). Axes
// are 0-based; take's index convention is chosen by the caller.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "../../kernels/gather.hpp"
#include "../array.hpp"
#include "../context.hpp"
#include "scalar.hpp"

namespace tessera::ops {

using kernels::IndexBase;

// Joins arrays along their existing dimension `axis`. They must have the same
// number of dimensions (at least one) and equal extents except along axis;
// the result's dtype is the promotion of theirs.
Array concatenate(Context& ctx, const Array* const* arrays, std::size_t count, int axis);
// Joins arrays of one shape along a new dimension inserted at `axis` (0..ndim).
Array stack(Context& ctx, const Array* const* arrays, std::size_t count, int axis);

// A 1-d copy of a's elements where mask is true, in row-major order. mask must
// be bool and broadcast to a's shape.
Array masked(Context& ctx, const Array& a, const Array& mask);
// Sets a's elements where mask (bool, broadcast to a's shape) is true to
// value, converted to a's dtype.
void masked_fill(const Array& a, const Array& mask, const Scalar& value);

// Elements of a picked by integer indices (negative from the end). With an
// axis, selects along it: the result's shape is a's with that dimension
// replaced by the indices' shape. Without, indexes the flattened a and the
// result has the indices' shape (np.take).
Array take(Context& ctx, const Array& a, const Array& indices, std::optional<int> axis,
           IndexBase base);
// The same with indices given as n = index_shape.product() int64 values.
Array take(Context& ctx, const Array& a, const std::int64_t* indices, const Dims& index_shape,
           std::optional<int> axis, IndexBase base);

}  // namespace tessera::ops
