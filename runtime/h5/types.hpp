// Element types between Tessera and HDF5, stored the way h5py stores them:
// numeric dtypes as little-endian standard types, bool as an enum of int8
// (FALSE = 0, TRUE = 1), strings as UTF-8 (variable-length when written).
// Reading converts any byte order; integer and float types without a Tessera
// dtype widen to one that holds every value (int8/int16/uint16 -> int32,
// uint32 -> int64, float16 -> float32); uint64 reads as int64 (values above
// 2^63 - 1 saturate). Complex dtypes are stored as h5py stores them: a
// compound of two floats named r and i (read as complex64 when the parts are
// at most 4 bytes, else complex128).
#pragma once

#include <string>

#include "../dtype.hpp"
#include "core.hpp"

namespace tessera::h5 {

enum class TypeKind { Numeric, Bool, String, Complex, Other };

struct TypeInfo {
  TypeKind kind = TypeKind::Other;
  DType dtype = DType::Float64;  // Numeric and Bool: the dtype it reads as
  bool vlen = false;             // String: variable-length
  std::size_t size = 0;          // String: bytes of a fixed-length string
  H5T_cset_t cset = H5T_CSET_ASCII;
  H5T_str_t pad = H5T_STR_NULLTERM;
  std::string name;  // for messages: "int16", "complex128", "opaque", ...
};

TypeInfo describe(hid_t file_type);
// The in-memory type of a dtype (native byte order; bool as the enum).
Handle memory_type(DType t);
// The type a dtype is stored as in a file (as h5py stores it).
Handle file_type(DType t);
// Variable-length UTF-8 strings, as h5py stores str.
Handle vlen_string_type();
// Throws the error for kinds that cannot be read into an array or strings.
[[noreturn]] void unsupported(const TypeInfo& t, const std::string& what);

}  // namespace tessera::h5
