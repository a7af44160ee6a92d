#include "counters.hpp"

#include <dirent.h>
#include <linux/perf_event.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace tessera::prof {
namespace {

long perf_event_open(perf_event_attr* attr, pid_t pid, int cpu, int group, unsigned long flags) {
  return syscall(SYS_perf_event_open, attr, pid, cpu, group, flags);
}

std::vector<pid_t> threads_of_process() {
  std::vector<pid_t> tids;
  if (DIR* dir = opendir("/proc/self/task")) {
    while (dirent* e = readdir(dir))
      if (e->d_name[0] != '.') tids.push_back(static_cast<pid_t>(std::atoi(e->d_name)));
    closedir(dir);
  }
  if (tids.empty()) tids.push_back(0);  // no /proc: the calling thread
  return tids;
}

std::string open_error(int err) {
  switch (err) {
    case EACCES:
    case EPERM: return "not permitted (" + paranoid_setting() + ")";
    case ENOENT:
    case EOPNOTSUPP:
    case ENODEV: return "not supported by this CPU or kernel (no PMU in a VM?)";
    case ENOSYS: return "perf_event_open is not available in this kernel";
    default: return std::string("perf_event_open failed: ") + std::strerror(err);
  }
}

}  // namespace

const std::vector<EventSpec>& known_events() {
  static const std::vector<EventSpec> events = {
      {"cycles", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES},
      {"instructions", PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS},
      {"cache_references", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CACHE_REFERENCES},
      {"cache_misses", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CACHE_MISSES},
      {"branch_misses", PERF_TYPE_HARDWARE, PERF_COUNT_HW_BRANCH_MISSES},
      {"page_faults", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS},
      {"context_switches", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CONTEXT_SWITCHES},
      {"task_clock", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK},
  };
  return events;
}

const EventSpec* find_event(const std::string& name) {
  for (const EventSpec& e : known_events())
    if (name == e.name) return &e;
  return nullptr;
}

std::string paranoid_setting() {
  std::FILE* f = std::fopen("/proc/sys/kernel/perf_event_paranoid", "r");
  if (!f) return "no /proc/sys/kernel/perf_event_paranoid";
  int level = 0;
  bool ok = std::fscanf(f, "%d", &level) == 1;
  std::fclose(f);
  if (!ok) return "unreadable /proc/sys/kernel/perf_event_paranoid";
  return "kernel.perf_event_paranoid = " + std::to_string(level);
}

Counters::Counters(std::vector<const EventSpec*> events)
    : events_(std::move(events)), errors_(events_.size()), opened_(events_.size(), 0) {}

Counters::~Counters() { close_all(); }

void Counters::close_all() {
  for (const Open& o : open_) close(o.fd);
  open_.clear();
}

void Counters::start() {
  std::vector<pid_t> tids = threads_of_process();
  for (std::size_t e = 0; e < events_.size(); ++e) {
    for (pid_t tid : tids) {
      perf_event_attr attr;
      std::memset(&attr, 0, sizeof attr);
      attr.size = sizeof attr;
      attr.type = events_[e]->type;
      attr.config = events_[e]->config;
      attr.disabled = 1;
      attr.inherit = 1;
      attr.exclude_hv = 1;
      attr.read_format = PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING;
      // Software events (page faults) happen in the kernel: count them there
      // when allowed; hardware events count user space only.
      attr.exclude_kernel = events_[e]->type == PERF_TYPE_SOFTWARE ? 0 : 1;
      long fd = perf_event_open(&attr, tid, -1, -1, PERF_FLAG_FD_CLOEXEC);
      if (fd < 0 && (errno == EACCES || errno == EPERM) && !attr.exclude_kernel) {
        attr.exclude_kernel = 1;
        fd = perf_event_open(&attr, tid, -1, -1, PERF_FLAG_FD_CLOEXEC);
      }
      if (fd < 0) {
        // A thread that exited since the listing is not an error.
        if (errno != ESRCH && errors_[e].empty()) errors_[e] = open_error(errno);
        continue;
      }
      open_.push_back(Open{e, static_cast<int>(fd)});
      ++opened_[e];
    }
  }
  for (const Open& o : open_) ioctl(o.fd, PERF_EVENT_IOC_ENABLE, 0);
}

std::vector<Counters::Result> Counters::stop() {
  for (const Open& o : open_) ioctl(o.fd, PERF_EVENT_IOC_DISABLE, 0);
  std::vector<Result> out(events_.size());
  std::vector<double> sums(events_.size(), 0.0);
  std::vector<int> read_ok(events_.size(), 0);
  for (const Open& o : open_) {
    std::uint64_t v[3] = {0, 0, 0};  // value, time enabled, time running
    if (read(o.fd, v, sizeof v) != static_cast<ssize_t>(sizeof v)) continue;
    ++read_ok[o.event];
    if (v[2] == 0) continue;  // never scheduled (or the thread never ran)
    sums[o.event] += v[1] > v[2] ? double(v[0]) * double(v[1]) / double(v[2]) : double(v[0]);
  }
  close_all();
  for (std::size_t e = 0; e < events_.size(); ++e) {
    Result& r = out[e];
    r.name = events_[e]->name;
    r.available = read_ok[e] > 0 && opened_[e] > 0;
    r.value = static_cast<std::uint64_t>(sums[e] + 0.5);
    if (!r.available) r.reason = errors_[e].empty() ? "could not be read" : errors_[e];
  }
  return out;
}

}  // namespace tessera::prof
