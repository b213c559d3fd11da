#include <xgrad/datasets/vocabulary.hpp>

#include <algorithm>
#include <utility>

#include <xgrad/core/error.hpp>

namespace xg::datasets {

Vocabulary::Vocabulary(const std::vector<std::vector<std::string>>& documents, VocabularyOptions options) {
  std::unordered_map<std::string, std::size_t, Hash, std::equal_to<>> counts;
  for (const auto& document : documents)
    for (const auto& word : document) {
      if (word == options.unknown_token) continue;
      if (auto it = counts.find(word); it != counts.end())
        ++it->second;
      else
        counts.emplace(word, 1);
    }
  std::vector<std::pair<std::string, std::size_t>> ranked;
  ranked.reserve(counts.size());
  for (auto& [word, count] : counts)
    if (count >= options.min_count) ranked.emplace_back(word, count);
  std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  if (options.max_size > 0 && ranked.size() > options.max_size - 1) ranked.resize(options.max_size - 1);

  words_.reserve(ranked.size() + 1);
  words_.push_back(std::move(options.unknown_token));
  for (auto& entry : ranked) words_.push_back(std::move(entry.first));
  indices_.reserve(words_.size());
  for (std::size_t i = 0; i < words_.size(); ++i) indices_.emplace(words_[i], i);
}

std::size_t Vocabulary::index(std::string_view word) const {
  const auto it = indices_.find(word);
  return it == indices_.end() ? unknown_index : it->second;
}

const std::string& Vocabulary::word(std::size_t index) const {
  if (index >= words_.size())
    throw_invalid_argument("Vocabulary::word", "index " + std::to_string(index) + " is out of range for " +
                                                   std::to_string(words_.size()) + " entries");
  return words_[index];
}

bool Vocabulary::contains(std::string_view word) const { return indices_.find(word) != indices_.end(); }

}  // namespace xg::datasets
