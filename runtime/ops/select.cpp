#include "select.hpp"

#include <string>

#include "elementwise.hpp"

namespace tessera::ops {
namespace {

// An array as the selection kernels see it: base pointer and byte strides.
struct KernelRef {
  std::ptrdiff_t bytes[kMaxDims];
  kernels::Strided strided;  // points into bytes: not copyable

  explicit KernelRef(const Array& a) {
    for (int d = 0; d < a.ndim(); ++d)
      bytes[d] = a.stride(d) * static_cast<std::ptrdiff_t>(a.itemsize());
    strided = {static_cast<char*>(a.data()), bytes};
  }
  KernelRef(const KernelRef&) = delete;
  KernelRef& operator=(const KernelRef&) = delete;
};

kernels::Extents extents_of(const Array& a) {
  return {a.ndim(), a.shape().v};
}

void check_axis(int axis, int ndim) {
  if (axis < 0 || axis >= ndim)
    throw Error("axis " + std::to_string(axis + 1) + " out of range for " + std::to_string(ndim) +
                "-d array");
}

void check_joinable(const Array* const* arrays, std::size_t count, int axis) {
  if (count == 0) throw Error("need at least one array to concatenate");
  const Array& first = *arrays[0];
  if (first.ndim() == 0) throw Error("cannot concatenate 0-d arrays");
  check_axis(axis, first.ndim());
  for (std::size_t i = 1; i < count; ++i) {
    const Array& b = *arrays[i];
    std::string shapes =
        "shapes " + format_shape(first.shape()) + " and " + format_shape(b.shape());
    if (b.ndim() != first.ndim()) throw Error(shapes + " differ in number of dimensions");
    for (int d = 0; d < b.ndim(); ++d)
      if (d != axis && b.dim(d) != first.dim(d))
        throw Error(shapes + " differ in dimension " + std::to_string(d + 1));
  }
}

DType joined_dtype(const Array* const* arrays, std::size_t count) {
  DType t = arrays[0]->dtype();
  for (std::size_t i = 1; i < count; ++i) t = promote(t, arrays[i]->dtype());
  return t;
}

// mask checked to be bool and broadcast to shape.
Array mask_for(const Array& mask, const Dims& shape) {
  if (!is_bool(mask.dtype()))
    throw Error(std::string("expected a bool mask, got ") + dtype_name(mask.dtype()) + " array");
  return mask.shape() == shape ? mask : mask.broadcast_to(shape);
}

Dims take_shape(const Array& src, int axis, const Dims& index_shape) {
  Dims shape;
  for (int d = 0; d < axis; ++d) shape.push(src.dim(d));
  for (std::int64_t e : index_shape) shape.push(e);
  for (int d = axis + 1; d < src.ndim(); ++d) shape.push(src.dim(d));
  return shape;
}

kernels::TakeLayout take_layout(const Array& src, int axis) {
  kernels::TakeLayout l{1, src.dim(axis), 1};
  for (int d = 0; d < axis; ++d) l.outer *= src.dim(d);
  for (int d = axis + 1; d < src.ndim(); ++d) l.inner *= src.dim(d);
  return l;
}

}  // namespace

Array concatenate(Context& ctx, const Array* const* arrays, std::size_t count, int axis) {
  check_joinable(arrays, count, axis);
  Dims shape = arrays[0]->shape();
  shape[axis] = 0;
  for (std::size_t i = 0; i < count; ++i) shape[axis] += arrays[i]->dim(axis);
  Array r = Array::empty(joined_dtype(arrays, count), shape, ctx.account);
  std::int64_t at = 0;
  for (std::size_t i = 0; i < count; ++i) {
    std::int64_t len = arrays[i]->dim(axis);
    copy_into(r.narrow(axis, at, len), *arrays[i]);
    at += len;
  }
  return r;
}

Array stack(Context& ctx, const Array* const* arrays, std::size_t count, int axis) {
  if (count == 0) throw Error("need at least one array to stack");
  const Array& first = *arrays[0];
  if (axis < 0 || axis > first.ndim())
    throw Error("axis " + std::to_string(axis + 1) + " out of range for stacking " +
                std::to_string(first.ndim()) + "-d arrays");
  for (std::size_t i = 1; i < count; ++i)
    if (arrays[i]->shape() != first.shape())
      throw Error("shapes " + format_shape(first.shape()) + " and " +
                  format_shape(arrays[i]->shape()) + " differ");
  Dims shape = first.shape();
  shape.insert(axis, static_cast<std::int64_t>(count));
  Array r = Array::empty(joined_dtype(arrays, count), shape, ctx.account);
  for (std::size_t i = 0; i < count; ++i)
    copy_into(r.select(axis, static_cast<std::int64_t>(i)), *arrays[i]);
  return r;
}

Array masked(Context& ctx, const Array& a, const Array& mask) {
  Array m = mask_for(mask, a.shape());
  KernelRef src(a), bits(m);
  std::int64_t n = kernels::count_true(extents_of(a), bits.strided);
  Array r = Array::empty(a.dtype(), Dims{n}, ctx.account);
  kernels::compress(a.itemsize(), extents_of(a), src.strided, bits.strided,
                    static_cast<char*>(r.data()));
  return r;
}

void masked_fill(const Array& a, const Array& mask, const Scalar& value) {
  Array m = mask_for(mask, a.shape());
  Context scratch;
  if (m.shares_storage(a)) m = copy(scratch, m);  // writing a must not change the mask
  alignas(16) unsigned char buffer[16];
  value.store(a.dtype(), buffer);
  KernelRef dst(a), bits(m);
  kernels::masked_fill(a.itemsize(), extents_of(a), dst.strided, bits.strided, buffer);
}

Array take(Context& ctx, const Array& a, const Array& indices, std::optional<int> axis,
           IndexBase base) {
  if (!is_integer(indices.dtype()))
    throw Error(std::string("expected integer indices, got ") + dtype_name(indices.dtype()) +
                " array");
  Array idx = contiguous(ctx, indices, DType::Int64);
  return take(ctx, a, idx.data_as<const std::int64_t>(), idx.shape(), axis, base);
}

Array take(Context& ctx, const Array& a, const std::int64_t* indices, const Dims& index_shape,
           std::optional<int> axis, IndexBase base) {
  if (axis) check_axis(*axis, a.ndim());
  Array src = contiguous(ctx, a);
  if (!axis) src = src.view_as(Dims{a.size()});
  int ax = axis.value_or(0);
  std::int64_t n = checked_size(index_shape);
  std::int64_t bad = kernels::find_bad_index(indices, n, src.dim(ax), base);
  if (bad >= 0)
    throw Error("index " + std::to_string(indices[bad]) + " out of range for dimension " +
                std::to_string(ax + 1) + " of size " + std::to_string(src.dim(ax)));
  Array r = Array::empty(a.dtype(), take_shape(src, ax, index_shape), ctx.account);
  kernels::take(a.itemsize(), static_cast<const char*>(src.data()), take_layout(src, ax), indices,
                n, base, static_cast<char*>(r.data()));
  return r;
}

}  // namespace tessera::ops
