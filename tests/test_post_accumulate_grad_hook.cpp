// register_post_accumulate_grad_hook (torch.Tensor's): a leaf's hook runs
// once per backward, when nothing more will be added to its gradient, in
// backward order, and not after remove().

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include <xgrad/xgrad.hpp>

namespace {

using xg::autograd::register_post_accumulate_grad_hook;

xg::Tensor leaf(std::vector<float> values) {
  auto a = xg::Array<float>::from_shape({values.size()});
  std::copy(values.begin(), values.end(), a.begin());
  return xg::Tensor(a, /*requires_grad=*/true);
}

}  // namespace

TEST_CASE("post-accumulate-grad hook: runs once, with the gradient of every use of the leaf added up") {
  // loss = sum(w * a) + sum(w * b) + sum(w * w): dloss/dw = a + b + 2w, from three ops.
  const auto w = leaf({1, 2}), a = leaf({10, 20}), b = leaf({100, 200});
  std::vector<std::vector<float>> seen;
  auto handle = register_post_accumulate_grad_hook<float>(w, [&](const xg::Tensor& t) {
    CHECK(t.node() == w.node());
    seen.emplace_back(t.grad().begin(), t.grad().end());
  });
  auto loss = [&] { return xg::sum(w * a) + xg::sum(w * b) + xg::sum(w * w); };
  loss().backward();
  REQUIRE(seen.size() == 1);
  CHECK(seen[0] == std::vector<float>{10 + 100 + 2 * 1, 20 + 200 + 2 * 2});
  // A second backward accumulates onto the first, and the hook sees the sum.
  loss().backward();
  REQUIRE(seen.size() == 2);
  CHECK(seen[1] == std::vector<float>{2 * 112, 2 * 224});
  handle.remove();
  loss().backward();
  CHECK(seen.size() == 2);
  handle.remove();  // a second remove does nothing
}

TEST_CASE("post-accumulate-grad hook: the leaf nearer the loss comes first, before the others have gradients") {
  // loss = sum(tanh(x w1 + b1) w2): w2's gradient is final after the last
  // matmul's backward, while w1's and b1's still wait for tanh's.
  xg::Generator gen(1);
  const auto x = xg::uniform<float>({4, 3}, -1, 1, false, gen);
  const auto w1 = xg::uniform<float>({3, 5}, -1, 1, true, gen), b1 = xg::uniform<float>({5}, -1, 1, true, gen);
  const auto w2 = xg::uniform<float>({5, 2}, -1, 1, true, gen);
  std::vector<std::string> order;
  std::vector<xg::autograd::RemovableHandle> handles;
  const std::vector<std::string> names{"w1", "b1", "w2"};
  const std::vector<xg::Tensor> leaves{w1, b1, w2};
  for (std::size_t i = 0; i < leaves.size(); ++i)
    handles.push_back(register_post_accumulate_grad_hook<float>(leaves[i], [&, name = names[i]](const xg::Tensor& t) {
      CHECK(t.has_grad());
      if (name == "w2") CHECK_FALSE(w1.has_grad());
      order.push_back(name);
    }));
  xg::sum(xg::matmul(xg::tanh(xg::matmul(x, w1) + b1), w2)).backward();
  REQUIRE(order.size() == 3);
  CHECK(order[0] == "w2");
  CHECK((order[1] == "b1" || order[1] == "w1"));
  CHECK((order[2] == "b1" || order[2] == "w1"));
  CHECK(order[1] != order[2]);
  for (auto& h : handles) h.remove();
}

TEST_CASE("post-accumulate-grad hook: hooks run in the order registered; a leaf outside the graph is not called") {
  const auto w = leaf({3}), unused = leaf({4});
  std::vector<int> calls;
  auto first = register_post_accumulate_grad_hook<float>(w, [&](const xg::Tensor&) { calls.push_back(1); });
  auto second = register_post_accumulate_grad_hook<float>(w, [&](const xg::Tensor&) { calls.push_back(2); });
  auto other = register_post_accumulate_grad_hook<float>(unused, [&](const xg::Tensor&) { calls.push_back(3); });
  xg::sum(w * w).backward();
  CHECK(calls == std::vector<int>{1, 2});
  first.remove();
  xg::sum(w * w).backward();
  CHECK(calls == std::vector<int>{1, 2, 2});
  second.remove();
  other.remove();
}

TEST_CASE("post-accumulate-grad hook: a leaf that is the output itself gets the seed at once") {
  const auto w = leaf({5, 6});
  std::vector<float> seen;
  auto handle = register_post_accumulate_grad_hook<float>(
      w, [&](const xg::Tensor& t) { seen.assign(t.grad().begin(), t.grad().end()); });
  auto seed = xg::Array<float>::from_shape({2});
  seed(0) = 7;
  seed(1) = 8;
  w.backward(seed);
  CHECK(seen == std::vector<float>{7, 8});
  handle.remove();
}

TEST_CASE("post-accumulate-grad hook: a hook that throws ends the backward, and the next one runs cleanly") {
  const auto w = leaf({1}), v = leaf({2});
  auto thrower =
      register_post_accumulate_grad_hook<float>(w, [](const xg::Tensor&) { throw std::runtime_error("hook failed"); });
  CHECK_THROWS_WITH_AS(xg::sum(w * v).backward(), "hook failed", std::runtime_error);
  thrower.remove();
  w.zero_grad(true);
  v.zero_grad(true);
  xg::sum(w * v).backward();
  CHECK(w.grad()(0) == 2);
  CHECK(v.grad()(0) == 1);
}

TEST_CASE("post-accumulate-grad hook: refused on a non-leaf, a tensor without requires_grad, or an empty hook") {
  const auto w = leaf({1});
  auto noop = [](const xg::Tensor&) {};
  CHECK_THROWS_WITH_AS(register_post_accumulate_grad_hook<float>(w * w, noop),
                       doctest::Contains("output of op 'mul', not a leaf"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(register_post_accumulate_grad_hook<float>(xg::Tensor(w.value()), noop),
                       doctest::Contains("does not require grad"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(register_post_accumulate_grad_hook<float>(w, nullptr), doctest::Contains("the hook is empty"),
                       std::invalid_argument);
}

TEST_CASE("post-accumulate-grad hook: float64 leaves have their own hooks") {
  auto value = xg::Array<double>::from_shape({1});
  value(0) = 1.5;
  const xg::Tensor64 w(value, true);
  int calls = 0;
  auto handle = register_post_accumulate_grad_hook<double>(w, [&](const xg::Tensor64& t) {
    CHECK(t.grad()(0) == 3.0);
    ++calls;
  });
  xg::sum(w * w).backward();
  CHECK(calls == 1);
  handle.remove();
}
