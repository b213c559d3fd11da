#include <algorithm>
#include <memory>
#include <stdexcept>
#include <string>
#include <typeinfo>
#include <xgrad/core/detail/type_name.hpp>
#include <xgrad/nn/sequential.hpp>

namespace xg::nn {

template <class S>
void BasicSequential<S>::push_back(std::shared_ptr<BasicModule<S>> module) {
  if (!module) throw std::invalid_argument("Sequential::push_back: the module is null");
  modules_.push_back(std::move(module));
}

template <class S>
BasicSequential<S> BasicSequential<S>::slice(long start, long stop) const {
  const long size = static_cast<long>(modules_.size());
  const auto clamped = [size](long i) { return std::clamp(i < 0 ? i + size : i, 0L, size); };
  BasicSequential out;
  for (long i = clamped(start); i < clamped(stop); ++i) out.push_back(modules_[static_cast<std::size_t>(i)]);
  return out;
}

template <class S>
BasicModule<S>& BasicSequential<S>::operator[](std::size_t index) const {
  if (index >= modules_.size())
    throw std::out_of_range("Sequential[" + std::to_string(index) + "]: out of range for " +
                            std::to_string(modules_.size()) + " modules");
  return *modules_[index];
}

template <class S>
void BasicSequential<S>::throw_wrong_type(std::size_t index, const std::type_info& wanted) const {
  const BasicModule<S>& found = *modules_[index];
  throw std::invalid_argument("Sequential::at(" + std::to_string(index) + "): the module there is a " +
                              readable_type_name(typeid(found)) + ", not a " + readable_type_name(wanted));
}

template <class S>
BasicTensor<S> BasicSequential<S>::forward(const BasicTensor<S>& input) {
  BasicTensor<S> x = input;
  for (auto& m : modules_) x = m->forward(x);
  return x;
}

template <class S>
std::vector<std::pair<std::string, std::shared_ptr<BasicModule<S>>>> BasicSequential<S>::named_children() const {
  std::vector<std::pair<std::string, std::shared_ptr<BasicModule<S>>>> out;
  out.reserve(modules_.size());
  for (std::size_t i = 0; i < modules_.size(); ++i) out.emplace_back(std::to_string(i), modules_[i]);
  return out;
}

template class BasicSequential<float>;
template class BasicSequential<double>;

}  // namespace xg::nn
