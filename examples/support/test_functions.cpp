#include "test_functions.hpp"

#include <cmath>

#include "pictures.hpp"

namespace xg::examples {

double TestFunction::lr(const std::string& optimizer) const {
  if (optimizer == "SGD" || optimizer == "ASGD") return sgd_lr;
  if (optimizer == "Momentum" || optimizer == "Nesterov" || optimizer == "SGDScheduleFree") return momentum_lr;
  if (optimizer == "Adadelta") return 10 * adaptive_lr;
  if (optimizer == "LBFGS") return 1.0;
  return adaptive_lr;
}

bool TestFunction::near_minimum(double x, double y, double distance) const {
  return view.minimum && std::hypot(x - (*view.minimum)[0], y - (*view.minimum)[1]) < distance;
}

PathLog::PathLog(const TestFunction& fn) : fn_(fn) { csv_ << "optimizer,step,x,y,f\n"; }

const plot::Path& PathLog::start(const std::string& optimizer) {
  return paths_.emplace_back(plot::Path{optimizer, {fn_.x0}, {fn_.y0}});
}

void PathLog::add(int step, double x, double y) {
  add_point(paths_.back(), x, y);
  csv_ << paths_.back().label << ',' << step << ',' << x << ',' << y << ',' << fn_.value(x, y) << '\n';
}

void PathLog::write(const std::string& dir) const {
  plot::write_file(dir + "/" + fn_.name + ".svg", plot::contour_svg(fn_.value, paths_, fn_.view));
  plot::write_file(dir + "/" + fn_.name + ".csv", csv_.str());
}

}  // namespace xg::examples
