// Array: a typed, strided, N-dimensional view of a Storage.
//
// An Array is cheap to copy: copies share the storage (they are views, like
// NumPy's). Strides and the offset count elements, not bytes, and may be
// negative or zero (broadcast). All indices in this C++ interface are 0-based;
// the Lua bindings translate Lua's 1-based, inclusive, negative-from-the-end
// conventions before calling here.
#pragma once

#include <cstdint>
#include <memory>

#include "dtype.hpp"
#include "shape.hpp"
#include "storage.hpp"

namespace tessera {

class Array {
 public:
  // An empty (released) array: no storage. Used for closed handles.
  Array() = default;
  Array(std::shared_ptr<Storage> storage, DType dtype, const Dims& shape, const Dims& strides,
        std::int64_t offset);

  // A new C-contiguous array. Throws on negative extents, overflow or when
  // memory cannot be had.
  static Array empty(DType dtype, const Dims& shape,
                     const std::shared_ptr<MemoryAccount>& account = nullptr);
  static Array zeros(DType dtype, const Dims& shape,
                     const std::shared_ptr<MemoryAccount>& account = nullptr);

  bool valid() const { return storage_ != nullptr; }
  DType dtype() const { return dtype_; }
  std::size_t itemsize() const { return dtype_size(dtype_); }
  int ndim() const { return shape_.n; }
  const Dims& shape() const { return shape_; }
  const Dims& strides() const { return strides_; }
  std::int64_t dim(int d) const { return shape_[d]; }
  std::int64_t stride(int d) const { return strides_[d]; }
  std::int64_t offset() const { return offset_; }
  std::int64_t size() const { return shape_.product(); }
  std::size_t nbytes() const { return static_cast<std::size_t>(size()) * itemsize(); }
  const std::shared_ptr<Storage>& storage() const { return storage_; }

  // Pointer to the element at all-zero indices.
  void* data() const { return storage_->data() + offset_ * static_cast<std::int64_t>(itemsize()); }
  template <class T>
  T* data_as() const {
    return reinterpret_cast<T*>(data());
  }
  // Pointer to the element at the given 0-based indices (unchecked).
  void* element_ptr(const std::int64_t* index) const;

  bool is_contiguous() const;
  bool shares_storage(const Array& other) const { return storage_ == other.storage_; }

  // Views: share storage, never copy.
  Array slice(int dim, std::int64_t start, std::int64_t count, std::int64_t step) const;
  Array select(int dim, std::int64_t index) const;  // removes dim
  Array narrow(int dim, std::int64_t start, std::int64_t length) const;
  Array transpose(int d1, int d2) const;
  Array T() const;  // reverses all dimensions
  Array permute(const Dims& order) const;
  Array squeeze() const;
  Array squeeze(int dim) const;
  Array unsqueeze(int dim) const;
  Array broadcast_to(const Dims& shape) const;
  // A view with a new shape when the strides allow it; otherwise invalid().
  Array view_as(const Dims& shape) const;

 private:
  std::shared_ptr<Storage> storage_;
  DType dtype_ = DType::Float64;
  Dims shape_;
  Dims strides_;
  std::int64_t offset_ = 0;
};

}  // namespace tessera
