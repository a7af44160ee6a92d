// Arrays to and from xtensor, without copies. Include only where needed:
// xtensor's headers are heavy.
//
//   xt::xtensor<double, 2> grid = xt::zeros<double>({256, 256});
//   tessera::Array a = tessera::from_xtensor(std::move(grid), rt.account());
//   rt.set("grid", a);                                 // the script sees the same memory
//   auto g = tessera::as_xtensor<double, 2>(a);        // fixed-rank adaptor, no copy
//   auto v = tessera::as_xstrided<double>(a.T());      // any layout, no copy
//
// A dtype mismatch (as_xtensor<float>(a) on a float64 array) throws
// tessera::Error "array has dtype float64, expected float32"; so does a rank
// mismatch or a non-contiguous array given to as_xtensor.
#pragma once

#include <array>
#include <cstddef>
#include <memory>
#include <string>
#include <utility>

#include <xtensor/xarray.hpp>
#include <xtensor/xtensor.hpp>

#include "array.hpp"
#include "runtime/storage.hpp"
#include "runtime/xtensor.hpp"  // as_xtensor<T>(a) (any rank), as_xstrided<T>(a)

namespace tessera {

namespace detail {
template <class Container>
Array adopt(Container&& x, const std::shared_ptr<MemoryAccount>& account) {
  using T = typename std::decay_t<Container>::value_type;
  static_assert(std::decay_t<Container>::static_layout == xt::layout_type::row_major ||
                    std::decay_t<Container>::static_layout == xt::layout_type::dynamic,
                "from_xtensor: row-major containers only");
  auto owner = std::make_shared<std::decay_t<Container>>(std::move(x));
  Dims shape, strides;
  for (std::size_t d = 0; d < owner->dimension(); ++d) {
    shape.push(static_cast<std::int64_t>(owner->shape()[d]));
    strides.push(owner->shape()[d] == 1 ? 0 : static_cast<std::int64_t>(owner->strides()[d]));
  }
  // xtensor gives extent-1 dimensions stride 0; any stride is right for them.
  for (int d = 0; d < shape.n; ++d)
    if (shape[d] == 1) strides[d] = 1;
  T* data = owner->data();
  std::size_t nbytes = owner->size() * sizeof(T);
  auto storage = Storage::borrow(
      data, nbytes, [keep = std::move(owner)]() mutable { keep.reset(); }, account);
  return Array(std::move(storage), dtype_of<T>, shape, strides, 0);
}
}  // namespace detail

// Takes ownership of an xtensor container: the Array uses its memory in place
// (no copy) and destroys it when the last view is gone. With an account (e.g.
// rt.account()), the bytes count toward that runtime's memory. Row-major
// containers of a supported dtype only.
template <class T, std::size_t N>
Array from_xtensor(xt::xtensor<T, N>&& x, const std::shared_ptr<MemoryAccount>& account = nullptr) {
  return detail::adopt(std::move(x), account);
}
template <class T>
Array from_xtensor(xt::xarray<T>&& x, const std::shared_ptr<MemoryAccount>& account = nullptr) {
  return detail::adopt(std::move(x), account);
}

// A fixed-rank xtensor adaptor over a C-contiguous array's own memory: writes
// go to the array. Throws Error on a dtype or rank mismatch or another layout
// (use as_xstrided). The array's storage must outlive the adaptor: keep the
// Array (or one of its views) alive.
template <class T, std::size_t N>
auto as_xtensor(const Array& a) {
  detail::check_xtensor_dtype<T>(a);
  if (a.ndim() != static_cast<int>(N))
    throw Error("array has " + std::to_string(a.ndim()) + " dimensions, expected " +
                std::to_string(N));
  if (!a.is_contiguous()) throw Error("as_xtensor needs a contiguous array; use as_xstrided");
  std::array<std::size_t, N> shape;
  for (std::size_t d = 0; d < N; ++d) shape[d] = static_cast<std::size_t>(a.dim(int(d)));
  return xt::adapt(a.data_as<T>(), static_cast<std::size_t>(a.size()), xt::no_ownership(), shape);
}

}  // namespace tessera
