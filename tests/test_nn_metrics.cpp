#include <doctest/doctest.h>

#include <vector>
#include <xgrad/xgrad.hpp>

namespace nn = xg::nn;

TEST_CASE("nn metrics: accuracy counts rows whose argmax is the label") {
  auto logits = xg::tensor({{0.1f, 0.9f}, {0.8f, 0.2f}, {0.3f, 0.7f}});
  const std::vector<std::size_t> labels = {1, 1, 1};
  // predictions (1, 0, 1): 2 of 3 right
  CHECK(nn::accuracy(logits, labels) == doctest::Approx(2.0 / 3));
  // Ties go to the first maximum, as torch.argmax.
  auto tie = xg::tensor<double>({{0.5, 0.5}});
  const std::vector<std::size_t> zero = {0};
  CHECK(nn::accuracy(tie, zero) == 1.0);

  const std::vector<std::size_t> too_many = {1, 1, 1, 1};
  CHECK_THROWS_AS(nn::accuracy(logits, too_many), xg::ShapeError);
  const std::vector<std::size_t> out_of_range = {1, 2, 1};
  CHECK_THROWS_WITH_AS(nn::accuracy(logits, out_of_range),
                       doctest::Contains("accuracy: label 2 in row 1 is out of range for 2 classes"),
                       std::invalid_argument);
  const std::vector<std::size_t> none;
  CHECK_THROWS_AS(nn::accuracy(xg::zeros<float>({0, 2}), none), std::invalid_argument);
}

TEST_CASE("nn metrics: confusion matrix has true classes as rows, predictions as columns") {
  const std::vector<std::size_t> predictions = {0, 2, 2, 1, 0};
  const std::vector<std::size_t> labels = {0, 2, 1, 1, 2};
  const auto counts = nn::confusion_matrix(predictions, labels, 3);
  // (true, predicted) pairs: (0,0) (2,2) (1,2) (1,1) (2,0)
  CHECK(counts == xg::Array<std::size_t>{{1, 0, 0}, {0, 1, 1}, {1, 0, 1}});

  auto logits = xg::tensor({{2.0f, 0.0f, 1.0f}, {0.0f, 0.0f, 5.0f}});
  const std::vector<std::size_t> two = {0, 1};
  CHECK(nn::confusion_matrix(logits, two, 3) == xg::Array<std::size_t>{{1, 0, 0}, {0, 0, 1}, {0, 0, 0}});
  CHECK_THROWS_AS(nn::confusion_matrix(logits, two, 4), xg::ShapeError);
  const std::vector<std::size_t> bad = {0, 3};
  CHECK_THROWS_WITH_AS(nn::confusion_matrix(bad, two, 3),
                       doctest::Contains("prediction 3 in row 1 is out of range for 3 classes"), std::invalid_argument);
}
