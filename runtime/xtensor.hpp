// xtensor views over an Array's own memory, for kernels and embedding hosts.
// Include only where needed: xtensor headers are heavy.
//
//   tessera::Array a = ...;                       // float64, contiguous
//   auto x = tessera::as_xtensor<double>(a);      // xt adaptor, no copy
//   auto s = tessera::as_xstrided<double>(a.T()); // any layout, no copy
#pragma once

#include <cstddef>
#include <vector>

#include <xtensor/xadapt.hpp>

#include "array.hpp"

namespace tessera {

namespace detail {
template <class T>
void check_xtensor_dtype(const Array& a) {
  if (a.dtype() != dtype_of<T>)
    throw Error(std::string("array has dtype ") + dtype_name(a.dtype()) + ", expected " +
                dtype_name(dtype_of<T>));
}
inline std::vector<std::size_t> xshape(const Array& a) {
  return std::vector<std::size_t>(a.shape().begin(), a.shape().end());
}
}  // namespace detail

// An xtensor adaptor over a C-contiguous array (throws Error otherwise or on
// a dtype mismatch). Writes go to the array.
template <class T>
auto as_xtensor(const Array& a) {
  detail::check_xtensor_dtype<T>(a);
  if (!a.is_contiguous()) throw Error("as_xtensor needs a contiguous array; use as_xstrided");
  return xt::adapt(a.data_as<T>(), static_cast<std::size_t>(a.size()), xt::no_ownership(),
                   detail::xshape(a));
}

// An xtensor adaptor with the array's own strides (any layout, including
// transposed, broadcast and negative-step views).
template <class T>
auto as_xstrided(const Array& a) {
  detail::check_xtensor_dtype<T>(a);
  std::vector<std::ptrdiff_t> strides(a.strides().begin(), a.strides().end());
  return xt::adapt(a.data_as<T>(), static_cast<std::size_t>(a.size()), xt::no_ownership(),
                   detail::xshape(a), strides);
}

}  // namespace tessera
