#include <cxxabi.h>

#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <string>
#include <typeinfo>
#include <xgrad/nn/sequential.hpp>

namespace xg::nn {

namespace {
std::string readable_name(const std::type_info& type) {
  int status = 0;
  std::unique_ptr<char, void (*)(void*)> name(abi::__cxa_demangle(type.name(), nullptr, nullptr, &status), std::free);
  return status == 0 && name ? name.get() : type.name();
}
}  // namespace

void Sequential::push_back(std::shared_ptr<Module> module) {
  if (!module) throw std::invalid_argument("Sequential::push_back: the module is null");
  modules_.push_back(std::move(module));
}

Module& Sequential::operator[](std::size_t index) const {
  if (index >= modules_.size())
    throw std::out_of_range("Sequential[" + std::to_string(index) + "]: out of range for " +
                            std::to_string(modules_.size()) + " modules");
  return *modules_[index];
}

void Sequential::throw_wrong_type(std::size_t index, const std::type_info& wanted) const {
  const Module& found = *modules_[index];
  throw std::invalid_argument("Sequential::at(" + std::to_string(index) + "): the module there is a " +
                              readable_name(typeid(found)) + ", not a " + readable_name(wanted));
}

Tensor Sequential::forward(const Tensor& input) {
  Tensor x = input;
  for (auto& m : modules_) x = m->forward(x);
  return x;
}

std::vector<std::pair<std::string, std::shared_ptr<Module>>> Sequential::named_children() const {
  std::vector<std::pair<std::string, std::shared_ptr<Module>>> out;
  out.reserve(modules_.size());
  for (std::size_t i = 0; i < modules_.size(); ++i) out.emplace_back(std::to_string(i), modules_[i]);
  return out;
}

}  // namespace xg::nn
