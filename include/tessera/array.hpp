// tessera::Array: the n-dimensional array scripts and hosts share.
//
// An Array is a handle: copying it makes another view of the same memory
// (like NumPy), the memory is freed when the last handle, in C++ or in Lua,
// is gone. Shape, strides (in elements, possibly negative or zero) and
// indices are 0-based in C++; scripts see them 1-based. See
// <tessera/runtime/array.hpp> for the full interface (views, data_as<T>(),
// shape(), strides(), dtype(), ...) and <tessera/runtime/dtype.hpp> for the
// dtypes: bool, uint8, int32, int64, float32, float64, complex64, complex128.
//
// Making arrays in C++:
//   Array::zeros(DType::Float64, {64, 64}, rt.account())  // owned, charged to rt
//   borrow<double>(ptr, {n, m}, owner)                     // the host's memory
//   from_xtensor(std::move(x), rt.account())               // <tessera/xtensor.hpp>
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <type_traits>

#include "runtime/array.hpp"
#include "runtime/dtype.hpp"
#include "runtime/errors.hpp"
#include "runtime/shape.hpp"

namespace tessera {

// An Array over memory the host owns, without copying. `owner` is kept alive
// as long as any view of the array exists (in C++ or in a script); pass an
// empty owner when the memory outlives every runtime and array (static data).
// Strides count elements; by default the array is C-contiguous. The bytes are
// not charged to any runtime's memory limit.
template <class T>
Array borrow(T* data, const Dims& shape, std::shared_ptr<const void> owner,
             const Dims& strides = Dims{});

namespace detail {
inline Dims c_strides(const Dims& shape) {
  Dims s = Dims::filled(shape.n, 1);
  for (int i = shape.n - 2; i >= 0; --i) s[i] = s[i + 1] * shape[i + 1];
  return s;
}
// The span of elements [lowest, highest] an array of this layout touches.
inline std::size_t span_bytes(const Dims& shape, const Dims& strides, std::size_t itemsize) {
  std::int64_t hi = 0;
  for (int i = 0; i < shape.n; ++i) {
    if (shape[i] == 0) return 0;
    if (strides[i] < 0) throw Error("borrow: negative strides need an offset; pass the base");
    hi += (shape[i] - 1) * strides[i];
  }
  return static_cast<std::size_t>(hi + 1) * itemsize;
}
}  // namespace detail

template <class T>
Array borrow(T* data, const Dims& shape, std::shared_ptr<const void> owner, const Dims& strides) {
  Dims st = strides.n ? strides : detail::c_strides(shape);
  if (st.n != shape.n)
    throw Error("borrow: " + std::to_string(shape.n) + " dimensions but " + std::to_string(st.n) +
                " strides");
  for (int i = 0; i < shape.n; ++i)
    if (shape[i] < 0) throw Error("borrow: negative extent " + std::to_string(shape[i]));
  std::size_t nbytes = detail::span_bytes(shape, st, sizeof(T));
  auto storage = Storage::borrow(const_cast<void*>(static_cast<const void*>(data)), nbytes,
                                 [keep = std::move(owner)]() mutable { keep.reset(); });
  return Array(std::move(storage), dtype_of<std::remove_const_t<T>>, shape, st, 0);
}

}  // namespace tessera
