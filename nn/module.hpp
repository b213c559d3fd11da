#pragma once
// The base of every layer and model: a function of one float32 tensor that
// owns named parameters and child modules, switches between training and
// evaluation, and saves and loads its parameters.
//
// Copies of a module share its parameters (tensors are handles), as two
// references to one torch.nn.Module would.

#include <memory>
#include <string>
#include <utility>
#include <vector>
#include <xgrad/core/archive.hpp>
#include <xgrad/core/tensor.hpp>
#include <xgrad/nn/safetensors.hpp>

namespace xg::nn {

class Module {
 public:
  virtual ~Module() = default;

  virtual Tensor forward(const Tensor& input) = 0;
  Tensor operator()(const Tensor& input) { return forward(input); }

  // Every parameter of this module and its descendants, depth first, named by
  // the path to it: "weight", "0.weight", "encoder.1.bias"...
  NamedTensors<float> named_parameters() const;
  std::vector<Tensor> parameters() const;
  // The direct submodules, by name ("0", "1"... in a Sequential).
  virtual std::vector<std::pair<std::string, std::shared_ptr<Module>>> named_children() const { return {}; }

  void zero_grad(bool set_to_none = false);

  // Training mode (the default) or evaluation mode, for this module and all
  // its descendants; changes what Dropout does.
  void train(bool on = true);
  void eval() { train(false); }
  bool is_training() const { return training_; }

  // The parameters by name, as float32 arrays.
  io::Archive state_dict() const;
  // Copies the values of a state_dict into the parameters. Every name, shape
  // and value is checked first: on a mismatch it throws (std::invalid_argument
  // for missing or unexpected names and for a NaN or Inf value, naming the
  // parameter and the flat index, xg::ShapeError for shapes, io::FormatError
  // for a non-array entry) and leaves every parameter as it was.
  void load_state_dict(const io::Archive& state);
  // The checks of load_state_dict alone, changing nothing: for a caller that
  // loads several objects and must refuse all before changing any.
  void check_state_dict(const io::Archive& state) const;

  // An io::Archive of kind "module", written atomically (io::Archive::save).
  void save(const std::string& path) const;
  // Reads and checks the whole file before changing any parameter.
  void load(const std::string& path);

  // The parameters as a safetensors file (nn/safetensors.hpp), written
  // atomically, for PyTorch's safetensors.torch.load_file.
  void save_safetensors(const std::string& path) const;
  // Reads and checks the whole file before changing any parameter: names
  // (all of them with .strict), shapes, dtypes, offsets and values.
  void load_safetensors(const std::string& path, SafetensorsLoadOptions options = {});

 protected:
  // The parameters this module holds itself, not those of its children.
  virtual NamedTensors<float> local_parameters() const { return {}; }

 private:
  void collect_parameters(const std::string& prefix, NamedTensors<float>& out) const;
  // The state's values in the order of named_parameters(), every name and
  // shape checked.
  std::vector<Array<float>> checked_values(const io::Archive& state, const std::string& source) const;
  void load_checked(const io::Archive& state, const std::string& source);
  bool training_ = true;
};

}  // namespace xg::nn
