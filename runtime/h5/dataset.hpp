// Datasets and attributes: creation (h5py's defaults: automatic chunks when
// chunking is needed, gzip level 4, shuffle before compression, fill time
// "alloc"), hyperslab reads straight into a new Array's memory, writes,
// resizing and appending. No Lua here.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "../array.hpp"
#include "../context.hpp"
#include "../ops/scalar.hpp"
#include "file.hpp"
#include "types.hpp"

namespace tessera::h5 {

inline constexpr std::int64_t kUnlimited = -1;

// One dimension of a hyperslab, 0-based: start, count elements, step (may be
// negative: start is then the highest index); drop removes the dimension
// from the result (a single index).
struct Range {
  std::int64_t start = 0, count = 0, step = 1;
  bool drop = false;
};
// Ranges for the leading n dimensions; the others are taken whole.
struct Selection {
  int n = 0;
  Range dims[kMaxDims];
};

struct CreateOptions {
  DType dtype = DType::Float64;
  bool strings = false;  // variable-length UTF-8 strings instead of dtype
  Dims shape;
  std::optional<Dims> maxshape;  // kUnlimited for unlimited extents
  std::optional<Dims> chunks;    // explicit chunk shape
  bool auto_chunks = false;      // chunks = true: guess even when not needed
  std::string compression;       // "", "gzip" or "lzf"
  int level = -1;                // gzip level 0-9 (default 4)
  bool shuffle = false;
  std::optional<Scalar> fillvalue;
};

struct DatasetInfo {
  TypeInfo type;
  Dims shape;
  Dims maxshape;            // kUnlimited for unlimited extents
  Dims chunks;              // n == 0 when not chunked
  std::string compression;  // "", "gzip", "lzf", "szip" or "filter N"
  int level = -1;           // gzip level
  bool shuffle = false;
  bool has_fill = false;
  alignas(8) unsigned char fill[16] = {};  // the fill value as type.dtype, when has_fill
};

// h5py's chunk guess (h5py._hl.filters.guess_chunk): halve the axes in turn
// until a chunk is near a size that grows with the dataset (8 KiB to 1 MiB).
Dims guess_chunk(const Dims& shape, std::size_t itemsize);

std::shared_ptr<Object> create_dataset(const Object& loc, const std::string& name,
                                       const CreateOptions& opts);
DatasetInfo info(const Object& ds);
// The shape and the kind of elements, cheaply.
struct Brief {
  Dims shape;
  TypeKind kind = TypeKind::Other;
  DType dtype = DType::Float64;
};
Brief brief(const Object& ds);

// The hyperslab (or everything) as a new C-contiguous array, read directly
// into its memory; a negative step reads the covering block with a positive
// stride and returns a view with that dimension reversed.
Array read(Context& ctx, const Object& ds, const Selection* sel = nullptr);
// The same, charging the memory to account (for the I/O thread).
Array read(const std::shared_ptr<MemoryAccount>& account, const Object& ds,
           const Selection* sel = nullptr);

// String datasets and attributes: the strings in row-major order and the shape.
struct Strings {
  std::vector<std::string> values;
  Dims shape;
};
Strings read_strings(const Object& ds, const Selection* sel = nullptr);

// Writes a (broadcast to the selection's shape, converted to the dataset's
// type) into the selection, or into the whole dataset.
void write(Context& ctx, const Object& ds, const Array& a, const Selection* sel = nullptr);
void write_strings(const Object& ds, const std::vector<std::string>& values);
void resize(const Object& ds, const Dims& shape);
// Appends a along the first axis: a has the dataset's shape without the
// first extent (one row) or with any first extent.
void append(Context& ctx, const Object& ds, const Array& a);

// Attributes (of a group, a file's root group or a dataset).
std::vector<std::string> attr_names(const Object& obj);
bool has_attr(const Object& obj, const std::string& name);
TypeInfo attr_type(const Object& obj, const std::string& name);
Array read_attr(Context& ctx, const Object& obj, const std::string& name);  // 0-d when scalar
Strings read_attr_strings(const Object& obj, const std::string& name);      // n == 0 when scalar
void write_attr(Context& ctx, const Object& obj, const std::string& name,
                const Array& a);  // 0-d: scalar
// Variable-length UTF-8; scalar when shape has no dimensions.
void write_attr_strings(const Object& obj, const std::string& name,
                        const std::vector<std::string>& values, const Dims& shape);
void delete_attr(const Object& obj, const std::string& name);

}  // namespace tessera::h5
