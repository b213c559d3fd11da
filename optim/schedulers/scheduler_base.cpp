#include <xgrad/optim/schedulers/scheduler_base.hpp>

#include <cmath>

#include <xgrad/core/message.hpp>

namespace xg::optim {

std::vector<double> SchedulerBase::read_lrs(const io::Archive& archive, const std::string& entry, std::size_t groups,
                                            const std::string& where) {
  const auto values = archive.get_array<double>(entry);
  if (values.dimension() != 1 || values.size() != groups)
    throw io::FormatError(where + "'" + entry + "' holds " + std::to_string(values.size()) +
                          " values but the optimizer has " + std::to_string(groups) + " param groups");
  for (std::size_t g = 0; g < groups; ++g)
    if (!(std::isfinite(values[g]) && values[g] >= 0))
      throw io::FormatError(where + "'" + entry + "' holds " + number_text(values[g]) + " for param group " +
                            std::to_string(g) + ", expected a finite lr >= 0");
  return std::vector<double>(values.begin(), values.end());
}

}  // namespace xg::optim
