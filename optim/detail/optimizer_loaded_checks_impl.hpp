#pragma once
// Member definitions of Optimizer: what load_state_dict checks of the saved
// state buffers and entry names (optimizer_impl.hpp includes it).

#include <algorithm>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_set>

#include <xgrad/core/archive.hpp>
#include <xgrad/core/message.hpp>
#include <xgrad/optim/optimizer.hpp>

namespace xg::optim {

template <class Scalar, class Options, class Derived>
void Optimizer<Scalar, Options, Derived>::check_saved_values(const Array<Scalar>& buffer, std::size_t k,
                                                             std::size_t group, std::size_t index) const {
  const std::string what = std::string(Derived::name) + ".load_state_dict: the saved '" + Derived::state_names[k] +
                           "' of " + describe(group, index);
  if (const auto bad = first_non_finite(buffer))
    throw std::invalid_argument(what + " holds " + describe_element(buffer, *bad) + " of shape " +
                                shape_to_string(buffer.shape()));
  if constexpr (requires { Derived::non_negative_state; }) {
    const std::string_view name = Derived::state_names[k];
    if (std::find(Derived::non_negative_state.begin(), Derived::non_negative_state.end(), name) ==
        Derived::non_negative_state.end())
      return;
    const Scalar* data = buffer.data();
    for (std::size_t j = 0; j < buffer.size(); ++j)
      if (data[j] < 0)
        throw std::invalid_argument(what + " holds " + number_text(data[j]) + " at flat index " + std::to_string(j) +
                                    " of shape " + shape_to_string(buffer.shape()) +
                                    ", but it is never negative (a sum, mean or maximum of squares or magnitudes)");
  }
}

template <class Scalar, class Options, class Derived>
void Optimizer<Scalar, Options, Derived>::check_saved_names(const io::Archive& a,
                                                            const std::unordered_set<std::string>& known_keys) const {
  std::unordered_set<std::string_view> entries{"step", "row_step"};
  entries.insert(Derived::state_names.begin(), Derived::state_names.end());
  if constexpr (requires { Derived::scalar_state; })
    for (const ScalarState& entry : Derived::scalar_state) entries.insert(entry.name);
  for (const std::string& name : a.names()) {
    if (!name.starts_with("state.")) continue;
    // "state.<parameter>.<entry>": parameter names may hold dots, entries do not.
    const auto dot = name.find_last_of('.');
    const std::string key = name.substr(0, dot + 1);
    if (!known_keys.count(key))
      throw std::invalid_argument(std::string(Derived::name) + ".load_state_dict: the state holds " +
                                  quoted_text(name) + " for a parameter this optimizer does not have");
    if (!entries.count(std::string_view(name).substr(dot + 1)))
      throw std::invalid_argument(std::string(Derived::name) + ".load_state_dict: the state holds " +
                                  quoted_text(name) + ", but " + Derived::name + " keeps no state of that name");
  }
}

}  // namespace xg::optim
