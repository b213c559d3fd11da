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

template <class S>
class BasicSequential : public Convertible<BasicSequential, S> {
 public:
  BasicSequential() = default;
  // Takes modules by value (moved or copied into shared ownership). A single
  // Sequential argument copies it rather than nesting it.
  template <class... Ms>
  requires(sizeof...(Ms) > 0 && (std::derived_from<std::remove_cvref_t<Ms>, BasicModule<S>> && ...) &&
           !(sizeof...(Ms) == 1 && (std::same_as<std::remove_cvref_t<Ms>, BasicSequential> && ...))) explicit(false)
      BasicSequential(Ms&&... modules) {
    (push_back(std::forward<Ms>(modules)), ...);
  }

  template <class M>
  requires std::derived_from<std::remove_cvref_t<M>, BasicModule<S>>
  void push_back(M&& module) { push_back(std::make_shared<std::remove_cvref_t<M>>(std::forward<M>(module))); }
  // Shares a module with the caller (a layer tied between two models).
  void push_back(std::shared_ptr<BasicModule<S>> module);
  // push_back returning this Sequential, as torch.nn.Sequential.append.
  template <class M>
  BasicSequential& append(M&& module) {
    push_back(std::forward<M>(module));
    return *this;
  }

  // Modules [start, stop) in a new Sequential sharing them (and so their
  // parameters), as model[start:stop] in PyTorch: negative indices count
  // from the end and both are clamped to [0, size()], so slice(0, -1) drops
  // the last module and slice(2, 1) is empty. Its children are named from
  // "0" (PyTorch's slice keeps the original names).
  BasicSequential slice(long start, long stop) const;

  std::size_t size() const { return modules_.size(); }
  // Throws std::out_of_range past the end.
  BasicModule<S>& operator[](std::size_t index) const;
  // The module at `index` as its concrete type; throws std::invalid_argument
  // when it is another type.
  template <class M>
  M& at(std::size_t index) const {
    auto* m = dynamic_cast<M*>(&(*this)[index]);
    if (!m) throw_wrong_type(index, typeid(M));
    return *m;
  }

  BasicTensor<S> forward(const BasicTensor<S>& input) override;
  std::vector<std::pair<std::string, std::shared_ptr<BasicModule<S>>>> named_children() const override;

  // Every module converted to T (to<T>() adds this one's training mode). A
  // module held twice becomes two copies.
  template <class T>
  BasicSequential<T> converted() const {
    BasicSequential<T> out;
    for (const auto& m : modules_) out.push_back(m->template to<T>());
    return out;
  }

 private:
  [[noreturn]] void throw_wrong_type(std::size_t index, const std::type_info& wanted) const;
  std::vector<std::shared_ptr<BasicModule<S>>> modules_;
};

using Sequential = BasicSequential<float>;

extern template class BasicSequential<float>;
extern template class BasicSequential<double>;

}  // namespace xg::nn
