#include "stream.hpp"

namespace tessera::h5 {

IoThread& IoThread::instance() {
  static IoThread io;
  return io;
}

IoThread::~IoThread() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void IoThread::submit(std::function<void()> job) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!thread_.joinable()) thread_ = std::thread([this] { loop(); });
    jobs_.push_back(std::move(job));
  }
  wake_.notify_one();
}

void IoThread::loop() {
  init_thread();
  for (;;) {
    std::function<void()> job;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [this] { return stop_ || !jobs_.empty(); });
      if (jobs_.empty()) return;
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    job();
  }
}

BlockReader::BlockReader(std::shared_ptr<MemoryAccount> account, std::shared_ptr<Object> dataset,
                         std::int64_t rows, bool prefetch)
    : account_(std::move(account)), dataset_(std::move(dataset)), prefetch_(prefetch) {
  DatasetInfo di = info(*dataset_);
  if (di.shape.n == 0) throw Error("cannot iterate over a scalar dataset");
  if (di.type.kind != TypeKind::Numeric && di.type.kind != TypeKind::Bool)
    unsupported(di.type, "cannot iterate over dataset '" + dataset_->name() + "'");
  total_ = di.shape[0];
  std::int64_t row_bytes = static_cast<std::int64_t>(dtype_size(di.type.dtype));
  for (int i = 1; i < di.shape.n; ++i) row_bytes *= di.shape[i];
  if (rows <= 0) {
    rows =
        std::max<std::int64_t>(1, (std::int64_t{8} << 20) / std::max<std::int64_t>(row_bytes, 1));
    if (di.chunks.n > 0 && rows > di.chunks[0]) rows -= rows % di.chunks[0];
  }
  rows_ = rows;
}

BlockReader::~BlockReader() { close(); }

void BlockReader::close() {
  if (closed_) return;
  closed_ = true;
  if (pending_.valid()) {
    pending_.wait();
    try {
      pending_.get();
    } catch (...) {}
  }
}

Array BlockReader::read_block(std::int64_t first, std::int64_t count) const {
  Selection sel;
  sel.n = 1;
  sel.dims[0] = Range{first, count, 1, false};
  return read(account_, *dataset_, &sel);
}

void BlockReader::start(std::int64_t first) {
  if (first >= total_) return;
  std::int64_t count = std::min(rows_, total_ - first);
  auto task = std::make_shared<std::packaged_task<Array()>>([this, first, count] {
    std::shared_ptr<FileState> file = dataset_->file();
    std::lock_guard<std::mutex> lock(file->io);
    if (!file->open) throw Error("file has been closed");
    return read_block(first, count);
  });
  pending_ = task->get_future();
  pending_first_ = first;
  IoThread::instance().submit([task] { (*task)(); });
}

bool BlockReader::next(Array& block, std::int64_t& first, std::int64_t& count) {
  if (closed_) throw Error("the block iterator has been closed");
  if (!dataset_->file()->open) {
    close();  // waits for a read in flight
    throw Error("file has been closed");
  }
  if (next_ >= total_) {
    close();
    return false;
  }
  first = next_;
  count = std::min(rows_, total_ - first);
  if (pending_.valid() && pending_first_ == first) {
    block = pending_.get();
  } else {
    if (pending_.valid()) pending_.get();
    block = read_block(first, count);
  }
  next_ = first + count;
  if (prefetch_) start(next_);
  return true;
}

}  // namespace tessera::h5
