// Rows of an embedding table by index: torch.nn.functional.embedding with
// sparse=True. Forward copies one row of the weight per index; backward gives
// the weight a row-sparse gradient over the distinct indices, never a dense
// (num_embeddings, dim) array, so the optimizers' row updates apply.

#include <algorithm>
#include <string>
#include <vector>

#include <xgrad/autograd/function.hpp>
#include <xgrad/autograd/ops.hpp>
#include <xgrad/core/detail/first_met_slots.hpp>

namespace xg {

namespace {

// padding_idx as torch takes it: negative counts from the end.
std::optional<std::size_t> absolute_padding_index(std::optional<long> padding_idx, std::size_t num_embeddings) {
  if (!padding_idx) return std::nullopt;
  const long n = static_cast<long>(num_embeddings);
  if (*padding_idx >= n || *padding_idx < -n)
    throw std::invalid_argument("embedding: padding_idx " + std::to_string(*padding_idx) +
                                " is out of range for num_embeddings " + std::to_string(num_embeddings));
  return static_cast<std::size_t>(*padding_idx < 0 ? *padding_idx + n : *padding_idx);
}

// What backward needs of the indices, by value: the distinct rows that get a
// gradient (in the order first met, padding left out) and, for each index,
// its slot among them (`none` for padding).
struct EmbeddingRows {
  static constexpr std::size_t none = static_cast<std::size_t>(-1);
  std::vector<std::size_t> rows;
  BufferVector<std::size_t> slot;
};

EmbeddingRows distinct_rows(std::span<const std::size_t> indices, std::size_t num_embeddings,
                            std::optional<std::size_t> padding) {
  EmbeddingRows kept;
  kept.rows.resize(indices.size());
  kept.slot.resize(indices.size());
  kept.rows.resize(detail::first_met_slots("embedding", indices, num_embeddings, kept.rows.data(), kept.slot.data()));
  // The padding row gets no gradient: out of the list, its entries without a slot.
  if (const auto at = padding ? std::find(kept.rows.begin(), kept.rows.end(), *padding) : kept.rows.end();
      at != kept.rows.end()) {
    const std::size_t removed = static_cast<std::size_t>(at - kept.rows.begin());
    kept.rows.erase(at);
    for (std::size_t& s : kept.slot) s = s == removed ? EmbeddingRows::none : s - (s > removed);
  }
  return kept;
}

// out[..., :] = weight[indices[...], :]
// dweight[r]  = Σ_{p: indices[p] = r} dout[p]   for r != padding_idx
// Both overloads: the indices flat, and their shape, which the output's
// leading dimensions take.
template <class S>
BasicTensor<S> embed(std::span<const std::size_t> flat, Shape out_shape, const BasicTensor<S>& weight,
                     std::optional<long> padding_idx) {
  const char* op = "embedding";
  if (!weight.defined())
    throw std::invalid_argument("embedding: the weight is an undefined (default-constructed) tensor");
  if (weight.dim() != 2)
    throw_shape_error(
        op, "expects a 2-D weight (num_embeddings, embedding_dim), got shape " + shape_to_string(weight.shape()));
  const std::size_t num = weight.shape()[0], dim = weight.shape()[1];
  const auto padding = absolute_padding_index(padding_idx, num);
  for (std::size_t p = 0; p < flat.size(); ++p)
    if (flat[p] >= num)
      throw std::invalid_argument("embedding: index " + std::to_string(flat[p]) + " (at position " + std::to_string(p) +
                                  ") is out of range for num_embeddings " + std::to_string(num));
  out_shape.push_back(dim);
  checked_numel(op, out_shape);
  auto out = Array<S>::from_shape(out_shape);
  const S* table = weight.value().data();
  for (std::size_t p = 0; p < flat.size(); ++p) std::copy_n(table + flat[p] * dim, dim, out.data() + p * dim);
  typename Node<S>::BackwardFn backward;
  if (weight.requires_grad() && is_grad_enabled())
    backward = [kept = distinct_rows(flat, num, padding), dim](Node<S>& self) {
      RowSparse<S> g{kept.rows, Array<S>::from_shape({kept.rows.size(), dim}), false};
      g.values.fill(S(0));
      S* rows = g.values.data();
      const S* dout = self.grad.data();
      for (std::size_t p = 0; p < kept.slot.size(); ++p) {
        if (kept.slot[p] == EmbeddingRows::none) continue;
        S* row = rows + kept.slot[p] * dim;
        const S* dout_row = dout + p * dim;
        for (std::size_t j = 0; j < dim; ++j) row[j] += dout_row[j];
      }
      // Distinct by construction, and below the weight's rows: the engine
      // ran this closure only because the weight kept its recorded shape.
      self.inputs[0]->accumulate_sparse_grad(std::move(g), RowCheck::range);
    };
  return autograd::record<S>(op, std::move(out), {&weight}, std::move(backward));
}

}  // namespace

template <class S>
BasicTensor<S> embedding(std::span<const std::size_t> indices, const BasicTensor<S>& weight,
                         std::optional<long> padding_idx) {
  return embed(indices, Shape{indices.size()}, weight, padding_idx);
}

template <class S>
BasicTensor<S> embedding(const Array<std::size_t>& indices, const BasicTensor<S>& weight,
                         std::optional<long> padding_idx) {
  return embed(std::span<const std::size_t>(indices.data(), indices.size()), to_shape(indices.shape()), weight,
               padding_idx);
}

#define XGRAD_INSTANTIATE(S)                                                                                \
  template BasicTensor<S> embedding(const Array<std::size_t>&, const BasicTensor<S>&, std::optional<long>); \
  template BasicTensor<S> embedding(std::span<const std::size_t>, const BasicTensor<S>&, std::optional<long>);
XGRAD_INSTANTIATE(float)
XGRAD_INSTANTIATE(double)

}  // namespace xg
