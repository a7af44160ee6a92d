#include "dataset.hpp"

#include <cmath>
#include <cstring>

#include "../ops/elementwise.hpp"
#include "chunked_io.hpp"
#include "direct_io.hpp"

namespace tessera::h5 {

namespace {

std::string quoted(const std::string& s) { return "'" + s + "'"; }

// A maxshape as in messages: "(inf,3)".
std::string format_max(const Dims& d) {
  std::string s = "(";
  for (int i = 0; i < d.n; ++i) {
    if (i) s += ",";
    s += d[i] == kUnlimited ? "inf" : std::to_string(d[i]);
  }
  return s + ")";
}

Dims dims_of_space(hid_t space, Dims* max = nullptr) {
  int rank = H5Sget_simple_extent_ndims(space);
  if (rank < 0) fail("cannot read a dataspace");
  if (rank > kMaxDims)
    throw Error("datasets of more than " + std::to_string(kMaxDims) +
                " dimensions are not supported");
  hsize_t cur[kMaxDims], mx[kMaxDims];
  check(H5Sget_simple_extent_dims(space, cur, mx), "cannot read a dataspace");
  Dims d;
  for (int i = 0; i < rank; ++i) d.push(static_cast<std::int64_t>(cur[i]));
  if (max) {
    *max = Dims();
    for (int i = 0; i < rank; ++i)
      max->push(mx[i] == H5S_UNLIMITED ? kUnlimited : static_cast<std::int64_t>(mx[i]));
  }
  return d;
}

Handle simple_space(const Dims& shape, const Dims* max = nullptr) {
  if (shape.n == 0) return space(H5Screate(H5S_SCALAR), "cannot make a scalar dataspace");
  hsize_t cur[kMaxDims], mx[kMaxDims];
  for (int i = 0; i < shape.n; ++i) {
    cur[i] = static_cast<hsize_t>(shape[i]);
    if (max) mx[i] = (*max)[i] == kUnlimited ? H5S_UNLIMITED : static_cast<hsize_t>((*max)[i]);
  }
  return space(H5Screate_simple(shape.n, cur, max ? mx : nullptr), "cannot make a dataspace");
}

// The file selection for sel: the dataspace with the hyperslab selected, the
// result shape (dropped dimensions removed) and which result dimensions
// run backwards.
struct Plan {
  Handle space;
  Dims shape;  // result shape
  bool flip[kMaxDims] = {};
  std::int64_t count = 0;  // elements selected
  Dims counts;             // elements selected per file dimension (dropped ones are 1)
};

Plan plan_selection(hid_t ds, const Selection* sel, const std::string& what) {
  Plan p;
  p.space = space(H5Dget_space(ds), what + ": cannot read the dataspace");
  Dims shape = dims_of_space(p.space.get());
  if (!sel) {
    p.shape = shape;
    p.counts = shape;
    p.count = shape.product();
    return p;
  }
  if (sel->n > shape.n)
    throw Error(what + ": " + std::to_string(sel->n) + " ranges given for a " +
                std::to_string(shape.n) + "-d dataset");
  hsize_t start[kMaxDims], stride[kMaxDims], count[kMaxDims];
  std::int64_t total = 1;
  for (int d = 0; d < shape.n; ++d) {
    Range r = d < sel->n ? sel->dims[d] : Range{0, shape[d], 1, false};
    if (r.count > 0 &&
        (r.start < 0 || r.start >= shape[d] || r.start + (r.count - 1) * r.step < 0 ||
         r.start + (r.count - 1) * r.step >= shape[d]))
      throw Error(what + ": range out of bounds for dimension " + std::to_string(d + 1) +
                  " of size " + std::to_string(shape[d]));
    std::int64_t lo = r.step < 0 ? r.start + (r.count - 1) * r.step : r.start;
    start[d] = static_cast<hsize_t>(r.count > 0 ? lo : 0);
    stride[d] = static_cast<hsize_t>(r.step < 0 ? -r.step : r.step);
    count[d] = static_cast<hsize_t>(r.count);
    p.counts.push(r.count);
    total *= r.count;
    if (!r.drop) {
      if (r.step < 0 && r.count > 1) p.flip[p.shape.n] = true;
      p.shape.push(r.count);
    }
  }
  p.count = total;
  if (total > 0 && shape.n > 0)
    check(H5Sselect_hyperslab(p.space.get(), H5S_SELECT_SET, start, stride, count, nullptr),
          what + ": cannot select the hyperslab");
  return p;
}

Handle memory_space(std::int64_t n) {
  hsize_t len = static_cast<hsize_t>(n);
  return space(H5Screate_simple(1, &len, nullptr), "cannot make a memory dataspace");
}

// A memory dataspace of the selection's shape in the file's rank, so that
// HDF5 sees selections of the same shape (its fastest path for hyperslabs).
Handle memory_space(const Plan& p) {
  if (p.counts.n == 0) return memory_space(p.count);
  hsize_t dims[kMaxDims];
  for (int d = 0; d < p.counts.n; ++d) dims[d] = static_cast<hsize_t>(p.counts[d]);
  return space(H5Screate_simple(p.counts.n, dims, nullptr), "cannot make a memory dataspace");
}

Array flip_view(Array a, const Plan& p) {
  for (int d = 0; d < p.shape.n; ++d)
    if (p.flip[d]) a = a.slice(d, a.dim(d) - 1, a.dim(d), -1);
  return a;
}

// A failed read or write: HDF5's message, and which of the dataset's filters
// cannot be loaded when that is the reason (a missing plugin such as lzf).
[[noreturn]] void fail_io(hid_t ds, const std::string& what) {
  std::string hdf5 = take_stack_message();
  std::string note;
  hid_t dcpl = H5Dget_create_plist(ds);
  if (dcpl >= 0) {
    int n = H5Pget_nfilters(dcpl);
    for (int i = 0; i < n; ++i) {
      unsigned flags = 0, cd[8] = {};
      std::size_t ncd = 8;
      char name[64] = {};
      H5Z_filter_t id =
          H5Pget_filter2(dcpl, unsigned(i), &flags, &ncd, cd, sizeof name, name, nullptr);
      if (id >= 0 && H5Zfilter_avail(id) <= 0) {
        std::string label = name[0] ? name : "unknown";
        note += ": filter " + std::to_string(id) + " (" + label + ") is not available";
        if (id == 32000) note += " (install Debian's hdf5-plugin-lzf, or check HDF5_PLUGIN_PATH)";
      }
    }
    H5Pclose(dcpl);
  }
  H5Eclear2(H5E_DEFAULT);
  throw Error(what + note + (hdf5.empty() ? "" : " (HDF5: " + hdf5 + ")"));
}

Handle dataset_type(hid_t ds, const std::string& what) {
  return type(H5Dget_type(ds), what + ": cannot read the datatype");
}

std::string dname(const Object& ds) { return quoted(ds.name()); }

// Fixed- or variable-length strings read with a memory type matching the file's.
Strings read_strings_impl(hid_t obj, bool is_attr, const TypeInfo& t, hid_t file_space,
                          hid_t mem_space, std::int64_t n, const std::string& what) {
  Strings out;
  out.values.reserve(static_cast<std::size_t>(n));
  Handle mt = type(H5Tcopy(H5T_C_S1), what + ": cannot make a string type");
  check(H5Tset_cset(mt.get(), t.cset), what);
  if (n == 0) return out;
  if (t.vlen) {
    check(H5Tset_size(mt.get(), H5T_VARIABLE), what);
    std::vector<char*> ptrs(static_cast<std::size_t>(n), nullptr);
    herr_t st = is_attr ? H5Aread(obj, mt.get(), ptrs.data())
                        : H5Dread(obj, mt.get(), mem_space, file_space, H5P_DEFAULT, ptrs.data());
    if (st < 0) is_attr ? fail(what) : fail_io(obj, what);
    for (char* s : ptrs) out.values.emplace_back(s ? s : "");
    // HDF5 allocated each string with its default allocator.
    for (char* s : ptrs)
      if (s) H5free_memory(s);
    return out;
  }
  check(H5Tset_size(mt.get(), t.size), what);
  check(H5Tset_strpad(mt.get(), t.pad), what);
  std::vector<char> buf(static_cast<std::size_t>(n) * t.size);
  herr_t st = is_attr ? H5Aread(obj, mt.get(), buf.data())
                      : H5Dread(obj, mt.get(), mem_space, file_space, H5P_DEFAULT, buf.data());
  if (st < 0) is_attr ? fail(what) : fail_io(obj, what);
  for (std::int64_t i = 0; i < n; ++i) {
    const char* s = buf.data() + i * static_cast<std::int64_t>(t.size);
    std::size_t len = strnlen(s, t.size);
    if (t.pad == H5T_STR_SPACEPAD)
      while (len > 0 && s[len - 1] == ' ') --len;
    out.values.emplace_back(s, len);
  }
  return out;
}

}  // namespace

Dims guess_chunk(const Dims& shape_in, std::size_t typesize) {
  constexpr double kBase = 16 * 1024, kMin = 8 * 1024, kMax = 1024 * 1024;
  int n = shape_in.n;
  if (n == 0) throw Error("chunks are not allowed for scalar datasets");
  double chunks[kMaxDims];
  for (int i = 0; i < n; ++i) chunks[i] = shape_in[i] != 0 ? double(shape_in[i]) : 1024.0;
  auto product = [&] {
    double p = 1;
    for (int i = 0; i < n; ++i) p *= chunks[i];
    return p;
  };
  double dset_size = product() * double(typesize);
  double target = kBase * std::pow(2.0, std::log10(dset_size / (1024.0 * 1024.0)));
  if (target > kMax) target = kMax;
  else if (target < kMin) target = kMin;
  for (int idx = 0;; ++idx) {
    double bytes = product() * double(typesize);
    if ((bytes < target || std::fabs(bytes - target) / target < 0.5) && bytes < kMax) break;
    if (product() == 1) break;
    chunks[idx % n] = std::ceil(chunks[idx % n] / 2.0);
  }
  Dims out;
  for (int i = 0; i < n; ++i) out.push(static_cast<std::int64_t>(chunks[i]));
  return out;
}

std::shared_ptr<Object> create_dataset(const Object& loc, const std::string& name,
                                       const CreateOptions& o) {
  hid_t l = loc.id();
  init_thread();
  const std::string what = "cannot create dataset " + quoted(name);
  const Dims& shape = o.shape;
  if (o.maxshape) {
    if (o.maxshape->n != shape.n)
      throw Error(what + ": maxshape has " + std::to_string(o.maxshape->n) +
                  " dimensions, shape has " + std::to_string(shape.n));
    for (int i = 0; i < shape.n; ++i)
      if ((*o.maxshape)[i] != kUnlimited && (*o.maxshape)[i] < shape[i])
        throw Error(what + ": maxshape " + format_max(*o.maxshape) + " is smaller than shape " +
                    format_shape(shape));
  }
  Handle ft = o.strings ? vlen_string_type() : file_type(o.dtype);
  std::size_t itemsize = o.strings ? sizeof(char*) : dtype_size(o.dtype);
  if (o.compression != "" && o.compression != "gzip" && o.compression != "lzf")
    throw Error(what + ": unknown compression '" + o.compression + "' (expected 'gzip' or 'lzf')");
  if (o.compression == "lzf" && H5Zfilter_avail(32000) <= 0)
    throw Error(what +
                ": the lzf filter (HDF5 filter 32000) is not available; install "
                "Debian's hdf5-plugin-lzf (or check HDF5_PLUGIN_PATH)");
  if (o.level > 9 || (o.level >= 0 && o.compression != "gzip"))
    throw Error(what + ": a compression level (0-9) goes with compression = 'gzip'");
  Handle dcpl = plist(H5Pcreate(H5P_DATASET_CREATE), what);
  bool need_chunks =
      o.auto_chunks || o.shuffle || !o.compression.empty() || (o.maxshape && shape.n > 0);
  std::optional<Dims> chunks = o.chunks;
  if (!chunks && need_chunks) {
    if (shape.n == 0)
      throw Error(what + ": scalar datasets cannot be chunked, compressed or resized");
    chunks = guess_chunk(shape, itemsize);
  }
  if (chunks) {
    if (chunks->n != shape.n)
      throw Error(what + ": chunks " + format_shape(*chunks) + " do not match the rank of shape " +
                  format_shape(shape));
    hsize_t c[kMaxDims];
    for (int i = 0; i < chunks->n; ++i) {
      std::int64_t limit = o.maxshape && (*o.maxshape)[i] != kUnlimited ? (*o.maxshape)[i] : -1;
      if ((*chunks)[i] <= 0 || (limit >= 0 && (*chunks)[i] > limit && limit > 0))
        throw Error(what + ": invalid chunk shape " + format_shape(*chunks) + " for shape " +
                    format_shape(shape));
      c[i] = static_cast<hsize_t>((*chunks)[i]);
    }
    check(H5Pset_chunk(dcpl.get(), chunks->n, c), what);
    check(H5Pset_fill_time(dcpl.get(), H5D_FILL_TIME_ALLOC), what);
  }
  if (o.shuffle) check(H5Pset_shuffle(dcpl.get()), what);
  if (o.compression == "gzip")
    check(H5Pset_deflate(dcpl.get(), o.level < 0 ? 4u : unsigned(o.level)), what);
  if (o.compression == "lzf")
    check(H5Pset_filter(dcpl.get(), 32000, H5Z_FLAG_OPTIONAL, 0, nullptr), what);
  if (o.fillvalue) {
    if (o.strings) throw Error(what + ": fillvalue is for numeric datasets");
    alignas(8) unsigned char buf[16] = {};
    o.fillvalue->store(o.dtype, buf);
    Handle mt = memory_type(o.dtype);
    check(H5Pset_fill_value(dcpl.get(), mt.get(), buf), what);
  }
  Handle sp = simple_space(shape, o.maxshape ? &*o.maxshape : nullptr);
  Handle lcpl = intermediate_lcpl();
  hid_t ds = H5Dcreate2(l, name.c_str(), ft.get(), sp.get(), lcpl.get(), dcpl.get(), H5P_DEFAULT);
  if (ds < 0) fail(what);
  std::string full = name.size() && name[0] == '/'
                         ? name
                         : (loc.name() == "/" ? "/" + name : loc.name() + "/" + name);
  return std::make_shared<Object>(loc.file(), ds, ObjectKind::Dataset, full);
}

DatasetInfo info(const Object& obj) {
  hid_t ds = obj.id();
  init_thread();
  const std::string what = "cannot describe dataset " + dname(obj);
  DatasetInfo out;
  Handle t = dataset_type(ds, what);
  out.type = describe(t.get());
  Handle sp = space(H5Dget_space(ds), what);
  out.shape = dims_of_space(sp.get(), &out.maxshape);
  Handle dcpl = plist(H5Dget_create_plist(ds), what);
  if (H5Pget_layout(dcpl.get()) == H5D_CHUNKED) {
    hsize_t c[kMaxDims];
    int rank = check(H5Pget_chunk(dcpl.get(), kMaxDims, c), what);
    for (int i = 0; i < rank; ++i) out.chunks.push(static_cast<std::int64_t>(c[i]));
  }
  int nfilters = H5Pget_nfilters(dcpl.get());
  for (int i = 0; i < nfilters; ++i) {
    unsigned flags = 0, cd[8] = {};
    std::size_t ncd = 8;
    char fname[64];
    H5Z_filter_t f =
        H5Pget_filter2(dcpl.get(), unsigned(i), &flags, &ncd, cd, sizeof fname, fname, nullptr);
    if (f == H5Z_FILTER_SHUFFLE) out.shuffle = true;
    else if (f == H5Z_FILTER_DEFLATE) {
      out.compression = "gzip";
      out.level = ncd > 0 ? int(cd[0]) : -1;
    } else if (f == 32000) out.compression = "lzf";
    else if (f == H5Z_FILTER_SZIP) out.compression = "szip";
    else if (f != H5Z_FILTER_FLETCHER32 && f >= 0 && out.compression.empty())
      out.compression = "filter " + std::to_string(f);
  }
  if (out.type.kind == TypeKind::Numeric || out.type.kind == TypeKind::Bool) {
    H5D_fill_value_t defined = H5D_FILL_VALUE_UNDEFINED;
    H5Pfill_value_defined(dcpl.get(), &defined);
    if (defined == H5D_FILL_VALUE_USER_DEFINED || defined == H5D_FILL_VALUE_DEFAULT) {
      Handle mt = memory_type(out.type.dtype);
      if (H5Pget_fill_value(dcpl.get(), mt.get(), out.fill) >= 0) out.has_fill = true;
      else H5Eclear2(H5E_DEFAULT);
    }
  }
  return out;
}

Brief brief(const Object& obj) {
  hid_t ds = obj.id();
  init_thread();
  const std::string what = "cannot describe dataset " + dname(obj);
  Brief b;
  Handle t = dataset_type(ds, what);
  TypeInfo ti = describe(t.get());
  b.kind = ti.kind;
  b.dtype = ti.dtype;
  Handle sp = space(H5Dget_space(ds), what);
  b.shape = dims_of_space(sp.get());
  return b;
}

namespace {

// A selection of whole rows: dimension 1 a single index or a step-1 range,
// every other dimension given whole. Sets the first row and the row count.
bool row_block(const Selection* sel, const Dims& shape, std::int64_t& first, std::int64_t& rows) {
  first = 0;
  rows = shape.n ? shape[0] : 0;
  if (!sel || sel->n == 0) return true;
  const Range& r0 = sel->dims[0];
  if (!r0.drop && r0.step != 1 && r0.count > 1) return false;
  for (int d = 1; d < sel->n; ++d) {
    const Range& r = sel->dims[d];
    if (r.drop || r.start != 0 || r.count != shape[d] || (r.step != 1 && r.count > 1)) return false;
  }
  first = r0.count > 0 ? r0.start : 0;
  rows = r0.count;
  return true;
}

}  // namespace

Array read(Context& ctx, const Object& obj, const Selection* sel) {
  // Large whole-row reads of contiguous data go straight to the file; whole
  // gzip-chunked datasets decompress in parallel; the rest is HDF5's.
  hid_t ds = obj.id();
  init_thread();
  const std::string what = "cannot read dataset " + dname(obj);
  Handle ft = dataset_type(ds, what);
  TypeInfo t = describe(ft.get());
  if (t.kind == TypeKind::Numeric) {
    Handle sp = space(H5Dget_space(ds), what);
    Dims shape = dims_of_space(sp.get());
    std::int64_t first = 0, rows = 0;
    if (shape.n > 0 && (!sel || sel->n <= shape.n) && row_block(sel, shape, first, rows) &&
        first >= 0 && rows >= 0 && first + rows <= shape[0]) {
      Dims out_shape = shape;
      out_shape[0] = rows;
      if (sel && sel->n > 0 && sel->dims[0].drop) out_shape.erase(0);
      Array out = Array::empty(t.dtype, out_shape, ctx.account);
      std::int64_t row_bytes = static_cast<std::int64_t>(dtype_size(t.dtype));
      for (int d = 1; d < shape.n; ++d) row_bytes *= shape[d];
      if (out.size() > 0 &&
          read_contiguous_direct(ctx, ds, t.dtype, first * row_bytes, rows * row_bytes, out.data()))
        return out;
      if (!sel && out.size() > 0 && read_chunks_parallel(ctx, ds, out)) return out;
    }
  }
  return read(ctx.account, obj, sel);
}

Array read(const std::shared_ptr<MemoryAccount>& account, const Object& obj, const Selection* sel) {
  hid_t ds = obj.id();
  init_thread();
  const std::string what = "cannot read dataset " + dname(obj);
  Handle ft = dataset_type(ds, what);
  TypeInfo t = describe(ft.get());
  if (t.kind != TypeKind::Numeric && t.kind != TypeKind::Bool) {
    if (t.kind == TypeKind::String)
      throw Error(what + ": it holds strings (read them with read_strings)");
    unsupported(t, what);
  }
  Plan p = plan_selection(ds, sel, what);
  Array out = Array::empty(t.dtype, p.shape, account);
  if (p.count > 0) {
    Handle mt = memory_type(t.dtype);
    Handle ms = memory_space(p);
    bool scalar = H5Sget_simple_extent_type(p.space.get()) == H5S_SCALAR;
    if (H5Dread(ds, mt.get(), scalar ? H5S_ALL : ms.get(), scalar ? H5S_ALL : p.space.get(),
                H5P_DEFAULT, out.data()) < 0)
      fail_io(ds, what);
  }
  return flip_view(out, p);
}

Strings read_strings(const Object& obj, const Selection* sel) {
  hid_t ds = obj.id();
  init_thread();
  const std::string what = "cannot read dataset " + dname(obj);
  Handle ft = dataset_type(ds, what);
  TypeInfo t = describe(ft.get());
  if (t.kind != TypeKind::String) throw Error(what + ": it does not hold strings");
  Plan p = plan_selection(ds, sel, what);
  for (int d = 0; d < p.shape.n; ++d)
    if (p.flip[d]) throw Error(what + ": negative steps are not supported for string datasets");
  Handle ms = memory_space(p);
  bool scalar = H5Sget_simple_extent_type(p.space.get()) == H5S_SCALAR;
  Strings s = read_strings_impl(ds, false, t, scalar ? H5S_ALL : p.space.get(),
                                scalar ? H5S_ALL : ms.get(), p.count, what);
  s.shape = p.shape;
  return s;
}

void write(Context& ctx, const Object& obj, const Array& a, const Selection* sel) {
  hid_t ds = obj.id();
  init_thread();
  const std::string what = "cannot write dataset " + dname(obj);
  Handle ft = dataset_type(ds, what);
  TypeInfo t = describe(ft.get());
  if (t.kind != TypeKind::Numeric && t.kind != TypeKind::Bool) {
    if (t.kind == TypeKind::String) throw Error(what + ": it holds strings, not numbers");
    unsupported(t, what);
  }
  Plan p = plan_selection(ds, sel, what);
  Array src = a;
  if (src.shape() != p.shape) {
    bool ok = true;
    try {
      src = src.broadcast_to(p.shape);
    } catch (const std::exception&) {
      ok = false;
    }
    if (!ok)
      throw Error(what + ": shape mismatch: cannot write an array of shape " +
                  format_shape(a.shape()) + " into a selection of shape " + format_shape(p.shape));
  }
  if (p.count == 0) return;
  src = flip_view(src, p);  // memory in the order of the positive-stride file selection
  Array c = ops::contiguous(ctx, src, t.dtype);
  if (!sel && c.ndim() > 0 && write_chunks_parallel(ctx, ds, c)) return;
  Handle mt = memory_type(t.dtype);
  Handle ms = memory_space(p);
  bool scalar = H5Sget_simple_extent_type(p.space.get()) == H5S_SCALAR;
  if (H5Dwrite(ds, mt.get(), scalar ? H5S_ALL : ms.get(), scalar ? H5S_ALL : p.space.get(),
               H5P_DEFAULT, c.data()) < 0)
    fail_io(ds, what);
}

void write_strings(const Object& obj, const std::vector<std::string>& values) {
  hid_t ds = obj.id();
  init_thread();
  const std::string what = "cannot write dataset " + dname(obj);
  Plan p = plan_selection(ds, nullptr, what);
  if (p.count != static_cast<std::int64_t>(values.size()))
    throw Error(what + ": shape mismatch: " + std::to_string(values.size()) +
                " strings for a dataset of shape " + format_shape(p.shape));
  std::vector<const char*> ptrs;
  for (const auto& s : values) ptrs.push_back(s.c_str());
  Handle mt = vlen_string_type();
  if (!ptrs.empty() && H5Dwrite(ds, mt.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, ptrs.data()) < 0)
    fail(what);
}

void resize(const Object& obj, const Dims& shape) {
  hid_t ds = obj.id();
  init_thread();
  const std::string what = "cannot resize dataset " + dname(obj);
  Handle sp = space(H5Dget_space(ds), what);
  Dims max;
  Dims cur = dims_of_space(sp.get(), &max);
  if (shape.n != cur.n)
    throw Error(what + " to " + format_shape(shape) + ": it has " + std::to_string(cur.n) +
                " dimensions");
  for (int i = 0; i < shape.n; ++i)
    if (shape[i] < 0 || (max[i] != kUnlimited && shape[i] > max[i]))
      throw Error(what + " to " + format_shape(shape) + ": maxshape is " + format_max(max));
  hsize_t dims[kMaxDims];
  for (int i = 0; i < shape.n; ++i) dims[i] = static_cast<hsize_t>(shape[i]);
  if (H5Dset_extent(ds, dims) < 0) fail(what + " to " + format_shape(shape));
}

void append(Context& ctx, const Object& obj, const Array& a) {
  hid_t ds = obj.id();
  init_thread();
  const std::string what = "cannot append to dataset " + dname(obj);
  Handle sp = space(H5Dget_space(ds), what);
  Dims cur = dims_of_space(sp.get());
  if (cur.n == 0) throw Error(what + ": it is scalar");
  Array rows = a;
  if (a.ndim() == cur.n - 1) rows = a.unsqueeze(0);
  bool ok = rows.ndim() == cur.n;
  for (int i = 1; ok && i < cur.n; ++i) ok = rows.dim(i) == cur[i];
  if (!ok) {
    Dims row = cur;
    row.erase(0);
    throw Error(what + ": shape mismatch: expected rows of shape " + format_shape(row) +
                ", got an array of shape " + format_shape(a.shape()));
  }
  Dims next = cur;
  next[0] += rows.dim(0);
  resize(obj, next);
  Selection sel;
  sel.n = 1;
  sel.dims[0] = Range{cur[0], rows.dim(0), 1, false};
  write(ctx, obj, rows, &sel);
}

// ---- attributes ----

namespace {

herr_t collect_attr(hid_t, const char* name, const H5A_info_t*, void* data) {
  static_cast<std::vector<std::string>*>(data)->emplace_back(name);
  return 0;
}

Handle open_attr(const Object& obj, const std::string& name, const std::string& what) {
  hid_t o = obj.id();
  init_thread();
  hid_t a = H5Aopen(o, name.c_str(), H5P_DEFAULT);
  if (a < 0) fail(what);
  return Handle(a, H5Aclose);
}

std::string attr_what(const char* verb, const Object& obj, const std::string& name) {
  return std::string(verb) + " attribute " + quoted(name) + " of " + quoted(obj.name());
}

// Deletes name when present, so that writing replaces (as h5py does).
void replace_attr(hid_t o, const std::string& name, const std::string& what) {
  htri_t e = H5Aexists(o, name.c_str());
  if (e < 0) fail(what);
  if (e > 0 && H5Adelete(o, name.c_str()) < 0) fail(what);
}

}  // namespace

std::vector<std::string> attr_names(const Object& obj) {
  hid_t o = obj.id();
  init_thread();
  std::vector<std::string> names;
  hsize_t idx = 0;
  if (H5Aiterate2(o, H5_INDEX_NAME, H5_ITER_INC, &idx, collect_attr, &names) < 0)
    fail("cannot list the attributes of " + quoted(obj.name()));
  return names;
}

bool has_attr(const Object& obj, const std::string& name) {
  hid_t o = obj.id();
  init_thread();
  htri_t e = H5Aexists(o, name.c_str());
  if (e < 0) fail(attr_what("cannot look up", obj, name));
  return e > 0;
}

TypeInfo attr_type(const Object& obj, const std::string& name) {
  const std::string what = attr_what("cannot read", obj, name);
  Handle a = open_attr(obj, name, what);
  Handle t = type(H5Aget_type(a.get()), what);
  return describe(t.get());
}

Array read_attr(Context& ctx, const Object& obj, const std::string& name) {
  const std::string what = attr_what("cannot read", obj, name);
  Handle a = open_attr(obj, name, what);
  Handle t = type(H5Aget_type(a.get()), what);
  TypeInfo ti = describe(t.get());
  if (ti.kind != TypeKind::Numeric && ti.kind != TypeKind::Bool) unsupported(ti, what);
  Handle sp = space(H5Aget_space(a.get()), what);
  if (H5Sget_simple_extent_type(sp.get()) == H5S_NULL)
    throw Error(what + ": it is empty (null dataspace)");
  Dims shape = dims_of_space(sp.get());
  Array out = Array::empty(ti.dtype, shape, ctx.account);
  Handle mt = memory_type(ti.dtype);
  if (out.size() > 0 && H5Aread(a.get(), mt.get(), out.data()) < 0) fail(what);
  return out;
}

Strings read_attr_strings(const Object& obj, const std::string& name) {
  const std::string what = attr_what("cannot read", obj, name);
  Handle a = open_attr(obj, name, what);
  Handle t = type(H5Aget_type(a.get()), what);
  TypeInfo ti = describe(t.get());
  if (ti.kind != TypeKind::String) throw Error(what + ": it does not hold strings");
  Handle sp = space(H5Aget_space(a.get()), what);
  Dims shape = dims_of_space(sp.get());
  Strings s = read_strings_impl(a.get(), true, ti, H5S_ALL, H5S_ALL, shape.product(), what);
  s.shape = shape;
  return s;
}

void write_attr(Context& ctx, const Object& obj, const std::string& name, const Array& a) {
  hid_t o = obj.id();
  init_thread();
  const std::string what = attr_what("cannot write", obj, name);
  Array c = ops::contiguous(ctx, a);
  Handle ft = file_type(c.dtype());
  Handle mt = memory_type(c.dtype());
  Handle sp = simple_space(c.shape());
  replace_attr(o, name, what);
  Handle at(H5Acreate2(o, name.c_str(), ft.get(), sp.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
  if (!at) fail(what);
  if (c.size() > 0 && H5Awrite(at.get(), mt.get(), c.data()) < 0) fail(what);
}

void write_attr_strings(const Object& obj, const std::string& name,
                        const std::vector<std::string>& values, const Dims& shape) {
  hid_t o = obj.id();
  init_thread();
  const std::string what = attr_what("cannot write", obj, name);
  if (shape.product() != static_cast<std::int64_t>(values.size()))
    throw Error(what + ": shape mismatch");
  Handle t = vlen_string_type();
  Handle sp = simple_space(shape);
  std::vector<const char*> ptrs;
  for (const auto& s : values) ptrs.push_back(s.c_str());
  replace_attr(o, name, what);
  Handle at(H5Acreate2(o, name.c_str(), t.get(), sp.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
  if (!at) fail(what);
  if (!ptrs.empty() && H5Awrite(at.get(), t.get(), ptrs.data()) < 0) fail(what);
}

void delete_attr(const Object& obj, const std::string& name) {
  hid_t o = obj.id();
  init_thread();
  if (H5Adelete(o, name.c_str()) < 0) fail(attr_what("cannot delete", obj, name));
}

}  // namespace tessera::h5
