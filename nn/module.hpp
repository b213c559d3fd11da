#pragma once
// The base of every layer and model: a function of one tensor of scalar type
// S (float or double) that owns named parameters, buffers and child modules,
// switches between training and evaluation, and saves and loads its state.
// `Module` is the float32 one; `model.to<double>()` makes a float64 copy of a
// whole model, for gradcheck.
//
// Copies of a module share its parameters and buffers (tensors are handles),
// as two references to one torch.nn.Module would; to<T>() copies them.
//
// A module of one's own is a template on the scalar type too:
//
//   template <class S>
//   class BasicAffine : public nn::Convertible<BasicAffine, S> {
//    public:
//     explicit BasicAffine(std::size_t n) : scale(xg::ones<S>({n}, true)), shift(xg::zeros<S>({n}, true)) {}
//     BasicTensor<S> forward(const BasicTensor<S>& x) override { return x * scale + shift; }
//     // The same module holding T, for to<T>().
//     template <class T>
//     BasicAffine<T> converted() const {
//       BasicAffine<T> out(scale.numel());
//       out.scale = this->template converted_tensor<T>(scale);
//       out.shift = this->template converted_tensor<T>(shift);
//       return out;
//     }
//     BasicTensor<S> scale, shift;
//
//    protected:
//     NamedTensors<S> local_parameters() const override { return {{"scale", scale}, {"shift", shift}}; }
//   };
//   using Affine = BasicAffine<float>;
//
// The README's nn section shows it whole.

#include <concepts>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>
#include <xgrad/core/archive.hpp>
#include <xgrad/core/tensor.hpp>
#include <xgrad/nn/safetensors.hpp>

namespace xg::nn {

template <class S>
class BasicModule {
 public:
  using scalar_type = S;
  using tensor_type = BasicTensor<S>;
  // The name the base had before it was a template, so that a class derived
  // from nn::Module can still write `using Module::operator();`.
  using Module = BasicModule;

  virtual ~BasicModule() = default;

  virtual BasicTensor<S> forward(const BasicTensor<S>& input) = 0;
  BasicTensor<S> operator()(const BasicTensor<S>& input) { return forward(input); }

  // Every parameter of this module and its descendants, depth first, named by
  // the path to it: "weight", "0.weight", "encoder.1.bias"...
  NamedTensors<S> named_parameters() const;
  std::vector<BasicTensor<S>> parameters() const;
  // The state that is not trained but saved with the model (BatchNorm's
  // running_mean), named as the parameters are: "1.running_mean".
  NamedTensors<S> named_buffers() const;
  std::vector<BasicTensor<S>> buffers() const;
  // The direct submodules, by name ("0", "1"... in a Sequential).
  virtual std::vector<std::pair<std::string, std::shared_ptr<BasicModule>>> named_children() const { return {}; }

  void zero_grad(bool set_to_none = false);

  // Training mode (the default) or evaluation mode, for this module and all
  // its descendants; changes what Dropout does.
  void train(bool on = true);
  void eval() { train(false); }
  bool is_training() const { return training_; }

  // A deep copy of this module and its descendants holding scalar type T:
  // new parameters (requires_grad kept, no gradient) and buffers with the
  // values converted, the same training mode. The layers' own to<T>() return
  // their concrete type (model.to<double>() is a BasicSequential<double>);
  // this one, reached through a base reference, a shared pointer.
  template <class T>
  std::shared_ptr<BasicModule<T>> to() const {
    if constexpr (std::is_same_v<T, float>)
      return to_float();
    else
      return to_double();
  }

  // Each module's parameters then its buffers, then its children's, as
  // PyTorch's state_dict orders them; arrays of S (float32 or float64).
  io::Archive state_dict() const;
  // Copies the values of a state_dict into the parameters and buffers (an
  // archive of the other scalar type is converted). Every name, shape and
  // value is checked first: on a mismatch it throws (std::invalid_argument
  // for missing or unexpected names and for a NaN or Inf value, naming the
  // entry and the flat index, xg::ShapeError for shapes, io::FormatError
  // for a non-array entry) and leaves every parameter and buffer as it was.
  void load_state_dict(const io::Archive& state);
  // The checks of load_state_dict alone, changing nothing: for a caller that
  // loads several objects and must refuse all before changing any.
  void check_state_dict(const io::Archive& state) const;

  // An io::Archive of kind "module", written atomically (io::Archive::save).
  void save(const std::string& path) const;
  // Reads and checks the whole file before changing any parameter.
  void load(const std::string& path);

  // The parameters and buffers as a safetensors file (nn/safetensors.hpp),
  // F32 or F64 as S, written atomically, for PyTorch's
  // safetensors.torch.load_file.
  void save_safetensors(const std::string& path) const;
  // Reads and checks the whole file before changing any parameter: names
  // (all of them with .strict), shapes, dtypes, offsets and values.
  void load_safetensors(const std::string& path, SafetensorsLoadOptions options = {});

  // The parameters and buffers by name, in state_dict's order.
  NamedTensors<S> named_state() const;

 protected:
  // The parameters this module holds itself, not those of its children.
  virtual NamedTensors<S> local_parameters() const { return {}; }
  // The buffers this module holds itself.
  virtual NamedTensors<S> local_buffers() const { return {}; }

  // What to<T>() calls: Convertible implements both for a module template;
  // the defaults throw std::logic_error naming the type.
  virtual std::shared_ptr<BasicModule<float>> to_float() const;
  virtual std::shared_ptr<BasicModule<double>> to_double() const;

  // A new tensor of scalar T holding `tensor`'s value converted, with its
  // requires_grad and no gradient; an undefined tensor stays undefined.
  template <class T>
  static BasicTensor<T> converted_tensor(const BasicTensor<S>& tensor) {
    if (!tensor.defined()) return {};
    return BasicTensor<T>(Array<T>(tensor.value()), tensor.requires_grad());
  }
  // Gives `copy` this module's training mode (not its descendants').
  template <class T>
  void copy_mode_to(BasicModule<T>& copy) const {
    copy.training_ = training_;
  }

 private:
  template <class>
  friend class BasicModule;
  // Appends this module's and its descendants' parameters, buffers, or both
  // interleaved module by module (state_dict's order).
  void collect(const std::string& prefix, bool parameters, bool buffers, NamedTensors<S>& out) const;
  // The state's values in the order of named_state(), every name and shape
  // checked.
  std::vector<Array<S>> checked_values(const io::Archive& state, const std::string& source) const;
  void load_checked(const io::Archive& state, const std::string& source);
  bool training_ = true;
};

using Module = BasicModule<float>;

// The base of a module template M<S>, as LibTorch's Cloneable<Derived>: M
// writes `template <class T> M<T> converted() const`, the same module
// holding T (its options as they are, its parameters and buffers through
// converted_tensor), and gets to<T>(), which adds the training mode, and the
// virtual conversions behind BasicModule::to<T>().
template <template <class> class M, class S>
class Convertible : public BasicModule<S> {
 public:
  template <class T>
  M<T> to() const {
    M<T> copy = static_cast<const M<S>&>(*this).template converted<T>();
    this->copy_mode_to(copy);
    return copy;
  }

 protected:
  std::shared_ptr<BasicModule<float>> to_float() const override { return std::make_shared<M<float>>(to<float>()); }
  std::shared_ptr<BasicModule<double>> to_double() const override { return std::make_shared<M<double>>(to<double>()); }
};

extern template class BasicModule<float>;
extern template class BasicModule<double>;

}  // namespace xg::nn
