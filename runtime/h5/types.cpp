#include "types.hpp"

#include <algorithm>
#include <cstring>

namespace tessera::h5 {

namespace {

Handle bool_enum() {
  Handle t = type(H5Tenum_create(H5T_NATIVE_INT8), "cannot make the bool type");
  signed char v = 0;
  check(H5Tenum_insert(t.get(), "FALSE", &v), "cannot make the bool type");
  v = 1;
  check(H5Tenum_insert(t.get(), "TRUE", &v), "cannot make the bool type");
  return t;
}

bool is_bool_enum(hid_t t) {
  if (H5Tget_nmembers(t) != 2) return false;
  Handle super = type(H5Tget_super(t), "cannot read an enum type");
  if (H5Tget_size(super.get()) != 1) return false;
  bool f = false, tr = false;
  for (unsigned i = 0; i < 2; ++i) {
    char* name = H5Tget_member_name(t, i);
    if (!name) return false;
    f = f || std::strcmp(name, "FALSE") == 0;
    tr = tr || std::strcmp(name, "TRUE") == 0;
    H5free_memory(name);
  }
  return f && tr;
}

// h5py's complex numbers: a compound of two floats named r and i. `part`
// gets the larger of the two members' sizes.
bool is_complex(hid_t t, std::size_t& part) {
  if (H5Tget_nmembers(t) != 2) return false;
  bool ok = true;
  part = 0;
  for (unsigned i = 0; i < 2 && ok; ++i) {
    char* name = H5Tget_member_name(t, i);
    ok = name && std::strcmp(name, i == 0 ? "r" : "i") == 0;
    if (name) H5free_memory(name);
    if (ok) ok = H5Tget_member_class(t, i) == H5T_FLOAT;
    if (ok) {
      Handle m = type(H5Tget_member_type(t, i), "cannot read a compound type");
      part = std::max(part, H5Tget_size(m.get()));
    }
  }
  return ok;
}

// {r, i} at offsets 0 and the part's size: std::complex's layout and h5py's.
Handle complex_type(hid_t part, std::size_t part_size) {
  Handle t = type(H5Tcreate(H5T_COMPOUND, 2 * part_size), "cannot make a complex type");
  check(H5Tinsert(t.get(), "r", 0, part), "cannot make a complex type");
  check(H5Tinsert(t.get(), "i", part_size, part), "cannot make a complex type");
  return t;
}

}  // namespace

TypeInfo describe(hid_t t) {
  TypeInfo info;
  H5T_class_t cls = H5Tget_class(t);
  std::size_t size = H5Tget_size(t);
  switch (cls) {
    case H5T_INTEGER: {
      bool is_signed = H5Tget_sign(t) == H5T_SGN_2;
      info.kind = TypeKind::Numeric;
      info.name = std::string(is_signed ? "int" : "uint") + std::to_string(size * 8);
      if (!is_signed && size == 1) info.dtype = DType::UInt8;
      else if (size <= 2 || (is_signed && size == 4)) info.dtype = DType::Int32;
      else info.dtype = DType::Int64;
      break;
    }
    case H5T_FLOAT:
      info.kind = TypeKind::Numeric;
      info.name = "float" + std::to_string(size * 8);
      info.dtype = size <= 4 ? DType::Float32 : DType::Float64;
      break;
    case H5T_ENUM:
      if (is_bool_enum(t)) {
        info.kind = TypeKind::Bool;
        info.dtype = DType::Bool;
        info.name = "bool";
      } else {
        info.name = "enum";
      }
      break;
    case H5T_STRING:
      info.kind = TypeKind::String;
      info.vlen = H5Tis_variable_str(t) > 0;
      info.size = size;
      info.cset = H5Tget_cset(t);
      info.pad = H5Tget_strpad(t);
      info.name = info.vlen ? "string" : "string" + std::to_string(size);
      break;
    case H5T_COMPOUND: {
      std::size_t part = 0;
      if (is_complex(t, part)) {  // float16 parts widen to complex64
        info.kind = TypeKind::Numeric;
        info.dtype = part <= 4 ? DType::Complex64 : DType::Complex128;
        info.name = "complex" + std::to_string(part * 16);
      } else {
        info.name = "compound";
      }
      break;
    }
    case H5T_OPAQUE: info.name = "opaque"; break;
    case H5T_BITFIELD: info.name = "bitfield"; break;
    case H5T_REFERENCE: info.name = "reference"; break;
    case H5T_VLEN: info.name = "vlen"; break;
    case H5T_ARRAY: info.name = "array"; break;
    case H5T_TIME: info.name = "time"; break;
    default: info.name = "unknown"; break;
  }
  return info;
}

Handle memory_type(DType t) {
  hid_t native = H5T_NATIVE_DOUBLE;
  switch (t) {
    case DType::Bool: return bool_enum();
    case DType::UInt8: native = H5T_NATIVE_UINT8; break;
    case DType::Int32: native = H5T_NATIVE_INT32; break;
    case DType::Int64: native = H5T_NATIVE_INT64; break;
    case DType::Float32: native = H5T_NATIVE_FLOAT; break;
    case DType::Float64: native = H5T_NATIVE_DOUBLE; break;
    case DType::Complex64: return complex_type(H5T_NATIVE_FLOAT, 4);
    case DType::Complex128: return complex_type(H5T_NATIVE_DOUBLE, 8);
  }
  return type(H5Tcopy(native), "cannot copy a native type");
}

Handle file_type(DType t) {
  hid_t std_type = H5T_IEEE_F64LE;
  switch (t) {
    case DType::Bool: return bool_enum();
    case DType::UInt8: std_type = H5T_STD_U8LE; break;
    case DType::Int32: std_type = H5T_STD_I32LE; break;
    case DType::Int64: std_type = H5T_STD_I64LE; break;
    case DType::Float32: std_type = H5T_IEEE_F32LE; break;
    case DType::Float64: std_type = H5T_IEEE_F64LE; break;
    case DType::Complex64: return complex_type(H5T_IEEE_F32LE, 4);
    case DType::Complex128: return complex_type(H5T_IEEE_F64LE, 8);
  }
  return type(H5Tcopy(std_type), "cannot copy a standard type");
}

Handle vlen_string_type() {
  Handle t = type(H5Tcopy(H5T_C_S1), "cannot make a string type");
  check(H5Tset_size(t.get(), H5T_VARIABLE), "cannot make a string type");
  check(H5Tset_cset(t.get(), H5T_CSET_UTF8), "cannot make a string type");
  return t;
}

void unsupported(const TypeInfo& t, const std::string& what) {
  if (t.kind == TypeKind::Complex)
    throw Error(what + ": " + t.name +
                " data is not supported yet");
  throw Error(what + ": HDF5 type '" + t.name + "' is not supported");
}

}  // namespace tessera::h5
