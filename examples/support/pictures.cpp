#include "pictures.hpp"

#include <cstdio>

namespace xg::examples {

void add_point(plot::Series& series, double x, double y) {
  series.x.push_back(x);
  series.y.push_back(y);
}

void add_point(plot::Path& path, double x, double y) {
  path.x.push_back(x);
  path.y.push_back(y);
}

void write_output(const std::string& dir, const std::string& file, const std::string& text) {
  plot::write_file(dir + "/" + file, text);
  std::printf("wrote %s/%s\n", dir.c_str(), file.c_str());
}

optim::OptimizerBase& SgdPerSchedule::operator()() {
  return kept_.emplace_back(std::vector<Tensor>{zeros({1}, true)}, optim::SGDOptions{.lr = 0.1, .momentum = 0.9});
}

plot::Series lr_trace(const std::string& label, optim::LRScheduler& schedule, long steps) {
  plot::Series lrs{label, {}, {}};
  for (long t = 0; t <= steps; ++t, schedule.step()) add_point(lrs, static_cast<double>(t), schedule.optimizer().lr());
  return lrs;
}

}  // namespace xg::examples
