#include "storage.hpp"

#include <cstdlib>
#include <cstring>
#include <new>

#include "errors.hpp"

namespace tessera {

void MemoryAccount::charge(std::size_t bytes) {
  std::size_t now = live_.fetch_add(bytes, std::memory_order_relaxed) + bytes;
  std::size_t peak = peak_.load(std::memory_order_relaxed);
  while (now > peak && !peak_.compare_exchange_weak(peak, now, std::memory_order_relaxed)) {
  }
  recent_.fetch_add(bytes, std::memory_order_relaxed);
  allocations_.fetch_add(1, std::memory_order_relaxed);
}

void MemoryAccount::release(std::size_t bytes) {
  live_.fetch_sub(bytes, std::memory_order_relaxed);
}

std::shared_ptr<Storage> Storage::allocate(std::size_t nbytes,
                                           std::shared_ptr<MemoryAccount> account, bool zeroed) {
  std::size_t rounded = (nbytes + kAlignment - 1) / kAlignment * kAlignment;
  if (rounded == 0) rounded = kAlignment;
  if (rounded < nbytes) throw Error("cannot allocate " + std::to_string(nbytes) + " bytes");
  void* p = std::aligned_alloc(kAlignment, rounded);
  if (p != nullptr && zeroed) std::memset(p, 0, rounded);
  if (p == nullptr)
    throw Error("cannot allocate " + std::to_string(nbytes) + " bytes: out of memory");
  std::shared_ptr<Storage> s(new Storage());
  s->data_ = static_cast<std::byte*>(p);
  s->nbytes_ = nbytes;
  s->account_ = std::move(account);
  if (s->account_) s->account_->charge(nbytes);
  return s;
}

std::shared_ptr<Storage> Storage::borrow(void* data, std::size_t nbytes,
                                         std::function<void()> release) {
  std::shared_ptr<Storage> s(new Storage());
  s->data_ = static_cast<std::byte*>(data);
  s->nbytes_ = nbytes;
  s->release_ = std::move(release);
  return s;
}

Storage::~Storage() {
  if (release_) {
    release_();
    return;
  }
  std::free(data_);
  if (account_) account_->release(nbytes_);
}

}  // namespace tessera
