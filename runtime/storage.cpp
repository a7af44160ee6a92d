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

void* MemoryAccount::allocate(std::size_t nbytes, bool zeroed) {
  if (!fits(nbytes)) throw Error("memory limit of " + std::to_string(limit()) + " bytes exceeded");
  void* p = pool_.take(nbytes, zeroed);
  if (p) charge(nbytes);
  return p;
}

void MemoryAccount::deallocate(void* p, std::size_t nbytes) {
  pool_.give(p, nbytes);
  release(nbytes);
}

std::shared_ptr<Storage> Storage::allocate(std::size_t nbytes,
                                           const std::shared_ptr<MemoryAccount>& account,
                                           bool zeroed) {
  void* p = account ? account->allocate(nbytes, zeroed) : nullptr;
  if (!account) {
    std::size_t size = BufferPool::class_size(nbytes);
    p = std::aligned_alloc(kAlignment, size);
    if (p && zeroed) std::memset(p, 0, size);
  }
  if (p == nullptr)
    throw Error("cannot allocate " + std::to_string(nbytes) + " bytes: out of memory");
  auto s = std::make_shared<Storage>(Key{});
  s->data_ = static_cast<std::byte*>(p);
  s->nbytes_ = nbytes;
  s->account_ = account;
  return s;
}

std::shared_ptr<Storage> Storage::borrow(void* data, std::size_t nbytes,
                                         std::function<void()> release,
                                         const std::shared_ptr<MemoryAccount>& account) {
  auto s = std::make_shared<Storage>(Key{});
  s->data_ = static_cast<std::byte*>(data);
  s->nbytes_ = nbytes;
  s->release_ = std::move(release);
  s->account_ = account;
  if (account) account->charge(nbytes);
  return s;
}

Storage::~Storage() {
  if (release_) {
    release_();
    if (account_) account_->release(nbytes_);
    return;
  }
  if (account_) account_->deallocate(data_, nbytes_);
  else std::free(data_);
}

}  // namespace tessera
