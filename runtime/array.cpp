#include "array.hpp"

#include <string>

namespace tessera {

namespace {

void check_dim(int dim, int ndim) {
  if (dim < 0 || dim >= ndim)
    throw Error("dimension " + std::to_string(dim + 1) + " out of range for " +
                std::to_string(ndim) + "-d array");
}

// No mainstream platform gives a process more than 2^47 bytes (128 TiB) of
// address space; larger requests fail here with an Error instead of reaching
// the allocator (which under AddressSanitizer aborts on absurd sizes).
constexpr std::int64_t kMaxArrayBytes = std::int64_t{1} << 47;

std::size_t checked_bytes(DType dtype, const Dims& shape) {
  std::int64_t n = checked_size(shape);
  std::int64_t item = static_cast<std::int64_t>(dtype_size(dtype));
  if (n > kMaxArrayBytes / item)
    throw Error("array of shape " + format_shape(shape) + " is too large");
  return static_cast<std::size_t>(n * item);
}

}  // namespace

Array::Array(std::shared_ptr<Storage> storage, DType dtype, const Dims& shape, const Dims& strides,
             std::int64_t offset)
    : storage_(std::move(storage)), dtype_(dtype), shape_(shape), strides_(strides),
      offset_(offset) {}

Array Array::empty(DType dtype, const Dims& shape, const std::shared_ptr<MemoryAccount>& account) {
  auto storage = Storage::allocate(checked_bytes(dtype, shape), account);
  return Array(std::move(storage), dtype, shape, contiguous_strides(shape), 0);
}

Array Array::zeros(DType dtype, const Dims& shape, const std::shared_ptr<MemoryAccount>& account) {
  auto storage = Storage::allocate(checked_bytes(dtype, shape), account, true);
  return Array(std::move(storage), dtype, shape, contiguous_strides(shape), 0);
}

void* Array::element_ptr(const std::int64_t* index) const {
  std::int64_t off = offset_;
  for (int d = 0; d < shape_.n; ++d) off += index[d] * strides_[d];
  return storage_->data() + off * static_cast<std::int64_t>(itemsize());
}

bool Array::is_contiguous() const {
  std::int64_t expected = 1;
  for (int d = shape_.n - 1; d >= 0; --d) {
    if (shape_[d] == 0) return true;
    if (shape_[d] != 1 && strides_[d] != expected) return false;
    expected *= shape_[d];
  }
  return true;
}

Array Array::slice(int dim, std::int64_t start, std::int64_t count, std::int64_t step) const {
  check_dim(dim, ndim());
  Array r = *this;
  if (count > 0) r.offset_ += start * strides_[dim];
  r.shape_[dim] = count;
  r.strides_[dim] = strides_[dim] * step;
  return r;
}

Array Array::select(int dim, std::int64_t index) const {
  check_dim(dim, ndim());
  if (index < 0 || index >= shape_[dim])
    throw Error("index " + std::to_string(index + 1) + " out of range for dimension " +
                std::to_string(dim + 1) + " of size " + std::to_string(shape_[dim]));
  Array r = *this;
  r.offset_ += index * strides_[dim];
  r.shape_.erase(dim);
  r.strides_.erase(dim);
  return r;
}

Array Array::narrow(int dim, std::int64_t start, std::int64_t length) const {
  check_dim(dim, ndim());
  if (start < 0 || length < 0 || start > shape_[dim] || length > shape_[dim] - start)
    throw Error("range of length " + std::to_string(length) + " starting at " +
                std::to_string(start + 1) + " exceeds dimension " + std::to_string(dim + 1) +
                " of size " + std::to_string(shape_[dim]));
  return slice(dim, start, length, 1);
}

Array Array::transpose(int d1, int d2) const {
  check_dim(d1, ndim());
  check_dim(d2, ndim());
  Array r = *this;
  std::swap(r.shape_[d1], r.shape_[d2]);
  std::swap(r.strides_[d1], r.strides_[d2]);
  return r;
}

Array Array::T() const {
  Array r = *this;
  for (int i = 0; i < ndim(); ++i) {
    r.shape_[i] = shape_[ndim() - 1 - i];
    r.strides_[i] = strides_[ndim() - 1 - i];
  }
  return r;
}

Array Array::permute(const Dims& order) const {
  if (order.n != ndim())
    throw Error("expected a permutation of " + std::to_string(ndim()) + " dimensions, got " +
                std::to_string(order.n));
  bool seen[kMaxDims] = {};
  Array r = *this;
  for (int i = 0; i < order.n; ++i) {
    int d = static_cast<int>(order[i]);
    check_dim(d, ndim());
    if (seen[d]) throw Error("dimension " + std::to_string(d + 1) + " repeated in permutation");
    seen[d] = true;
    r.shape_[i] = shape_[d];
    r.strides_[i] = strides_[d];
  }
  return r;
}

Array Array::squeeze() const {
  Array r = *this;
  r.shape_.n = r.strides_.n = 0;
  for (int d = 0; d < ndim(); ++d) {
    if (shape_[d] == 1) continue;
    r.shape_.push(shape_[d]);
    r.strides_.push(strides_[d]);
  }
  return r;
}

Array Array::squeeze(int dim) const {
  check_dim(dim, ndim());
  if (shape_[dim] != 1)
    throw Error("cannot squeeze dimension " + std::to_string(dim + 1) + " of size " +
                std::to_string(shape_[dim]));
  Array r = *this;
  r.shape_.erase(dim);
  r.strides_.erase(dim);
  return r;
}

Array Array::unsqueeze(int dim) const {
  if (dim < 0 || dim > ndim())
    throw Error("dimension " + std::to_string(dim + 1) + " out of range for unsqueeze of " +
                std::to_string(ndim()) + "-d array");
  Array r = *this;
  std::int64_t stride = dim < ndim() ? strides_[dim] * shape_[dim] : 1;
  r.shape_.insert(dim, 1);
  r.strides_.insert(dim, stride);
  return r;
}

Array Array::broadcast_to(const Dims& shape) const {
  if (shape.n < ndim())
    throw Error("cannot broadcast shape " + format_shape(shape_) + " to " + format_shape(shape));
  Array r = *this;
  r.shape_ = shape;
  r.strides_ = Dims::filled(shape.n, 0);
  for (int i = 0; i < shape.n; ++i) {
    if (shape[i] < 0) throw Error("negative dimension " + std::to_string(shape[i]));
    int j = i - (shape.n - ndim());
    if (j < 0) continue;
    if (shape_[j] == shape[i]) {
      r.strides_[i] = strides_[j];
    } else if (shape_[j] != 1) {
      throw Error("cannot broadcast shape " + format_shape(shape_) + " to " + format_shape(shape));
    }
  }
  return r;
}

Array Array::view_as(const Dims& shape) const {
  // Walk both shapes in matching groups of equal element count; each group of
  // the old shape must be contiguous within itself (NumPy's attempt_nocopy_reshape).
  Array r = *this;
  r.shape_ = shape;
  r.strides_ = Dims::filled(shape.n, 0);
  if (size() == 0 || shape.n == 0) {
    r.strides_ = contiguous_strides(shape);
    return r;
  }
  Dims os, ost;  // old shape without 1s
  for (int i = 0; i < ndim(); ++i)
    if (shape_[i] != 1) {
      os.push(shape_[i]);
      ost.push(strides_[i]);
    }
  int oi = 0, ni = 0;
  while (ni < shape.n) {
    if (shape[ni] == 1) {
      r.strides_[ni] = 1;
      ++ni;
      continue;
    }
    if (oi >= os.n) return Array();
    int oj = oi + 1, nj = ni + 1;
    std::int64_t op = os[oi], np = shape[ni];
    while (op != np) {
      if (op < np) {
        if (oj >= os.n) return Array();
        op *= os[oj++];
      } else {
        if (nj >= shape.n) return Array();
        np *= shape[nj++];
      }
    }
    for (int k = oi; k < oj - 1; ++k)
      if (ost[k] != ost[k + 1] * os[k + 1]) return Array();
    std::int64_t s = ost[oj - 1];
    for (int k = nj - 1; k >= ni; --k) {
      r.strides_[k] = s;
      s *= shape[k];
    }
    oi = oj;
    ni = nj;
  }
  return r;
}

}  // namespace tessera
