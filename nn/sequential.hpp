#pragma once
// A chain of modules applied in order, owning them:
//   nn::Sequential model{nn::Linear(64, 64), nn::Tanh(), nn::Linear(64, 10)};
// Children are named by position, so parameters are "0.weight", "0.bias",
// "2.weight"...

#include <concepts>
#include <cstddef>
#include <memory>
#include <type_traits>
#include <typeinfo>
#include <vector>
#include <xgrad/nn/module.hpp>

namespace xg::nn {

class Sequential : public Module {
 public:
  Sequential() = default;
  // Takes modules by value (moved or copied into shared ownership). A single
  // Sequential argument copies it rather than nesting it.
  template <class... Ms>
  requires(sizeof...(Ms) > 0 && (std::derived_from<std::remove_cvref_t<Ms>, Module> && ...) &&
           !(sizeof...(Ms) == 1 && (std::same_as<std::remove_cvref_t<Ms>, Sequential> && ...))) explicit(false)
      Sequential(Ms&&... modules) {
    (push_back(std::forward<Ms>(modules)), ...);
  }

  template <class M>
  requires std::derived_from<std::remove_cvref_t<M>, Module>
  void push_back(M&& module) { push_back(std::make_shared<std::remove_cvref_t<M>>(std::forward<M>(module))); }
  // Shares a module with the caller (a layer tied between two models).
  void push_back(std::shared_ptr<Module> module);

  std::size_t size() const { return modules_.size(); }
  // Throws std::out_of_range past the end.
  Module& operator[](std::size_t index) const;
  // The module at `index` as its concrete type; throws std::invalid_argument
  // when it is another type.
  template <class M>
  M& at(std::size_t index) const {
    auto* m = dynamic_cast<M*>(&(*this)[index]);
    if (!m) throw_wrong_type(index, typeid(M));
    return *m;
  }

  Tensor forward(const Tensor& input) override;
  std::vector<std::pair<std::string, std::shared_ptr<Module>>> named_children() const override;

 private:
  [[noreturn]] void throw_wrong_type(std::size_t index, const std::type_info& wanted) const;
  std::vector<std::shared_ptr<Module>> modules_;
};

}  // namespace xg::nn
