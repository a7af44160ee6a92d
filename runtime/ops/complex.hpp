// Complex arrays as pairs of float arrays: the real and imaginary parts of a
// complex array are views of its storage with the parts' float dtype, doubled
// strides and an offset of 0 or 1 (strides count elements), so writing
// through them changes the complex array (NumPy's a.real, a.imag).
#pragma once

#include "../array.hpp"
#include "../context.hpp"

namespace tessera::ops {

// The real part of a: a float view of a complex array, a itself otherwise.
Array real_part(const Array& a);
// The imaginary part of a: a float view of a complex array; for other dtypes
// a new array of zeros of a's dtype and shape (NumPy's np.imag).
Array imag_part(Context& ctx, const Array& a);
// A new complex array of dtype t (complex64 or complex128) from its parts,
// which have one shape and are cast to t's float dtype.
Array make_complex(Context& ctx, DType t, const Array& re, const Array& im);

}  // namespace tessera::ops
