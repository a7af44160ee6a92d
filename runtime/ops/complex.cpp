#include "complex.hpp"

#include "../errors.hpp"
#include "elementwise.hpp"

namespace tessera::ops {
namespace {

Array part_view(const Array& a, int part) {
  Dims strides = a.strides();
  for (int d = 0; d < strides.n; ++d) strides[d] *= 2;
  return Array(a.storage(), real_dtype(a.dtype()), a.shape(), strides, 2 * a.offset() + part);
}

}  // namespace

Array real_part(const Array& a) { return is_complex(a.dtype()) ? part_view(a, 0) : a; }

Array imag_part(Context& ctx, const Array& a) {
  if (is_complex(a.dtype())) return part_view(a, 1);
  return Array::zeros(a.dtype(), a.shape(), ctx.account);
}

Array make_complex(Context& ctx, DType t, const Array& re, const Array& im) {
  if (!is_complex(t)) throw Error(std::string("expected a complex dtype, got ") + dtype_name(t));
  Array out = Array::empty(t, re.shape(), ctx.account);
  copy_into(part_view(out, 0), re);
  copy_into(part_view(out, 1), im);
  return out;
}

}  // namespace tessera::ops
