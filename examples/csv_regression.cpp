// Regression on a CSV file of your own: float targets, an MLP and mse_loss.
// Point load_csv at your file (and .target at its target column); the
// bundled regression.csv is y = sin(2 x0) + 0.5 x1^2 - 0.3 x0 x1 on a grid.
// --save-model FILE writes the trained weights as safetensors for PyTorch.
#include <cstdio>

#include <xgrad/xgrad.hpp>

#include <xgrad/examples/support/choose.hpp>
#include <xgrad/examples/support/cli.hpp>

using namespace xg;

int main(int argc, char** argv) try {
  const auto flags =
      examples::parse_flags(argc, argv, {.optimizer = "Adam", .lr = 0.01, .epochs = 200, .batch_size = 32, .seed = 0});
  manual_seed(flags.seed);

  const auto data =
      datasets::load_csv(datasets::find_data_file("regression.csv"), {.target = "y", .categorical_target = false});
  auto [train, test] = datasets::train_test_split(data, 0.2, flags.seed);
  datasets::StandardScaler scaler;
  train.features = scaler.fit_transform(train.features);
  test.features = scaler.transform(test.features);

  nn::Sequential model{nn::Linear(2, 32), nn::Tanh(), nn::Linear(32, 1)};
  auto optimizer = examples::make_optimizer(flags.optimizer, model.named_parameters(), flags.lr);
  datasets::TargetDataLoader loader(train, {.batch_size = flags.batch_size});
  const auto mse = [&](const datasets::Dataset& part) {
    no_grad guard;
    model.eval();
    const auto prediction = reshape(model(tensor(part.features)), {part.size()});
    model.train();
    return nn::functional::mse_loss(prediction, tensor(part.targets)).item();
  };

  for (int epoch = 1; epoch <= flags.epochs; ++epoch) {
    for (auto [x, y] : loader) {
      optimizer->zero_grad();
      auto loss = nn::functional::mse_loss(reshape(model(x), {y.shape()[0]}), y);
      loss.backward();
      optimizer->step();
    }
  }
  if (!flags.save_model.empty()) model.save_safetensors(flags.save_model);
  // The variance of the test targets: the mse of always predicting their mean.
  const double mean = xt::mean(test.targets)(), variance = xt::mean(xt::square(test.targets - mean))();
  const double test_mse = mse(test);
  std::printf("csv_regression optimizer=%s epochs=%d train_mse=%.5f test_mse=%.5f test_r2=%.4f\n",
              flags.optimizer.c_str(), flags.epochs, mse(train), test_mse, 1.0 - test_mse / variance);
} catch (const std::exception& e) {
  std::fprintf(stderr, "csv_regression: %s\n", e.what());
  return 1;
}
